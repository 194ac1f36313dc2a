import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../cli/src/cli.js';
import { registeredActions, type RegisteredAction } from '../../../cli/src/actions.js';
import type { ActionRuntime } from '#shared/runtime/action-runtime.js';

class Recorder {
  text = '';
  write(text: string) {
    this.text += text;
    return true;
  }
}

// A small action standing in for a real one: it echoes its inputs back as outputs and logs its token.
async function echoAction(runtime: ActionRuntime): Promise<void> {
  runtime.setSecret(runtime.getInput('token'));
  runtime.logger.info(`using token ${runtime.getInput('token')}`);
  if (runtime.getInput('threshold') === 'oops') throw new Error('boom');
  runtime.setOutput('threshold', runtime.getInput('threshold'));
  runtime.setOutput('files', JSON.stringify(runtime.getInput('files').split('\n')));
  await runtime.appendSummary('## Echo\n| input | value |\n|---|---|\n| threshold | ' + runtime.getInput('threshold') + ' |');
}

let root: string;
const actions: Record<string, RegisteredAction> = { echo: { main: echoAction, metadataPath: 'actions/echo/action.yml' } };

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cli-test-'));
  mkdirSync(join(root, 'actions', 'echo'), { recursive: true });
  writeFileSync(
    join(root, 'actions', 'echo', 'action.yml'),
    [
      'name: echo',
      'description: Echoes its inputs.',
      'inputs:',
      '  threshold: {description: A threshold., default: "0.05"}',
      '  files: {description: Files to read., required: true}',
      '  token: {description: A token., default: "${{ github.token }}"}',
      'outputs:',
      '  threshold: {description: The threshold used.}',
      'runs: {using: node24, main: dist/index.js}',
    ].join('\n'),
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const stdout = new Recorder();
  const stderr = new Recorder();
  const code = await runCli(argv, { stdout, stderr, env: {}, root, actions });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('npx mlops-actions', () => {
  it('runs an action with flags and prints its summary, then its outputs, exiting 0', async () => {
    const run = await cli('echo', '--files', 'a.csv', '--files', 'b.csv', '--token', 's3cr3t-value');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'Echo\n----\n| input     | value |\n|-----------|-------|\n| threshold | 0.05  |\nthreshold=0.05\nfiles=["a.csv","b.csv"]\n',
    );
    expect(run.stderr).toBe('using token ***\n');
  });

  it('exits 1 with Error: and no stack trace when the action fails', async () => {
    const run = await cli('echo', '--threshold', 'oops');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Error: Unexpected error (please report it): boom');
    expect(run.stderr).not.toContain('    at ');
  });

  it('exits 1 with the valid inputs listed when an input is misspelt', async () => {
    const run = await cli('echo', '--treshold', '1');
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: "Error: Unknown input '--treshold' for echo. Valid inputs: --threshold, --files, --token.\n",
    });
  });

  it('lists the actions for --help, and describes each input for <action> --help', async () => {
    expect((await cli('--help')).stdout).toContain('  echo  Echoes its inputs.');
    const help = await cli('echo', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--threshold  (optional, default: 0.05)');
    expect(help.stdout).toContain('--files  (required)');
    expect(help.stdout).toContain('--token  (optional, default: ${{ github.token }} (empty outside GitHub))');
  });

  it('prints the usage on stderr and exits 1 when no action is named', async () => {
    const run = await cli();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Usage: mlops-actions <action>');
  });
});

describe("the package's own actions", () => {
  it('offers every action of the repository (each folder with an action.yml and a src/main.ts)', () => {
    const folders = readdirSync('actions').filter(
      (name) => existsSync(join('actions', name, 'action.yml')) && existsSync(join('actions', name, 'src', 'main.ts')),
    );
    expect(Object.keys(registeredActions).sort()).toEqual(folders.sort());
    for (const name of folders) expect(registeredActions[name].metadataPath).toBe(`actions/${name}/action.yml`);
  });

  it("describes drift-check's inputs from its action.yml", async () => {
    const stdout = new Recorder();
    const code = await runCli(['drift-check', '--help'], { stdout, stderr: new Recorder(), env: {} });
    expect(code).toBe(0);
    expect(stdout.text).toContain('--reference  (required)');
  });
});

describe('where the CLI reads and writes', () => {
  const real = (args: string[]) => {
    const stdout = new Recorder();
    const stderr = new Recorder();
    return runCli(args, { stdout, stderr, env: {} }).then((code) => ({ code, stdout: stdout.text, stderr: stderr.text }));
  };

  it('uses the current directory as its workspace: a file elsewhere is refused, naming the input and the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-outside-'));
    writeFileSync(join(dir, 'd.csv'), 'x\n1\n');
    const run = await real(['data-gate', '--data', join(dir, 'd.csv'), '--mode', 'suggest', '--suggest-out', join(dir, 's.yml')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/input 'data': '.*d\.csv' lies outside the current directory/);
    expect(existsSync(join(dir, 's.yml'))).toBe(false);
  });

  it('reads and writes another folder when --allow-path names it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-allowed-'));
    writeFileSync(join(dir, 'd.csv'), 'x\n1\n2\n');
    const run = await real([
      'data-gate',
      '--data',
      join(dir, 'd.csv'),
      '--mode',
      'suggest',
      '--suggest-out',
      join(dir, 's.yml'),
      '--allow-path',
      dir,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, 's.yml'))).toBe(true);
  });
});
