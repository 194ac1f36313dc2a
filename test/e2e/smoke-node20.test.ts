// The smoke test on Node 20: GitHub runs our actions on node24 (the whole e2e suite runs there), but self-hosted
// runners and the CLI may still be on Node 20, so each bundle must at least start, read its inputs, do its job on a
// small input and set its outputs there too. `npm test` runs this file alone with this process's Node 20.
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runBuiltAction } from '../support/run-built-action.js';

const work = mkdtempSync(join(tmpdir(), 'smoke-'));
cpSync(join(REPO_ROOT, 'examples', 'drift-check', 'data'), join(work, 'drift'), { recursive: true });
writeFileSync(join(work, 'd.csv'), 'id,x\n1,5\n2,7\n');
writeFileSync(
  join(work, 'rules.yml'),
  'version: 1\nrules:\n  - expectation: expect_column_values_to_be_between\n    column: x\n    min_value: 0\n',
);
writeFileSync(join(work, 'canary-metrics.yml'), 'metrics:\n  - name: latency\n    column: latency_ms\n    direction: increase\n');
const latencies = (shift: number) => `latency_ms\n${Array.from({ length: 40 }, (_, i) => 100 + ((i * 37) % 23) + shift).join('\n')}\n`;
writeFileSync(join(work, 'baseline.csv'), latencies(0));
writeFileSync(join(work, 'canary.csv'), latencies(1));
cpSync(join(REPO_ROOT, 'examples', 'cost-report', 'focus-sample.csv'), join(work, 'focus.csv'));
cpSync(join(REPO_ROOT, 'examples', 'dependency-lock'), join(work, 'deps'), { recursive: true });

const smokeRuns: Record<string, { inputs: Record<string, string>; output: string; value: RegExp }> = {
  'drift-check': {
    inputs: {
      reference: join(work, 'drift', 'reference.csv'),
      current: join(work, 'drift', 'current.csv'),
      'exclude-columns': 'application_date',
    },
    output: 'drift-detected',
    value: /^(true|false)$/,
  },
  'data-gate': { inputs: { data: join(work, 'd.csv'), rules: join(work, 'rules.yml') }, output: 'passed', value: /^true$/ },
  'canary-promote': {
    inputs: {
      metrics: join(work, 'canary-metrics.yml'),
      baseline: join(work, 'baseline.csv'),
      canary: join(work, 'canary.csv'),
      'fail-on': 'never',
    },
    output: 'decision',
    value: /^(promote|continue|rollback)$/,
  },
  'cost-report': {
    inputs: { sources: 'focus', 'focus-files': join(work, 'focus.csv'), window: '2026-11' },
    output: 'total-cost',
    value: /^\d+(\.\d+)?$/,
  },
  'dependency-lock': { inputs: { path: join(work, 'deps'), osv: 'off', 'fail-on': 'never' }, output: 'passed', value: /^(true|false)$/ },
  'repro-verify': {
    inputs: { command: 'echo 42 > out.txt', outputs: 'out.txt', 'working-directory': work },
    output: 'reproducible',
    value: /^true$/,
  },
};

describe(`each action on this process's Node (${process.version})`, () => {
  it.each(Object.keys(smokeRuns))('%s starts, runs and sets its outputs', async (action) => {
    const smoke = smokeRuns[action];
    const result = await runBuiltAction({ action, inputs: smoke.inputs, cwd: work, nodeBinary: process.execPath });
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(result.exitCode).toBe(0);
    expect(result.outputs[smoke.output]).toMatch(smoke.value);
  });
});
