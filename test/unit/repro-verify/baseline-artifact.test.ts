// A baseline kept as a workflow artifact: found by name (newest good run on the default branch, or a given run),
// downloaded through GitHub's 302 to storage and read out of its zip, against the loopback API server that checks
// every request against GitHub's OpenAPI description. Then the whole step, driven through main.
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { silentLogger } from '#shared/logger.js';
import { runAction } from '#shared/runtime/run-action.js';
import { isSafeEntryName, pickBaselineEntry, readBaselineEntry } from '../../../actions/repro-verify/src/baseline/artifact-zip.js';
import { downloadBaselineArtifact, type ArtifactRequest } from '../../../actions/repro-verify/src/baseline/baseline-artifact.js';
import { buildBaseline } from '../../../actions/repro-verify/src/baseline/baseline-file.js';
import { githubArtifacts } from '../../../actions/repro-verify/src/baseline/github-artifacts.js';
import type { EnvironmentManifest } from '../../../actions/repro-verify/src/environment/manifest.js';
import { reproVerify } from '../../../actions/repro-verify/src/main.js';
import { fakeRuntime } from '../../support/fake-runtime.js';
import type { ArtifactFixture } from '../../support/github-artifacts.js';
import { startGitHubApiServer, type GitHubApiServer } from '../../support/github-api-server.js';
import { REPO_ROOT } from '../../support/run-built-action.js';
import type { WorkflowRunFixture } from '../../support/github-workflow-runs.js';

const repository = { owner: 'octo-org', repo: 'ml-repo' };
const manifest = { schema_version: '1.1', python: { packages: [] } } as unknown as EnvironmentManifest;
const baselineJson = (createdAt: string) =>
  JSON.stringify(
    buildBaseline(
      manifest,
      { outputs: new Map([['model.bin', { hash: 'ab'.repeat(32), size: 3 }]]), metrics: new Map() },
      new Date(createdAt),
    ),
  );
const zipOf = (files: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));

const run = (id: number, headBranch: string, conclusion: 'success' | 'failure', createdAt: string): WorkflowRunFixture => ({
  ...repository,
  id,
  path: '.github/workflows/nightly.yml',
  headBranch,
  headSha: 'a'.repeat(40),
  event: 'schedule',
  conclusion,
  createdAt,
  jobs: [],
});
const artifact = (
  id: number,
  runId: number,
  headBranch: string,
  createdAt: string,
  extra: Partial<ArtifactFixture> = {},
): ArtifactFixture => ({
  ...repository,
  id,
  name: 'repro-baseline',
  runId,
  headBranch,
  createdAt,
  zip: zipOf({ 'repro-baseline.json': baselineJson(createdAt) }),
  ...extra,
});

let server: GitHubApiServer;
beforeEach(async () => {
  server = await startGitHubApiServer();
  server.setWorkflowRuns([
    run(101, 'main', 'success', '2026-11-01T03:17:00Z'),
    run(102, 'main', 'failure', '2026-11-02T03:17:00Z'),
    run(103, 'feature/faster-loader', 'success', '2026-11-03T03:17:00Z'),
  ]);
  server.setArtifacts([
    artifact(1, 101, 'main', '2026-11-01T03:30:00Z'),
    artifact(2, 102, 'main', '2026-11-02T03:30:00Z'),
    artifact(3, 103, 'feature/faster-loader', '2026-11-03T03:30:00Z'),
  ]);
});
afterEach(async () => {
  expect(server.violations).toEqual([]);
  await server.close();
});

const api = () => githubArtifacts({ token: 'ghs_test', baseUrl: server.url, logger: silentLogger });
const request = (extra: Partial<ArtifactRequest> = {}): ArtifactRequest => ({
  repository,
  name: 'repro-baseline',
  maxBytes: 1 << 20,
  ...extra,
});

describe('finding the artifact', () => {
  test('takes the newest one from a successful run on the default branch, not a failed run or a branch', async () => {
    const doc = await downloadBaselineArtifact(api(), request());
    expect(doc.created_at).toBe('2026-11-01T03:30:00.000Z');
    expect(doc.outputs).toEqual([{ path: 'model.bin', sha256: 'ab'.repeat(32), size: 3 }]);
    const ops = server.requests.map((r) => r.operationId ?? r.path);
    expect(ops).toEqual([
      'actions/list-artifacts-for-repo',
      'repos/get',
      'actions/get-workflow-run', // run 102 failed
      'actions/get-workflow-run',
      'actions/download-artifact',
    ]);
    expect(server.requests[0].query).toMatchObject({ name: 'repro-baseline' });
    expect(server.requests[2].path).toBe('/repos/octo-org/ml-repo/actions/runs/102');
  });

  test('with a run id, that run artifact (even from a branch)', async () => {
    const doc = await downloadBaselineArtifact(api(), request({ runId: 103 }));
    expect(doc.created_at).toBe('2026-11-03T03:30:00.000Z');
    expect(server.requests[0].operationId).toBe('actions/list-workflow-run-artifacts');
  });

  test('not found: the message names the artifact and where it was looked for', async () => {
    await expect(downloadBaselineArtifact(api(), request({ name: 'repro-basline' }))).rejects.toThrow(
      "No artifact named 'repro-basline' in octo-org/ml-repo (input 'baseline-artifact'). Upload it from an earlier run with actions/upload-artifact (name: repro-basline), or check the name.",
    );
    await expect(downloadBaselineArtifact(api(), request({ runId: 101, name: 'other' }))).rejects.toThrow(
      /^No artifact named 'other' in run 101 of octo-org\/ml-repo .*check the name and baseline-run-id\.$/,
    );
  });

  test('expired: says so, with the date, and what to do', async () => {
    server.setArtifacts([artifact(1, 101, 'main', '2026-06-01T03:30:00Z', { expired: true })]);
    await expect(downloadBaselineArtifact(api(), request())).rejects.toThrow(
      /^The artifact 'repro-baseline' in octo-org\/ml-repo has expired \(on 2026-06-02\): GitHub deletes artifacts after their retention period\./,
    );
  });

  test('expired between the listing and the download: the 410 is a clear message too', async () => {
    const fresh = artifact(1, 101, 'main', '2026-11-01T03:30:00Z');
    server.setArtifacts([fresh]);
    const artifacts = api();
    const pages = artifacts.pages.bind(artifacts);
    artifacts.pages = async function* (...args) {
      for await (const page of pages(...args)) {
        fresh.expired = true;
        yield page;
      }
    };
    await expect(downloadBaselineArtifact(artifacts, request())).rejects.toThrow(
      /artifact 1 of octo-org\/ml-repo has expired \(HTTP 410 Gone\)/,
    );
  });

  test('a token without actions: read is told which permission it lacks', async () => {
    server.refuseOperation('actions/list-artifacts-for-repo', { status: 403, message: 'Resource not accessible by integration' });
    await expect(downloadBaselineArtifact(api(), request())).rejects.toThrow(
      "The token cannot read the artifacts of octo-org/ml-repo (HTTP 403): it needs the 'actions: read' permission (permissions: { actions: read } in the workflow; for another repository, a token with access to it).",
    );
  });

  test('no run on the default branch succeeded: says how many were seen', async () => {
    server.setArtifacts([
      artifact(2, 102, 'main', '2026-11-02T03:30:00Z'),
      artifact(3, 103, 'feature/faster-loader', '2026-11-03T03:30:00Z'),
    ]);
    await expect(downloadBaselineArtifact(api(), request())).rejects.toThrow(
      "No artifact named 'repro-baseline' in octo-org/ml-repo comes from a successful run on the default branch 'main' (2 not expired, 1 from 'main'). Set baseline-run-id to take one from a given run.",
    );
  });

  test('an artifact larger than the limit is refused before it is downloaded', async () => {
    await expect(downloadBaselineArtifact(api(), request({ maxBytes: 50 }))).rejects.toThrow(
      /bytes, more than the 50 bytes read for a baseline/,
    );
    expect(server.requests.some((r) => r.operationId === 'actions/download-artifact')).toBe(false);
  });
});

describe('more artifacts than one page', () => {
  // A busy repository: every PR run uploads one, so the nightly's artifact on the default branch lies pages deep.
  const branchArtifacts = (count: number, firstId: number, newestAt: string) =>
    Array.from({ length: count }, (_, i) =>
      artifact(firstId + i, 900 + (i % 7), `feature/pr-${i}`, new Date(Date.parse(newestAt) - i * 60_000).toISOString()),
    );
  const listPages = () =>
    server.requests.filter((r) => r.operationId === 'actions/list-artifacts-for-repo').map((r) => Number(r.query.page ?? 1));

  test('finds the good run on page 2 of 4, and never asks for pages 3 and 4', async () => {
    server.setArtifacts([
      ...branchArtifacts(150, 1000, '2026-11-20T12:00:00Z'),
      artifact(2, 102, 'main', '2026-11-10T03:30:00Z'), // failed run
      artifact(1, 101, 'main', '2026-11-01T03:30:00Z'),
      ...branchArtifacts(170, 5000, '2026-10-31T12:00:00Z'),
    ]);
    const doc = await downloadBaselineArtifact(api(), request());
    expect(doc.created_at).toBe('2026-11-01T03:30:00.000Z');
    expect(listPages()).toEqual([1, 2]);
    expect(server.requests.filter((r) => r.operationId === 'actions/get-workflow-run').map((r) => r.path)).toEqual([
      '/repos/octo-org/ml-repo/actions/runs/102',
      '/repos/octo-org/ml-repo/actions/runs/101',
    ]);
  });

  test('the newest good one wins when several pages hold one', async () => {
    server.setArtifacts([
      ...branchArtifacts(120, 1000, '2026-11-20T12:00:00Z'),
      artifact(9, 101, 'main', '2026-11-05T03:30:00Z'),
      ...branchArtifacts(120, 5000, '2026-11-04T12:00:00Z'),
      artifact(1, 101, 'main', '2026-11-01T03:30:00Z'),
    ]);
    expect((await downloadBaselineArtifact(api(), request())).created_at).toBe('2026-11-05T03:30:00.000Z');
    expect(listPages()).toEqual([1, 2]);
  });

  test('none fits: every page is read, and the counts cover them all', async () => {
    server.setArtifacts([...branchArtifacts(230, 1000, '2026-11-20T12:00:00Z'), artifact(2, 102, 'main', '2026-11-02T03:30:00Z')]);
    await expect(downloadBaselineArtifact(api(), request())).rejects.toThrow(
      "No artifact named 'repro-baseline' in octo-org/ml-repo comes from a successful run on the default branch 'main' (231 not expired, 1 from 'main').",
    );
    expect(listPages()).toEqual([1, 2, 3]);
  });

  test('all expired across pages: the newest expiry date is given', async () => {
    server.setArtifacts(
      Array.from({ length: 140 }, (_, i) =>
        artifact(10 + i, 101, 'main', new Date(Date.parse('2026-06-01T03:30:00Z') - i * 86_400_000).toISOString(), { expired: true }),
      ),
    );
    await expect(downloadBaselineArtifact(api(), request())).rejects.toThrow(
      /^The artifact 'repro-baseline' in octo-org\/ml-repo has expired \(on 2026-06-02\)/,
    );
    expect(listPages()).toEqual([1, 2]);
  });

  test('stops asking after 20 runs that did not succeed, and says so', async () => {
    server.setArtifacts(
      Array.from({ length: 130 }, (_, i) =>
        artifact(10 + i, 102, 'main', new Date(Date.parse('2026-11-20T03:30:00Z') - i * 86_400_000).toISOString()),
      ),
    );
    await expect(downloadBaselineArtifact(api(), request())).rejects.toThrow(
      "No artifact named 'repro-baseline' in octo-org/ml-repo comes from a successful run on the default branch 'main': the 20 newest from 'main' come from runs that did not succeed (or have not finished).",
    );
    expect(server.requests.filter((r) => r.operationId === 'actions/get-workflow-run')).toHaveLength(20);
    expect(listPages()).toEqual([1]);
  });
});

describe('reading the zip', () => {
  test('entry names that would escape a folder are refused', () => {
    for (const bad of ['../repro-baseline.json', '/etc/passwd', 'a/../../b.json', 'C:/x.json', 'a\\..\\b.json'])
      expect(isSafeEntryName(bad)).toBe(false);
    for (const good of ['repro-baseline.json', 'repro-report/repro-baseline.json', 'a..b.json']) expect(isSafeEntryName(good)).toBe(true);
    const zip = zipOf({ 'repro-baseline.json': '{}', '../../.bashrc': 'x' });
    expect(() => readBaselineEntry(zip, "artifact 'b'", 1 << 20)).toThrow(
      "artifact 'b': artifact 'b' holds an entry with an unsafe path ('../../.bashrc'): refused",
    );
  });

  test('repro-baseline.json is chosen beside the report; else the only JSON file; else a clear message', () => {
    expect(pickBaselineEntry(['repro-report.json', 'environment-manifest.json', 'repro-baseline.json'], 'a')).toBe('repro-baseline.json');
    expect(pickBaselineEntry(['out/', 'out/nightly.json', 'README.md'], 'a')).toBe('out/nightly.json');
    expect(() => pickBaselineEntry(['x.json', 'y.json'], "artifact 'b'")).toThrow(
      /holds 2 JSON files \(x\.json, y\.json\) and none named repro-baseline\.json/,
    );
    expect(() => pickBaselineEntry(['model.bin'], "artifact 'b'")).toThrow(/holds no JSON file/);
  });

  test('an entry that inflates past the limit is refused; a file that is no zip says so', () => {
    const zip = zipOf({ 'repro-baseline.json': ' '.repeat(100_000) });
    expect(zip.length).toBeLessThan(2000);
    expect(() => readBaselineEntry(zip, 'a', 10_000)).toThrow(/repro-baseline\.json is 100000 bytes, more than the 10000 bytes allowed/);
    expect(() => readBaselineEntry(strToU8('not a zip'), 'a', 10_000)).toThrow(/is not a readable zip archive/);
  });
});

test('the step compares with the artifact baseline, and its summary says how to keep a baseline as an artifact', async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'repro-artifact-'));
  cpSync(join(REPO_ROOT, 'examples/repro-verify/train'), join(workspace, 'train'), { recursive: true });
  const inputs = {
    command: 'python3 train_deterministic.py',
    'working-directory': 'train',
    runs: '1',
    outputs: 'out/*.json',
    metrics: 'out/metrics.json',
    'report-dir': join(workspace, 'report'),
    'github-token': 'ghs_test',
  };
  const first = fakeRuntime(inputs, { workspace, apiUrl: server.url, repository });
  expect(await runAction(reproVerify, first)).toBe(true);
  expect(first.summary).toContain('### Keep this run as the baseline');
  // The path as a workflow step names it: relative to the workspace.
  expect(first.summary).toContain('    path: report/repro-baseline.json\n');

  // Upload that file as the artifact of run 101, as actions/upload-artifact would.
  const saved = readFileSync(join(workspace, 'report/repro-baseline.json'), 'utf8');
  server.setArtifacts([artifact(7, 101, 'main', '2026-11-01T03:30:00Z', { zip: zipOf({ 'repro-baseline.json': saved }) })]);
  const second = fakeRuntime(
    { ...inputs, 'baseline-artifact': 'repro-baseline', 'report-dir': join(workspace, 'report2') },
    { workspace, apiUrl: server.url, repository },
  );
  expect(await runAction(reproVerify, second)).toBe(true);
  expect(second.logs).toContain(`Baseline: artifact 'repro-baseline' of octo-org/ml-repo (recorded ${JSON.parse(saved).created_at}).`);
  const report = JSON.parse(readFileSync(second.outputs['report-json'], 'utf8'));
  expect(report.outputs.every((o: { baseline_hash?: string; status: string }) => o.baseline_hash && o.status === 'identical')).toBe(true);
  expect(second.summary).toContain('compared with the baseline');
  // This job keeps its baseline as an artifact already: no advice on how to.
  expect(second.summary).not.toContain('### Keep this run as the baseline');

  const missing = fakeRuntime(
    { ...inputs, 'baseline-artifact': 'nightly-baseline', 'report-dir': join(workspace, 'report3') },
    { workspace, apiUrl: server.url, repository },
  );
  expect(await runAction(reproVerify, missing)).toBe(false);
  expect(missing.failures[0]).toMatch(/^No artifact named 'nightly-baseline' in octo-org\/ml-repo/);
}, 60_000);
