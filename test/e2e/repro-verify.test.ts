// repro-verify as users run it: the built dist/index.js in a child process, exactly as the runner starts it, running
// the example training scripts with python3, the example DVC pipeline, and every bad input the issue lists.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubApiServer } from '../support/github-api-server.js';
import { REPO_ROOT, runBuiltAction, type ActionRunResult } from '../support/run-built-action.js';
import { expectCleanFailure } from '../support/action-assertions.js';

const work = mkdtempSync(join(tmpdir(), 'repro-e2e-'));
cpSync(join(REPO_ROOT, 'examples/repro-verify/train'), join(work, 'train'), { recursive: true });
cpSync(join(REPO_ROOT, 'examples/repro-verify/dvc-pipeline'), join(work, 'pipeline'), { recursive: true });
const training = { 'working-directory': 'train', outputs: 'out/*.json, out/*.csv', metrics: 'out/metrics.json' };

function reproVerify(inputs: Record<string, string>, extra: Partial<Parameters<typeof runBuiltAction>[0]> = {}) {
  return runBuiltAction({ action: 'repro-verify', inputs, cwd: work, timeoutMs: 90_000, ...extra });
}

const report = (result: ActionRunResult) => JSON.parse(readFileSync(result.outputs['report-json'], 'utf8'));

describe('repro-verify on the example training scripts', () => {
  test('the seeded script reproduces: outputs, summary, manifest without secrets', async () => {
    const result = await reproVerify(
      {
        ...training,
        command: 'python3 train_deterministic.py',
        'report-dir': 'ok',
        env: 'SEED=42',
        'env-allowlist': 'SEED',
        inputs: '*.py',
      },
      { env: { MY_API_TOKEN: 'hunter2-not-recorded', PYTHONHASHSEED: '0' } },
    );
    expect(result.exitCode).toBe(0);
    expect(result.outputs.reproducible).toBe('true');
    expect(result.outputs.score).toBe('1');
    expect(result.summary).toMatch(/## Reproducibility check\n\n✅ \*\*Reproducible\*\*: 2 run\(s\) agree/);
    const r = report(result);
    expect(Object.keys(r)).toEqual([
      'schema_version',
      'reproducible',
      'score',
      'runs',
      'outputs',
      'metrics',
      'environment_diff',
      'findings',
    ]);
    expect(r.outputs.every((o: any) => o.status === 'identical' && o.hashes.length === 2 && /^[0-9a-f]{64}$/.test(o.hashes[0]))).toBe(true);
    const manifestText = readFileSync(result.outputs.manifest, 'utf8');
    expect(manifestText).not.toContain('hunter2');
    const manifest = JSON.parse(manifestText);
    expect(manifest.determinism_env).toMatchObject({ PYTHONHASHSEED: '0', SEED: '42', CUBLAS_WORKSPACE_CONFIG: null });
    expect(Object.keys(manifest.inputs)).toEqual(['train_deterministic.py', 'train_nondeterministic.py']);
    // The command never sees the action's own inputs (the token among them).
    expect(result.env['INPUT_GITHUB-TOKEN']).toBeDefined();
  });

  test('the unseeded script does not reproduce: failed step, differing outputs, ranked causes at their lines', async () => {
    const result = await reproVerify({ ...training, command: 'python3 train_nondeterministic.py', 'report-dir': 'bad' });
    expectCleanFailure(result, /The runs did not reproduce \(score 0(\.\d+)?\)/);
    expect(result.outputs.reproducible).toBe('false');
    const r = report(result);
    expect(r.outputs.find((o: any) => o.path === 'out/model.json').status).toBe('differs');
    expect(r.metrics.find((m: any) => m.key === 'eval.accuracy').values).toHaveLength(2);
    expect(r.findings[0]).toMatchObject({ rule: 'unseeded-random', file: 'train/train_nondeterministic.py', line: 13, rank: 1 });
    const warnings = result.annotations.filter((a) => a.level === 'warning' && a.properties.file === 'train/train_nondeterministic.py');
    expect(warnings.map((w) => w.properties.line)).toEqual(expect.arrayContaining(['13', '37']));
    expect(result.summary).toMatch(
      /🔴 \*\*Not reproducible\*\*[\s\S]*### Outputs that differ[\s\S]*### Likely causes \(ranked\)\n\n1\. \[train\/train_nondeterministic\.py:13\]\(https:\/\/github\.com\/octo-org\/ml-repo\/blob\/[0-9a-f]+\/train\/train_nondeterministic\.py#L13\)/,
    );
  });

  test('the committed example baseline: one run compared with it, the environment diff listed', async () => {
    const result = await reproVerify({
      ...training,
      command: 'python3 train_deterministic.py',
      runs: '1',
      baseline: 'train/baseline/repro-baseline.json',
      'report-dir': 'nightly',
    });
    expect(result.exitCode).toBe(0);
    const r = report(result);
    expect(r.outputs.map((o: any) => [o.path, o.status, o.baseline_hash === o.hashes[0]])).toEqual([
      ['out/metrics.json', 'identical', true],
      ['out/model.json', 'identical', true],
      ['out/predictions.csv', 'identical', true],
    ]);
    // This checkout is not the one that wrote the baseline: no git here, so the commit is reported as removed.
    expect(r.environment_diff.map((c: any) => c.kind)).toContain('git');
  });

  test('a committed baseline from a newer schema is refused', async () => {
    writeFileSync(
      join(work, 'future-baseline.json'),
      JSON.stringify({ schema_version: '2.0', kind: 'repro-verify-baseline', manifest: {}, outputs: [], metrics: [] }),
    );
    const result = await reproVerify({ ...training, command: 'python3 train_deterministic.py', baseline: 'future-baseline.json' });
    expectCleanFailure(result, /future-baseline\.json: the baseline has schema_version 2\.0, newer than this action reads \(1\.0\)/);
  });
});

describe('on a pull request', () => {
  test('one PR comment, updated on the next push, and a check run', async () => {
    const api = await startGitHubApiServer();
    try {
      const event = {
        name: 'pull_request' as const,
        payload: {
          action: 'synchronize',
          number: 23,
          pull_request: { number: 23, head: { sha: '5f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c' }, base: { ref: 'main' } },
        },
      };
      const inputs = {
        ...training,
        command: 'python3 train_nondeterministic.py',
        'comment-on-pr': 'update',
        'check-run': 'true',
        'fail-on': 'never',
        'report-dir': 'pr',
      };
      const first = await reproVerify(inputs, { event, apiUrl: api.url });
      expect(first.exitCode).toBe(0);
      const second = await reproVerify(inputs, { event, apiUrl: api.url });
      expect(second.exitCode).toBe(0);
      expect(api.violations).toEqual([]);
      const comments = api.state.comments.filter((c) => c.issueNumber === 23);
      expect(comments).toHaveLength(1);
      expect(comments[0].body).toContain('Not reproducible');
      expect(comments[0].body).toContain('train/train_nondeterministic.py:13');
      const methods = api.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`);
      expect(methods.filter((m) => /^POST .*\/check-runs$/.test(m)).length).toBeGreaterThanOrEqual(1);
    } finally {
      await api.close();
    }
  });
});

describe('bad input: a clear message, a failed step, no stack trace', () => {
  test('a failing command: its exit code and the tail of its output, naming the run', async () => {
    const result = await reproVerify({ ...training, command: 'python3 -c "import sys; print(\'epoch 1\'); sys.exit(7)"' });
    expectCleanFailure(
      result,
      /Run 1 of 2: the command failed with exit code 7\. Last output:%0Aepoch 1|Run 1 of 2: the command failed with exit code 7\. Last output:\nepoch 1/,
    );
  });

  test('a run that times out is stopped', async () => {
    const result = await reproVerify({ ...training, command: 'echo started; sleep 30', 'timeout-minutes': '0.02' });
    expectCleanFailure(result, /Run 1 of 2 timed out after 0\.02 minute\(s\) \(timeout-minutes\)/);
  });

  test('a command that writes none of the declared outputs', async () => {
    const result = await reproVerify({ ...training, command: 'echo nothing written' });
    expectCleanFailure(result, /Run 1 of 2 wrote none of the declared outputs \(out\/\*\.json, out\/\*\.csv\)/);
  });

  test('a metrics file that does not parse names the file and line', async () => {
    const result = await reproVerify({
      'working-directory': 'train',
      command: 'printf \'{"acc": 0.9,\\n "loss": }\' > m.json',
      outputs: 'm.json',
      metrics: 'm.json',
    });
    expectCleanFailure(result, /m\.json:2: not valid JSON/);
  });

  test('an unknown fail-on and a missing command name the input', async () => {
    expectCleanFailure(
      await reproVerify({ ...training, command: 'true', 'fail-on': 'sometimes' }),
      /Invalid value for input 'fail-on': 'sometimes'\. Expected one of 'never', 'differs', 'findings'/,
    );
    expectCleanFailure(await reproVerify({ ...training }), /Invalid value for input 'command'/);
  });

  test('an output that links outside the workspace is refused, not read', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'repro-outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'not yours');
    const result = await reproVerify({
      'working-directory': 'train',
      command: `ln -s ${join(outside, 'secret.txt')} leak.txt`,
      outputs: 'leak.txt',
    });
    expectCleanFailure(result, /output 'leak\.txt': '.*leak\.txt' \(it resolves to '.*secret\.txt'\) lies outside the workspace/);
  });

  test('a working directory that links outside the workspace is refused', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'repro-outside-dir-'));
    symlinkSync(outside, join(work, 'linked-dir'));
    const result = await reproVerify({ 'working-directory': 'linked-dir', command: 'true', outputs: 'x' });
    expectCleanFailure(result, /input 'working-directory': '.*linked-dir' \(it resolves to '.*'\) lies outside the workspace/);
  });
});

describe('DVC pipeline verified without DVC', () => {
  test('the committed pipeline is up to date, and re-running it reproduces dvc.lock', async () => {
    const asIs = await reproVerify({ 'working-directory': 'pipeline', dvc: 'true', 'report-dir': 'dvc-as-is' });
    expect(asIs.exitCode).toBe(0);
    expect(report(asIs).dvc).toMatchObject({ changed: 0, entries: 15, status_text: 'Data and pipelines are up to date.' });
    expect(report(asIs).dvc.stages.map((s: any) => s.stage)).toEqual(['prepare', 'train', 'evaluate@train', 'evaluate@test']);
    const rerun = await reproVerify({
      'working-directory': 'pipeline',
      dvc: 'true',
      command: 'python3 prepare.py && python3 train.py && python3 evaluate.py train && python3 evaluate.py test',
      metrics: 'metrics.json',
      runs: '2',
      'report-dir': 'dvc-rerun',
    });
    expect(rerun.exitCode).toBe(0);
    expect(report(rerun)).toMatchObject({ reproducible: true, score: 1 });
  });

  test('a changed param and data file are reported in DVC words', async () => {
    const dir = join(work, 'pipeline-changed');
    cpSync(join(work, 'pipeline'), dir, { recursive: true });
    writeFileSync(join(dir, 'params.yaml'), readFileSync(join(dir, 'params.yaml'), 'utf8').replace('epochs: 15', 'epochs: 16'));
    mkdirSync(join(dir, 'data/prepared/extra'), { recursive: true });
    writeFileSync(join(dir, 'data/prepared/extra/notes.txt'), 'new file\n');
    const result = await reproVerify({ 'working-directory': 'pipeline-changed', dvc: 'true', 'report-dir': 'dvc-changed' });
    expectCleanFailure(result, /did not reproduce/);
    const text = report(result).dvc.status_text;
    expect(text).toContain('prepare:\n\tchanged outs:\n\t\tmodified:           data/prepared');
    expect(text).toContain('\t\tparams.yaml:\n\t\t\tmodified:           train.epochs');
    expect(result.summary).toContain('### DVC pipeline');
  });
});
