import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UserError } from '#shared/errors.js';
import { RecordingLogger } from '#shared/logger.js';
import { formatMetrics, groupingPath, pushMetrics } from '#shared/notify/pushgateway.js';
import { type RunningPushgateway, startPushgateway } from '../../support/pushgateway.js';

interface ApiGroup {
  labels: Record<string, string>;
  [metric: string]: unknown;
}
interface ApiFamily {
  type: string;
  help?: string;
  metrics: { labels: Record<string, string>; value: string }[];
}

async function groups(gateway: RunningPushgateway, headers?: Record<string, string>): Promise<ApiGroup[]> {
  const response = await fetch(`${gateway.url}/api/v1/metrics`, { headers });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: ApiGroup[] }).data;
}

function family(group: ApiGroup | undefined, name: string): ApiFamily | undefined {
  return group?.[name] as ApiFamily | undefined;
}

describe('formatMetrics', () => {
  it('writes one HELP and TYPE per metric and one line per labelled sample', () => {
    const text = formatMetrics([
      { name: 'mlops_drift_score', help: 'Drift statistic per column', value: 0.42, labels: { method: 'ks', column: 'age' } },
      { name: 'mlops_rows', value: 1000, type: 'counter' },
      { name: 'mlops_drift_score', value: 0.07, labels: { column: 'income', method: 'psi' } },
    ]);
    expect(text.split('\n')).toEqual([
      '# HELP mlops_drift_score Drift statistic per column',
      '# TYPE mlops_drift_score gauge',
      'mlops_drift_score{column="age",method="ks"} 0.42',
      'mlops_drift_score{column="income",method="psi"} 0.07',
      '# TYPE mlops_rows counter',
      'mlops_rows 1000',
      '',
    ]);
  });

  it('escapes backslash, quote and newline in label values, and backslash and newline in help', () => {
    const text = formatMetrics([{ name: 'm', help: 'a\\b\nc', value: 1, labels: { path: 'C:\\data\\"x".csv\nnext' } }]);
    expect(text).toContain('# HELP m a\\\\b\\nc\n');
    expect(text).toContain('m{path="C:\\\\data\\\\\\"x\\".csv\\nnext"} 1\n');
  });

  it('writes NaN and infinities the way Prometheus reads them', () => {
    const text = formatMetrics([
      { name: 'a', value: NaN },
      { name: 'b', value: Infinity },
      { name: 'c', value: -Infinity },
    ]);
    expect(text).toMatch(/^a NaN$/m);
    expect(text).toMatch(/^b \+Inf$/m);
    expect(text).toMatch(/^c -Inf$/m);
  });

  it('rejects invalid metric and label names, mixed types and duplicate samples', () => {
    expect(() => formatMetrics([{ name: 'drift-score', value: 1 }])).toThrow(/Invalid metric name 'drift-score'/);
    expect(() => formatMetrics([{ name: '1m', value: 1 }])).toThrow(UserError);
    expect(() => formatMetrics([{ name: 'm', value: 1, labels: { 'col-name': 'x' } }])).toThrow(/label of metric 'm' 'col-name'/);
    expect(() => formatMetrics([{ name: 'm', value: 1, labels: { __name__: 'x' } }])).toThrow(UserError);
    expect(() =>
      formatMetrics([
        { name: 'm', value: 1 },
        { name: 'm', value: 2, type: 'counter' },
      ]),
    ).toThrow(/both gauge and counter/);
    expect(() =>
      formatMetrics([
        { name: 'm', value: 1, labels: { a: 'x' } },
        { name: 'm', value: 2, labels: { a: 'x' } },
      ]),
    ).toThrow(/appears twice/);
  });
});

describe('groupingPath', () => {
  it('URL-encodes plain values and uses @base64 for values with a slash, empty values and dot segments', () => {
    expect(groupingPath('mlops drift', { instance: 'run 7', branch: 'feature/x', empty: '', dot: '..' })).toBe(
      '/metrics/job/mlops%20drift/instance/run%207/branch@base64/ZmVhdHVyZS94/empty@base64/=/dot@base64/Li4',
    );
  });
});

describe('pushMetrics against a real Pushgateway', () => {
  let gateway: RunningPushgateway;
  beforeAll(async () => {
    gateway = await startPushgateway();
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('publishes drift scores under the job and instance labels, and a second push replaces the group', async () => {
    const logger = new RecordingLogger();
    await pushMetrics({
      url: gateway.url,
      job: 'mlops_drift',
      groupingLabels: { instance: 'nightly', branch: 'release/2024' },
      metrics: [
        { name: 'mlops_drift_score', help: 'Drift statistic', value: 0.42, labels: { column: 'age', method: 'ks' } },
        { name: 'mlops_drift_score', value: 0.13, labels: { column: 'income', method: 'ks' } },
        { name: 'mlops_drift_share', value: 0.5 },
      ],
      logger,
    });

    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toContain('mlops_drift_score{branch="release/2024",column="age",instance="nightly",job="mlops_drift",method="ks"} 0.42');
    expect(text).toContain(
      'mlops_drift_score{branch="release/2024",column="income",instance="nightly",job="mlops_drift",method="ks"} 0.13',
    );
    expect(text).toContain('# HELP mlops_drift_score Drift statistic');
    expect(logger.text('info')).toContain('Pushed 3 metric sample(s)');

    await pushMetrics({
      url: `${gateway.url}/`,
      job: 'mlops_drift',
      groupingLabels: { instance: 'nightly', branch: 'release/2024' },
      metrics: [{ name: 'mlops_drift_score', value: 0.9, labels: { column: 'age', method: 'ks' } }],
      logger,
    });
    const group = (await groups(gateway)).find((g) => g.labels.instance === 'nightly');
    expect(group?.labels).toEqual({ job: 'mlops_drift', instance: 'nightly', branch: 'release/2024' });
    expect(family(group, 'mlops_drift_score')?.metrics).toEqual([
      { labels: { branch: 'release/2024', column: 'age', instance: 'nightly', job: 'mlops_drift', method: 'ks' }, value: '0.9' },
    ]);
    expect(family(group, 'mlops_drift_share')).toBeUndefined();
  });

  it('round-trips label values with quotes, backslashes and newlines through the real parser', async () => {
    const awkward = 'C:\\data\\"june".csv\nsecond line';
    await pushMetrics({
      url: gateway.url,
      job: 'mlops_quality',
      groupingLabels: { instance: 'awkward' },
      metrics: [{ name: 'mlops_null_ratio', value: 0.25, labels: { file: awkward } }],
      logger: new RecordingLogger(),
    });
    const group = (await groups(gateway)).find((g) => g.labels.instance === 'awkward');
    expect(family(group, 'mlops_null_ratio')?.metrics[0]).toEqual({
      labels: { file: awkward, instance: 'awkward', job: 'mlops_quality' },
      value: '0.25',
    });
  });

  it("reports the Pushgateway's refusal with its status and message", async () => {
    const logger = new RecordingLogger();
    await pushMetrics({
      url: gateway.url,
      job: 'mlops_types',
      groupingLabels: { instance: 'a' },
      metrics: [{ name: 'mlops_conflict', value: 1, type: 'gauge' }],
      logger,
    });
    // A metric name must keep one type across groups; the gateway refuses the second push with 400.
    const push = pushMetrics({
      url: gateway.url,
      job: 'mlops_types',
      groupingLabels: { instance: 'b' },
      metrics: [{ name: 'mlops_conflict', value: 1, type: 'counter' }],
      logger,
    });
    await expect(push).rejects.toThrow(UserError);
    await expect(push).rejects.toThrow(/Pushgateway answered HTTP 400: .*mlops_conflict/s);
  });
});

describe('pushMetrics to a Pushgateway behind basic auth', () => {
  let gateway: RunningPushgateway;
  const user = 'ci';
  const password = 'p@ss:w0rd/secret';
  beforeAll(async () => {
    gateway = await startPushgateway({ basicAuth: { user, password } });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  const withCredentials = (pw: string) => gateway.url.replace('http://', `http://${encodeURIComponent(user)}:${encodeURIComponent(pw)}@`);

  it('sends the credentials of the URL as an Authorization header', async () => {
    await pushMetrics({
      url: withCredentials(password),
      job: 'mlops_auth',
      groupingLabels: { instance: 'secure' },
      metrics: [{ name: 'mlops_rows', value: 12 }],
      logger: new RecordingLogger(),
    });
    const auth = { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
    const group = (await groups(gateway, auth)).find((g) => g.labels.instance === 'secure');
    expect(family(group, 'mlops_rows')?.metrics[0]?.value).toBe('12');
  });

  it('fails with 401 on a wrong password and never repeats the password', async () => {
    const wrong = 'wr0ng-s3cret';
    const logger = new RecordingLogger();
    const error = await pushMetrics({
      url: withCredentials(wrong),
      job: 'mlops_auth',
      groupingLabels: { instance: 'secure' },
      metrics: [{ name: 'mlops_rows', value: 12 }],
      logger,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/HTTP 401/);
    expect((error as Error).message).not.toContain(wrong);
    expect(logger.text()).not.toContain(wrong);
  });
});

describe('pushMetrics when no Pushgateway listens', () => {
  it('fails with a UserError after one retry, without the credentials', async () => {
    const gateway = await startPushgateway();
    await gateway.stop();
    const logger = new RecordingLogger();
    const error = await pushMetrics({
      url: gateway.url.replace('http://', 'http://bot:t0p-s3cret@'),
      job: 'j',
      groupingLabels: { instance: 'i' },
      metrics: [{ name: 'm', value: 1 }],
      logger,
      retryDelayMs: 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/Pushgateway could not be reached \(ECONNREFUSED\)/);
    expect(`${(error as Error).message}\n${logger.text()}`).not.toContain('t0p-s3cret');
    expect(logger.text('warning')).toMatch(/retrying \(1\/2\)/);
  });
});
