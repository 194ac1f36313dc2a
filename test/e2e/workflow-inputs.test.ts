// Every `uses:` of our actions and reusable workflows, in every reusable workflow, composite action and example
// workflow, passes only inputs the target declares, with its required ones present. A typo in an input name is
// otherwise only a warning at run time ("Unexpected input(s)"), and a missing required input fails a user's job.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { globSync } from 'tinyglobby';

const ROOT = process.cwd();
const OURS = 'mlops-actions/mlops-actions';

type Declared = { inputs: Map<string, { required: boolean; type?: string }>; secrets?: Map<string, { required: boolean }> };
type Target = { kind: 'action' | 'workflow'; name: string; file: string; ref?: string };

/** Where a `uses:` of ours points to in this repository; undefined for anyone else's action. */
export function resolveUses(uses: string): Target | undefined {
  const action = new RegExp(`^(?:${OURS}/actions/([\\w.-]+)@(.+)|\\./actions/([\\w.-]+))$`).exec(uses);
  if (action) {
    const name = action[1] ?? action[3];
    return { kind: 'action', name, file: join('actions', name, 'action.yml'), ref: action[2] };
  }
  const workflow = new RegExp(`^(?:${OURS}/(\\.github/workflows/[\\w.-]+\\.ya?ml)@(.+)|\\./(\\.github/workflows/[\\w.-]+\\.ya?ml))$`).exec(
    uses,
  );
  if (workflow) {
    const file = workflow[1] ?? workflow[3];
    return { kind: 'workflow', name: file, file, ref: workflow[2] };
  }
  return undefined;
}

/** The inputs (and, for a reusable workflow, secrets) a target declares. */
export function declared(target: Target, text: string): Declared {
  const doc = (loadYaml(text) ?? {}) as Record<string, any>;
  if (target.kind === 'action') {
    const inputs = new Map<string, { required: boolean }>();
    for (const [name, spec] of Object.entries<any>(doc.inputs ?? {}))
      inputs.set(name, { required: (spec?.required === true || spec?.required === 'true') && spec?.default === undefined });
    return { inputs };
  }
  const call = (doc.on ?? doc[true as unknown as string])?.workflow_call;
  if (!call) throw new Error(`${target.file} is called as a reusable workflow but has no on.workflow_call`);
  const inputs = new Map<string, { required: boolean; type?: string }>();
  for (const [name, spec] of Object.entries<any>(call.inputs ?? {}))
    inputs.set(name, { required: spec?.required === true && spec?.default === undefined, type: spec?.type });
  const secrets = new Map<string, { required: boolean }>();
  for (const [name, spec] of Object.entries<any>(call.secrets ?? {})) secrets.set(name, { required: spec?.required === true });
  return { inputs, secrets };
}

const isExpression = (value: unknown) => typeof value === 'string' && /^\s*\$\{\{[\s\S]*\}\}\s*$/.test(value);

/** Problems of one `uses:` with its `with:` (and `secrets:`) against what the target declares. */
export function checkCall(
  where: string,
  target: Target,
  spec: Declared,
  withBlock: Record<string, unknown> = {},
  secrets?: unknown,
): string[] {
  const problems: string[] = [];
  if (target.ref !== undefined && target.ref !== 'v1') problems.push(`${where}: ${target.name} is referenced @${target.ref}; use @v1`);
  for (const [name, value] of Object.entries(withBlock)) {
    const input = spec.inputs.get(name);
    if (!input) problems.push(`${where}: input '${name}' does not exist in ${target.file} (it has: ${[...spec.inputs.keys()].join(', ')})`);
    else if (input.type === 'boolean' && !isExpression(value) && typeof value !== 'boolean')
      problems.push(`${where}: input '${name}' is a boolean, got ${JSON.stringify(value)}`);
    else if (input.type === 'number' && !isExpression(value) && typeof value !== 'number')
      problems.push(`${where}: input '${name}' is a number, got ${JSON.stringify(value)}`);
  }
  for (const [name, input] of spec.inputs)
    if (input.required && !(name in withBlock)) problems.push(`${where}: required input '${name}' of ${target.file} is missing`);
  if (spec.secrets && secrets !== 'inherit') {
    const given = (secrets ?? {}) as Record<string, unknown>;
    for (const name of Object.keys(given))
      if (!spec.secrets.has(name))
        problems.push(
          `${where}: secret '${name}' is not declared by ${target.file} (it has: ${[...spec.secrets.keys()].join(', ') || 'none'})`,
        );
    for (const [name, secret] of spec.secrets)
      if (secret.required && !(name in given)) problems.push(`${where}: required secret '${name}' of ${target.file} is missing`);
  }
  return problems;
}

/** Every `uses:` of ours in one workflow or composite action file: problems, and targets that do not exist yet. */
export function checkFile(
  file: string,
  text: string,
  read: (path: string) => string | undefined,
): { problems: string[]; missing: string[]; calls: number } {
  const doc = (loadYaml(text) ?? {}) as Record<string, any>;
  const problems: string[] = [];
  const missing: string[] = [];
  let calls = 0;
  const check = (where: string, uses: unknown, withBlock: unknown, secrets?: unknown) => {
    if (typeof uses !== 'string') return;
    const target = resolveUses(uses);
    if (!target) return;
    calls++;
    const targetText = read(target.file);
    if (targetText === undefined) {
      missing.push(`${where}: ${uses} -> ${target.file} does not exist yet`);
      return;
    }
    problems.push(...checkCall(where, target, declared(target, targetText), (withBlock ?? {}) as Record<string, unknown>, secrets));
  };
  for (const [name, job] of Object.entries<any>(doc.jobs ?? {})) {
    if (!job || typeof job !== 'object') continue;
    check(`${file} job '${name}'`, job.uses, job.with, job.secrets);
    (job.steps ?? []).forEach((step: any, i: number) =>
      check(`${file} job '${name}' step ${step?.id ?? step?.name ?? i + 1}`, step?.uses, step?.with),
    );
  }
  if (doc.runs?.using === 'composite')
    (doc.runs.steps ?? []).forEach((step: any, i: number) => check(`${file} step ${step?.id ?? i + 1}`, step?.uses, step?.with));
  return { problems, missing, calls };
}

const readRepoFile = (path: string) => (existsSync(join(ROOT, path)) ? readFileSync(join(ROOT, path), 'utf8') : undefined);

const files = globSync(
  [
    '.github/workflows/*.{yml,yaml}',
    'actions/*/action.{yml,yaml}',
    'examples/**/*.{yml,yaml}',
    'examples/**/.github/workflows/*.{yml,yaml}',
  ],
  { cwd: ROOT, dot: true, ignore: ['**/node_modules/**'] },
)
  .sort()
  .filter((file) => {
    const doc = loadYaml(readFileSync(join(ROOT, file), 'utf8')) as Record<string, any> | undefined;
    return Boolean(doc && typeof doc === 'object' && (doc.jobs || doc.runs?.using === 'composite'));
  });

describe('every uses: of our actions and reusable workflows passes declared inputs', () => {
  it('finds the reusable workflows, the composite action and the example workflows', () => {
    for (const expected of [
      '.github/workflows/ml-pr-checks.yml',
      '.github/workflows/gpu-benchmark.yml',
      'actions/ml-gate/action.yml',
      'examples/ml-repo/.github/workflows/pr-checks.yml',
    ])
      expect(files).toContain(expected);
  });

  it.each(files)('%s', (file) => {
    const { problems, missing } = checkFile(file, readFileSync(join(ROOT, file), 'utf8'), readRepoFile);
    // An action another helper has not landed yet is skipped, said aloud, rather than failed.
    if (missing.length > 0) console.warn(`Skipped (target not in this repository yet):\n${missing.join('\n')}`);
    expect(problems).toEqual([]);
  });

  it('checks a good number of calls in all', () => {
    const total = files.reduce((sum, file) => sum + checkFile(file, readFileSync(join(ROOT, file), 'utf8'), readRepoFile).calls, 0);
    expect(total).toBeGreaterThan(30);
  });
});

describe('the checker itself', () => {
  const action = [
    'name: a',
    'description: d',
    'inputs:',
    '  data: { description: x, required: true }',
    "  fail-on: { description: x, default: 'never' }",
    'runs: { using: node24, main: dist/index.js }',
  ].join('\n');
  const workflow = [
    'on:',
    '  workflow_call:',
    '    inputs:',
    '      model: { type: string, required: true }',
    '      dry-run: { type: boolean, default: false }',
    '    secrets:',
    '      token: { required: true }',
    'jobs: {}',
  ].join('\n');
  const read = (path: string) => ({ 'actions/a/action.yml': action, '.github/workflows/w.yml': workflow })[path];

  it('reports an unknown input, a missing required one, a branch reference and a missing action', () => {
    const text = [
      'jobs:',
      '  j:',
      '    steps:',
      `      - uses: ${OURS}/actions/a@main`,
      '        with: { dta: x.csv }',
      '      - uses: ./actions/not-yet',
      '      - uses: actions/checkout@v5',
      '        with: { anything: 1 }',
    ].join('\n');
    const result = checkFile('w.yml', text, read);
    expect(result.problems).toEqual([
      "w.yml job 'j' step 1: a is referenced @main; use @v1",
      "w.yml job 'j' step 1: input 'dta' does not exist in actions/a/action.yml (it has: data, fail-on)",
      "w.yml job 'j' step 1: required input 'data' of actions/a/action.yml is missing",
    ]);
    expect(result.missing).toEqual(["w.yml job 'j' step 2: ./actions/not-yet -> actions/not-yet/action.yml does not exist yet"]);
    expect(result.calls).toBe(2);
  });

  it('checks a reusable workflow call: inputs, their types and secrets', () => {
    const text = [
      'jobs:',
      '  call:',
      '    uses: ./.github/workflows/w.yml',
      "    with: { dry-run: 'yes', extra: 1 }",
      '    secrets: { tokn: x }',
    ].join('\n');
    expect(checkFile('c.yml', text, read).problems).toEqual([
      "c.yml job 'call': input 'dry-run' is a boolean, got \"yes\"",
      "c.yml job 'call': input 'extra' does not exist in .github/workflows/w.yml (it has: model, dry-run)",
      "c.yml job 'call': required input 'model' of .github/workflows/w.yml is missing",
      "c.yml job 'call': secret 'tokn' is not declared by .github/workflows/w.yml (it has: token)",
      "c.yml job 'call': required secret 'token' of .github/workflows/w.yml is missing",
    ]);
    const good = [
      'jobs:',
      '  call:',
      '    uses: mlops-actions/mlops-actions/.github/workflows/w.yml@v1',
      '    with: { model: m, dry-run: "${{ inputs.x }}" }',
      '    secrets: inherit',
    ].join('\n');
    expect(checkFile('c.yml', good, read).problems).toEqual([]);
  });

  it("checks a composite action's steps", () => {
    const text = [
      'name: c',
      'runs:',
      '  using: composite',
      '  steps:',
      `    - id: s`,
      `      uses: ${OURS}/actions/a@v1`,
      '      with: { data: x, failon: never }',
    ].join('\n');
    expect(checkFile('c/action.yml', text, read).problems).toEqual([
      "c/action.yml step s: input 'failon' does not exist in actions/a/action.yml (it has: data, fail-on)",
    ]);
  });

  it('leaves relative paths readable in messages', () => {
    expect(relative(ROOT, join(ROOT, 'actions', 'a', 'action.yml'))).toBe('actions/a/action.yml');
  });
});
