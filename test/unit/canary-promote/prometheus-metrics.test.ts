// Metrics from a real Prometheus server (Debian's package) loaded with recorded series: range queries per version,
// instant rate queries, and the failures users meet (no series, a bad query, an unreachable server).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canaryPromote } from '../../../actions/canary-promote/src/main.js';
import { runAction } from '#shared/runtime/run-action.js';
import { fakeRuntime } from '../../support/fake-runtime.js';
import { havePrometheus, recordedCanarySeries, startPrometheusWith, type RecordedPrometheus } from './support/prometheus.js';

const dir = mkdtempSync(join(tmpdir(), 'canary-prom-'));
const config = (extra = '') => {
  const path = join(dir, `metrics-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    path,
    `metrics:
  - name: latency
    query: 'request_latency_ms{version="$VERSION"}'
    direction: increase
    critical: true
    min-samples: 20
  - name: errors
    kind: rate
    source: prometheus
    successes: 'sum(increase(request_errors_total{version="$VERSION"}[$WINDOW]))'
    trials: 'sum(increase(requests_total{version="$VERSION"}[$WINDOW]))'
    direction: increase
${extra}`,
  );
  return path;
};

const describeWithPrometheus = havePrometheus() ? describe : describe.skip;
if (!havePrometheus())
  console.warn('Skipping the Prometheus tests: /usr/bin/prometheus or /usr/bin/promtool is not installed (apt-get install prometheus).');

describeWithPrometheus('metrics from Prometheus range queries', () => {
  let prometheus: RecordedPrometheus;
  let slow: RecordedPrometheus;
  const now = Math.floor(Date.now() / 1000);
  beforeAll(async () => {
    [prometheus, slow] = await Promise.all([
      startPrometheusWith(recordedCanarySeries(now, { canaryFactor: 1, canaryErrorRate: 0.01 })),
      startPrometheusWith(recordedCanarySeries(now, { canaryFactor: 1.4, canaryErrorRate: 0.05 })),
    ]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([prometheus?.stop(), slow?.stop()]);
  });

  const look = async (url: string, inputs: Record<string, string> = {}) => {
    const runtime = fakeRuntime({
      metrics: config(),
      'prometheus-url': url,
      'baseline-version': 'v1',
      'canary-version': 'v2',
      window: '30m',
      'current-weight': '25',
      'report-dir': join(dir, 'report'),
      'fail-on': 'never',
      ...inputs,
    });
    const ok = await runAction(canaryPromote, runtime);
    return { ok, runtime, result: runtime.outputs['result-json'] ? JSON.parse(runtime.outputs['result-json']) : undefined };
  };

  test('a canary like its baseline passes and steps from 25% to 50%', async () => {
    const { ok, runtime, result } = await look(prometheus.url);
    expect(runtime.failures).toEqual([]);
    expect(ok).toBe(true);
    expect(result).toMatchObject({ decision: 'continue', next_weight: 50 });
    // 30 minutes at a 15 s step: 121 points of the one series per version
    expect(result.metrics[0].baseline.count).toBe(121);
    expect(result.metrics[1].baseline.trials).toBeGreaterThan(20_000);
  });

  test('a slower, more failing canary is rolled back', async () => {
    const { result } = await look(slow.url);
    expect(result.decision).toBe('rollback');
    expect(result.metrics.map((m: { classification: string }) => m.classification)).toEqual(['High', 'High']);
  });

  test('a query that matches no series names the metric, the version and the query', async () => {
    const { ok, runtime } = await look(prometheus.url, { 'canary-version': 'v9' });
    expect(ok).toBe(false);
    expect(runtime.failures[0]).toBe(
      `Prometheus: the query of metric 'latency' returned no series for the canary (version 'v9') over the last 30m: request_latency_ms{version="v9"}`,
    );
  });

  test('a query Prometheus refuses is reported with its error', async () => {
    const { ok, runtime } = await look(prometheus.url, {
      metrics: config('  - name: broken\n    query: \'sum(rate(x{version="$VERSION"}[5m])\'\n'),
    });
    expect(ok).toBe(false);
    expect(runtime.failures[0]).toMatch(/^Prometheus refused the query of metric 'broken' \(baseline\): bad_data: /);
  });
});

test('an unreachable Prometheus is a clear message', async () => {
  const port = await closedPort();
  const runtime = fakeRuntime({
    metrics: config(),
    'prometheus-url': `http://127.0.0.1:${port}`,
    'baseline-version': 'v1',
    'canary-version': 'v2',
    'report-dir': join(dir, 'report'),
  });
  expect(await runAction(canaryPromote, runtime)).toBe(false);
  expect(runtime.failures[0]).toBe(`Prometheus at http://127.0.0.1:${port} is unreachable (ECONNREFUSED); check 'prometheus-url'.`);
});

/** A loopback port nothing listens on (taken, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
