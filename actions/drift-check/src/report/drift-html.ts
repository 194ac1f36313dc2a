// The self-contained HTML drift report: verdict, the sortable column table, a distribution chart per column
// (reference and current overlaid) and the performance section. No network: everything is inline.
import { escapeHtml, renderHtmlPage, type HtmlSection } from '#shared/reports/html-page.js';
import { htmlTable } from '#shared/reports/html-table.js';
import { formatNumber, formatPercent } from '#shared/reports/markdown.js';
import { barChartSvg, overlaidHistogramSvg } from '#shared/reports/svg-charts.js';
import type { ColumnDrift, DriftReport } from '../drift-report.js';
import { driftVerdict } from './drift-summary.js';

/** Columns that get a section with a chart, the most drifted first. */
export const MAX_CHARTED_COLUMNS = 200;

export function driftReportHtml(report: DriftReport): string {
  const sections: HtmlSection[] = [
    {
      id: 'verdict',
      title: 'Verdict',
      html: `<p class="verdict ${report.dataset_drift ? 'bad' : 'good'}">${escapeHtml(driftVerdict(report).replace(/\*\*/g, ''))}</p>
<p>Reference: ${report.reference_rows} rows · current: ${report.current_rows} rows</p>`,
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
          { text: formatNumber(c.statistic, 4), sortValue: c.statistic },
          c.p_value === null ? '—' : { text: formatNumber(c.p_value, 4), sortValue: c.p_value },
          c.threshold,
          c.drifted ? 'yes' : 'no',
          formatPercent(c.missing.reference),
          formatPercent(c.missing.current),
        ]),
        { sortable: true },
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
        `<p>${p.performance_drift ? 'Performance drift: a metric degraded' : 'No performance drift'} beyond the tolerance of ${formatPercent(p.tolerance, 0)}.</p>` +
        htmlTable(
          ['Metric', 'Reference', 'Current', 'Degradation', 'Degraded'],
          p.metrics.map((m) => [m.metric, formatNumber(m.reference, 4), formatNumber(m.current, 4), formatPercent(m.degradation), m.degraded ? 'yes' : 'no']),
        ),
    });
  }
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

function columnSection(column: ColumnDrift): HtmlSection {
  const d = column.distribution;
  let chart = '';
  if (d?.kind === 'bins')
    chart = overlaidHistogramSvg({
      title: column.type === 'text' ? `${column.name}: text length` : column.name,
      edges: d.labels as number[],
      series: [
        { name: 'reference', counts: d.reference },
        { name: 'current', counts: d.current },
      ],
      yLabel: 'share of rows',
    });
  else if (d?.kind === 'categories')
    chart = barChartSvg({
      title: column.name,
      labels: d.labels as string[],
      series: [
        { name: 'reference', values: d.reference },
        { name: 'current', values: d.current },
      ],
      yLabel: 'share of rows',
    });
  const facts = [
    `${column.method}: statistic ${formatNumber(column.statistic, 4)}${column.p_value === null ? '' : `, p-value ${formatNumber(column.p_value, 4)}`}, threshold ${column.threshold} — ${column.drifted ? 'drift' : 'no drift'}`,
  ];
  if (column.approximation) facts.push(`approximation: ${column.approximation}`);
  if (column.new_categories?.length) facts.push(`new categories: ${column.new_categories.join(', ')}`);
  if (column.vanished_categories?.length) facts.push(`vanished categories: ${column.vanished_categories.join(', ')}`);
  if (column.non_finite) facts.push(`infinite values left out: ${column.non_finite.reference} reference, ${column.non_finite.current} current`);
  for (const descriptor of column.descriptors ?? [])
    facts.push(`${descriptor.descriptor}: ${descriptor.method} ${formatNumber(descriptor.statistic, 4)}${descriptor.p_value === null ? '' : ` (p ${formatNumber(descriptor.p_value, 4)})`} — ${descriptor.drifted ? 'drift' : 'no drift'}`);
  return {
    id: `column-${anchor(column.name)}`,
    title: `${column.name} (${column.type})`,
    html: `<ul>${facts.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>${chart}`,
  };
}
