// main driven through a fake ActionRuntime: the same wiring the runner and the CLI use, on the example scripts.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '#shared/runtime/run-action.js';
import { reproVerify } from '../../../actions/repro-verify/src/main.js';
import { REPO_ROOT } from '../../support/run-built-action.js';
import { fakeRuntime } from './fake-runtime.js';

const workspace = mkdtempSync(join(tmpdir(), 'repro-main-'));
cpSync(join(REPO_ROOT, 'examples/repro-verify/train'), join(workspace, 'train'), { recursive: true });

async function verify(inputs: Record<string, string>) {
  const runtime = fakeRuntime(
    {
      'working-directory': 'train',
      outputs: 'out/*.json\nout/*.csv',
      metrics: 'out/metrics.json',
      'report-dir': join(workspace, 'report'),
      ...inputs,
    },
    workspace,
  );
  const ok = await runAction(reproVerify, runtime);
  const report = runtime.outputs['report-json'] ? JSON.parse(readFileSync(runtime.outputs['report-json'], 'utf8')) : undefined;
  return { ok, runtime, report };
}

test('a seeded training script reproduces bit for bit over two fresh runs', async () => {
  const { ok, runtime, report } = await verify({ command: 'python3 train_deterministic.py' });
  expect(runtime.failures).toEqual([]);
  expect(ok).toBe(true);
  expect(runtime.outputs.reproducible).toBe('true');
  expect(runtime.outputs.score).toBe('1');
  expect(report.runs).toHaveLength(2);
  expect(report.outputs.map((o: any) => [o.path, o.status])).toEqual([
    ['out/metrics.json', 'identical'],
    ['out/model.json', 'identical'],
    ['out/predictions.csv', 'identical'],
  ]);
  expect(report.metrics.find((m: any) => m.key === 'eval.accuracy').values).toEqual([0.85, 0.85]);
  expect(runtime.summary).toContain('Reproducible');
  const manifest = JSON.parse(readFileSync(runtime.outputs.manifest, 'utf8'));
  expect(manifest.schema_version).toBe('1.1');
  expect(manifest.python.version).toMatch(/^3\./);
});

test('an unseeded script does not reproduce: the step fails, the diff and the causes are shown', async () => {
  const { ok, runtime, report } = await verify({ command: 'python3 train_nondeterministic.py', runs: '3' });
  expect(ok).toBe(false);
  expect(runtime.failures[0]).toMatch(/did not reproduce/);
  expect(report.reproducible).toBe(false);
  expect(report.score).toBeLessThan(1);
  const model = report.outputs.find((o: any) => o.path === 'out/model.json');
  expect(model.status).toBe('differs');
  expect(model.hashes).toHaveLength(3);
  expect(model.diff).toMatch(/^--- run 1\/out\/model.json\n\+\+\+ run \d\/out\/model.json\n@@/);
  const rules = report.findings.map((f: any) => `${f.rule}@${f.line}`);
  expect(rules).toContain('unseeded-random@13');
  expect(rules).toContain('set-iteration@37');
  expect(runtime.annotations.some((a) => a.level === 'warning' && a.location?.file === 'train/train_nondeterministic.py')).toBe(true);
});

test('against a baseline: metrics within tolerance pass, and the environment diff states what changed', async () => {
  const first = await verify({ command: 'python3 train_deterministic.py', runs: '1', 'save-baseline': join(workspace, 'baseline.json') });
  expect(first.ok).toBe(true);
  const baseline = JSON.parse(readFileSync(join(workspace, 'baseline.json'), 'utf8'));
  baseline.manifest.python.packages.push({ name: 'torch', version: '2.4.0', source: 'pip' });
  baseline.metrics.find((m: any) => m.key === 'eval.accuracy').value = 0.851;
  baseline.outputs.find((o: any) => o.path === 'out/metrics.json').sha256 = '0'.repeat(64);
  writeFileSync(join(workspace, 'baseline-edited.json'), JSON.stringify(baseline));
  const { ok, report } = await verify({
    command: 'python3 train_deterministic.py',
    runs: '1',
    baseline: join(workspace, 'baseline-edited.json'),
    tolerance: '{abs: 0, keys: {eval.accuracy: {abs: 0.005}}}',
  });
  expect(report.metrics.find((m: any) => m.key === 'eval.accuracy')).toMatchObject({
    status: 'within_tolerance',
    baseline_value: 0.851,
    values: [0.85],
  });
  expect(report.outputs.find((o: any) => o.path === 'out/metrics.json').status).toBe('within_tolerance');
  expect(report.environment_diff.map((c: any) => c.text)).toContain('package removed: torch 2.4.0');
  expect(ok).toBe(true);
});

test('a failing command fails the step with its exit code and output tail, naming the run', async () => {
  const { ok, runtime } = await verify({ command: 'echo "loading data"; echo "CUDA out of memory" >&2; exit 3' });
  expect(ok).toBe(false);
  expect(runtime.failures[0]).toMatch(
    /^Run 1 of 2: the command failed with exit code 3\. Last output:\n.*loading data\n.*CUDA out of memory/s,
  );
});

test('fail-on: never keeps the step green even when the runs differ', async () => {
  const { ok, runtime } = await verify({ command: 'python3 train_nondeterministic.py', 'fail-on': 'never' });
  expect(ok).toBe(true);
  expect(runtime.outputs.reproducible).toBe('false');
});

test('under the CLI path rules (only the current directory allowed), the run copies in the temp folder still work', async () => {
  const { resetPathPolicy, setPathPolicy } = await import('#shared/paths/index.js');
  setPathPolicy([{ path: workspace, name: 'the current directory' }]);
  try {
    const { ok, runtime } = await verify({ command: 'python3 train_deterministic.py', 'report-dir': join(workspace, 'cli-report') });
    expect(runtime.failures).toEqual([]);
    expect(ok).toBe(true);
    expect(runtime.outputs.reproducible).toBe('true');
  } finally {
    resetPathPolicy();
  }
});
