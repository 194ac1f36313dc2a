// history-branch: a monthly job's runs appended to a real git branch (a bare remote and a clone in a temporary
// folder, as actions/checkout leaves it), read back so the third month's summary and cost-report.json show the
// trend against the months before; and the trend itself, period by period.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '#shared/runtime/run-action.js';
import { costReport } from '../../../actions/cost-report/src/main.js';
import { costTrend, periodOf, type CostHistoryRecord } from '../../../actions/cost-report/src/history/cost-trend.js';
import { renderCostDashboard } from '../../../actions/cost-report/src/history/cost-history.js';
import { fakeRuntime } from '../../support/fake-runtime.js';
import { createRepos, remoteFile, type GitRepos } from '../../support/git-repos.js';

function record(start: string, end: string, groups: [string, number][], unallocated: number, extra: Partial<CostHistoryRecord> = {}) {
  const total = Math.round((groups.reduce((a, [, c]) => a + c, 0) + unallocated) * 100) / 100;
  return {
    time: `${end}T06:00:00Z`,
    window: { label: start.slice(0, 7), start, end, days: (Date.parse(end) - Date.parse(start)) / 86_400_000 + 1 },
    complete: true,
    currency: 'USD',
    total,
    unallocated,
    groups: groups.map(([label, cost]) => {
      const [team, project, model] = label.split('/');
      return { team, project, model, cost };
    }),
    ...extra,
  } satisfies CostHistoryRecord;
}

describe('costTrend', () => {
  const aug = record('2026-08-01', '2026-08-31', [['vision/catalog/resnet', 100]], 5);
  const sep = record(
    '2026-09-01',
    '2026-09-30',
    [
      ['vision/catalog/resnet', 120.5],
      ['nlp/search/bert', 40],
    ],
    0.25,
  );
  const octSoFar = record('2026-10-01', '2026-10-18', [['vision/catalog/resnet', 60]], 1, { complete: false });
  const oct = record(
    '2026-10-01',
    '2026-10-31',
    [
      ['vision/catalog/resnet', 90],
      ['nlp/search/bert', 70.1],
    ],
    2,
  );

  test('calendar months whatever the window was called; other windows are their own kind', () => {
    expect(periodOf(sep)).toEqual({ label: '2026-09', kind: 'month' });
    expect(periodOf(octSoFar)).toEqual({ label: '2026-10', kind: 'month' });
    expect(periodOf(record('2026-10-03', '2026-11-01', [], 0))).toEqual({ label: '2026-10-03..2026-11-01', kind: '30d' });
  });

  test('month over month per group: the later run of a month wins, and the change is against the month before', () => {
    const rolling = record('2026-09-15', '2026-10-14', [['vision/catalog/resnet', 999]], 0);
    const trend = costTrend([aug, sep, rolling, octSoFar], oct);
    expect(trend.periods.map((p) => p.label)).toEqual(['2026-08', '2026-09', '2026-10']);
    expect(trend.rows.map((r) => r.label)).toEqual(['vision/catalog/resnet', 'nlp/search/bert', 'unallocated', 'total']);
    const [resnet, bert, unallocated, total] = trend.rows;
    expect(resnet.cents).toEqual([10000, 12050, 9000]);
    expect(resnet.changeCents).toBe(9000 - 12050);
    expect(resnet.changeShare).toBeCloseTo((90 - 120.5) / 120.5, 12);
    expect(bert.cents).toEqual([0, 4000, 7010]);
    expect(unallocated.cents).toEqual([500, 25, 200]);
    expect(total.cents).toEqual([10500, 16075, 16210]);
    // Every period adds up: its groups and unallocated are its total.
    for (let i = 0; i < 3; i++) expect(resnet.cents[i] + bert.cents[i] + unallocated.cents[i]).toBe(total.cents[i]);
    // A group absent the month before has no share of change.
    expect(costTrend([aug], sep).rows.find((r) => r.label === 'nlp/search/bert')!.changeShare).toBeUndefined();
  });

  test('keeps the last periods up to the current one, and leaves out runs in another currency', () => {
    const eur = record('2026-07-01', '2026-07-31', [['vision/catalog/resnet', 10]], 0, { currency: 'EUR' });
    const trend = costTrend([eur, aug, sep, oct], sep, 2);
    expect(trend.periods.map((p) => p.label)).toEqual(['2026-08', '2026-09']);
    expect(trend.otherCurrencyRuns).toBe(1);
    const first = costTrend([], aug);
    expect(first.periods).toHaveLength(1);
    expect(first.rows.every((r) => r.changeCents === undefined)).toBe(true);
  });

  test('the dashboard plots every period of the branch', () => {
    const [page] = renderCostDashboard([aug, sep, octSoFar, oct], new Date('2026-11-01T00:00:00Z'));
    expect(page.path).toBe('cost-history/index.html');
    expect(page.content).toContain('3 calendar months');
    expect(page.content).toContain('nlp/search/bert');
  });
});

describe('history-branch through main', () => {
  let repos: GitRepos;
  const sample = readFileSync('examples/cost-report/focus-sample.csv', 'utf8').split('\n');
  const header = sample[0];
  const rows = sample.slice(1).filter((l) => l.trim() !== '');
  beforeAll(async () => {
    repos = await createRepos({ shallow: true });
    for (const name of ['attribution.yml']) writeFileSync(join(repos.workspace, name), readFileSync(join('examples/cost-report', name)));
    // Three months of the sample's days: September with a quarter of its lines, October with half, November all.
    const month = (m: string, share: number) =>
      [header, ...rows.slice(0, Math.ceil(rows.length * share)).map((l) => l.replaceAll('2026-11-', `2026-${m}-`))].join('\n') + '\n';
    writeFileSync(join(repos.workspace, 'focus-09.csv'), month('09', 0.25));
    writeFileSync(join(repos.workspace, 'focus-10.csv'), month('10', 0.5));
    writeFileSync(join(repos.workspace, 'focus-11.csv'), month('11', 1));
  });
  afterAll(() => repos.cleanup());

  const runMonth = async (m: string, workspace = repos.workspace) => {
    const runtime = fakeRuntime(
      {
        sources: 'focus',
        'focus-files': `focus-${m}.csv`,
        attribution: 'attribution.yml',
        window: `2026-${m}`,
        'history-branch': 'cost-history',
        'report-dir': join(workspace, `report-${m}`),
      },
      { workspace, runId: `9${m}`, runUrl: `https://github.com/octo-org/ml-repo/actions/runs/9${m}` },
    );
    const cwd = process.cwd();
    process.chdir(workspace);
    try {
      expect(await runAction(costReport, runtime)).toBe(true);
    } finally {
      process.chdir(cwd);
    }
    return { runtime, report: JSON.parse(readFileSync(runtime.outputs['report-json'], 'utf8')) };
  };

  test('each month is appended to the branch, and November shows the trend since September', async () => {
    const sep = await runMonth('09');
    expect(sep.report.trend.periods.map((p: { label: string }) => p.label)).toEqual(['2026-09']);
    expect(sep.runtime.summary).toContain('no earlier period like this one yet');
    const oct = await runMonth('10');
    const nov = await runMonth('11');

    const lines = (await remoteFile(repos, 'cost-history', 'cost-history/history.jsonl'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.window.label, l.total, l.run_id])).toEqual([
      ['2026-09', sep.report.total, '909'],
      ['2026-10', oct.report.total, '910'],
      ['2026-11', nov.report.total, '911'],
    ]);
    expect(await remoteFile(repos, 'cost-history', 'cost-history/index.html')).toContain('Cost history');

    const trend = nov.report.trend;
    expect(trend.periods).toEqual([
      { label: '2026-09', start: '2026-09-01', end: '2026-09-30', complete: true },
      { label: '2026-10', start: '2026-10-01', end: '2026-10-31', complete: true },
      { label: '2026-11', start: '2026-11-01', end: '2026-11-30', complete: true },
    ]);
    const cents = (x: number) => Math.round(x * 100);
    const total = trend.rows.find((r: { team: string }) => r.team === 'total');
    expect(total.costs).toEqual([sep.report.total, oct.report.total, nov.report.total]);
    expect(cents(total.change)).toBe(cents(nov.report.total) - cents(oct.report.total));
    // November's groups in the trend are November's report, group for group.
    for (const g of nov.report.by_group) {
      const row = trend.rows.find(
        (r: { team: string; project: string; model: string }) => r.team === g.team && r.project === g.project && r.model === g.model,
      );
      expect(row.costs[2]).toBe(g.cost);
      const before = oct.report.by_group.find((o: typeof g) => o.team === g.team && o.project === g.project && o.model === g.model);
      expect(cents(row.change)).toBe(cents(g.cost) - cents(before?.cost ?? 0));
    }
    expect(nov.runtime.summary).toContain('### Trend: 2026-11 against 2026-10');
    expect(nov.runtime.summary).toMatch(/\| \*\*total\*\* \| \$[\d,.]+ \| \$[\d,.]+ \| \$[\d,.]+ \| \+\$[\d,.]+ \(\+[\d.]+%\) \|/);
    expect(nov.runtime.summary).toContain('xychart-beta');
  });

  test('a workspace that is not a git repository loses the trend, not the report', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'cost-no-git-'));
    for (const name of ['attribution.yml', 'focus-11.csv']) writeFileSync(join(plain, name), readFileSync(join(repos.workspace, name)));
    const { runtime, report } = await runMonth('11', plain);
    expect(report.trend).toBeNull();
    expect(runtime.logs).toContainEqual(
      expect.stringMatching(/^warning: Could not read the cost history on branch 'cost-history': .*not a git repository/),
    );
    expect(runtime.logs).toContainEqual(expect.stringMatching(/^warning: Could not append to the history branch 'cost-history'/));
  });
});
