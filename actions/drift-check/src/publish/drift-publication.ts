// What drift-check hands the shared publishing layer: its verdict, summary, report files and the content of each
// channel (drift issue, metrics, webhook lines, history record).
import type { PublishRequest } from '#shared/publish/index.js';
import type { RunContext } from '#shared/runtime/run-context.js';
import type { DriftReport } from '../drift-report.js';
import type { DriftCheckInputs } from '../inputs.js';
import { driftSummaryMarkdown, driftVerdict } from '../report/drift-summary.js';
import { HISTORY_DATA_FILE, historyRecord, renderDriftDashboard } from './drift-history.js';
import { driftMetrics } from './drift-metrics.js';

export function driftPublication(
  report: DriftReport,
  inputs: DriftCheckInputs & { mode: 'compare' },
  reports: { dir: string; files: string[] },
  context: RunContext,
): PublishRequest {
  const drifted = report.columns.filter((c) => c.drifted);
  const failed = report.dataset_drift || (report.performance?.performance_drift ?? false);
  return {
    action: 'drift-check',
    title: 'Drift check',
    verdict: { passed: !failed, markdown: driftVerdict(report) },
    summary: (options) => driftSummaryMarkdown(report, options),
    reports: { artifactName: 'drift-report', files: reports.files, rootDirectory: reports.dir },
    // One PR comment per workflow and data pair; one drift issue per reference, since a monitor's current data
    // changes from run to run while the issue must follow the same subject until drift clears.
    subject: [inputs.reference.join('\n'), inputs.current.join('\n')],
    alert: {
      active: report.dataset_drift,
      label: 'drift-alert',
      title: `Data drift: ${drifted.length} of ${report.columns.length} columns drifted`,
      subject: [inputs.reference.join('\n')],
      resolvedComment: `Drift cleared${context.runUrl ? ` in ${context.runUrl}` : ''}: ${driftVerdict(report)}`,
    },
    metrics: driftMetrics(report),
    webhookDetails: drifted.slice(0, 10).map((c) => `• ${c.name}: ${c.method} ${c.statistic.toPrecision(4)}`),
    history: { dataFile: HISTORY_DATA_FILE, record: historyRecord(report, context), render: renderDriftDashboard },
    channels: inputs.channels,
  };
}
