import { COMMENT_MAX_CHARS, SUMMARY_MAX_BYTES, truncateMiddle } from '#shared/github/size-limits.js';

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

describe('cutting a long report to fit GitHub', () => {
  it('leaves a report that fits untouched', () => {
    expect(truncateMiddle('short report', 100)).toBe('short report');
  });

  it('keeps the verdict at the top and the totals at the bottom of a 200,000-character comment', () => {
    const rows = Array.from({ length: 6000 }, (_, i) => `| column_${i} | 0.${String(i).padStart(4, '0')} | ok |`);
    const report = ['## Drift verdict: drifted', ...rows, '**Totals: 12 of 6000 columns drifted**'].join('\n');
    expect(report.length).toBeGreaterThan(150_000);

    const cut = truncateMiddle(report, COMMENT_MAX_CHARS, { reportUrl: 'https://github.com/o/r/actions/runs/1' });

    expect(cut.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(cut.length).toBeGreaterThan(COMMENT_MAX_CHARS - 200);
    expect(cut.startsWith('## Drift verdict: drifted\n| column_0 |')).toBe(true);
    expect(cut.endsWith('**Totals: 12 of 6000 columns drifted**')).toBe(true);
    const notice = /… (\d+) characters cut; full report: https:\/\/github\.com\/o\/r\/actions\/runs\/1 …/.exec(cut);
    expect(notice).not.toBeNull();
    // The notice tells the truth about how much is missing.
    expect(Number(notice![1])).toBe(report.length - (cut.length - notice![0].length - 4));
    // Whole table rows survive on both sides of the cut.
    const [head, tail] = cut.split(notice![0]);
    expect(head).toMatch(/\| ok \|\n+$/);
    expect(tail).toMatch(/^\n+\| column_\d+ \|/);
  });

  it('counts UTF-8 bytes for the job summary and never splits a character', () => {
    const report = 'Résumé ✓ 数据漂移 '.repeat(100_000);
    expect(utf8(report)).toBeGreaterThan(SUMMARY_MAX_BYTES);

    const cut = truncateMiddle(report, SUMMARY_MAX_BYTES, { unit: 'bytes' });

    expect(utf8(cut)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(utf8(cut)).toBeGreaterThan(SUMMARY_MAX_BYTES - 100);
    expect(cut).not.toContain('\uFFFD');
    expect(cut.startsWith('Résumé ✓ 数据漂移')).toBe(true);
    expect(cut.endsWith('数据漂移 ')).toBe(true);
    expect(cut).toMatch(/… \d+ bytes cut …/);
  });

  it('does not split an emoji at the cut', () => {
    const cut = truncateMiddle('😀'.repeat(1000), 101, { notice: '[cut]' });
    expect(cut.length).toBeLessThanOrEqual(101);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(cut).toContain('[cut]');
  });

  it('uses a custom notice with the amount cut', () => {
    const cut = truncateMiddle('a'.repeat(100), 50, { notice: (removed, unit) => `<${removed} ${unit} omitted>` });
    expect(cut.length).toBeLessThanOrEqual(50);
    const removed = Number(/<(\d+) characters omitted>/.exec(cut)![1]);
    expect(cut.replace(/<.*>/, '').length + removed).toBe(100);
  });
});
