// canary-promote's main driven as the runner drives it (a fake ActionRuntime), against real git repositories (a
// bare remote), a loopback MLflow server following its REST documentation and the shared GitHub API server (every request and
// response checked against GitHub's OpenAPI description).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canaryPromote } from '../../../actions/canary-promote/src/main.js';
import { runAction } from '#shared/runtime/run-action.js';
import { createRepos, gitIn, type GitRepos } from '../../support/git-repos.js';
import { fakeRuntime } from '../../support/fake-runtime.js';
import { KSERVE_YAML, METRICS_YAML, writeArmCsv } from './support/canary-data.js';
import { registerModel, startFakeMlflow, type FakeMlflow } from './support/mlflow-server.js';
import { startGitHubApiServer, type GitHubApiServer } from '../../support/github-api-server.js';

let repos: GitRepos;
let mlflow: FakeMlflow;
let github: GitHubApiServer;
const data = mkdtempSync(join(tmpdir(), 'canary-data-'));
writeArmCsv(join(data, 'baseline.csv'), { rows: 2000, latencyMs: 100, errorRate: 0.01, accuracy: 0.9 }, 1);
writeArmCsv(join(data, 'canary-good.csv'), { rows: 2000, latencyMs: 100, errorRate: 0.01, accuracy: 0.9 }, 2);
writeArmCsv(join(data, 'canary-slow.csv'), { rows: 2000, latencyMs: 140, errorRate: 0.01, accuracy: 0.9 }, 3);
writeArmCsv(join(data, 'canary-few.csv'), { rows: 12, latencyMs: 100, errorRate: 0.01, accuracy: 0.9 }, 4);
writeFileSync(join(data, 'metrics.yaml'), METRICS_YAML);

beforeEach(async () => {
  repos = await createRepos();
  writeFileSync(join(repos.workspace, 'kserve.yaml'), KSERVE_YAML(10));
  await gitIn(repos.workspace, 'add', 'kserve.yaml');
  await gitIn(repos.workspace, 'commit', '--quiet', '-m', 'canary at 10%');
  await gitIn(repos.workspace, 'push', '--quiet', 'origin', 'main');
  mlflow = await startFakeMlflow();
  registerModel(mlflow, 'fraud-detector', ['1', '2'], { champion: '1' });
  github = await startGitHubApiServer();
});
afterEach(async () => {
  await mlflow.close();
  await github.close();
  await repos.cleanup();
});

async function look(inputs: Record<string, string>) {
  const runtime = fakeRuntime(
    {
      metrics: join(data, 'metrics.yaml'),
      baseline: join(data, 'baseline.csv'),
      canary: join(data, 'canary-good.csv'),
      manifest: join(repos.workspace, 'kserve.yaml'),
      'mlflow-tracking-uri': mlflow.url,
      'model-name': 'fraud-detector',
      'baseline-version': '1',
      'canary-version': '2',
      'report-dir': join(repos.root, 'report'),
      'github-token': 'ghs_test',
      ...inputs,
    },
    {
      repository: { owner: 'octo-org', repo: 'ml-repo' },
      apiUrl: github.url,
      ref: 'refs/heads/main',
      eventName: 'workflow_dispatch',
      payload: { sender: { login: 'mona' } },
    },
  );
  const ok = await runAction(canaryPromote, runtime);
  return { ok, runtime, result: runtime.outputs['result-json'] ? JSON.parse(runtime.outputs['result-json']) : undefined };
}

const remoteFile = (branch: string, path = 'kserve.yaml') => gitIn(repos.remote, 'show', `${branch}:${path}`);

test('a healthy canary at 10% steps to 25% through a pull request, comments and layout kept', async () => {
  const { ok, runtime, result } = await look({});
  expect(runtime.failures).toEqual([]);
  expect(ok).toBe(true);
  expect(runtime.outputs.decision).toBe('continue');
  expect(runtime.outputs['next-weight']).toBe('25');
  expect(result).toMatchObject({ decision: 'continue', current_weight: 10, next_weight: 25, score: 100 });
  expect(Object.keys(result)).toEqual(['decision', 'score', 'reason', 'current_weight', 'next_weight', 'metrics']);
  expect(result.metrics[0]).toMatchObject({ name: 'latency', classification: 'Pass', critical: true, direction: 'increase' });
  expect(result.metrics[0].p_value).toBeGreaterThan(0);
  expect(result.metrics[1].probability_better).toBeGreaterThan(0);
  expect(result.metrics[1].interval[0]).toBeLessThan(result.metrics[1].interval[1]);
  expect(await remoteFile('canary-promote/fraud-detector')).toBe(KSERVE_YAML(25));
  expect(await remoteFile('main')).toBe(KSERVE_YAML(10));
  expect(github.state.pullRequests).toMatchObject([
    { owner: 'octo-org', repo: 'ml-repo', number: 1, head: 'canary-promote/fraud-detector', base: 'main', state: 'open' },
  ]);
  const pull = github.state.pullRequests[0];
  expect(pull.title).toMatch(/continue.*25%/);
  expect(pull.body).toMatch(/continue/);
  expect(pull.body).toMatch(/25%/);
  expect(mlflow.models.get('fraud-detector')!.aliases.get('champion')).toBe('1');
  // decision and score first, then the table
  expect(runtime.summary).toMatch(/^## Canary analysis\n\n🟡 \*\*continue\*\*: score 100\.0 \/ 100, traffic 10% → 25%/);
  expect(runtime.summary).toContain('| latency |');
  expect(runtime.summary).toContain('[pull request #1](https://github.com/octo-org/ml-repo/pull/1) (created)');
  const audit = JSON.parse(readFileSync(join(repos.root, 'report', 'canary-audit.json'), 'utf8'));
  expect(audit.triggered_by).toMatchObject({ actor: 'mona', event: 'workflow_dispatch' });
  expect(audit.inputs).toMatchObject({ 'model-name': 'fraud-detector', 'canary-version': '2' });
  expect(audit.inputs['github-token']).toBeUndefined();

  // the next look updates the same pull request
  await gitIn(repos.workspace, 'pull', '--quiet');
  const again = await look({ 'current-weight': '10' });
  expect(again.ok).toBe(true);
  expect(github.state.pullRequests).toHaveLength(1);
  expect(github.requests.map((r) => r.operationId).filter((id) => id?.startsWith('pulls/'))).toEqual([
    'pulls/list',
    'pulls/create',
    'pulls/list',
    'pulls/update',
  ]);
  expect(github.violations).toEqual([]);
});

test('passing at 50% promotes: the alias moves to the canary and the manifest to 100%, pushed directly', async () => {
  writeFileSync(join(repos.workspace, 'kserve.yaml'), KSERVE_YAML(50));
  await gitIn(repos.workspace, 'commit', '--quiet', '-am', 'canary at 50%');
  const { ok, result } = await look({ 'manifest-update': 'push' });
  expect(ok).toBe(true);
  expect(result).toMatchObject({ decision: 'promote', next_weight: 100 });
  expect(mlflow.models.get('fraud-detector')!.aliases.get('champion')).toBe('2');
  expect(mlflow.models.get('fraud-detector')!.versions.get('2')!.tags['canary-promote.decision']).toBe('promote');
  expect(await remoteFile('main')).toBe(KSERVE_YAML(100));
});

test('a slower canary fails the critical latency metric: rollback, alias back, step failed by fail-on', async () => {
  mlflow.models.get('fraud-detector')!.aliases.set('champion', '2');
  const { ok, runtime, result } = await look({ canary: join(data, 'canary-slow.csv') });
  expect(ok).toBe(false);
  expect(result).toMatchObject({ decision: 'rollback', score: 0, next_weight: 0 });
  expect(result.metrics[0]).toMatchObject({ name: 'latency', classification: 'High' });
  expect(result.metrics[0].interval[0]).toBeGreaterThan(0);
  expect(runtime.failures[0]).toMatch(
    /^Canary rolled back: Critical metric failed: latency \(High\)\. Failing because fail-on is 'rollback'\.$/,
  );
  expect(mlflow.models.get('fraud-detector')!.aliases.get('champion')).toBe('1');
  expect(await remoteFile('canary-promote/fraud-detector')).toBe(KSERVE_YAML(0));

  const never = await look({ canary: join(data, 'canary-slow.csv'), 'fail-on': 'never', 'dry-run': 'true' });
  expect(never.ok).toBe(true);
  expect(never.result.decision).toBe('rollback');
});

test('too few samples never promote: hold at the current step, roll back after max-wait', async () => {
  const hold = await look({ canary: join(data, 'canary-few.csv') });
  expect(hold.result).toMatchObject({ decision: 'continue', next_weight: 10 });
  expect(hold.result.reason).toMatch(/Not enough data yet.*latency \(too few samples\)/);
  const late = await look({
    canary: join(data, 'canary-few.csv'),
    'max-wait': '1h',
    'step-started-at': '2000-01-01T00:00:00Z',
    'dry-run': 'true',
    'fail-on': 'never',
  });
  expect(late.result.decision).toBe('rollback');
  expect(late.result.reason).toMatch(/^Not enough data after max-wait/);
});

test('a push that is refused leaves the alias where it was and the manifest unchanged', async () => {
  writeFileSync(join(repos.workspace, 'kserve.yaml'), KSERVE_YAML(50));
  await gitIn(repos.workspace, 'commit', '--quiet', '-am', 'canary at 50%');
  // the remote refuses every push, as a protected branch does
  writeFileSync(join(repos.remote, 'hooks', 'pre-receive'), '#!/bin/sh\necho "protected branch" >&2\nexit 1\n', { mode: 0o755 });
  const { ok, runtime } = await look({ 'manifest-update': 'push' });
  expect(ok).toBe(false);
  expect(runtime.failures[0]).toMatch(/^Could not push the manifest change to branch 'main' of 'origin'/);
  expect(mlflow.models.get('fraud-detector')!.aliases.get('champion')).toBe('1');
  expect(readFileSync(join(repos.workspace, 'kserve.yaml'), 'utf8')).toBe(KSERVE_YAML(50));
  expect(
    mlflow.requests
      .filter((r) => r.method === 'POST' && r.path === 'registered-models/alias')
      .map((r) => (r.body as { version: string }).version),
  ).toEqual(['2', '1']);
});

test.each([
  [
    'a canary version missing from the registry',
    { 'canary-version': '7' },
    /^MLflow could not find version '7' of registered model 'fraud-detector': RESOURCE_DOES_NOT_EXIST/,
  ],
  [
    'an unknown input value',
    { 'fail-on': 'sometimes' },
    /^Invalid value for input 'fail-on': 'sometimes'\. Expected one of 'never', 'rollback'\.$/,
  ],
  ['a bad duration', { 'max-wait': 'soon' }, /^Invalid value for input 'max-wait': 'soon'\. Expected a duration/],
  ['steps out of order', { steps: '50,25,100' }, /^Invalid value for input 'steps'/],
])('%s is a clear message and changes nothing', async (_name, inputs, message) => {
  const { ok, runtime } = await look(inputs);
  expect(ok).toBe(false);
  expect(runtime.failures[0]).toMatch(message);
  expect(runtime.failures[0]).not.toMatch(/Unexpected error/);
  expect(mlflow.models.get('fraud-detector')!.aliases.get('champion')).toBe('1');
  expect(await gitIn(repos.remote, 'branch', '--list', 'canary-promote/*')).toBe('');
});

test('a metrics config mistake names the file and line', async () => {
  writeFileSync(join(data, 'bad.yaml'), 'metrics:\n  - name: latency\n    column: latency_ms\n    direction: upward\n');
  const { ok, runtime } = await look({ metrics: join(data, 'bad.yaml') });
  expect(ok).toBe(false);
  expect(runtime.failures[0]).toBe(
    `${join(data, 'bad.yaml')}:4: metric 'latency': 'direction' is "upward". Expected one of increase, decrease, either`,
  );
});

test("a metric whose values are all NaN is the user's mistake, said as such", async () => {
  writeFileSync(join(data, 'nan.csv'), 'latency_ms,error,correct\n' + 'NaN,0,1\n'.repeat(50));
  const { ok, runtime } = await look({ canary: join(data, 'nan.csv') });
  expect(ok).toBe(false);
  expect(runtime.failures[0]).toMatch(/^Metric 'latency': all 50 canary values are NaN/);
});

test('a manifest without the traffic field is refused before anything changes', async () => {
  writeFileSync(join(repos.workspace, 'kserve.yaml'), KSERVE_YAML(10).replace(/ *canaryTrafficPercent.*\n/, ''));
  const { ok, runtime } = await look({});
  expect(ok).toBe(false);
  expect(runtime.failures[0]).toMatch(/kserve\.yaml:\d+: InferenceService 'fraud-detector' lacks spec\.predictor\.canaryTrafficPercent/);
});
