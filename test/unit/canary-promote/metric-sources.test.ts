// Metrics from MLflow runs (metric history as samples, latest values as rate counts) and from JSON files, and the
// memory budget: a column larger than its share keeps a uniform sample.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMetricsConfig } from '../../../actions/canary-promote/src/config/metrics-config.js';
import { loadMetrics } from '../../../actions/canary-promote/src/metrics/load-metrics.js';
import { SampleBuffer } from '../../../actions/canary-promote/src/metrics/metric-samples.js';
import { MlflowClient } from '../../../actions/canary-promote/src/registry/mlflow-client.js';
import { startFakeMlflow, type FakeMlflow } from './support/mlflow-server.js';

const dir = mkdtempSync(join(tmpdir(), 'canary-sources-'));
let mlflow: FakeMlflow;
beforeAll(async () => {
  mlflow = await startFakeMlflow();
  mlflow.runs.set('run-base', {
    metrics: {
      batch_accuracy: Array.from({ length: 30_000 }, (_, i) => 0.9 + (i % 7) / 1000),
      labelled_correct: [880, 900],
      labelled_total: [1000, 1000],
    },
  });
  mlflow.runs.set('run-canary', {
    metrics: {
      batch_accuracy: Array.from({ length: 40 }, (_, i) => 0.91 + (i % 5) / 1000),
      labelled_correct: [905],
      labelled_total: [1000],
    },
  });
});
afterAll(() => mlflow.close());

const config = parseMetricsConfig(
  `metrics:
  - name: accuracy_by_batch
    mlflow-metric: batch_accuracy
  - name: accuracy
    kind: rate
    source: mlflow
    successes: labelled_correct
    trials: labelled_total
    direction: decrease
`,
  'm.yaml',
);

test('MLflow: a metric history is the samples (paged past 25,000 steps), latest values are the rate counts', async () => {
  const client = new MlflowClient(new URL(mlflow.url));
  const loaded = await loadMetrics(config, {
    mlflow: { client, runs: { baseline: 'run-base', canary: 'run-canary' } },
    memoryBudgetBytes: 64 << 20,
  });
  expect(loaded[0].samples.kind === 'continuous' && [loaded[0].samples.baseline.length, loaded[0].samples.canary.length]).toEqual([
    30_000, 40,
  ]);
  expect(loaded[1].samples).toEqual({ kind: 'rate', baseline: { successes: 900, trials: 1000 }, canary: { successes: 905, trials: 1000 } });
  expect(
    mlflow.requests.filter((r) => r.path === 'metrics/get-history' && (r.body as { run_id: string }).run_id === 'run-base'),
  ).toHaveLength(2);
});

test('MLflow: an unknown run is named', async () => {
  const client = new MlflowClient(new URL(mlflow.url));
  await expect(
    loadMetrics(config, { mlflow: { client, runs: { baseline: 'nope', canary: 'run-canary' } }, memoryBudgetBytes: 64 << 20 }),
  ).rejects.toThrow(
    "MLflow could not read the history of metric 'batch_accuracy' of run 'nope': RESOURCE_DOES_NOT_EXIST: Run 'nope' not found",
  );
});

test('JSON files: an array of rows or an object of arrays', async () => {
  writeFileSync(join(dir, 'b.json'), JSON.stringify([{ latency_ms: 10 }, { latency_ms: 12 }, { latency_ms: null }]));
  writeFileSync(join(dir, 'c.json'), JSON.stringify({ latency_ms: [11, 13, 'NaN'] }));
  const c = parseMetricsConfig('metrics:\n  - name: latency\n    column: latency_ms\n    nan-strategy: replace\n', 'm.yaml');
  const [latency] = await loadMetrics(c, {
    files: { baseline: join(dir, 'b.json'), canary: join(dir, 'c.json') },
    memoryBudgetBytes: 64 << 20,
  });
  expect(latency.samples.kind === 'continuous' && [...latency.samples.baseline]).toEqual([10, 12, 0]);
  expect(latency.samples.kind === 'continuous' && [...latency.samples.canary]).toEqual([11, 13, 0]);
  expect(latency.nan).toEqual({ baseline: 1, canary: 1 });
});

test('a bad value in a JSON file names the file and key', async () => {
  writeFileSync(join(dir, 'bad.json'), JSON.stringify([{ latency_ms: 'fast' }]));
  const c = parseMetricsConfig('metrics:\n  - name: latency\n    column: latency_ms\n', 'm.yaml');
  await expect(
    loadMetrics(c, { files: { baseline: join(dir, 'bad.json'), canary: join(dir, 'bad.json') }, memoryBudgetBytes: 64 << 20 }),
  ).rejects.toThrow(`${join(dir, 'bad.json')} (column 'latency_ms'): row 1: "fast" is not a number`);
});

test('past its capacity a column keeps a uniform sample of everything it saw', () => {
  const buffer = new SampleBuffer(10_000);
  for (let i = 0; i < 1_000_000; i++) buffer.push(i);
  const kept = buffer.toArray();
  expect(kept.length).toBe(10_000);
  expect(buffer.sampled).toBe(true);
  const mean = kept.reduce((a, b) => a + b, 0) / kept.length;
  expect(Math.abs(mean - 500_000)).toBeLessThan(15_000);
});

test('a file column beyond memory-budget-mb is judged on a uniform sample, and the verdict says so', async () => {
  const rows = ['latency_ms', ...Array.from({ length: 300_000 }, (_, i) => String(100 + (i % 97)))].join('\n');
  writeFileSync(join(dir, 'big.csv'), rows + '\n');
  const c = parseMetricsConfig('metrics:\n  - name: latency\n    column: latency_ms\n', 'm.yaml');
  const [latency] = await loadMetrics(c, {
    files: { baseline: join(dir, 'big.csv'), canary: join(dir, 'big.csv') },
    memoryBudgetBytes: 4 << 20,
  });
  expect(latency.samples).toMatchObject({ kind: 'continuous', sampled: true });
  expect(latency.samples.kind === 'continuous' && latency.samples.baseline.length).toBeLessThan(300_000);
});
