// The cost-monthly reusable workflow's cost step as the runner runs it: the `with:` of that step read from
// .github/workflows/cost-monthly.yml, its expressions filled in from the workflow's inputs, then the built
// cost-report dist in a checkout of a real (bare, local) repository. With history-branch the months land on the
// branch and the second one shows the trend; without it nothing is pushed, so a caller granting contents: read is
// enough; a push the remote refuses (a token with contents: read) leaves the report and warns to grant contents: write.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { createRepos, gitIn, remoteFile, type GitRepos } from '../support/git-repos.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';
import { REPO_ROOT, runBuiltAction } from '../support/run-built-action.js';

const workflow = loadYaml(readFileSync(join(REPO_ROOT, '.github/workflows/cost-monthly.yml'), 'utf8')) as any;
const declaredInputs = workflow.on.workflow_call.inputs as Record<string, { default?: unknown }>;
const costStep = (workflow.jobs.report.steps as any[]).find((s) => String(s.uses).includes('/actions/cost-report@'));

/** The cost step's inputs as the runner would evaluate them for a caller's `with:` (secrets not given: empty). */
function costStepInputs(callerWith: Record<string, string>, window: string): Record<string, string> {
  const value = (expression: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expression)?.[1];
    if (input) return callerWith[input] ?? String(declaredInputs[input].default ?? '');
    if (expression === 'steps.month.outputs.window') return window;
    if (expression.startsWith('secrets.')) return '';
    throw new Error(`unexpected expression in the cost step: ${expression}`);
  };
  return Object.fromEntries(
    Object.entries<unknown>(costStep.with).map(([name, raw]) => [
      name,
      String(raw).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => value(expression)),
    ]),
  );
}

const sample = readFileSync(join(REPO_ROOT, 'examples/cost-report/focus-sample.csv'), 'utf8').split('\n');
const monthOf = (m: string, share: number) => {
  const rows = sample.slice(1).filter((l) => l.trim() !== '');
  return [sample[0], ...rows.slice(0, Math.ceil(rows.length * share)).map((l) => l.replaceAll('2026-11-', `2026-${m}-`))].join('\n') + '\n';
};

let repos: GitRepos;
let api: GitHubApiServer;
beforeEach(async () => {
  repos = await createRepos({ shallow: true });
  api = await startGitHubApiServer();
  for (const name of ['attribution.yml', 'budgets.yml', 'rates.yml'])
    writeFileSync(join(repos.workspace, name), readFileSync(join(REPO_ROOT, 'examples/cost-report', name)));
  writeFileSync(join(repos.workspace, 'focus-2026-10.csv'), monthOf('10', 0.5));
  writeFileSync(join(repos.workspace, 'focus-2026-11.csv'), monthOf('11', 1));
});
afterEach(async () => {
  expect(api.violations).toEqual([]);
  await api.close();
  await repos.cleanup();
});

const caller = { sources: 'focus', rates: 'rates.yml', attribution: 'attribution.yml', budgets: 'budgets.yml' };
const runMonth = (window: string, callerWith: Record<string, string>) =>
  runBuiltAction({
    action: 'cost-report',
    inputs: costStepInputs({ ...caller, 'focus-files': `focus-${window}.csv`, ...callerWith }, window),
    cwd: repos.workspace,
    apiUrl: api.url,
    timeoutMs: 90_000,
  });
const remoteBranches = async () => (await gitIn(repos.remote, 'branch', '--format=%(refname:short)')).trim().split('\n');

test('the workflow passes history-branch: each month is pushed, and the second shows the month-over-month trend', async () => {
  const withHistory = { 'history-branch': 'cost-history' };
  expect(costStepInputs(withHistory, '2026-10')['history-branch']).toBe('cost-history');
  const oct = await runMonth('2026-10', withHistory);
  expect(oct.exitCode).toBe(0);
  // Both months write cost-report/ (the workflow's report-dir): October's report is read before November's run.
  const octReport = JSON.parse(readFileSync(oct.outputs['report-json'], 'utf8'));
  const nov = await runMonth('2026-11', withHistory);
  expect(nov.exitCode).toBe(0);
  const records = (await remoteFile(repos, 'cost-history', 'cost-history/history.jsonl'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const novReport = JSON.parse(readFileSync(nov.outputs['report-json'], 'utf8'));
  expect(records.map((r) => [r.window.label, r.total])).toEqual([
    ['2026-10', octReport.total],
    ['2026-11', novReport.total],
  ]);
  expect(novReport.trend.periods.map((p: { label: string }) => p.label)).toEqual(['2026-10', '2026-11']);
  expect(nov.summary).toContain('### Trend: 2026-11 against 2026-10');
}, 180_000);

test('without history-branch (the default) nothing is pushed: a checkout that may not push is enough', async () => {
  expect(costStepInputs({}, '2026-11')['history-branch']).toBe('');
  // A remote that refuses every push, as GitHub does for a token with contents: read.
  writeFileSync(
    join(repos.remote, 'hooks', 'pre-receive'),
    '#!/bin/sh\necho "Permission to octo-org/ml-repo.git denied to github-actions[bot]." >&2\nexit 1\n',
    {
      mode: 0o755,
    },
  );
  const before = await remoteBranches();
  const nov = await runMonth('2026-11', {});
  expect(nov.exitCode).toBe(0);
  expect(nov.outputs['total-cost']).toMatch(/^\d+\.\d\d$/);
  expect(await remoteBranches()).toEqual(before);

  const refused = await runMonth('2026-11', { 'history-branch': 'cost-history' });
  // The same caller asking for history-branch without contents: write: the report stands (the step's outcome is the
  // costs', as for every publishing channel), and a warning says what to grant.
  expect(refused.exitCode).toBe(0);
  expect(refused.outputs['total-cost']).toBe(nov.outputs['total-cost']);
  const warnings = refused.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
  expect(warnings).toContainEqual(
    expect.stringMatching(
      /^Could not append to the history branch 'cost-history': Could not push .* The job needs 'contents: write' permission/,
    ),
  );
  expect(await remoteBranches()).toEqual(before);
}, 180_000);
