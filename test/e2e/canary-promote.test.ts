// canary-promote as users run it: the built dist/index.js in a child process, exactly as the runner starts it on
// workflow_dispatch with the inputs a person types, against a real git remote, a loopback MLflow server following
// MLflow's REST documentation and the shared GitHub API server (checked against GitHub's OpenAPI description).
import { copyFileSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRepos, gitIn, type GitRepos } from '../support/git-repos.js';
import { runBuiltAction, type ActionRunResult } from '../support/run-built-action.js';
import { havePrometheus, recordedCanarySeries, startPrometheusWith } from '../unit/canary-promote/support/prometheus.js';
import { KSERVE_YAML, METRICS_YAML, writeArmCsv } from '../unit/canary-promote/support/canary-data.js';
import { registerModel, startFakeMlflow, type FakeMlflow } from '../unit/canary-promote/support/mlflow-server.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';
import { expectCleanFailure } from '../support/action-assertions.js';

let repos: GitRepos;
let mlflow: FakeMlflow;
let github: GitHubApiServer;
const data = mkdtempSync(join(tmpdir(), 'canary-e2e-data-'));
writeArmCsv(join(data, 'baseline.csv'), { rows: 3000, latencyMs: 100, errorRate: 0.01, accuracy: 0.9 }, 11);
writeArmCsv(join(data, 'canary.csv'), { rows: 3000, latencyMs: 100, errorRate: 0.01, accuracy: 0.9 }, 12);

beforeAll(async () => {
  repos = await createRepos();
  for (const f of ['baseline.csv', 'canary.csv']) copyFileSync(join(data, f), join(repos.workspace, f));
  writeFileSync(join(repos.workspace, 'metrics.yaml'), METRICS_YAML);
  writeFileSync(join(repos.workspace, 'kserve.yaml'), KSERVE_YAML(25));
  await gitIn(repos.workspace, 'add', '.');
  await gitIn(repos.workspace, 'commit', '--quiet', '-m', 'canary at 25%');
  await gitIn(repos.workspace, 'push', '--quiet', 'origin', 'main');
  mlflow = await startFakeMlflow();
  registerModel(mlflow, 'fraud-detector', ['3', '4'], { champion: '3' });
  github = await startGitHubApiServer();
});
afterAll(async () => {
  await mlflow.close();
  await github.close();
  await repos.cleanup();
});

const dispatch = {
  name: 'workflow_dispatch' as const,
  payload: { inputs: { 'canary-version': '4' }, sender: { login: 'mona' }, ref: 'refs/heads/main' },
};

function canaryPromote(inputs: Record<string, string>): Promise<ActionRunResult> {
  return runBuiltAction({
    action: 'canary-promote',
    cwd: repos.workspace,
    event: dispatch,
    apiUrl: github.url,
    env: { GITHUB_REF: 'refs/heads/main' },
    inputs: {
      metrics: 'metrics.yaml',
      baseline: 'baseline.csv',
      canary: 'canary.csv',
      manifest: 'kserve.yaml',
      'mlflow-tracking-uri': mlflow.url,
      'model-name': 'fraud-detector',
      'baseline-version': '3',
      'canary-version': '4',
      ...inputs,
    },
  });
}

test('a dispatched look at a healthy canary steps traffic from 25% to 50% through a pull request', async () => {
  const result = await canaryPromote({});
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  expect(result.outputs).toMatchObject({ decision: 'continue', score: '100', 'next-weight': '50' });
  const json = JSON.parse(result.outputs['result-json']);
  expect(json).toMatchObject({ decision: 'continue', current_weight: 25, next_weight: 50 });
  expect(json.metrics.map((m: { name: string }) => m.name)).toEqual(['latency', 'errors', 'accuracy']);
  expect(result.summary.split('\n')[2]).toBe('🟡 **continue**: score 100.0 / 100, traffic 25% → 50%');
  expect(result.summary).toContain('[pull request #1]');
  expect(result.summary).toContain('<summary>Audit record</summary>');
  expect(await gitIn(repos.remote, 'show', 'canary-promote/fraud-detector:kserve.yaml')).toBe(KSERVE_YAML(50));
  expect(github.state.pullRequests).toHaveLength(1);
  expect(github.state.pullRequests[0]).toMatchObject({
    head: 'canary-promote/fraud-detector',
    base: 'main',
    state: 'open',
    title: 'canary-promote: continue — canary to 50%',
  });
  expect(github.state.pullRequests[0].body).toMatch(/continue/);
  expect(github.requests.every((r) => r.headers.authorization === 'token ghs_test-token-not-a-secret')).toBe(true);
  expect(github.violations).toEqual([]);
  const audit = JSON.parse(readFileSync(join(repos.workspace, 'canary-report', 'canary-audit.json'), 'utf8'));
  expect(audit.triggered_by).toMatchObject({ actor: 'mona', event: 'workflow_dispatch' });
  expect(mlflow.models.get('fraud-detector')!.aliases.get('champion')).toBe('3');
});

test('a mistyped input fails cleanly, naming the input and what was expected', async () => {
  const result = await canaryPromote({ confidence: '98%' });
  expectCleanFailure(result, /Invalid value for input 'confidence': '98%'\. Expected a number >= 0\.5 and < 1\./);
});

test('a metrics config linked from outside the workspace is refused', async () => {
  const outside = mkdtempSync(join(tmpdir(), 'canary-outside-'));
  writeFileSync(join(outside, 'metrics.yaml'), METRICS_YAML);
  symlinkSync(join(outside, 'metrics.yaml'), join(repos.workspace, 'linked-metrics.yaml'));
  const result = await canaryPromote({ metrics: 'linked-metrics.yaml' });
  expectCleanFailure(result, /linked-metrics\.yaml/);
  expect(result.outputs.decision).toBeUndefined();
});

const withPrometheus = havePrometheus() ? test : test.skip;
if (!havePrometheus()) console.warn('Skipping the Prometheus e2e test: /usr/bin/prometheus or /usr/bin/promtool is not installed.');

withPrometheus(
  'a slower canary seen in a real Prometheus is rolled back and the step fails (fail-on: rollback)',
  async () => {
    const prometheus = await startPrometheusWith(
      recordedCanarySeries(Math.floor(Date.now() / 1000), { canaryFactor: 1.5, canaryErrorRate: 0.01 }),
    );
    try {
      writeFileSync(
        join(repos.workspace, 'prom-metrics.yaml'),
        'metrics:\n  - name: latency\n    query: \'request_latency_ms{version="$VERSION"}\'\n    direction: increase\n    critical: true\n',
      );
      const result = await runBuiltAction({
        action: 'canary-promote',
        cwd: repos.workspace,
        event: dispatch,
        inputs: {
          metrics: 'prom-metrics.yaml',
          'prometheus-url': prometheus.url,
          'baseline-version': 'v1',
          'canary-version': 'v2',
          'current-weight': '10',
          'dry-run': 'true',
        },
      });
      expect(result.outputs).toMatchObject({ decision: 'rollback', 'next-weight': '0', score: '0' });
      expectCleanFailure(result, /Canary rolled back: Critical metric failed: latency \(High\)\. Failing because fail-on is 'rollback'\./);
    } finally {
      await prometheus.stop();
    }
  },
  90_000,
);
