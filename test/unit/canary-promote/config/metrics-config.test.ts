// The metrics config: defaults, groups and weights, and mistakes reported at file:line.
import { parseMetricsConfig } from '../../../../actions/canary-promote/src/config/metrics-config.js';
import { parseDuration } from '../../../../actions/canary-promote/src/config/durations.js';

describe('metrics config', () => {
  test('sources are inferred, Kayenta defaults applied, weights become group weights', () => {
    const c = parseMetricsConfig(
      `metrics:
  - name: latency_p95
    query: 'histogram_quantile(0.95, sum(rate(request_seconds_bucket{version="$VERSION"}[5m])) by (le))'
    direction: increase
    critical: true
    weight: 60
  - name: accuracy
    column: correct
    kind: rate
    direction: decrease
  - name: auc
    mlflow-metric: eval_auc
    group: quality
group-weights: {quality: 10}
sequential: true
`,
      'm.yaml',
    );
    expect(c.metrics.map((m) => [m.name, m.source, m.kind, m.groups])).toEqual([
      ['latency_p95', 'prometheus', 'continuous', ['latency_p95']],
      ['accuracy', 'file', 'rate', ['accuracy']],
      ['auc', 'mlflow', 'continuous', ['quality']],
    ]);
    expect(c.groupWeights).toEqual({ quality: 10, latency_p95: 60 });
    expect(c.tolerance).toBe(0.25);
    expect(c.sequential).toEqual({ tuning: 5000 });
    expect(c.metrics[1]).toMatchObject({ probability: 0.95, expectedLoss: 0.001, minSamples: 30 });
  });

  test.each([
    ['metrics: []\n', /^m\.yaml:1: 'metrics' must be a non-empty list of metrics$/],
    ['metrics:\n  - name: a\n    colum: x\n', /^m\.yaml:3: unknown metric key 'colum'/],
    ['metrics:\n  - name: a\n    column: x\n    kind: rate\n', /^m\.yaml:2: metric 'a': a rate metric needs 'direction: increase'/],
    ['metrics:\n  - name: a\n    column: x\n    weight: 70\n  - name: b\n    column: y\n    weight: 50\n', /group weights add up to 120/],
    ['metrics:\n  - name: a\n    column: [x\n', /^m\.yaml:4: is not valid YAML/],
  ])('refuses %j', (text, message) => {
    expect(() => parseMetricsConfig(text, 'm.yaml')).toThrow(message);
  });
});

describe('durations as people type them', () => {
  test.each([
    ['30m', 1800],
    ['2h', 7200],
    ['1h30m', 5400],
    ['90', 90],
  ])('%s is %d s', (text, seconds) => expect(parseDuration('window', text)).toBe(seconds));
  test('anything else is an input error', () =>
    expect(() => parseDuration('max-wait', '2 hours')).toThrow(
      "Invalid value for input 'max-wait': '2 hours'. Expected a duration such as 30m, 2h, 1h30m or 90s.",
    ));
});
