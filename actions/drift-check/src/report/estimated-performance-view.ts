// Estimated performance (CBPE) for people: the degraded metrics named in the headline and the verdict, and the table
// of reference, estimate and 95% band for the job summary and the HTML page.
import { escapeHtml } from '#shared/reports/html-page.js';
import { formatGrouped, htmlTable } from '#shared/reports/html-table.js';
import { formatNumber, formatPercent, markdownTable } from '#shared/reports/markdown.js';
import type { PerformanceReport } from '../drift-report.js';

/** The metrics that degraded, realised or estimated. */
export function degradedMetricNames(performance: PerformanceReport): string[] {
  const metrics = performance.estimated?.metrics ?? performance.metrics;
  return metrics.filter((m) => m.degraded).map((m) => m.metric);
}

/** " (estimated)" when the current data had no labels, so every sentence about performance says so. */
export function estimatedTag(performance: PerformanceReport): string {
  if (performance.estimated) return ' (estimated)';
  return performance.estimated_unavailable ? ' (not measured: the current data has no labels)' : '';
}

const LEAD =
  'The current data has no labels: its performance is estimated from the calibrated prediction scores (CBPE, calibration ' +
  'fitted on the reference), each estimate with its 95% band.';

export function estimatedPerformanceMarkdown(performance: PerformanceReport): string {
  if (performance.estimated_unavailable) return `\nNo labels in the current data, and no estimate: ${performance.estimated_unavailable}.\n`;
  const estimated = performance.estimated;
  if (!estimated) return '';
  return (
    `\n${LEAD}\n\n` +
    markdownTable(
      ['Metric', 'Reference (realised)', 'Current (estimated)', '95% band', 'Change', 'Degraded'],
      estimated.metrics.map((m) => [
        m.metric,
        formatNumber(m.reference, 4),
        formatNumber(m.value, 4),
        `${formatNumber(m.lower, 4)} – ${formatNumber(m.upper, 4)}`,
        `${m.degradation > 0 ? 'worse' : 'better'} by ${formatPercent(Math.abs(m.degradation))}`,
        m.degraded ? '🔴 yes' : 'no',
      ]),
    )
  );
}

export function estimatedPerformanceHtml(performance: PerformanceReport): string {
  if (performance.estimated_unavailable)
    return `<p>No labels in the current data, and no estimate: ${escapeHtml(performance.estimated_unavailable)}.</p>`;
  const estimated = performance.estimated;
  if (!estimated) return '';
  return (
    `<p>${escapeHtml(LEAD)} Current rows estimated: ${formatGrouped(estimated.rows)}.</p>` +
    htmlTable(
      ['Metric', 'Reference (realised)', 'Current (estimated)', '95% band', 'Degradation', 'Degraded'],
      estimated.metrics.map((m) => [
        m.metric,
        { text: formatGrouped(m.reference, 4), sortValue: m.reference },
        { text: formatGrouped(m.value, 4), sortValue: m.value },
        `${formatGrouped(m.lower, 4)} – ${formatGrouped(m.upper, 4)}`,
        formatPercent(m.degradation),
        { text: m.degraded ? 'degraded' : 'no', className: 'verdict-cell' },
      ]),
      { className: 'estimated-performance', rowClasses: estimated.metrics.map((m) => (m.degraded ? 'drifted' : undefined)) },
    )
  );
}
