// Pure builders for GitHub-flavoured markdown in job summaries and PR comments: tables whose cells cannot break the
// table or inject HTML, headings, collapsible sections, and number formatting that people can read.

export type ColumnAlign = 'left' | 'right' | 'center';

/** Escapes text for one GFM table cell: `|` would end the cell, a newline the row, `<`/`&` would become HTML. */
export function escapeMarkdownCell(text: string): string {
  return escapeMarkdownText(text)
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** Escapes text shown inline in markdown so that HTML-ish characters stay literal. */
export function escapeMarkdownText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A GFM table. Numbers are written with `formatNumber` (3 decimals, exponent for tiny values); format them yourself
 * first when a column needs something else. Rows shorter than the header are padded with empty cells.
 */
export function markdownTable(headers: string[], rows: (string | number)[][], align?: ColumnAlign[]): string {
  if (headers.length === 0) throw new Error('markdownTable needs at least one header');
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const separator = headers.map((_, i) => {
    switch (align?.[i]) {
      case 'right':
        return '---:';
      case 'center':
        return ':---:';
      case 'left':
        return ':---';
      default:
        return '---';
    }
  });
  const body = rows.map((row) =>
    line(
      headers.map((_, i) => {
        const cell = row[i];
        if (cell === undefined) return '';
        return escapeMarkdownCell(typeof cell === 'number' ? formatNumber(cell) : cell);
      }),
    ),
  );
  return [line(headers.map(escapeMarkdownCell)), line(separator), ...body].join('\n') + '\n';
}

/** A markdown heading (`level` 1-6) on one line. */
export function heading(text: string, level: 1 | 2 | 3 | 4 | 5 | 6 = 2): string {
  return `${'#'.repeat(level)} ${escapeMarkdownText(text.replace(/\s*[\r\n]+\s*/g, ' '))}\n`;
}

/**
 * A collapsible section. The blank lines around `body` are what make GitHub render the markdown inside it, so a
 * table or list in `body` shows as such once opened.
 */
export function details(summary: string, body: string, open = false): string {
  const summaryText = escapeMarkdownText(summary.replace(/\s*[\r\n]+\s*/g, ' '));
  return `<details${open ? ' open' : ''}>\n<summary>${summaryText}</summary>\n\n${body.trimEnd()}\n\n</details>\n`;
}

/**
 * A number for people: integers as they are, others with `digits` decimals, and values too small to show that way
 * (p-values such as 1.2e-12) in exponent form rather than as a misleading "0.000". NaN and infinities are spelled out.
 */
export function formatNumber(x: number, digits = 3): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '-∞';
  if (x === 0) return '0'; // also turns -0 into "0"
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const magnitude = Math.abs(x);
  if (magnitude < 0.5 * 10 ** -digits || magnitude >= 1e15) {
    return x.toExponential(Math.max(digits - 1, 1));
  }
  return x.toFixed(digits);
}

/**
 * A share (0..1) as a percentage with `digits` decimals. Shares that would round to 0% or 100% without being exactly
 * that say "<0.1%" / ">99.9%", so a single drifted row is never reported as 0%.
 */
export function formatPercent(share: number, digits = 1): string {
  if (!Number.isFinite(share)) return formatNumber(share);
  const smallest = 10 ** -digits;
  const percent = share * 100;
  if (percent > 0 && percent < smallest / 2) return `<${smallest.toFixed(digits)}%`;
  if (percent < 100 && percent > 100 - smallest / 2) return `>${(100 - smallest).toFixed(digits)}%`;
  return `${percent.toFixed(digits)}%`;
}
