// Job-summary markdown: rendered with marked (a GFM implementation) to check what a reader would actually see.
import { marked } from 'marked';
import { details, formatNumber, formatPercent, heading, markdownTable } from '#shared/reports/markdown.js';

/** The text of each body cell as GFM renders it, <br> read back as a newline and entities decoded. */
function renderedCells(markdown: string): string[][] {
  const html = marked.parse(markdown, { gfm: true, async: false });
  const body = html.split('<tbody>')[1] ?? '';
  return body
    .split('<tr>')
    .slice(1)
    .map((row) =>
      [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) =>
        m[1]
          .replace(/<br>/g, '\n')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, '&'),
      ),
    );
}

describe('markdownTable', () => {
  it('keeps a column name with pipes, newlines and HTML inside its own cell, shown literally', () => {
    const nasty = 'fare|amount\nin <b>USD</b> & "tips" C:\\data\\x';
    const markdown = markdownTable(
      ['column', 'drift score'],
      [
        [nasty, 0.25],
        ['plain', 1],
      ],
    );
    const cells = renderedCells(markdown);
    expect(cells).toEqual([
      [nasty, '0.250'],
      ['plain', '1'],
    ]);
    // No tag from the data survives as markup.
    expect(marked.parse(markdown, { async: false })).not.toContain('<b>');
  });

  it('aligns columns as asked and pads short rows', () => {
    const markdown = markdownTable(['name', 'value', 'note'], [['a', 2]], ['left', 'right', 'center']);
    const html = marked.parse(markdown, { async: false });
    expect(html).toMatch(/<th align="left">name<\/th>/);
    expect(html).toMatch(/<th align="right">value<\/th>/);
    expect(html).toMatch(/<th align="center">note<\/th>/);
    expect(renderedCells(markdown)).toEqual([['a', '2', '']]);
  });
});

describe('heading and details', () => {
  it('writes a heading on one line at the asked level', () => {
    expect(heading('Drift in\nJune <data>', 3)).toBe('### Drift in June &lt;data&gt;\n');
    expect(marked.parse(heading('Summary'), { async: false })).toMatch(/^<h2[^>]*>Summary<\/h2>/);
  });

  it('renders a collapsible section whose body is still markdown', () => {
    const block = details('12 columns <ok>', markdownTable(['a'], [['x']]));
    const html = marked.parse(block, { async: false });
    expect(html).toContain('<summary>12 columns &lt;ok&gt;</summary>');
    expect(html).toContain('<table>');
    expect(html.indexOf('<table>')).toBeGreaterThan(html.indexOf('</summary>'));
    expect(html.trim().endsWith('</details>')).toBe(true);
    expect(details('s', 'b', true)).toMatch(/^<details open>/);
  });
});

describe('formatNumber', () => {
  it('shows a tiny p-value in exponent form instead of 0.000', () => {
    expect(formatNumber(1.2e-12)).toBe('1.20e-12');
    expect(formatNumber(-3.456e-9, 4)).toBe('-3.456e-9');
    expect(formatNumber(0.0004)).toBe('4.00e-4');
  });

  it('spells out NaN and infinities, and keeps integers whole', () => {
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(Infinity)).toBe('∞');
    expect(formatNumber(-Infinity)).toBe('-∞');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(1234567)).toBe('1234567');
    expect(formatNumber(2.5e20)).toBe('2.50e+20');
  });

  it('rounds ordinary values to the asked decimals', () => {
    expect(formatNumber(0.123456)).toBe('0.123');
    expect(formatNumber(0.123456, 5)).toBe('0.12346');
    expect(formatNumber(12.5, 1)).toBe('12.5');
  });
});

describe('formatPercent', () => {
  it('never reports a small non-zero share as 0% or a near-total one as 100%', () => {
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(0.00001)).toBe('<0.1%');
    expect(formatPercent(0.99999)).toBe('>99.9%');
    expect(formatPercent(0.5, 0)).toBe('50%');
    expect(formatPercent(NaN)).toBe('NaN');
  });
});
