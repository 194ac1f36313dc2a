// HTML tables for report pages: every cell escaped, numbers right-aligned and sortable by their exact value, links
// kept only when their URL is safe.

import { escapeHtml, safeHref } from './html-escape.js';
import { formatNumber } from './markdown.js';

/** A cell: text, a number (shown with formatNumber, sorted by its exact value), or text with a link/sort key. */
export type HtmlCell = string | number | { text: string; href?: string; sortValue?: string | number; title?: string; className?: string };

export interface HtmlTableOptions {
  /** Clicking a header sorts the rows (the script ships with renderHtmlPage). Default true. */
  sortable?: boolean;
  caption?: string;
  /** A class per row (e.g. "drifted"), styled by renderHtmlPage; undefined for none. */
  rowClasses?: (string | undefined)[];
  /** A class on the table itself, e.g. "side-by-side". */
  className?: string;
}

export function htmlTable(headers: string[], rows: HtmlCell[][], options: HtmlTableOptions = {}): string {
  const sortable = options.sortable ?? true;
  const head = `<thead><tr>${headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = rows
    .map((row, r) => {
      const rowClass = options.rowClasses?.[r];
      return `<tr${rowClass ? ` class="${escapeHtml(rowClass)}"` : ''}>${headers.map((_, i) => renderCell(row[i])).join('')}</tr>`;
    })
    .join('\n');
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : '';
  const classes = [sortable ? 'sortable' : '', options.className ?? ''].filter(Boolean).join(' ');
  return `<table${classes ? ` class="${escapeHtml(classes)}"` : ''}>${caption}\n${head}\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function renderCell(cell: HtmlCell | undefined): string {
  if (cell === undefined) return '<td></td>';
  if (typeof cell === 'number') {
    const sort = Number.isFinite(cell) ? ` data-sort="${cell}"` : '';
    return `<td class="num"${sort}>${escapeHtml(formatGrouped(cell))}</td>`;
  }
  if (typeof cell === 'string') return `<td>${escapeHtml(cell)}</td>`;
  const href = safeHref(cell.href);
  const text = escapeHtml(cell.text);
  const content = href ? `<a href="${escapeHtml(href)}">${text}</a>` : text;
  const sort = cell.sortValue !== undefined ? ` data-sort="${escapeHtml(String(cell.sortValue))}"` : '';
  const title = cell.title ? ` title="${escapeHtml(cell.title)}"` : '';
  const classes = [typeof cell.sortValue === 'number' ? 'num' : '', cell.className ?? ''].filter(Boolean).join(' ');
  const numeric = classes ? ` class="${escapeHtml(classes)}"` : '';
  return `<td${numeric}${sort}${title}>${content}</td>`;
}

/** formatNumber, with thousands separators in the integer part (1,234,567 and 12,345.678). */
export function formatGrouped(x: number, digits = 3): string {
  const text = formatNumber(x, digits);
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text; // exponents, NaN, ∞ stay as they are
  const [whole, fraction] = text.split('.');
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fraction === undefined ? '' : `.${fraction}`);
}
