// What people see: verdict and score first, then what differs with its values, the environment diff, the GPU knobs
// and the ranked causes linked to their lines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gpuInfo } from '../../../actions/repro-verify/src/environment/nvidia-smi.js';
import type { EnvironmentManifest } from '../../../actions/repro-verify/src/environment/manifest.js';
import { gpuMarkdown, summaryMarkdown } from '../../../actions/repro-verify/src/report/summary.js';
import type { ReproReport } from '../../../actions/repro-verify/src/report/report-types.js';
import { REPO_ROOT } from '../../support/run-built-action.js';

const smi = (name: string) => readFileSync(join(REPO_ROOT, 'test/fixtures/repro-verify/nvidia-smi', name), 'utf8');

const report: ReproReport = {
  schema_version: '1.0',
  reproducible: false,
  score: 0.5,
  runs: [
    { run: 1, exit_code: 0, duration_s: 1 },
    { run: 2, exit_code: 0, duration_s: 1 },
  ],
  outputs: [
    { path: 'model.bin', status: 'differs', hashes: ['a'.repeat(64), 'b'.repeat(64)], sizes: [10, 10], binary: true },
    { path: 'log|x.txt', status: 'identical', hashes: ['c'.repeat(64), 'c'.repeat(64)], sizes: [3, 3] },
  ],
  metrics: [{ key: 'eval.acc', file: 'm.json', values: [0.9, 0.91], status: 'differs', abs_diff: 0.01, rel_diff: 0.011 }],
  environment_diff: [{ kind: 'package', name: 'torch', change: 'changed', before: '2.4.0', after: '2.5.0', text: 'torch 2.4.0 -> 2.5.0' }],
  findings: [
    { rule: 'cudnn-benchmark', file: 'src/train.py', line: 12, message: 'cuDNN picks algorithms per run.', likelihood: 0.85, rank: 1 },
  ],
};

test('verdict first, then metrics, outputs, environment, GPU, causes with links', () => {
  const manifest = {
    gpu: gpuInfo(smi('a100x2-query.csv'), smi('a100x2-banner.txt')),
    cuda_determinism: { cublas_workspace_config: null, cudnn_benchmark: 'src/train.py:12', deterministic_algorithms: null },
  } as unknown as EnvironmentManifest;
  const md = summaryMarkdown(report, { blobBase: 'https://github.com/o/r/blob/abc/', gpu: gpuMarkdown(manifest) }, { compact: false });
  const order = [
    '🔴 **Not reproducible**: score 0.5 (50%',
    '### Metrics that moved',
    '| `eval.acc` | m.json | 0.9, 0.91 | 0.01 | 0.011 | differs |',
    '### Outputs that differ',
    '### Environment changes since the baseline',
    '- torch 2.4.0 -> 2.5.0',
    '### GPU',
    '2x NVIDIA A100-SXM4-80GB; driver 535.104.05, CUDA 12.2.',
    '- cuDNN benchmark: **on** at `src/train.py:12`',
    '- CUBLAS_WORKSPACE_CONFIG: **unset**',
    '### Likely causes (ranked)',
    '1. [src/train.py:12](https://github.com/o/r/blob/abc/src/train.py#L12) (cudnn-benchmark, likelihood 0.85)',
  ];
  let at = -1;
  for (const piece of order) {
    const next = md.indexOf(piece);
    expect([piece, next > at]).toEqual([piece, true]);
    at = next;
  }
  expect(md).not.toContain('log|x.txt'); // identical outputs are not listed
});

test('the compact form (PR comments) leaves out diffs and the GPU section', () => {
  const md = summaryMarkdown(report, { gpu: '### GPU\n' }, { compact: true, title: 'Reproducibility check' });
  expect(md).not.toContain('### GPU');
  expect(md).toContain('`src/train.py:12`');
});
