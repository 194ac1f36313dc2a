// The Pushgateway samples drift-check pushes, and the Grafana example that charts them: every metric and label
// the dashboard queries must be one the action actually pushes.
import { readFileSync } from 'node:fs';
import { driftMetrics } from '../../../actions/drift-check/src/publish/drift-metrics.js';
import type { DriftReport } from '../../../actions/drift-check/src/drift-report.js';

const report: DriftReport = {
  schema_version: '1.0',
  dataset_drift: true,
  drift_share: 0.5,
  drift_share_threshold: 0.5,
  reference_rows: 10,
  current_rows: 10,
  columns: [
    {
      name: 'income',
      type: 'numerical',
      method: 'wasserstein',
      statistic: 0.9,
      p_value: null,
      threshold: 0.1,
      drifted: true,
      drift_score: 0.9,
      missing: { reference: 0, current: 0 },
    },
    {
      name: 'region',
      type: 'categorical',
      method: 'chisquare',
      statistic: 1.2,
      p_value: 0.4,
      threshold: 0.05,
      drifted: false,
      drift_score: 0.6,
      missing: { reference: 0, current: 0 },
    },
  ],
  performance: null,
  skipped_columns: [],
  generated_at: '2026-11-01T00:00:00.000Z',
};

test('each column gets a drift score labelled with its method and a detected flag', () => {
  const samples = driftMetrics(report);
  expect(samples).toContainEqual(
    expect.objectContaining({ name: 'mlops_drift_score', labels: { column: 'income', method: 'wasserstein' }, value: 0.9 }),
  );
  expect(samples).toContainEqual(
    expect.objectContaining({ name: 'mlops_drift_score', labels: { column: 'region', method: 'chisquare' }, value: 0.6 }),
  );
  expect(samples).toContainEqual(expect.objectContaining({ name: 'mlops_drift_detected', labels: { column: 'region' }, value: 0 }));
  expect(samples).toContainEqual(expect.objectContaining({ name: 'mlops_dataset_drift_share', value: 0.5 }));
});

test('the Grafana example queries only metrics and labels that drift-check pushes', () => {
  const dashboard = readFileSync(new URL('../../../examples/drift-check/grafana-dashboard.json', import.meta.url), 'utf8');
  const pushed = new Set(driftMetrics(report).map((s) => s.name));
  const queried = new Set(dashboard.match(/(?<!job=\\")mlops_[a-z_]+/g));
  expect([...queried].filter((name) => !pushed.has(name))).toEqual([]);
  const labels = new Set(['column', 'method', 'job', 'instance', 'workflow']);
  const legends = [...dashboard.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]);
  expect(legends.filter((l) => !labels.has(l))).toEqual([]);
});
