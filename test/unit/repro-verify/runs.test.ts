// One run: the command in bash -eo pipefail with the action's own inputs kept from it, a timeout that ends the whole
// process tree, the output tail; and the fresh copy each run gets (no .git, stale outputs removed).
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandEnvironment, runCommand } from '../../../actions/repro-verify/src/runs/run-command.js';
import { freshCopy } from '../../../actions/repro-verify/src/runs/fresh-copy.js';

const dir = mkdtempSync(join(tmpdir(), 'repro-runs-'));

test('the command never sees INPUT_* (the token) or the runner tokens; extra env wins', () => {
  const env = commandEnvironment(
    { PATH: '/bin', 'INPUT_GITHUB-TOKEN': 'ghs_x', ACTIONS_RUNTIME_TOKEN: 'y', ACTIONS_CACHE_URL: 'z', SEED: '1' },
    { SEED: '2' },
  );
  expect(env).toEqual({ PATH: '/bin', SEED: '2' });
});

test('pipefail: a failing stage of a pipe fails the command; the tail keeps the last lines', async () => {
  const result = await runCommand({
    command: 'for i in $(seq 1 100); do echo line $i; done; false | cat',
    cwd: dir,
    env: { PATH: process.env.PATH! },
    timeoutMs: 20_000,
  });
  expect(result.exitCode).toBe(1);
  expect(result.timedOut).toBe(false);
  expect(result.tail.split('\n').at(-2)).toBe('line 100');
});

test('a timeout ends the whole process tree, children included', async () => {
  const pidFile = join(dir, 'child.pid');
  const result = await runCommand({
    command: `sleep 60 & echo $! > ${pidFile}; wait`,
    cwd: dir,
    env: { PATH: process.env.PATH! },
    timeoutMs: 500,
  });
  expect(result.timedOut).toBe(true);
  const { readFileSync } = await import('node:fs');
  const child = Number(readFileSync(pidFile, 'utf8'));
  // Running, per /proc: an ended child that its new parent has not reaped yet (a zombie, state Z) has ended.
  const running = () => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${child}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  // The kill is asynchronous: on a loaded machine the child may take a moment to go.
  for (let waited = 0; running() && waited < 5000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  expect(running()).toBe(false);
});

test('a fresh copy leaves out .git and removes stale declared outputs', async () => {
  const source = join(dir, 'project');
  mkdirSync(join(source, '.git'), { recursive: true });
  mkdirSync(join(source, 'out'), { recursive: true });
  writeFileSync(join(source, 'train.py'), 'print(1)\n');
  writeFileSync(join(source, 'out', 'model.json'), '{"stale": true}');
  writeFileSync(join(source, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  const copy = await freshCopy(source, join(dir, 'run-1'), ['out/*.json']);
  expect(existsSync(join(copy, 'train.py'))).toBe(true);
  expect(existsSync(join(copy, '.git'))).toBe(false);
  expect(existsSync(join(copy, 'out', 'model.json'))).toBe(false);
  expect(existsSync(join(source, 'out', 'model.json'))).toBe(true);
});
