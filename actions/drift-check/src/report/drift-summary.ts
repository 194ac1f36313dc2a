// The drift report in words for people: the verdict first, then the columns by drift score, a chart of the top
// columns, performance and skipped columns. Used for the job summary and (shortened) the PR comment.
import { details, formatNumber, formatPercent, heading, markdownTable } from '#shared/reports/markdown.js';
import { mermaidBarChart } from '#shared/reports/mermaid.js';
import type { DriftReport } from '../drift-report.js';
import { chunkSummaryMarkdown } from './chunk-report.js';
import { degradedMetricNames, estimatedPerformanceMarkdown, estimatedTag } from './estimated-performance-view.js';

const CHART_COLUMNS = 10;

export function driftVerdict(report: DriftReport): string {
  const drifted = report.columns.filter((c) => c.drifted).length;
  const total = report.columns.length;
  const verdict = report.dataset_drift ? '**dataset drift detected**' : 'no dataset drift';
  let text =
    `Drift in ${drifted} of ${total} columns (${formatPercent(report.drift_share, 0)}); ` +
    `dataset drift threshold ${formatPercent(report.drift_share_threshold, 0)}: ${verdict}`;
  if (report.performance)
    text += report.performance.performance_drift
      ? `; **performance drift${estimatedTag(report.performance)}** (${degradedMetricNames(report.performance).join(', ')})`
      : `; no performance drift${estimatedTag(report.performance)}`;
  return text + '.';
}

/** The headline: data drift and performance drift named apart, each with its own light (🟢 while 🔴 misleads). */
export function driftHeadline(report: DriftReport): string {
  const data = report.dataset_drift ? '🔴 **Data drift**' : '🟢 No data drift';
  if (!report.performance) return data;
  const degraded = degradedMetricNames(report.performance);
  const estimated = estimatedTag(report.performance);
  const performance = report.performance.performance_drift
    ? `🔴 **Performance drift${estimated}** (${degraded.join(', ')})`
    : `🟢 No performance drift${estimated}`;
  return `${data} · ${performance}`;
}

/**
 * A column's drift relative to its own threshold, so distances and tests share one axis with the line at 1:
 * a distance divided by its threshold, a test's log p divided by log of its p threshold (1 when p equals the
 * threshold, 2 when p is its square). Capped at 10 for the chart; the table has the exact values.
 */
export function relativeDrift(column: { statistic: number; p_value: number | null; threshold: number }): number {
  const ratio =
    column.p_value === null
      ? column.statistic / column.threshold
      : column.p_value <= 0
        ? Infinity
        : Math.log(column.p_value) / Math.log(column.threshold);
  return Math.min(Number.isFinite(ratio) ? ratio : 10, 10);
}

export interface SummaryOptions {
  title?: string;
  /** Link to the full report (artifact or run page), shown under the table. */
  reportLink?: string;
  /** Leave out the chart and the skipped-columns section (PR comments). */
  compact?: boolean;
}

export function driftSummaryMarkdown(report: DriftReport, options: SummaryOptions = {}): string {
  const parts: string[] = [];
  parts.push(heading(options.title ?? 'Drift check', 2));
  parts.push(`${driftHeadline(report)}\n`);
  parts.push(`${driftVerdict(report)}\n`);
  parts.push(
    `Reference: ${report.reference_rows} rows · current: ${report.current_rows} rows · ${report.columns.length} columns compared\n`,
  );
  parts.push(
    markdownTable(
      ['Column', 'Type', 'Method', 'Statistic', 'p-value', 'Threshold', 'Drift', 'Missing (ref → cur)'],
      report.columns.map((c) => [
        c.name,
        c.type,
        c.method + (c.approximation ? ' ≈' : ''),
        formatNumber(c.statistic, 4),
        c.p_value === null ? '—' : formatNumber(c.p_value, 4),
        formatNumber(c.threshold, 3),
        c.drifted ? '🔴 yes' : 'no',
        `${formatPercent(c.missing.reference)} → ${formatPercent(c.missing.current)}`,
      ]),
      ['left', 'left', 'left', 'right', 'right', 'right', 'left', 'right'],
    ),
  );
  if (report.columns.some((c) => c.approximation))
    parts.push(
      `\n≈ computed on a sketch or sample because the column exceeded the memory budget; see the JSON report for the stated error.\n`,
    );
  if (!options.compact && report.columns.length > 0) {
    const top = report.columns.slice(0, CHART_COLUMNS);
    parts.push(
      '\n' +
        mermaidBarChart({
          title: 'Drift relative to each column threshold (line at 1 = threshold)',
          labels: top.map((c) => c.name),
          values: top.map(relativeDrift),
          yLabel: 'distance / threshold, or log p / log threshold',
          referenceLine: 1,
        }),
    );
  }
  if (report.performance) {
    const p = report.performance;
    parts.push(heading(`Performance (${p.task}; tolerance ${formatPercent(p.tolerance, 0)})`, 3));
    if (p.metrics.length)
      parts.push(
        markdownTable(
          ['Metric', 'Reference', 'Current', 'Change', 'Degraded'],
          p.metrics.map((m) => [
            m.metric,
            formatNumber(m.reference, 4),
            formatNumber(m.current, 4),
            `${m.degradation > 0 ? 'worse' : 'better'} by ${formatPercent(Math.abs(m.degradation))}`,
            m.degraded ? '🔴 yes' : 'no',
          ]),
        ),
      );
    parts.push(estimatedPerformanceMarkdown(p));
  }
  if (!options.compact && report.chunks) parts.push(chunkSummaryMarkdown(report));
  if (!options.compact && report.skipped_columns.length > 0)
    parts.push(
      details(
        `${report.skipped_columns.length} column(s) not compared`,
        report.skipped_columns.map((s) => `- \`${s.name}\`: ${s.reason}`).join('\n'),
      ),
    );
  if (options.reportLink) parts.push(`\nFull report: ${options.reportLink}\n`);
  return parts.join('\n');
}
