// gpu-benchmark.yml's own scripts, run as the runner runs them (bash -eo pipefail) with a stand-in `nvidia-smi` on
// PATH: the capture, the benchmark with its GPU memory sampler, the result (percentiles, peak memory, cost), the
// comparison with the base branch's history, and the record job's push to the history branch (a real git remote).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load as loadYaml } from 'js-yaml';

const ROOT = process.cwd();
const workflow = loadYaml(readFileSync(join(ROOT, '.github', 'workflows', 'gpu-benchmark.yml'), 'utf8')) as any;
const stepRun = (job: string, name: string) => {
  const step = workflow.jobs[job].steps.find((s: any) => s.name === name || s.id === name);
  if (!step?.run) throw new Error(`no run step '${name}' in job '${job}'`);
  return step.run as string;
};

// Prints what the workflow asks nvidia-smi for: the banner, the GPU list, or 200 ms memory samples until killed.
const FAKE_NVIDIA_SMI = `#!/bin/bash
case "$*" in
  *-lms*) while true; do echo "0, 1234, 87"; echo "0, 2048, 91"; sleep 0.05; done ;;
  *--query-gpu=index,name*) echo "index, name, driver_version, memory.total [MiB], power.limit [W]"; echo "0, NVIDIA H200, 570.86.15, 143771 MiB, 700.00 W" ;;
  *) echo "NVIDIA-SMI 570.86.15   Driver Version: 570.86.15   CUDA Version: 12.8" ;;
esac
`;

let dir: string;
let env: Record<string, string>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gpu-benchmark-'));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'nvidia-smi'), FAKE_NVIDIA_SMI);
  chmodSync(join(dir, 'bin', 'nvidia-smi'), 0o755);
  for (const part of ['benchmark', 'model', 'data'])
    cpSync(join(ROOT, 'examples', 'ml-repo', part), join(dir, 'work', part), { recursive: true });
  mkdirSync(join(dir, 'temp'));
  env = {
    PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
    HOME: dir,
    RUNNER_TEMP: join(dir, 'temp'),
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(script: string, extra: Record<string, string>, cwd = join(dir, 'work')) {
  writeFileSync(env.GITHUB_OUTPUT, '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd,
    env: { ...env, ...extra },
    encoding: 'utf8',
  });
  const outputs = Object.fromEntries(
    readFileSync(env.GITHUB_OUTPUT, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, outputs };
}

describe('gpu-benchmark job scripts', () => {
  let result: any;

  it('captures nvidia-smi, runs the benchmark with the memory sampler, and writes the result', () => {
    expect(run(stepRun('benchmark', 'nvidia-smi'), {}).code).toBe(0);
    const bench = run(stepRun('benchmark', 'Benchmark'), {
      BENCHMARK_COMMAND: 'python3 benchmark/bench.py --batches 100 --out benchmark/result.json && sleep 0.3',
    });
    expect(bench.code).toBe(0);
    const out = run(stepRun('benchmark', 'result'), {
      BENCHMARK_OUTPUT: 'benchmark/result.json',
      RATE: '2.50',
      CURRENCY: 'USD',
      REF_NAME: 'feature',
      SHA: '0123456789abcdef0123456789abcdef01234567',
    });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    result = JSON.parse(readFileSync(join(dir, 'temp', 'gpu-benchmark', 'result.json'), 'utf8'));
    expect(result.throughput).toBeGreaterThan(0);
    expect(result.latency_ms.samples).toBe(100);
    expect(result.latency_ms.p50).toBeLessThanOrEqual(result.latency_ms.p95);
    expect(result.latency_ms.p95).toBeLessThanOrEqual(result.latency_ms.p99);
    expect(result.gpu_memory_peak_mib).toEqual({ '0': 2048 });
    expect(result.gpus).toContain('NVIDIA H200');
    expect(result.cost).toBeCloseTo((result.wall_seconds / 3600) * 2.5, 4);
    expect(out.outputs).toEqual({
      throughput: String(result.throughput),
      'p95-ms': String(result.latency_ms.p95),
      cost: String(result.cost),
    });
    expect(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8')).toContain(
      '| throughput | p50 ms | p95 ms | p99 ms | peak GPU MiB | wall s | cost |',
    );
  });

  it('fails the job when the benchmark command fails, after stopping the sampler', () => {
    const bench = run(stepRun('benchmark', 'Benchmark'), { BENCHMARK_COMMAND: 'exit 3' });
    expect(bench.code).toBe(3);
  });

  it('takes precomputed percentiles as well', () => {
    writeFileSync(join(dir, 'work', 'pre.json'), JSON.stringify({ throughput: 10, latency_ms: { p50: 1, p95: 2, p99: 3 } }));
    const out = run(stepRun('benchmark', 'result'), {
      BENCHMARK_OUTPUT: 'pre.json',
      RATE: '1',
      CURRENCY: 'USD',
      REF_NAME: 'x',
      SHA: 'abc',
    });
    expect(out.code).toBe(0);
    expect(out.outputs['p95-ms']).toBe('2.0');
  });
});

describe('gpu-benchmark compare and record', () => {
  const current = {
    ref: 'feature',
    sha: 'f'.repeat(40),
    time: '2026-12-01T10:00:00Z',
    throughput: 1000,
    latency_ms: { p50: 1, p95: 2, p99: 3 },
  };
  function compare(history: object[] | undefined, threshold = '0.05') {
    const work = mkdtempSync(join(dir, 'compare-'));
    mkdirSync(join(work, 'current'));
    writeFileSync(join(work, 'current', 'result.json'), JSON.stringify(current));
    if (history) {
      mkdirSync(join(work, 'history', 'gpu-benchmark'), { recursive: true });
      writeFileSync(
        join(work, 'history', 'gpu-benchmark', 'history.jsonl'),
        history.map((entry) => JSON.stringify(entry)).join('\n') + '\n',
      );
    }
    writeFileSync(env.GITHUB_STEP_SUMMARY, '');
    const out = run(stepRun('compare', 'compare'), { BASE_REF: 'main', THRESHOLD: threshold }, work);
    return { ...out, summary: readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8') };
  }
  const base = (throughput: number, p95: number, ref = 'main') => ({
    ...current,
    ref,
    sha: 'b'.repeat(40),
    throughput,
    latency_ms: { p50: 1, p95, p99: 3 },
  });

  it('passes without history, saying there is nothing to compare with', () => {
    const out = compare(undefined);
    expect(out.code).toBe(0);
    expect(out.outputs.regression).toBe('false');
    expect(out.summary).toContain('No result of main in the history yet');
  });

  it('compares with the latest entry of the base branch only', () => {
    const out = compare([base(500, 2), base(1010, 2), base(2000, 1, 'other-branch')]);
    expect(out.code).toBe(0);
    expect(out.summary).toContain('| throughput | 1010.00 | 1000.00 | -1.0% |');
  });

  it('fails on throughput down or p95 latency up beyond the threshold', () => {
    expect(compare([base(1100, 2)]).code).toBe(1); // 9% less throughput
    expect(compare([base(1000, 1.8)]).code).toBe(1); // p95 11% higher
    const lenient = compare([base(1100, 2)], '0.10');
    expect(lenient.code).toBe(0);
    expect(lenient.outputs.regression).toBe('false');
  });

  it('the record job creates the history branch, then appends to it', () => {
    const remote = join(dir, 'remote.git');
    const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
    git(dir, 'init', '-q', '--bare', '-b', 'main', remote);
    git(dir, 'clone', '-q', remote, join(dir, 'seed'));
    git(join(dir, 'seed'), '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'init');
    git(join(dir, 'seed'), 'push', '-q', 'origin', 'HEAD:main');
    const script = stepRun('record', 'Append to the history');
    for (const round of [1, 2]) {
      const job = mkdtempSync(join(dir, 'record-'));
      mkdirSync(join(job, 'current'));
      writeFileSync(join(job, 'current', 'result.json'), JSON.stringify({ ...current, round }, null, 2));
      git(job, 'clone', '-q', remote, 'repo');
      const out = run(script, { HISTORY_BRANCH: 'gpu-benchmark-history', GITHUB_SHA: 'c'.repeat(40) }, join(job, 'repo'));
      expect([round, out.code, out.stderr.includes('fatal')]).toEqual([round, 0, false]);
    }
    const lines = git(dir, '--git-dir', remote, 'show', 'gpu-benchmark-history:gpu-benchmark/history.jsonl').trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).round)).toEqual([1, 2]);
    // The history branch holds the history only, nothing of the repository.
    expect(git(dir, '--git-dir', remote, 'ls-tree', '-r', '--name-only', 'gpu-benchmark-history').trim()).toBe(
      'gpu-benchmark/history.jsonl',
    );
  });
});
