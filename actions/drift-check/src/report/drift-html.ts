// The self-contained HTML drift report: verdict, the sortable column table, a distribution chart per column
// (reference and current overlaid) and the performance section. No network: everything is inline.
import { escapeHtml, renderHtmlPage, type HtmlSection } from '#shared/reports/html-page.js';
import { formatGrouped, htmlTable, type HtmlCell } from '#shared/reports/html-table.js';
import { formatPercent } from '#shared/reports/markdown.js';
import { barChartSvg, overlaidHistogramSvg } from '#shared/reports/svg-charts.js';
import type { ColumnDrift, DriftReport } from '../drift-report.js';
import { METHODS } from '../methods/method-catalog.js';
import type { CategoricalStats, DatetimeStats, NumericalStats } from './column-stats.js';
import { chunkChartsHtml } from './chunk-report.js';
import { driftHeadline, driftVerdict } from './drift-summary.js';
import { estimatedPerformanceHtml, estimatedTag } from './estimated-performance-view.js';
import { binsAxisLabel, binsCaption } from './histogram-scale-text.js';

/** Columns that get a section with a chart, the most drifted first. */
export const MAX_CHARTED_COLUMNS = 200;

export function driftReportHtml(report: DriftReport): string {
  const sections: HtmlSection[] = [
    {
      id: 'verdict',
      title: 'Verdict',
      html: verdictHtml(report),
    },
    {
      id: 'columns',
      title: 'Columns',
      html: htmlTable(
        ['Column', 'Type', 'Method', 'Statistic', 'p-value', 'Threshold', 'Drift', 'Missing ref', 'Missing cur'],
        report.columns.map((c, i) => [
          i < MAX_CHARTED_COLUMNS ? { text: c.name, href: `#column-${anchor(c.name)}` } : c.name,
          c.type,
          c.method + (c.approximation ? ' (approx.)' : ''),
          { text: formatGrouped(c.statistic, 4), sortValue: c.statistic },
          c.p_value === null ? '—' : { text: formatGrouped(c.p_value, 4), sortValue: c.p_value },
          { text: thresholdRule(c), sortValue: c.threshold, title: 'drift when the column crosses this' },
          { text: c.drifted ? 'drift' : 'no drift', className: 'verdict-cell' },
          formatPercent(c.missing.reference),
          formatPercent(c.missing.current),
        ]),
        { sortable: true, rowClasses: report.columns.map((c) => (c.drifted ? 'drifted' : undefined)) },
      ),
    },
  ];
  // A chart is ~8 KB: 10,000 columns made an 85 MB page. The most drifted columns (the table's order) get one; every
  // column is in the table and in drift-report.json.
  const charted = report.columns.slice(0, MAX_CHARTED_COLUMNS);
  for (const column of charted) sections.push(columnSection(column));
  if (report.columns.length > charted.length)
    sections.push({
      id: 'more-columns',
      title: 'Other columns',
      html: `<p>Charts are shown for the ${charted.length} most drifted of ${report.columns.length} columns; the table above and drift-report.json have every column.</p>`,
    });
  if (report.performance) {
    const p = report.performance;
    sections.push({
      id: 'performance',
      title: `Performance (${p.task})`,
      html:
        `<p class="${p.performance_drift ? 'bad' : 'good'}">${p.performance_drift ? `Performance drift${estimatedTag(p)}: a metric degraded` : `No performance drift${estimatedTag(p)}`} beyond the tolerance of ${formatPercent(p.tolerance, 0)}.</p>` +
        estimatedPerformanceHtml(p) +
        (p.metrics.length === 0
          ? ''
          : htmlTable(
              ['Metric', 'Reference', 'Current', 'Degradation', 'Degraded'],
              p.metrics.map((m) => [
                m.metric,
                formatGrouped(m.reference, 4),
                formatGrouped(m.current, 4),
                formatPercent(m.degradation),
                { text: m.degraded ? 'degraded' : 'no', className: 'verdict-cell' },
              ]),
              { rowClasses: p.metrics.map((m) => (m.degraded ? 'drifted' : undefined)) },
            )),
    });
  }
  if (report.chunks) sections.push({ id: 'chunks', title: 'Drift per chunk', html: chunkChartsHtml(report) });
  if (report.skipped_columns.length)
    sections.push({
      id: 'skipped',
      title: 'Columns not compared',
      html: `<ul>${report.skipped_columns.map((s) => `<li><code>${escapeHtml(s.name)}</code>: ${escapeHtml(s.reason)}</li>`).join('')}</ul>`,
    });
  return renderHtmlPage({
    title: 'Drift report',
    subtitle: driftVerdict(report).replace(/\*\*/g, ''),
    sections,
    footer: `Generated ${report.generated_at} by mlops-actions drift-check (report schema ${report.schema_version})`,
  });
}

function anchor(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** The headline (data and performance drift apart), the verdict, and the drift share as a bar against its threshold. */
function verdictHtml(report: DriftReport): string {
  const bad = report.dataset_drift || report.performance?.performance_drift === true;
  const drifted = report.columns.filter((c) => c.drifted).length;
  const percent = (x: number) => Math.min(100, Math.max(0, x * 100)).toFixed(2);
  const share = report.drift_share;
  const threshold = report.drift_share_threshold;
  return (
    `<p class="verdict ${bad ? 'bad' : 'good'}">${escapeHtml(driftHeadline(report).replace(/\*\*/g, ''))}<br>` +
    `${escapeHtml(driftVerdict(report).replace(/\*\*/g, ''))}</p>\n` +
    `<p>Drifted columns: ${formatGrouped(drifted)} of ${formatGrouped(report.columns.length)} (${formatPercent(share, 1)}); ` +
    `dataset drift from ${formatPercent(threshold, 0)}.</p>\n` +
    `<div class="meter ${report.dataset_drift ? 'bad' : 'good'}" role="meter" aria-label="Share of drifted columns against the dataset drift threshold" ` +
    `aria-valuemin="0" aria-valuemax="1" aria-valuenow="${share}" data-share="${share}" data-threshold="${threshold}">` +
    `<div class="fill" style="width: ${percent(share)}%"></div>` +
    `<div class="mark" style="left: ${percent(threshold)}%" title="threshold ${escapeHtml(formatPercent(threshold, 0))}"></div></div>\n` +
    `<p>Reference: ${formatGrouped(report.reference_rows)} rows · current: ${formatGrouped(report.current_rows)} rows</p>`
  );
}

/** The column's threshold as the rule it applies: "p < 0.05" for tests, "≥ 0.1" for distances. */
function thresholdRule(column: { method: ColumnDrift['method']; threshold: number }): string {
  return METHODS[column.method].kind === 'test' ? `p < ${column.threshold}` : `≥ ${column.threshold}`;
}

/** Categories listed in a section at most; the JSON report has every one. */
const LISTED_CATEGORIES = 100;

function categoryList(kind: 'new' | 'vanished', categories: string[] | undefined): string {
  if (!categories?.length) return '';
  const shown = categories.slice(0, LISTED_CATEGORIES);
  const more = categories.length - shown.length;
  const lead =
    kind === 'new'
      ? `New categories (in the current data only): ${formatGrouped(categories.length)}`
      : `Vanished categories (in the reference only): ${formatGrouped(categories.length)}`;
  return (
    `<p class="categories-${kind}">${escapeHtml(lead)}</p><ul class="category-list" data-kind="${kind}">` +
    shown.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join('') +
    (more > 0 ? `<li>and ${formatGrouped(more)} more (all in drift-report.json)</li>` : '') +
    '</ul>'
  );
}

/** Reference and current side by side: describe() for numbers, counts and top categories for categories. */
function statsTable(
  reference: NumericalStats | CategoricalStats | DatetimeStats | undefined,
  current: NumericalStats | CategoricalStats | DatetimeStats | undefined,
): string {
  if (!reference || !current) return '';
  // Datetime columns' instants are ISO strings, shown as written.
  const value = (x: number | string | null | undefined): HtmlCell =>
    x === null || x === undefined ? '—' : typeof x === 'string' ? x : { text: formatGrouped(x, 4), sortValue: x };
  const rows: HtmlCell[][] = [];
  if ('distinct' in reference && 'distinct' in current) {
    rows.push(['count', value(reference.count), value(current.count)]);
    rows.push(['missing', value(reference.missing), value(current.missing)]);
    rows.push(['distinct', value(reference.distinct), value(current.distinct)]);
    const top = Math.max(reference.top.length, current.top.length);
    const entry = (t: { value: string; share: number } | undefined) => (t ? `${t.value} (${formatPercent(t.share)})` : '—');
    for (let i = 0; i < top; i++) rows.push([`top ${i + 1}`, entry(reference.top[i]), entry(current.top[i])]);
  } else if (!('distinct' in reference) && !('distinct' in current)) {
    for (const key of ['count', 'missing', 'mean', 'std', 'min', 'p25', 'median', 'p75', 'max'] as const)
      rows.push([key, value(reference[key]), value(current[key])]);
  }
  return htmlTable(['', 'Reference', 'Current'], rows, {
    sortable: false,
    className: 'side-by-side',
    caption: 'Reference and current side by side',
  });
}

/** A datetime column's bin edges (seconds since 1970) as UTC dates, with the time of day when the bins span under a week. */
function instantLabel(edges: number[]): (seconds: number) => string {
  const finite = edges.filter(Number.isFinite);
  const span = Math.max(...finite) - Math.min(...finite);
  return (seconds) => {
    const iso = new Date(Math.round(seconds * 1000)).toISOString();
    return span >= 7 * 86_400 ? iso.slice(0, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  };
}

function columnSection(column: ColumnDrift): HtmlSection {
  const d = column.distribution;
  let chart = '';
  let note = '';
  if (d?.kind === 'bins') {
    chart = overlaidHistogramSvg({
      title: column.type === 'text' ? `${column.name}: text length` : column.name,
      edges: d.labels as number[],
      series: [
        { name: 'reference', counts: d.reference },
        { name: 'current', counts: d.current },
      ],
      yLabel: 'share of rows',
      xLabel: binsAxisLabel(d),
      edgeLabel: column.type === 'datetime' ? instantLabel(d.labels as number[]) : undefined,
    });
    note = binsCaption(d);
  } else if (d?.kind === 'categories') {
    const shown = d.other_categories ? d.labels.length - 1 : d.labels.length;
    chart = barChartSvg({
      title: d.other_categories
        ? `${column.name}: top ${shown} of ${(shown + d.other_categories).toLocaleString('en-US')} categories, the rest as "other"`
        : column.name,
      labels: d.labels as string[],
      series: [
        { name: 'reference', values: d.reference },
        { name: 'current', values: d.current },
      ],
      yLabel: 'share of rows',
    });
    if (d.other_categories)
      note = `The ${shown} largest categories (on either side) are drawn; the last bar, "other", adds up the ${formatGrouped(d.other_categories)} others.`;
  }
  const facts = [
    `${column.method}: statistic ${formatGrouped(column.statistic, 4)}${column.p_value === null ? '' : `, p-value ${formatGrouped(column.p_value, 4)}`}, ` +
      `threshold ${thresholdRule(column)} — ${column.drifted ? 'drift' : 'no drift'}`,
  ];
  if (column.approximation) facts.push(`approximation: ${column.approximation}`);
  if (column.non_finite)
    facts.push(
      `infinite values left out: ${formatGrouped(column.non_finite.reference)} reference, ${formatGrouped(column.non_finite.current)} current`,
    );
  for (const descriptor of column.descriptors ?? [])
    facts.push(
      `${descriptor.descriptor}: ${descriptor.method} ${formatGrouped(descriptor.statistic, 4)}${descriptor.p_value === null ? '' : ` (p ${formatGrouped(descriptor.p_value, 4)})`}, ` +
        `threshold ${thresholdRule(descriptor)} — ${descriptor.drifted ? 'drift' : 'no drift'}`,
    );
  return {
    id: `column-${anchor(column.name)}`,
    title: `${column.name} (${column.type})${column.drifted ? ' — drift' : ''}`,
    html:
      `<ul class="${column.drifted ? 'bad' : 'good'}">${facts.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>` +
      statsTable(column.reference_stats, column.current_stats) +
      categoryList('new', column.new_categories) +
      categoryList('vanished', column.vanished_categories) +
      (chart ? `<figure>${chart}${note ? `<figcaption>${escapeHtml(note)}</figcaption>` : ''}</figure>` : ''),
  };
}
