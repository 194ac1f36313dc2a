// Drift results as Prometheus samples for the Pushgateway (names documented in the README and Grafana example).
import type { MetricSample } from '#shared/notify/pushgateway.js';
import type { DriftReport } from '../drift-report.js';

export function driftMetrics(report: DriftReport): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const column of report.columns) {
    samples.push({
      name: 'mlops_drift_score',
      help: 'Drift statistic of a column: a distance, or 1 - p-value for tests.',
      labels: { column: column.name, method: column.method },
      value: column.drift_score,
    });
    samples.push({
      name: 'mlops_drift_detected',
      help: '1 when the column drifted in the last run.',
      labels: { column: column.name },
      value: column.drifted ? 1 : 0,
    });
  }
  samples.push({
    name: 'mlops_dataset_drift_share',
    help: 'Share of drifted columns in the last run.',
    value: report.drift_share,
  });
  samples.push({
    name: 'mlops_dataset_drift',
    help: '1 when the share of drifted columns reached the drift-share threshold.',
    value: report.dataset_drift ? 1 : 0,
  });
  return samples;
}
