// ml-gate as the runner runs a composite action: its steps in order, each `uses:` of our actions as the BUILT
// dist/index.js of that action (data-gate, drift-check), the verdict step under bash, `${{ inputs.* }}` and
// `${{ steps.*.outputs.* }}` substituted as the runner does, and the action's outputs mapped from its steps.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { REPO_ROOT, runBuiltAction } from '../support/run-built-action.js';

const action = loadYaml(readFileSync(join(REPO_ROOT, 'actions', 'ml-gate', 'action.yml'), 'utf8')) as any;
const work = mkdtempSync(join(tmpdir(), 'ml-gate-e2e-'));
cpSync(join(REPO_ROOT, 'examples', 'ml-repo', 'data'), join(work, 'data'), { recursive: true });

type Outputs = Record<string, Record<string, string>>;

function substitute(value: unknown, inputs: Record<string, string>, steps: Outputs): string {
  return String(value).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expression);
    if (input) return inputs[input[1]] ?? '';
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
    if (output) return steps[output[1]]?.[output[2]] ?? '';
    if (expression === 'github.token') return 'test-token';
    throw new Error(`expression not handled by the test runner: ${expression}`);
  });
}

async function mlGate(given: Record<string, string>) {
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries<any>(action.inputs)) inputs[name] = given[name] ?? substitute(spec.default ?? '', {}, {});
  const steps: Outputs = {};
  const log: string[] = [];
  for (const step of action.runs.steps) {
    if (step.uses) {
      const name = /actions\/([\w-]+)@v1$/.exec(step.uses)![1];
      const withInputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([key, value]) => [key, substitute(value, inputs, steps)]));
      const result = await runBuiltAction({ action: name, inputs: withInputs, cwd: work });
      log.push(result.stdout, result.stderr);
      if (result.exitCode !== 0) return { exitCode: result.exitCode, failedStep: step.id, log: log.join('\n'), outputs: {} };
      steps[step.id] = result.outputs;
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'ml-gate-step-'));
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, substitute(value, inputs, steps)]));
      writeFileSync(join(dir, 'output'), '');
      writeFileSync(join(dir, 'summary'), '');
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
        cwd: work,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, ...env, GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary') },
      });
      steps[step.id] = Object.fromEntries(
        readFileSync(join(dir, 'output'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => line.split('=') as [string, string]),
      );
      log.push(result.stdout, result.stderr);
      if (result.status !== 0) return { exitCode: result.status, failedStep: step.id, log: log.join('\n'), outputs: steps[step.id] };
    }
  }
  const outputs = Object.fromEntries(
    Object.entries<any>(action.outputs).map(([name, spec]) => [name, substitute(spec.value, inputs, steps)]),
  );
  return { exitCode: 0, failedStep: undefined, log: log.join('\n'), outputs };
}

const base = { data: 'data/current.csv', reference: 'data/reference.csv', rules: 'data/rules.yml', 'exclude-columns': 'customer_id' };

describe('ml-gate end to end (built data-gate and drift-check)', () => {
  test('the example repository passes: rules hold, one column of five drifted is below drift-share', async () => {
    const result = await mlGate(base);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      verdict: 'pass',
      passed: 'true',
      'data-passed': 'true',
      'failed-rules': '[]',
      'drift-detected': 'false',
      'drift-share': '0.2',
      'drifted-columns': '["income"]',
    });
    expect(result.outputs['data-report-json']).toMatch(/ml-gate-report\/data-gate\//);
    expect(result.outputs['drift-report-json']).toMatch(/ml-gate-report\/drift\//);
  });

  test('drift at a lower drift-share fails with fail-on any, and only reports with fail-on data', async () => {
    const failing = await mlGate({ ...base, 'drift-share': '0.2' });
    expect(failing.exitCode).toBe(1);
    expect(failing.failedStep).toBe('verdict');
    expect(failing.outputs).toEqual({ verdict: 'drifted', passed: 'false' });
    expect(failing.log).toContain('::error::ml-gate verdict: drifted (fail-on: any)');
    const reported = await mlGate({ ...base, 'drift-share': '0.2', 'fail-on': 'data' });
    expect(reported.exitCode).toBe(0);
    expect(reported.outputs.verdict).toBe('drifted');
  });

  test('a broken rule gives data-failed, and the drift check still runs on the same data', async () => {
    writeFileSync(
      join(work, 'data', 'strict.yml'),
      [
        'version: 1',
        'rules:',
        '  - expectation: expect_column_values_to_be_between',
        '    column: age',
        '    min_value: 18',
        '    max_value: 30',
        '',
      ].join('\n'),
    );
    const result = await mlGate({ ...base, rules: 'data/strict.yml', 'fail-on': 'never' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ verdict: 'data-failed', passed: 'false', 'data-passed': 'false', 'drift-detected': 'false' });
    expect(JSON.parse(result.outputs['failed-rules'])).toHaveLength(1);
  });

  test('a bad input of a chained action stops the chain with its clear message', async () => {
    const result = await mlGate({ ...base, data: 'data/missing.csv' });
    expect(result.exitCode).toBe(1);
    expect(result.failedStep).toBe('data');
    expect(result.log).toMatch(/missing\.csv/);
    expect(result.log).not.toMatch(/Unexpected error|\n\s+at /);
  });
});
