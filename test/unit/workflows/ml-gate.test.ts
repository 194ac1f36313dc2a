// actions/ml-gate: a composite action. Its steps use actions that exist here, pass them inputs they declare, read
// outputs those actions (or the step's own script) set, and its verdict script combines them as documented.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { load as loadYaml } from 'js-yaml';

const ROOT = process.cwd();
const FILE = join(ROOT, 'actions', 'ml-gate', 'action.yml');
const TEXT = readFileSync(FILE, 'utf8');
const action = loadYaml(TEXT) as any;
const steps: any[] = action.runs.steps;
const actionOf = (uses: string) => /^mlops-actions\/mlops-actions\/actions\/([\w-]+)@v1$/.exec(uses)?.[1];
const metadata = (name: string) => loadYaml(readFileSync(join(ROOT, 'actions', name, 'action.yml'), 'utf8')) as any;

/** Output names a run: step writes to $GITHUB_OUTPUT. */
const scriptOutputs = (run: string) => new Set([...run.matchAll(/echo "([\w-]+)=[^"]*" >> "\$GITHUB_OUTPUT"/g)].map((m) => m[1]));

/** Every `steps.<id>.outputs.<name>` and `inputs.<name>` inside ${{ }} in a value. */
function references(value: unknown): { steps: [string, string][]; inputs: string[] } {
  const text = JSON.stringify(value ?? '');
  const expressions = [...text.matchAll(/\$\{\{(.*?)\}\}/g)].map((m) => m[1]);
  return {
    steps: expressions.flatMap((e) => [...e.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)].map((m) => [m[1], m[2]] as [string, string])),
    inputs: expressions.flatMap((e) => [...e.matchAll(/inputs\.([\w-]+)/g)].map((m) => m[1])),
  };
}

describe('ml-gate composite action structure', () => {
  it('is a composite action that runs data-gate, then drift-check, then the verdict', () => {
    expect(action.runs.using).toBe('composite');
    expect(steps.map((s) => s.id)).toEqual(['data', 'drift', 'verdict']);
    expect(steps.map((s) => (s.uses ? actionOf(s.uses) : 'run'))).toEqual(['data-gate', 'drift-check', 'run']);
  });

  it('uses only actions of this repository, at @v1, with inputs they declare and required ones given', () => {
    for (const step of steps.filter((s) => s.uses)) {
      const name = actionOf(step.uses);
      expect(name).toBeDefined();
      expect(existsSync(join(ROOT, 'actions', name!, 'action.yml'))).toBe(true);
      const inputs = metadata(name!).inputs ?? {};
      for (const key of Object.keys(step.with ?? {})) expect([name, key, key in inputs]).toEqual([name, key, true]);
      for (const [key, spec] of Object.entries<any>(inputs)) if (spec.required) expect(step.with).toHaveProperty(key);
    }
  });

  it("checks the same data: data-gate's data is drift-check's current", () => {
    const [data, drift] = steps;
    expect(data.with.data).toBe('${{ inputs.data }}');
    expect(drift.with.current).toBe('${{ inputs.data }}');
    // Neither step fails on its own: the verdict applies fail-on to both results.
    expect(data.with['fail-on']).toBe('never');
    expect(drift.with['fail-on']).toBe('never');
  });

  it('reads only outputs the referenced steps set, from steps that ran before, and only declared inputs', () => {
    const outputsOf = new Map<string, Set<string>>();
    const problems: string[] = [];
    const check = (where: string, value: unknown, known: Map<string, Set<string>>) => {
      const refs = references(value);
      for (const [id, output] of refs.steps) {
        if (!known.has(id)) problems.push(`${where}: step '${id}' does not exist before it`);
        else if (!known.get(id)!.has(output)) problems.push(`${where}: step '${id}' has no output '${output}'`);
      }
      for (const input of refs.inputs) if (!(input in action.inputs)) problems.push(`${where}: input '${input}' is not declared`);
    };
    for (const step of steps) {
      check(`step ${step.id}`, { with: step.with, env: step.env, if: step.if }, outputsOf);
      const outputs = step.uses ? new Set(Object.keys(metadata(actionOf(step.uses)!).outputs ?? {})) : scriptOutputs(step.run);
      outputsOf.set(step.id, outputs);
    }
    for (const [name, output] of Object.entries<any>(action.outputs)) check(`output ${name}`, output.value, outputsOf);
    expect(problems).toEqual([]);
    expect([...scriptOutputs(steps[2].run)].sort()).toEqual(['passed', 'verdict']);
  });

  it('passes the lint (composite schema) and names every input with a description', async () => {
    const lint = await import(pathToFileURL(join(ROOT, 'scripts', 'lint-workflows.mjs')).href);
    expect(lint.lintActionMetadata(FILE, TEXT)).toEqual([]);
    for (const [name, spec] of Object.entries<any>(action.inputs)) expect([name, typeof spec.description]).toEqual([name, 'string']);
    // A composite step with a script but no shell, or an unknown key, is refused.
    const bad = TEXT.replace('      shell: bash\n', '').replace("  using: 'composite'\n", "  using: 'composite'\n  main: index.js\n");
    expect(lint.lintActionMetadata(FILE, bad).map((f: any) => f.message)).toEqual(
      expect.arrayContaining([
        "unexpected key 'main' in runs",
        expect.stringMatching(/^runs\.steps\.2 must match a schema in anyOf|runs\.steps\.2 /),
      ]),
    );
  });
});

describe('ml-gate verdict script', () => {
  const script = steps[2].run as string;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ml-gate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function verdict(dataPassed: string, driftDetected: string, failOn: string) {
    const output = join(dir, 'output');
    const summary = join(dir, 'summary');
    writeFileSync(output, '');
    writeFileSync(summary, '');
    const result = spawnSync('bash', ['-e', '-c', script], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        DATA_PASSED: dataPassed,
        DRIFT_DETECTED: driftDetected,
        FAIL_ON: failOn,
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summary,
      },
    });
    const outputs = Object.fromEntries(
      readFileSync(output, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('=')),
    );
    return { code: result.status, outputs, stdout: result.stdout };
  }

  it.each([
    ['true', 'false', 'pass'],
    ['false', 'false', 'data-failed'],
    ['true', 'true', 'drifted'],
    ['false', 'true', 'failed'],
    ['', '', 'data-failed'], // data-gate did not report: not a pass
  ])('data passed %p, drift %p -> %s', (dataPassed, drift, expected) => {
    const result = verdict(dataPassed, drift, 'never');
    expect(result.code).toBe(0);
    expect(result.outputs).toEqual({ verdict: expected, passed: String(expected === 'pass') });
  });

  it.each([
    ['any', 'true', 'false', 0],
    ['any', 'false', 'false', 1],
    ['any', 'true', 'true', 1],
    ['data', 'true', 'true', 0],
    ['data', 'false', 'false', 1],
    ['drift', 'false', 'false', 0],
    ['drift', 'true', 'true', 1],
    ['never', 'false', 'true', 0],
  ])('fail-on %s with data passed %s and drift %s exits %i', (failOn, dataPassed, drift, code) => {
    const result = verdict(dataPassed, drift, failOn);
    expect(result.code).toBe(code);
    if (code === 1) expect(result.stdout).toMatch(/^::error::ml-gate verdict: /m);
  });

  it('refuses an unknown fail-on in the house message style', () => {
    const result = verdict('true', 'false', 'always');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::error::Invalid value for input 'fail-on': 'always'. Expected never, data, drift or any.");
    expect(result.outputs).toEqual({});
  });
});
