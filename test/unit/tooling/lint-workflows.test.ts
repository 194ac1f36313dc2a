import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(process.cwd(), 'scripts', 'lint-workflows.mjs');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lint-workflows-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function lint(...args: string[]) {
  const result = spawnSync(process.execPath, [script, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(file: string, text: string) {
  mkdirSync(join(dir, file, '..'), { recursive: true });
  writeFileSync(join(dir, file), text);
}

describe('linting workflows and action metadata', () => {
  it('reports a broken workflow as file:line:col and exits 1', () => {
    write(
      'broken.yml',
      [
        'on: push',
        'jobs:',
        '  train:',
        '    runs-on: ubuntu-latest',
        '    needs: prepare',
        '    steps:',
        '      - run: echo ${{ github.evnt }}',
      ].join('\n'),
    );
    const run = lint('broken.yml');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('broken.yml:3:3: job "train" needs job "prepare" which does not exist in this workflow');
    expect(run.stdout).toMatch(/broken\.yml:7:\d+: property "evnt" is not defined/);
  });

  it('reports malformed YAML with its position instead of crashing', () => {
    write('bad.yml', 'on: push\njobs:\n  a: [\n');
    const run = lint('bad.yml');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^bad\.yml:\d+:\d+: invalid YAML/m);
  });

  it('accepts the self-hosted GPU labels declared in .github/actionlint.yaml, and no others', () => {
    const job = (label: string) =>
      `on: push\njobs:\n  train:\n    runs-on: [self-hosted, ${label}]\n    timeout-minutes: 60\n    steps:\n      - run: nvidia-smi\n`;
    write('gpu.yml', job('h100'));
    write('tpu.yml', job('tpu-v5'));
    const config = join(process.cwd(), '.github', 'actionlint.yaml');
    expect(lint('--config', config, 'gpu.yml')).toMatchObject({ code: 0 });
    const run = lint('--config', config, 'tpu.yml');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('tpu.yml:4:28: label "tpu-v5" is unknown');
  });

  it('checks an action.yml for node24, known keys and a built main', () => {
    write(
      'actions/demo/action.yml',
      [
        'name: demo',
        'description: A demo.',
        'inputs:',
        '  level:',
        '    description: How much.',
        '    requird: true',
        'runs:',
        '  using: node20',
        '  main: dist/index.js',
      ].join('\n'),
    );
    const run = lint('actions');
    expect(run.code).toBe(1);
    expect(run.stdout.trim().split('\n')).toEqual([
      "actions/demo/action.yml:6:1: unexpected key 'requird' in inputs.level [action-metadata]",
      "actions/demo/action.yml:8:1: runs.using must be 'node24' (this repository's actions run on node24) [action-metadata]",
      "actions/demo/action.yml:9:1: runs.main 'dist/index.js' does not exist; run `npm run build` [action-metadata]",
    ]);
  });

  it('leaves YAML files that are not workflows (rule and config files in examples) alone', () => {
    write('examples/rules.yml', 'columns:\n  age: {min: 0}\n');
    expect(lint('examples')).toMatchObject({ code: 0 });
  });

  it("passes on this repository's own workflows and action metadata", () => {
    const output = execFileSync(process.execPath, [script], { cwd: process.cwd(), encoding: 'utf8' });
    expect(output).toMatch(/file\(s\) clean/);
  });
});

describe("the repository's own workflow rules (as zizmor checks them)", () => {
  it('flags a missing timeout, persisted checkout credentials, @main and untrusted input in run:', () => {
    write(
      'unsafe.yml',
      [
        'on: pull_request',
        'permissions:',
        '  contents: read',
        'jobs:',
        '  check:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v5',
        '      - uses: mlops-actions/mlops-actions/actions/drift-check@main',
        '        with:',
        '          reference: a.csv',
        '          current: b.csv',
        '      - run: echo "${{ github.event.pull_request.title }}"',
      ].join('\n'),
    );
    const run = lint('unsafe.yml');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("unsafe.yml:5:1: job 'check' has no timeout-minutes [timeout]");
    expect(run.stdout).toContain("unsafe.yml:8:1: checkout in job 'check' leaves persist-credentials at its default (true)");
    expect(run.stdout).toContain("unsafe.yml:9:1: 'mlops-actions/mlops-actions/actions/drift-check@main' follows a branch");
    expect(run.stdout).toContain("unsafe.yml:13:1: run step in job 'check' expands untrusted input inside the script");
  });

  it('passes the same workflow written safely', () => {
    write(
      'safe.yml',
      [
        'on: pull_request',
        'permissions:',
        '  contents: read',
        'jobs:',
        '  check:',
        '    runs-on: ubuntu-latest',
        '    timeout-minutes: 10',
        '    steps:',
        '      - uses: actions/checkout@v5',
        '        with:',
        '          persist-credentials: false',
        '      - run: echo "$TITLE"',
        '        env:',
        '          TITLE: ${{ github.event.pull_request.title }}',
      ].join('\n'),
    );
    const run = lint('safe.yml');
    expect(run.stdout).toContain('lint-workflows: 1 file(s) clean');
    expect(run.code).toBe(0);
  });
});
