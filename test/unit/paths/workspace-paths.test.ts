// A fork's checkout is hostile: reads resolve symlinks and must stay inside the allowed places; writes never go
// through a link, never outside, and two outputs naming one file are refused before anything is written.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkDistinctOutputs,
  checkReadablePath,
  checkWritablePath,
  fileSystemError,
  makeOutputDir,
  resetPathPolicy,
  setPathPolicy,
  writeOutputFile,
} from '#shared/paths/index.js';
import { isUserError } from '#shared/errors.js';

let workspace: string;
let outside: string;

beforeEach(() => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'paths-')));
  workspace = join(base, 'ws');
  outside = join(base, 'outside');
  mkdirSync(workspace);
  mkdirSync(outside);
  setPathPolicy([{ path: workspace, name: 'the workspace' }]);
});
afterAll(() => resetPathPolicy());

describe('reading', () => {
  it('gives the real path of a file inside the workspace', async () => {
    writeFileSync(join(workspace, 'data.csv'), 'a\n1\n');
    await expect(checkReadablePath(join(workspace, 'data.csv'), "input 'data'")).resolves.toBe(join(workspace, 'data.csv'));
  });

  it('refuses a symlink to /proc/self/environ, naming the input, the path and where it resolves', async () => {
    symlinkSync('/proc/self/environ', join(workspace, 'data.csv'));
    await expect(checkReadablePath(join(workspace, 'data.csv'), "input 'data'")).rejects.toThrow(
      /^input 'data': '.*data\.csv' \(it resolves to '\/proc\/\d+\/environ'\) lies outside the workspace/,
    );
  });

  it('refuses a symlinked folder that leads out of the workspace', async () => {
    writeFileSync(join(outside, 'secret.csv'), 'x\n');
    symlinkSync(outside, join(workspace, 'data'));
    await expect(checkReadablePath(join(workspace, 'data', 'secret.csv'), "input 'data'")).rejects.toThrow(/lies outside the workspace/);
  });

  it('refuses an absolute path outside the workspace', async () => {
    writeFileSync(join(outside, 'x.csv'), 'x\n');
    await expect(checkReadablePath(join(outside, 'x.csv'))).rejects.toThrow(/lies outside the workspace/);
  });
});

describe('writing', () => {
  it('refuses report-dir ../.. and an absolute path elsewhere', async () => {
    await expect(makeOutputDir(join(workspace, '..', '..'), "input 'report-dir'")).rejects.toThrow(
      /^input 'report-dir': .* lies outside the workspace .*Outputs are written only inside them/,
    );
    await expect(makeOutputDir(join(outside, 'reports'), "input 'report-dir'")).rejects.toThrow(/lies outside/);
  });

  it('never writes through a symlink, and leaves its target untouched', async () => {
    writeFileSync(join(outside, 'target.txt'), 'precious');
    symlinkSync(join(outside, 'target.txt'), join(workspace, 'passed.csv'));
    await expect(writeOutputFile(join(workspace, 'passed.csv'), 'rows', "input 'passed-path'")).rejects.toThrow(
      /^input 'passed-path': '.*passed\.csv' is a symbolic link; outputs are never written through a link/,
    );
    expect(readFileSync(join(outside, 'target.txt'), 'utf8')).toBe('precious');
  });

  it('refuses a new file under a symlinked folder that leads outside', async () => {
    symlinkSync(outside, join(workspace, 'reports'));
    await expect(writeOutputFile(join(workspace, 'reports', 'r.json'), '{}')).rejects.toThrow(/lies outside/);
  });

  it('creates missing folders inside the workspace', async () => {
    const path = await writeOutputFile(join(workspace, 'a', 'b', 'r.json'), '{}');
    expect(readFileSync(path, 'utf8')).toBe('{}');
    await expect(checkWritablePath(join(workspace, 'new', 'deeper', 'x'))).resolves.toBe(join(workspace, 'new', 'deeper', 'x'));
  });

  it('refuses two outputs that are one file by real path (q.csv and ./q.csv)', async () => {
    const cwd = process.cwd();
    process.chdir(workspace);
    try {
      await expect(
        checkDistinctOutputs([
          { label: "input 'passed-path'", path: 'q.csv' },
          { label: "input 'failed-path'", path: './q.csv' },
        ]),
      ).rejects.toThrow("input 'failed-path' and input 'passed-path' name the same file ('./q.csv')");
    } finally {
      process.chdir(cwd);
    }
  });

  it('turns a setup error (EACCES on a report dir) into a user error naming the input and path', () => {
    const eacces = Object.assign(new Error('EACCES: permission denied, mkdir'), { code: 'EACCES' });
    const error = fileSystemError(eacces, 'reports', "input 'report-dir'", 'create the folder');
    expect(isUserError(error)).toBe(true);
    expect(error.message).toBe("input 'report-dir': could not create the folder 'reports': permission denied.");
    const bug = new Error('something else');
    expect(fileSystemError(bug, 'reports', undefined, 'write')).toBe(bug);
  });
});
