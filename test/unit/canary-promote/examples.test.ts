// The examples users copy parse as the action reads them.
import { readFileSync } from 'node:fs';
import { parseMetricsConfig } from '../../../actions/canary-promote/src/config/metrics-config.js';
import { parseTrafficManifest } from '../../../actions/canary-promote/src/gitops/traffic-manifest.js';

const example = (name: string) => readFileSync(new URL(`../../../examples/canary-promote/${name}`, import.meta.url), 'utf8');

test('the model-server metrics config', () => {
  const config = parseMetricsConfig(example('metrics.yml'), 'metrics.yml');
  expect(config.metrics.map((m) => `${m.name}:${m.source}:${m.kind}`)).toEqual([
    'latency_p50:prometheus:continuous',
    'latency_p95:prometheus:continuous',
    'error_rate:prometheus:rate',
    'accuracy:mlflow:rate',
  ]);
  expect(config.groupWeights).toEqual({ latency: 30, errors: 40, quality: 30 });
});

test.each([
  ['manifests/kserve-inferenceservice.yaml', 'kserve'],
  ['manifests/istio-virtualservice.yaml', 'istio'],
])('%s carries the traffic split', (file, kind) => {
  const manifest = parseTrafficManifest(file, example(file));
  expect(manifest).toMatchObject({ kind, currentWeight: 10 });
  expect(manifest.withWeight(25)).toContain('25');
});
