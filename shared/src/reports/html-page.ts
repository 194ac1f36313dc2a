// Self-contained HTML report pages: one file with inline CSS and charts that opens offline from an artifact or
// GitHub Pages and makes no network request at all (no fonts, CDNs or trackers; a Content-Security-Policy enforces it).

import { createHash } from 'node:crypto';
import { escapeHtml } from './html-escape.js';

export { escapeHtml, safeHref } from './html-escape.js';

export interface HtmlSection {
  /** The section's anchor (letters, digits, `-`, `_`), linked from the page's table of contents. */
  id: string;
  title: string;
  /** Trusted markup built by our own builders (svg-charts, htmlTable); escape any user text inside it. */
  html: string;
}

export interface HtmlPage {
  title: string;
  subtitle?: string;
  sections: HtmlSection[];
  /** A line at the foot of the page, e.g. "Generated 2024-06-01 12:00 UTC by drift-check". */
  footer?: string;
}

// Sorting for tables with class "sortable": click (or Enter on) a header. A cell's data-sort attribute, when
// present, is the value it sorts by; numbers sort as numbers. Hand-written: a few lines, and the page must not load
// a library from anywhere.
const SORT_SCRIPT = `document.querySelectorAll('table.sortable').forEach(function (table) {
  var headers = table.querySelectorAll('thead th');
  headers.forEach(function (th, column) {
    th.tabIndex = 0;
    th.setAttribute('aria-sort', 'none');
    function key(row) {
      var cell = row.cells[column];
      if (!cell) return '';
      var value = cell.getAttribute('data-sort');
      if (value === null) value = cell.textContent.trim();
      var number = Number(value);
      return value !== '' && !isNaN(number) ? number : value.toLowerCase();
    }
    function sort() {
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      headers.forEach(function (other) { other.setAttribute('aria-sort', 'none'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        var order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }
    th.addEventListener('click', sort);
    th.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); sort(); }
    });
  });
});`;

const SORT_SCRIPT_HASH = createHash('sha256').update(SORT_SCRIPT, 'utf8').digest('base64');

// Nothing may be fetched: only this page's own inline script runs, inline styles and data: images are allowed.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  `script-src 'sha256-${SORT_SCRIPT_HASH}'`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const STYLE = `:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --line: #d1d9e0;
  --stripe: #f6f8fa; --link: #0969da; --good: #1a7f37; --good-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d;
  --stripe: #151b23; --link: #4493f8; --good: #3fb950; --good-bg: #12261e; --bad: #f85149; --bad-bg: #2d1214; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.5;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 16px 48px; }
h1 { font-size: 1.7em; margin: 0 0 4px; }
h2 { font-size: 1.3em; margin: 32px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
.subtitle, footer { color: var(--muted); }
.subtitle { margin: 0 0 16px; }
a { color: var(--link); }
nav ul { margin: 8px 0 0; padding-left: 20px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.93em; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
tbody tr:nth-child(even) { background: var(--stripe); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th[aria-sort="ascending"]::after { content: " \\25B2"; }
table.sortable th[aria-sort="descending"]::after { content: " \\25BC"; }
/* Verdicts and rows that crossed their threshold: colour plus a border and a word, never colour alone. */
.good { color: var(--good); }
.bad { color: var(--bad); }
p.verdict { padding: 8px 12px; border-left: 6px solid; border-radius: 4px; font-weight: 600; }
p.verdict.good { background: var(--good-bg); border-color: var(--good); }
p.verdict.bad { background: var(--bad-bg); border-color: var(--bad); }
tbody tr.drifted, tbody tr.drifted:nth-child(even) { background: var(--bad-bg); }
tbody tr.drifted td:first-child { box-shadow: inset 4px 0 0 var(--bad); }
tbody tr.drifted td.verdict-cell { color: var(--bad); font-weight: 600; }
/* A share against its threshold: the filled part is the share, the dark mark the threshold. */
.meter { position: relative; height: 16px; max-width: 480px; margin: 4px 0 12px; background: var(--stripe);
  border: 1px solid var(--line); border-radius: 3px; }
.meter .fill { position: absolute; left: 0; top: 0; bottom: 0; background: var(--good); }
.meter.bad .fill { background: var(--bad); }
.meter .mark { position: absolute; top: -5px; bottom: -5px; width: 2px; margin-left: -1px; background: var(--fg); }
.side-by-side td.changed { font-weight: 600; }
figure { margin: 12px 0 24px; }
figure svg { max-width: 100%; height: auto; }
footer { margin-top: 40px; font-size: 0.85em; }`;

/** A complete HTML document (UTF-8, starts with <!doctype html>) ready to write to a .html file. */
export function renderHtmlPage(page: HtmlPage): string {
  const sections = page.sections.map((section) => {
    if (!/^[A-Za-z][\w-]*$/.test(section.id)) {
      throw new Error(`renderHtmlPage: section id '${section.id}' must be letters, digits, '-' or '_'`);
    }
    return `<section id="${section.id}">\n<h2>${escapeHtml(section.title)}</h2>\n${section.html}\n</section>`;
  });
  const contents =
    page.sections.length > 1
      ? `<nav aria-label="Contents"><ul>\n${page.sections
          .map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`)
          .join('\n')}\n</ul></nav>`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>${escapeHtml(page.title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(page.title)}</h1>
${page.subtitle ? `<p class="subtitle">${escapeHtml(page.subtitle)}</p>` : ''}
${contents}
</header>
${sections.join('\n')}
${page.footer ? `<footer>${escapeHtml(page.footer)}</footer>` : ''}
</main>
<script>${SORT_SCRIPT}</script>
</body>
</html>
`;
}
