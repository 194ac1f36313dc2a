// repro-verify's baseline-artifact as users run it: the built dist/index.js, a nightly run that writes its baseline,
// that file uploaded as the artifact of a good run on the default branch (behind more than a page of PR artifacts),
// and the next run finding it through the loopback API server (every request checked against GitHub's OpenAPI
// description, the zip fetched from the redirected storage host without the token).
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { expectCleanFailure } from '../support/action-assertions.js';
import type { ArtifactFixture } from '../support/github-artifacts.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';
import type { WorkflowRunFixture } from '../support/github-workflow-runs.js';
import { REPO_ROOT, runBuiltAction } from '../support/run-built-action.js';

const repository = { owner: 'octo-org', repo: 'ml-repo' };
const work = mkdtempSync(join(tmpdir(), 'repro-artifact-e2e-'));
cpSync(join(REPO_ROOT, 'examples/repro-verify/train'), join(work, 'train'), { recursive: true });
const training = {
  'working-directory': 'train',
  command: 'python3 train_deterministic.py',
  outputs: 'out/*.json, out/*.csv',
  metrics: 'out/metrics.json',
  runs: '1',
};

const nightlyRun: WorkflowRunFixture = {
  ...repository,
  id: 4242,
  path: '.github/workflows/nightly.yml',
  headBranch: 'main',
  headSha: 'a'.repeat(40),
  event: 'schedule',
  conclusion: 'success',
  createdAt: '2026-11-01T03:17:00Z',
  jobs: [],
};
const artifact = (id: number, runId: number, headBranch: string, createdAt: string, zip: Uint8Array): ArtifactFixture => ({
  ...repository,
  id,
  name: 'repro-baseline',
  runId,
  headBranch,
  createdAt,
  zip,
});

let api: GitHubApiServer;
beforeAll(async () => {
  api = await startGitHubApiServer();
});
afterAll(async () => {
  await api.close();
});

const reproVerify = (inputs: Record<string, string>) =>
  runBuiltAction({ action: 'repro-verify', inputs: { ...training, ...inputs }, cwd: work, apiUrl: api.url, timeoutMs: 90_000 });

test('a baseline uploaded by an earlier run is found pages deep, compared, and the summary says so', async () => {
  const nightly = await reproVerify({ 'report-dir': 'nightly' });
  expect(nightly.exitCode).toBe(0);
  const saved = readFileSync(join(work, 'nightly/repro-baseline.json'), 'utf8');
  expect(nightly.outputs['baseline-file']).toMatch(/nightly\/repro-baseline\.json$/);

  // As actions/upload-artifact would keep it, under 130 newer artifacts of the same name from PR runs.
  const prZip = zipSync({ 'repro-baseline.json': strToU8('{}') });
  api.setWorkflowRuns([nightlyRun]);
  api.setArtifacts([
    ...Array.from({ length: 130 }, (_, i) =>
      artifact(1000 + i, 5000 + i, `feature/pr-${i}`, new Date(Date.parse('2026-11-20T12:00:00Z') - i * 60_000).toISOString(), prZip),
    ),
    artifact(7, nightlyRun.id, 'main', '2026-11-01T03:30:00Z', zipSync({ 'repro-report/repro-baseline.json': strToU8(saved) })),
  ]);
  const result = await reproVerify({ 'baseline-artifact': 'repro-baseline', 'report-dir': 'pr' });
  expect(result.exitCode).toBe(0);
  expect(api.violations).toEqual([]);
  expect(result.stdout).toContain(`Baseline: artifact 'repro-baseline' of octo-org/ml-repo (recorded ${JSON.parse(saved).created_at}).`);
  const report = JSON.parse(readFileSync(result.outputs['report-json'], 'utf8'));
  expect(
    report.outputs.map((o: { path: string; status: string; baseline_hash?: string; hashes: string[] }) => [
      o.path,
      o.status,
      o.baseline_hash === o.hashes[0],
    ]),
  ).toEqual([
    ['out/metrics.json', 'identical', true],
    ['out/model.json', 'identical', true],
    ['out/predictions.csv', 'identical', true],
  ]);
  expect(result.outputs.reproducible).toBe('true');
  expect(result.summary).toContain('compared with the baseline');
  // Two pages of the listing, the one run asked about, and the zip of artifact 7: nothing else.
  const asked = api.requests.map((r) => `${r.operationId} ${r.query.page ?? ''}`.trim());
  expect(asked.filter((o) => o.startsWith('actions/list-artifacts-for-repo'))).toEqual([
    'actions/list-artifacts-for-repo',
    'actions/list-artifacts-for-repo 2',
  ]);
  expect(api.requests.filter((r) => r.operationId === 'actions/get-workflow-run').map((r) => r.path)).toEqual([
    '/repos/octo-org/ml-repo/actions/runs/4242',
  ]);
  expect(api.requests.filter((r) => r.operationId === 'actions/download-artifact').map((r) => r.path)).toEqual([
    '/repos/octo-org/ml-repo/actions/artifacts/7/zip',
  ]);
}, 180_000);

test('a missing artifact is a clean failure naming it and where it was looked for', async () => {
  const result = await reproVerify({ 'baseline-artifact': 'nightly-baseline', 'report-dir': 'missing' });
  expectCleanFailure(
    result,
    /No artifact named 'nightly-baseline' in octo-org\/ml-repo \(input 'baseline-artifact'\)\. Upload it from an earlier run with actions\/upload-artifact \(name: nightly-baseline\), or check the name\./,
  );
  expect(api.violations).toEqual([]);
}, 120_000);
