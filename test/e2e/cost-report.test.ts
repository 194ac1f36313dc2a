// cost-report as users run it: the built dist/index.js in a child process, against the validating GitHub API
// server (workflow runs and jobs), a loopback OpenCost server and a real Pushgateway.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';
import type { WorkflowRunFixture } from '../support/github-workflow-runs.js';
import { startPushgateway } from '../support/pushgateway.js';
import { REPO_ROOT, runBuiltAction } from '../support/run-built-action.js';
import { expectCleanFailure } from '../support/action-assertions.js';

const work = mkdtempSync(join(tmpdir(), 'cost-e2e-'));
for (const name of ['focus-sample.csv', 'attribution.yml', 'budgets.yml', 'rates.yml'])
  copyFileSync(join(REPO_ROOT, 'examples', 'cost-report', name), join(work, name));
for (const name of ['opencost-allocation.json', 'manifests.yaml', 'tfplan.json'])
  copyFileSync(join(REPO_ROOT, 'test', 'fixtures', 'cost-report', name), join(work, name));
const WINDOW = '2026-11-01..2026-11-18';
const focus = {
  sources: 'focus',
  'focus-files': 'focus-sample.csv',
  attribution: 'attribution.yml',
  budgets: 'budgets.yml',
  rates: 'rates.yml',
  window: WINDOW,
};

function costReport(inputs: Record<string, string>, extra: Partial<Parameters<typeof runBuiltAction>[0]> = {}) {
  return runBuiltAction({ action: 'cost-report', inputs, cwd: work, ...extra });
}

const cents = (x: number) => Math.round(x * 100);

describe('cost-report on FOCUS exports', () => {
  test('attributes, reconciles to the cent and writes the JSON and CSV reports', async () => {
    const result = await costReport({ ...focus, 'report-dir': 'monthly' });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(readFileSync(result.outputs['report-json'], 'utf8'));
    expect(report.schema_version).toBe('1.0');
    expect(report.currency).toBe('USD');
    expect(result.outputs['total-cost']).toBe(report.total.toFixed(2));
    expect(result.outputs['unallocated-cost']).toBe(report.unallocated.toFixed(2));
    expect(result.outputs['over-budget']).toBe('true');
    // source total = attributed + shared + unallocated, and the groups add up to attributed + shared.
    expect(cents(report.attributed) + cents(report.shared) + cents(report.unallocated)).toBe(cents(report.total));
    expect(report.by_group.reduce((a: number, g: { cost: number }) => a + cents(g.cost), 0)).toBe(
      cents(report.attributed) + cents(report.shared),
    );
    expect(report.sources).toEqual([expect.objectContaining({ name: 'focus', total: report.total })]);
    expect(report.rule_overlaps).toEqual([
      expect.objectContaining({ first: { rule: 'nlp by tag', line: 11 }, later: { rule: 'bert serving', line: 15 }, lines: 18 }),
    ]);
    expect(report.anomalies[0]).toMatchObject({ group: 'vision/catalog-images/resnet', date: '2026-11-12' });
    expect(report.anomalies[0].drivers[0].resource).toMatch(/resnet-50-train/);
    expect(report.budgets.find((b: { name: string }) => b.name === 'resnet').status).toBe('over');
    // The summary opens with the total and the reconciliation line.
    const lines = result.summary.split('\n').filter((l) => l.trim() !== '');
    expect(lines[1]).toContain(`$${Number(report.total).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
    expect(lines[2]).toMatch(
      /Reconciliation:.*source total [\d.]+ USD = attributed [\d.]+ USD \+ shared [\d.]+ USD \+ unallocated [\d.]+ USD/,
    );
    expect(result.summary).toContain('pie showData title Cost by team');
    // The CSV: one row per group per day, adding up to the total.
    const csv = readFileSync(result.outputs['report-csv'], 'utf8').trim().split('\n');
    expect(csv[0]).toBe('date,team,project,model,cost,currency');
    expect(csv.length - 1).toBe((report.by_group.length + 1) * 18);
    expect(csv.slice(1).reduce((a, row) => a + cents(Number(row.split(',')[4])), 0)).toBe(cents(report.total));
    // The overlapping rules are annotated at the later rule's line.
    expect(result.annotations).toContainEqual(
      expect.objectContaining({ level: 'warning', properties: expect.objectContaining({ file: 'attribution.yml', line: '15' }) }),
    );
  });

  test('fail-on: over-budget fails the step with the budget that is over', async () => {
    const result = await costReport({ ...focus, 'fail-on': 'over-budget', 'report-dir': 'gate' });
    expectCleanFailure(result, /Over budget: model resnet spent \$1,127\.74 of \$900\.00 in 2026-11 \(fail-on is 'over-budget'\)/);
  });

  test('a missing mandatory FOCUS column is named', async () => {
    const text = readFileSync(join(work, 'focus-sample.csv'), 'utf8').replace('EffectiveCost,', 'AmortizedCost,');
    writeFileSync(join(work, 'no-effective.csv'), text);
    const result = await costReport({ ...focus, 'focus-files': 'no-effective.csv' });
    expectCleanFailure(result, /no-effective\.csv:1: missing mandatory FOCUS column\(s\) 'EffectiveCost'/);
    expect(result.outputs['report-json']).toBeUndefined();
  });

  test('an unparseable date or cost is reported with file:line', async () => {
    const lines = readFileSync(join(work, 'focus-sample.csv'), 'utf8').split('\n');
    lines[5] = lines[5].replace('2026-11-01T00:00:00Z', 'yesterday');
    writeFileSync(join(work, 'bad-date.csv'), lines.join('\n'));
    expectCleanFailure(await costReport({ ...focus, 'focus-files': 'bad-date.csv' }), /bad-date\.csv:6 \(column 'ChargePeriodStart'\)/);
    const costs = readFileSync(join(work, 'focus-sample.csv'), 'utf8').split('\n');
    costs[3] = costs[3].replace(/^[^,]+,[^,]+,/, '12.5,twelve,');
    writeFileSync(join(work, 'bad-cost.csv'), costs.join('\n'));
    expectCleanFailure(
      await costReport({ ...focus, 'focus-files': 'bad-cost.csv' }),
      /bad-cost\.csv:4 \(column 'EffectiveCost'\): expected a decimal cost, found 'twelve'/,
    );
  });

  test('mixed currencies are refused unless the rate card gives a rate', async () => {
    const lines = readFileSync(join(work, 'focus-sample.csv'), 'utf8').split('\n');
    lines[2] = lines[2].replace(',USD,', ',EUR,');
    writeFileSync(join(work, 'mixed.csv'), lines.join('\n'));
    writeFileSync(join(work, 'usd-only.yml'), 'currency: USD\n');
    expectCleanFailure(
      await costReport({ ...focus, 'focus-files': 'mixed.csv', rates: 'usd-only.yml' }),
      /mixed\.csv:3: mixed currencies: this line is in EUR, the report in USD/,
    );
    const converted = await costReport({ ...focus, 'focus-files': 'mixed.csv', 'report-dir': 'mixed' });
    expect(converted.exitCode).toBe(0);
  });

  test('a rules file that links outside the workspace is refused', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'cost-outside-'));
    writeFileSync(join(outside, 'rules.yml'), 'rules: []\n');
    symlinkSync(join(outside, 'rules.yml'), join(work, 'linked-rules.yml'));
    const result = await costReport({ ...focus, attribution: 'linked-rules.yml' });
    expectCleanFailure(result, /input 'attribution': 'linked-rules\.yml' \(it resolves to '.*rules\.yml'\) lies outside the workspace/);
  });

  test('tag-policy annotates the resources missing tags at their lines', async () => {
    const result = await costReport({
      ...focus,
      'tag-policy': 'team, project, model, cost-center',
      manifests: 'manifests.yaml\ntfplan.json',
      'fail-on': 'tag-policy',
      'report-dir': 'tags',
    });
    expectCleanFailure(result, /3 resource\(s\) miss required cost tags/);
    const missing = result.annotations
      .filter((a) => /lacks the required tag/.test(a.message))
      .map((a) => `${a.properties.file}:${a.properties.line} ${a.message}`);
    expect(missing).toEqual([
      expect.stringMatching(/^manifests\.yaml:24 .*Job\/resnet-train lacks the required tag\(s\) model, cost-center/),
      expect.stringMatching(/^manifests\.yaml:30 .*Job\/resnet-train \(pod template\) lacks .*project, model, cost-center/),
      expect.stringMatching(/^tfplan\.json:5 .*aws_instance\.trainer lacks the required tag\(s\) project, model/),
    ]);
  });

  test('pushes mlops_cost_usd{team,project,model} to a real Pushgateway', async () => {
    const gateway = await startPushgateway();
    try {
      const result = await costReport({ ...focus, 'pushgateway-url': gateway.url, 'report-dir': 'metrics' });
      expect(result.exitCode).toBe(0);
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toMatch(/mlops_cost_usd\{.*model="resnet",project="catalog-images",team="vision",.*\} 1127\.74/);
      expect(metrics).toMatch(/mlops_cost_usd\{.*team="unallocated".*\} \d/);
    } finally {
      await gateway.stop();
    }
  });
});

describe('cost-report on OpenCost', () => {
  let server: Server;
  let url = '';
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      res.end(readFileSync(join(work, 'opencost-allocation.json')));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/allocation`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('idle cost is shared within the cluster and day, or kept as its own line', async () => {
    const shared = await costReport({
      sources: 'opencost',
      'opencost-url': url,
      attribution: 'attribution.yml',
      window: WINDOW,
      'report-dir': 'oc',
    });
    expect(shared.exitCode).toBe(0);
    expect(seen[0]).toMatch(/window=2026-11-01T00%3A00%3A00Z%2C2026-11-19T00%3A00%3A00Z.*step=1d/);
    const a = JSON.parse(readFileSync(shared.outputs['report-json'], 'utf8'));
    expect(a.total).toBe(85.01);
    expect(a.unallocated).toBe(0);
    const kept = await costReport({
      sources: 'opencost',
      'opencost-file': 'opencost-allocation.json',
      'opencost-idle': 'include',
      attribution: 'attribution.yml',
      window: WINDOW,
      'report-dir': 'oc2',
    });
    const b = JSON.parse(readFileSync(kept.outputs['report-json'], 'utf8'));
    expect(b.total).toBe(85.01);
    expect(b.unallocated).toBe(14.76);
  });
});

describe('cost-report on GitHub Actions', () => {
  let api: GitHubApiServer;
  const HEAD = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d';
  const job = (id: number, name: string, labels: string[], start: string, end: string) => ({
    id,
    name,
    labels,
    startedAt: start,
    completedAt: end,
    runnerGroupName: labels.includes('self-hosted') ? 'gpu-pool' : 'GitHub Actions',
  });
  const runs: WorkflowRunFixture[] = [
    {
      owner: 'octo-org',
      repo: 'ml-repo',
      id: 501,
      path: '.github/workflows/train-resnet.yml',
      headBranch: 'main',
      headSha: 'a'.repeat(40),
      event: 'push',
      createdAt: '2026-11-05T10:00:00Z',
      jobs: [
        job(1, 'train', ['self-hosted', 'gpu'], '2026-11-05T10:00:00Z', '2026-11-05T10:30:30Z'),
        job(2, 'lint', ['ubuntu-latest'], '2026-11-05T10:00:00Z', '2026-11-05T10:02:01Z'),
      ],
    },
    {
      owner: 'octo-org',
      repo: 'ml-repo',
      id: 502,
      path: '.github/workflows/ci.yml',
      headBranch: 'main',
      headSha: 'b'.repeat(40),
      event: 'push',
      createdAt: '2026-11-06T09:00:00Z',
      jobs: [
        job(3, 'test', ['windows-latest'], '2026-11-06T09:00:00Z', '2026-11-06T09:05:00Z'),
        job(4, 'mac', ['macos-14'], '2026-11-06T09:00:00Z', '2026-11-06T09:01:01Z'),
      ],
    },
    {
      owner: 'octo-org',
      repo: 'ml-repo',
      id: 503,
      path: '.github/workflows/train-resnet.yml',
      headBranch: 'main',
      headSha: 'c'.repeat(40),
      event: 'push',
      createdAt: '2026-11-07T10:00:00Z',
      jobs: [
        job(5, 'train', ['self-hosted', 'gpu'], '2026-11-07T10:00:00Z', '2026-11-07T10:29:00Z'),
        job(6, 'lint', ['ubuntu-latest'], '2026-11-07T10:00:00Z', '2026-11-07T10:00:40Z'),
      ],
    },
    {
      owner: 'octo-org',
      repo: 'ml-repo',
      id: 504,
      path: '.github/workflows/train-resnet.yml',
      headBranch: 'feature',
      headSha: HEAD,
      event: 'pull_request',
      createdAt: '2026-11-10T10:00:00Z',
      jobs: [
        job(7, 'train', ['self-hosted', 'gpu'], '2026-11-10T10:00:00Z', '2026-11-10T10:45:00Z'),
        job(8, 'lint', ['ubuntu-latest'], '2026-11-10T10:00:00Z', '2026-11-10T10:00:59Z'),
      ],
    },
  ];
  const pullRequest = {
    name: 'pull_request' as const,
    payload: {
      action: 'synchronize',
      number: 21,
      pull_request: { number: 21, head: { sha: HEAD, ref: 'feature' }, base: { ref: 'main' } },
    },
  };
  beforeAll(async () => {
    api = await startGitHubApiServer();
    api.setWorkflowRuns(runs);
    const usage = (date: string, sku: string, quantity: number, price: number, repositoryName = 'ml-repo') => ({
      date,
      product: 'actions',
      sku,
      quantity,
      unitType: 'Minutes',
      pricePerUnit: price,
      grossAmount: quantity * price,
      discountAmount: 0,
      netAmount: quantity * price,
      organizationName: 'octo-org',
      repositoryName,
    });
    api.setBillingUsage('octo-org', [
      usage('2026-11-05T00:00:00Z', 'actions_linux', 4, 0.006),
      usage('2026-11-06T00:00:00Z', 'actions_windows', 5, 0.01),
      usage('2026-11-06T00:00:00Z', 'actions_macos', 2, 0.062),
      usage('2026-11-07T00:00:00Z', 'actions_linux', 1, 0.006),
      usage('2026-11-10T00:00:00Z', 'actions_linux', 1, 0.006),
      usage('2026-11-10T00:00:00Z', 'actions_linux', 500, 0.006, 'other-repo'),
    ]);
  });
  afterAll(() => api.close());

  const inputs = {
    sources: 'github-actions',
    attribution: 'attribution.yml',
    rates: 'rates.yml',
    window: WINDOW,
    'self-hosted-platform-fee': '0.002',
    'comment-on-pr': 'update',
  };

  test("prices each job's minutes, rounded up, and comments the PR's cost against the base branch", async () => {
    const result = await costReport({ ...inputs, 'report-dir': 'gha' }, { event: pullRequest, apiUrl: api.url });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(api.violations).toEqual([]);
    // 31 + 29 + 45 GPU minutes at 2.40/h + 0.002 fee, Linux 3 + 1 + 1 min, Windows 5 min, macOS 2 min.
    expect(result.outputs['total-cost']).toBe('4.61');
    expect(result.outputs['unallocated-cost']).toBe('0.17');
    const report = JSON.parse(readFileSync(result.outputs['report-json'], 'utf8'));
    expect(report.by_group).toEqual([expect.objectContaining({ team: 'vision', project: 'catalog-images', cost: 4.44 })]);
    expect(report.pull_request).toMatchObject({ number: 21, cost: 1.9, gpu_cost: 1.89, baseline: 1.27, delta: 0.63, minutes: 46 });
    // GitHub bills the hosted minutes (0.21); the self-hosted GPU minutes are priced by our rate card only.
    expect(report.sources[0].notes.join('\n')).toMatch(
      /GitHub billing usage \(gross, Actions, same repositories and days\): 0\.21 USD; this estimate differs by 4\.40 USD/,
    );
    const comments = api.state.comments.filter((c) => c.issueNumber === 21);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toMatch(
      /This pull request's workflow runs:\*\* \$1\.90 \(46 min; GPU jobs \$1\.89\), \+\$0\.63 vs the base branch's typical \$1\.27/,
    );
  });

  test('min-delta keeps a small change quiet', async () => {
    const before = api.requests.length;
    const result = await costReport({ ...inputs, 'min-delta': '1.00', 'report-dir': 'gha-quiet' }, { event: pullRequest, apiUrl: api.url });
    expect(result.exitCode).toBe(0);
    const writes = api.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(writes).toEqual([]);
  });

  test('repositories: octo-org/* costs every active repository of the organization, page by page', async () => {
    // 104 repositories: two pages of GET /orgs/{org}/repos; ml-repo holds the runs above, an archived one is left out.
    api.setOrganizationRepositories('octo-org', [
      ...Array.from({ length: 102 }, (_, i) => ({ name: `svc-${i}` })),
      { name: 'ml-repo' },
      { name: 'attic', archived: true },
    ]);
    const before = api.requests.length;
    const org = await costReport(
      { ...inputs, repositories: 'octo-org/*', 'comment-on-pr': 'off', 'report-dir': 'gha-org' },
      { apiUrl: api.url },
    );
    const one = await costReport({ ...inputs, 'comment-on-pr': 'off', 'report-dir': 'gha-one' }, { apiUrl: api.url });
    expect(org.stderr).toBe('');
    expect(org.exitCode).toBe(0);
    expect(api.violations).toEqual([]);
    const listed = api.requests.slice(before).filter((r) => r.operationId === 'repos/list-for-org');
    expect(listed.map((r) => r.query.page ?? '1')).toEqual(['1', '2']);
    expect(api.requests.slice(before).some((r) => r.path.startsWith('/repos/octo-org/attic/'))).toBe(false);
    // The other repositories have no runs: the organization costs what ml-repo costs, to the cent.
    expect(org.outputs['total-cost']).toBe(one.outputs['total-cost']);
    const report = JSON.parse(readFileSync(org.outputs['report-json'], 'utf8'));
    expect(report.sources[0].notes).toContain('octo-org/*: 103 repositories (1 archived left out)');
  });

  test('a token without actions: read is told which permission is missing', async () => {
    api.failNext(1, { status: 403, message: 'Resource not accessible by integration' });
    const result = await costReport({ ...inputs, 'comment-on-pr': 'off', 'report-dir': 'gha-403' }, { apiUrl: api.url });
    expectCleanFailure(result, /cannot read workflow runs of octo-org\/ml-repo \(HTTP 403\): it needs the 'actions: read' permission/);
  });
});

void mkdirSync;
