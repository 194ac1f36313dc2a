// sources: github-actions over a whole organization ('octo-org/*'): its repositories listed page by page from the
// validating GitHub API server, archived ones left out, each one's runs in the window (over several pages) and
// their jobs, priced and reconciled to the cent; a token that cannot list the organization is told what it needs.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '#shared/runtime/run-action.js';
import { readInputs } from '../../../actions/cost-report/src/inputs.js';
import { costReport } from '../../../actions/cost-report/src/main.js';
import {
  githubActionsSource,
  RUN_LIST_LIMIT,
  type ActionsApi,
  type WorkflowJob,
  type WorkflowRun,
} from '../../../actions/cost-report/src/sources/github-actions-source.js';
import { requestLimiter } from '../../../actions/cost-report/src/sources/request-limiter.js';
import { CurrencyPolicy } from '../../../actions/cost-report/src/sources/currency.js';
import { defaultRateCard } from '../../../actions/cost-report/src/sources/rate-card.js';
import { parseWindow } from '../../../actions/cost-report/src/window.js';
import { fakeRuntime } from '../../support/fake-runtime.js';
import { startGitHubApiServer, type GitHubApiServer } from '../../support/github-api-server.js';
import type { WorkflowRunFixture } from '../../support/github-workflow-runs.js';

const WINDOW = '2026-11-01..2026-11-18';
/** GitHub's 2026 list prices in tenths of a cent per minute: Linux 0.006, Windows 0.010, macOS 0.062 USD. */
const TENTH_CENTS_PER_MINUTE: Record<string, number> = { 'ubuntu-latest': 6, 'windows-latest': 10, 'macos-14': 62 };

let nextId = 1;
function run(owner: string, repo: string, createdAt: string, label: string, seconds: number): WorkflowRunFixture {
  const id = nextId++;
  const end = new Date(Date.parse(createdAt) + seconds * 1000).toISOString().replace('.000Z', 'Z');
  return {
    owner,
    repo,
    id,
    path: '.github/workflows/ci.yml',
    headBranch: 'main',
    headSha: id.toString(16).padStart(40, '0'),
    event: 'push',
    createdAt,
    jobs: [{ id: 100_000 + id, name: 'build', labels: [label], startedAt: createdAt, completedAt: end, runnerGroupName: 'GitHub Actions' }],
  };
}
const day = (d: number, hour = 9) => `2026-11-${String(d).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;

// 120 active repositories (two pages of 100) and an archived one; repo-007 has 130 runs in the window (two pages),
// repo-101 (on the second page) three, the archived repository two, and other-org/tools (named apart) one.
const repositories = [
  ...Array.from({ length: 120 }, (_, i) => ({ name: `repo-${String(i).padStart(3, '0')}` })),
  { name: 'old-models', archived: true },
];
const runs: WorkflowRunFixture[] = [
  ...Array.from({ length: 130 }, (_, i) => run('octo-org', 'repo-007', day(1 + (i % 18), i % 24), 'ubuntu-latest', 30 + 17 * i)),
  run('octo-org', 'repo-007', '2026-10-31T23:00:00Z', 'ubuntu-latest', 600),
  ...[1, 2, 3].map((i) => run('octo-org', 'repo-101', day(i * 5), 'windows-latest', 61 * i)),
  ...[1, 2].map((i) => run('octo-org', 'old-models', day(i * 3), 'ubuntu-latest', 3600)),
  run('other-org', 'tools', day(12), 'macos-14', 125),
];

/** What the runs in the window cost at list prices, in cents, from the fixtures alone (each job rounded up to the minute). */
function expectedCents(kept: (r: WorkflowRunFixture) => boolean): number {
  let tenths = 0;
  for (const r of runs.filter(kept)) {
    if (r.createdAt < '2026-11-01' || r.createdAt >= '2026-11-19') continue;
    for (const j of r.jobs)
      tenths += Math.ceil((Date.parse(j.completedAt!) - Date.parse(j.startedAt)) / 60_000) * TENTH_CENTS_PER_MINUTE[j.labels[0]];
  }
  // Every price is a whole even number of tenths of a cent, so there is no half cent to round.
  return Math.round(tenths / 10);
}

let api: GitHubApiServer;
const workspace = mkdtempSync(join(tmpdir(), 'cost-org-'));
beforeAll(async () => {
  api = await startGitHubApiServer();
  api.setOrganizationRepositories('octo-org', repositories);
  api.setWorkflowRuns(runs);
  writeFileSync(join(workspace, 'rules.yml'), "rules:\n  - match: { repository: 'octo-org/repo-0*' }\n    team: platform\n");
});
afterAll(() => api.close());

function costRun(inputs: Record<string, string>, server = api) {
  return fakeRuntime(
    {
      sources: 'github-actions',
      window: WINDOW,
      attribution: join(workspace, 'rules.yml'),
      'github-token': 'test-token',
      ...inputs,
      'report-dir': join(workspace, inputs['report-dir'] ?? 'out'),
    },
    { apiUrl: server.url, repository: { owner: 'octo-org', repo: 'ml-repo' }, workspace },
  );
}

describe("an organization's workflow runs", () => {
  test('lists every page of repositories and runs, leaves archived ones out, and reconciles to the cent', async () => {
    const runtime = costRun({ repositories: 'octo-org/*\nother-org/tools', 'report-dir': 'org' });
    expect(await runAction(costReport, runtime)).toBe(true);
    expect(api.violations).toEqual([]);
    const listed = api.requests.filter((r) => r.operationId === 'repos/list-for-org');
    expect(listed.map((r) => r.query.page ?? '1')).toEqual(['1', '2']);
    const repo007 = api.requests.filter((r) => r.operationId === 'actions/list-workflow-runs-for-repo' && r.path.includes('/repo-007/'));
    expect(repo007.map((r) => r.query.page ?? '1')).toEqual(['1', '2']);
    expect(api.requests.some((r) => r.path.includes('/old-models/'))).toBe(false);
    // One runs query per repository: 120 in octo-org and other-org/tools, the second page of repo-007 besides.
    expect(api.requests.filter((r) => r.operationId === 'actions/list-workflow-runs-for-repo')).toHaveLength(122);

    const report = JSON.parse(readFileSync(runtime.outputs['report-json'], 'utf8'));
    const cents = (x: number) => Math.round(x * 100);
    const total = expectedCents((r) => r.repo !== 'old-models');
    expect(cents(report.total)).toBe(total);
    expect(cents(report.sources[0].total)).toBe(total);
    const platform = expectedCents((r) => r.repo === 'repo-007');
    expect(report.by_group).toEqual([expect.objectContaining({ team: 'platform', cost: platform / 100 })]);
    expect(cents(report.unallocated)).toBe(total - platform);
    expect(report.reconciliation.balanced).toBe(true);
    expect(report.sources[0].notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^GitHub Actions: 121 repositories, 134 run\(s\), 134 billed job\(s\)/),
        'octo-org/*: 120 repositories (1 archived left out)',
      ]),
    );
  });

  test('a glob over names keeps only the matching repositories', async () => {
    const before = api.requests.length;
    const runtime = costRun({ repositories: 'octo-org/repo-10?', 'report-dir': 'glob' });
    expect(await runAction(costReport, runtime)).toBe(true);
    const repos = new Set(
      api.requests
        .slice(before)
        .filter((r) => r.operationId === 'actions/list-workflow-runs-for-repo')
        .map((r) => r.path.split('/')[3]),
    );
    expect([...repos].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `repo-10${i}`));
    expect(runtime.outputs['total-cost']).toBe((expectedCents((r) => r.repo === 'repo-101') / 100).toFixed(2));
  });

  test("reconciles with the organization's billing usage for the repositories the glob covers", async () => {
    const usage = (repositoryName: string, quantity: number) => ({
      date: '2026-11-05T00:00:00Z',
      product: 'actions',
      sku: 'actions_linux',
      quantity,
      unitType: 'Minutes',
      pricePerUnit: 0.006,
      grossAmount: quantity * 0.006,
      discountAmount: 0,
      netAmount: quantity * 0.006,
      organizationName: 'octo-org',
      repositoryName,
    });
    // repo-007 as GitHub names it ('org/name'), and repo-101, which 'octo-org/repo-00?' does not cover.
    api.setBillingUsage('octo-org', [usage('octo-org/repo-007', 1000), usage('repo-101', 50)]);
    const runtime = costRun({ repositories: 'octo-org/repo-00?', 'report-dir': 'billing' });
    expect(await runAction(costReport, runtime)).toBe(true);
    const report = JSON.parse(readFileSync(runtime.outputs['report-json'], 'utf8'));
    const estimate = expectedCents((r) => r.repo === 'repo-007');
    const difference = ((estimate - 600) / 100).toFixed(2);
    expect(report.sources[0].notes).toContain(
      `GitHub billing usage (gross, Actions, same repositories and days): 6.00 USD; this estimate differs by ${difference} USD`,
    );
  });

  test('a token that cannot list the organization is told which access it needs', async () => {
    const refused = await startGitHubApiServer();
    try {
      refused.refuseOperation('repos/list-for-org', { status: 403, message: 'Resource not accessible by integration' });
      const runtime = costRun({ repositories: 'octo-org/*', 'report-dir': 'refused' }, refused);
      expect(await runAction(costReport, runtime)).toBe(false);
      expect(runtime.failures[0]).toMatch(
        /^The token cannot list the repositories of organization 'octo-org' \(HTTP 403\): .*'actions: read'.*GITHUB_TOKEN only reaches its own repository/,
      );
      expect(runtime.outputs).toEqual({});
    } finally {
      await refused.close();
    }
  });

  test("a repository the token cannot read names the 'actions: read' permission", async () => {
    const refused = await startGitHubApiServer();
    try {
      refused.setOrganizationRepositories('octo-org', [{ name: 'secret-models', private: true }]);
      refused.refuseOperation('actions/list-workflow-runs-for-repo', { status: 404, message: 'Not Found' });
      const runtime = costRun({ repositories: 'octo-org/*', 'report-dir': 'refused-runs' }, refused);
      expect(await runAction(costReport, runtime)).toBe(false);
      expect(runtime.failures[0]).toMatch(
        /cannot read workflow runs of octo-org\/secret-models \(HTTP 404\): it needs the 'actions: read' permission/,
      );
    } finally {
      await refused.close();
    }
  });
});

describe('listing runs within GitHub limits', () => {
  const window = parseWindow('2026-11-01..2026-11-08', Date.parse('2026-12-01T00:00:00Z'));
  const job = (run: number): WorkflowJob => ({
    id: run,
    run_id: run,
    name: 'build',
    labels: ['ubuntu-latest'],
    runner_name: null,
    started_at: '2026-11-01T00:00:00Z',
    completed_at: '2026-11-01T00:01:00Z',
    conclusion: 'success',
  });
  /** 400 runs a day; like GitHub, a `created` query answers 1,000 at most. */
  function busyApi(stats: { inFlight: number; peak: number; queries: string[] }): ActionsApi {
    const runsOn = (d: number) =>
      Array.from({ length: 400 }, (_, i): WorkflowRun => ({
        id: d * 1000 + i,
        path: '.github/workflows/ci.yml',
        head_branch: 'main',
        head_sha: 'a'.repeat(40),
        event: 'push',
        status: 'completed',
        created_at: `2026-11-0${d}T00:00:00Z`,
      }));
    const track = async <T>(value: T): Promise<T> => {
      stats.inFlight++;
      stats.peak = Math.max(stats.peak, stats.inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      stats.inFlight--;
      return value;
    };
    return {
      async listRuns(_repository, query) {
        stats.queries.push(query.created!);
        const [from, to] = query.created!.split('..').map((d) => Number(d.slice(8)));
        const all = Array.from({ length: to - from + 1 }, (_, k) => runsOn(from + k)).flat();
        return track(all.slice(0, RUN_LIST_LIMIT));
      },
      listJobs: (_repository, runId) => track([job(runId)]),
    };
  }

  test('a window over 1,000 runs is halved until every part is complete, with at most four requests in flight', async () => {
    const stats = { inFlight: 0, peak: 0, queries: [] as string[] };
    const source = await githubActionsSource({
      api: busyApi(stats),
      repositories: [{ owner: 'octo-org', repo: 'busy' }],
      window,
      rateCard: defaultRateCard(),
      currency: new CurrencyPolicy('USD', new Map()),
      platformFeePerMinute: 0n,
    });
    // 8 days x 400 runs: every run listed once, each job one Linux minute.
    expect(source.notes[0]).toMatch(/^GitHub Actions: 1 repository, 3200 run\(s\), 3200 billed job\(s\), 3200 minute\(s\)/);
    expect(stats.queries[0]).toBe('2026-11-01..2026-11-08');
    expect(stats.queries).toEqual(expect.arrayContaining(['2026-11-01..2026-11-02', '2026-11-07..2026-11-08']));
    expect(stats.peak).toBe(4);
  });

  test('a single day over the limit is kept as listed, with a note', async () => {
    const stats = { inFlight: 0, peak: 0, queries: [] as string[] };
    const api = busyApi(stats);
    // 1,000 runs on one day: the listing is full and cannot be split further.
    const crowded: ActionsApi = {
      ...api,
      listRuns: async (r) => (await api.listRuns(r, { created: '2026-11-01..2026-11-03' })).slice(0, RUN_LIST_LIMIT),
    };
    const source = await githubActionsSource({
      api: crowded,
      repositories: [{ owner: 'octo-org', repo: 'busy' }],
      window: parseWindow('2026-11-01..2026-11-01', Date.parse('2026-12-01T00:00:00Z')),
      rateCard: defaultRateCard(),
      currency: new CurrencyPolicy('USD', new Map()),
      platformFeePerMinute: 0n,
    });
    expect(source.notes).toContain(
      'octo-org/busy had more than 1000 workflow runs on 2026-11-01; GitHub lists 1000 a query, so the others are missing from this report',
    );
  });
});

describe("the 'repositories' input", () => {
  const read = (value: string) => (name: string) => ({ repositories: value, 'focus-files': 'x.csv' })[name] ?? '';
  const here = { owner: 'octo-org', repo: 'ml-repo' };
  test("'org/*' and 'org/glob' name organizations; plain names stay repositories; a PR's runs are in the first named", () => {
    const inputs = readInputs(read('octo-org/*, octo-org/ml-*\nother-org/tools'), here);
    expect(inputs.organizations).toEqual([
      { org: 'octo-org', names: '*' },
      { org: 'octo-org', names: 'ml-*' },
    ]);
    expect(inputs.repositories).toEqual([{ owner: 'other-org', repo: 'tools' }]);
    expect(inputs.pullRequestRepository).toEqual({ owner: 'other-org', repo: 'tools' });
    const orgOnly = readInputs(read('octo-org/*'), here);
    expect(orgOnly.repositories).toEqual([]);
    expect(orgOnly.pullRequestRepository).toEqual(here);
    expect(readInputs(read(''), here).repositories).toEqual([here]);
  });
  test('anything else is refused with what was expected', () => {
    expect(() => readInputs(read('octo-org'), here)).toThrow(
      "Invalid value for input 'repositories': 'octo-org'. Expected a list of 'owner/repo', or 'org/*' (or 'org/ml-*') for an organization's repositories.",
    );
    expect(() => readInputs(read('*/ml-repo'), here)).toThrow(/Invalid value for input 'repositories': '\*\/ml-repo'/);
  });
});

describe('requestLimiter', () => {
  test('never runs more tasks at once than allowed, and runs them all', async () => {
    const limit = requestLimiter(3);
    let inFlight = 0;
    let peak = 0;
    const done = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit(async () => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await new Promise((resolve) => setTimeout(resolve, (i * 7) % 5));
          inFlight--;
          return i;
        }),
      ),
    );
    expect(done).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(3);
  });

  test('after a failure, tasks not yet started fail with it and never run', async () => {
    const limit = requestLimiter(2);
    const started: number[] = [];
    const refused = new Error('HTTP 403');
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        limit(async () => {
          started.push(i);
          if (i === 1) throw refused;
          await new Promise((resolve) => setTimeout(resolve, 2));
          return i;
        }),
      ),
    );
    expect(started).toEqual([0, 1]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: 0 });
    expect(results.slice(1).every((r) => r.status === 'rejected' && r.reason === refused)).toBe(true);
  });
});
