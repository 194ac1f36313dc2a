// HTML tables for report pages: every cell escaped, numbers right-aligned and sortable by their exact value, links
// kept only when their URL is safe.

import { escapeHtml, safeHref } from './html-escape.js';
import { formatNumber } from './markdown.js';

/** A cell: text, a number (shown with formatNumber, sorted by its exact value), or text with a link/sort key. */
export type HtmlCell = string | number | { text: string; href?: string; sortValue?: string | number; title?: string };

export interface HtmlTableOptions {
  /** Clicking a header sorts the rows (the script ships with renderHtmlPage). Default true. */
  sortable?: boolean;
  caption?: string;
}

export function htmlTable(headers: string[], rows: HtmlCell[][], options: HtmlTableOptions = {}): string {
  const sortable = options.sortable ?? true;
  const head = `<thead><tr>${headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = rows
    .map((row) => `<tr>${headers.map((_, i) => renderCell(row[i])).join('')}</tr>`)
    .join('\n');
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : '';
  return `<table${sortable ? ' class="sortable"' : ''}>${caption}\n${head}\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function renderCell(cell: HtmlCell | undefined): string {
  if (cell === undefined) return '<td></td>';
  if (typeof cell === 'number') {
    const sort = Number.isFinite(cell) ? ` data-sort="${cell}"` : '';
    return `<td class="num"${sort}>${escapeHtml(formatNumber(cell))}</td>`;
  }
  if (typeof cell === 'string') return `<td>${escapeHtml(cell)}</td>`;
  const href = safeHref(cell.href);
  const text = escapeHtml(cell.text);
  const content = href ? `<a href="${escapeHtml(href)}">${text}</a>` : text;
  const sort = cell.sortValue !== undefined ? ` data-sort="${escapeHtml(String(cell.sortValue))}"` : '';
  const title = cell.title ? ` title="${escapeHtml(cell.title)}"` : '';
  const numeric = typeof cell.sortValue === 'number' ? ' class="num"' : '';
  return `<td${numeric}${sort}${title}>${content}</td>`;
}
