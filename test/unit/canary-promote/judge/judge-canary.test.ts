// The judgement of all metrics: rate metrics the Bayesian way, and sequential looks that hold back a verdict the
// always-valid test does not support yet.
import { parseMetricsConfig } from '../../../../actions/canary-promote/src/config/metrics-config.js';
import { judgeCanary } from '../../../../actions/canary-promote/src/judge/judge-canary.js';
import { classifyRate } from '../../../../actions/canary-promote/src/judge/rate-classifier.js';
import type { LoadedMetric } from '../../../../actions/canary-promote/src/metrics/load-metrics.js';
import { seededRandom } from '#shared/stats/distances/seeded-random.js';

const rate = { critical: false, mustHaveData: false, probability: 0.95, expectedLoss: 0.001 };

describe('rate metrics', () => {
  test('more errors with high probability and a real expected loss: High', () => {
    const r = classifyRate({ successes: 100, trials: 10_000 }, { successes: 160, trials: 10_000 }, { ...rate, direction: 'increase' });
    expect(r.classification).toBe('High');
    expect(r.comparison!.probabilityBetter).toBeLessThan(0.01);
  });
  test('lower accuracy: Low; the same accuracy: Pass', () => {
    expect(
      classifyRate({ successes: 9000, trials: 10_000 }, { successes: 8800, trials: 10_000 }, { ...rate, direction: 'decrease' })
        .classification,
    ).toBe('Low');
    expect(
      classifyRate({ successes: 9000, trials: 10_000 }, { successes: 9010, trials: 10_000 }, { ...rate, direction: 'decrease' })
        .classification,
    ).toBe('Pass');
  });
  test('a worse rate within the loss tolerance passes', () => {
    expect(
      classifyRate(
        { successes: 100, trials: 10_000 },
        { successes: 160, trials: 10_000 },
        { ...rate, direction: 'increase', expectedLoss: 0.01 },
      ).classification,
    ).toBe('Pass');
  });
  test('no trials: Nodata, critical when the metric is', () => {
    expect(
      classifyRate({ successes: 0, trials: 0 }, { successes: 1, trials: 10 }, { ...rate, direction: 'increase', critical: true }),
    ).toMatchObject({ classification: 'Nodata', critical: true });
    expect(
      classifyRate({ successes: 0, trials: 0 }, { successes: 1, trials: 10 }, { ...rate, direction: 'increase', mustHaveData: true })
        .classification,
    ).toBe('NodataFailure');
  });
});

describe('sequential looks', () => {
  const random = seededRandom(5);
  const normal = () => Math.sqrt(-2 * Math.log(random() + 1e-300)) * Math.cos(2 * Math.PI * random());
  const samples = (n: number, mean: number) => Float64Array.from({ length: n }, () => mean + normal());
  const loaded = (b: Float64Array, c: Float64Array, config: ReturnType<typeof parseMetricsConfig>): LoadedMetric[] => [
    { config: config.metrics[0], samples: { kind: 'continuous', baseline: b, canary: c, sampled: false }, nan: { baseline: 0, canary: 0 } },
  ];
  const yaml = 'metrics:\n  - name: latency\n    column: latency_ms\n    direction: increase\n';

  test('a small shift the fixed-horizon test calls High waits for more looks under the always-valid test', () => {
    const fixed = parseMetricsConfig(yaml, 'm.yaml');
    const sequential = parseMetricsConfig(yaml + 'sequential: true\n', 'm.yaml');
    // the canary is the baseline shifted by 0.2 standard deviations: z ~ 2.8 at 400 a side
    const b = samples(400, 10);
    const c = b.map((v) => v + 0.2).reverse();
    const once = judgeCanary(loaded(Float64Array.from(b), Float64Array.from(c), fixed), fixed, 0.95);
    expect(once.metrics[0].classification).toBe('High');
    const looked = judgeCanary(loaded(Float64Array.from(b), Float64Array.from(c), sequential), sequential, 0.95);
    expect(looked.metrics[0].classification).toBe('Inconclusive');
    expect(looked.metrics[0].sequentialPValue).toBeGreaterThan(0.05);
  });

  test('a large shift is High at any look', () => {
    const sequential = parseMetricsConfig(yaml + 'sequential: true\n', 'm.yaml');
    const r = judgeCanary(loaded(samples(2000, 10), samples(2000, 11), sequential), sequential, 0.95);
    expect(r.metrics[0].classification).toBe('High');
    expect(r.metrics[0].sequentialPValue).toBeLessThan(1e-6);
  });
});
