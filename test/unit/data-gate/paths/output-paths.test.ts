// Quarantine outputs written by a fork's pull request: a passed-path that is a link is refused with its target left
// as it was, a path out of the workspace is refused, and an output that is a data file by real path is refused.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, UserError } from '#shared/errors.js';
import { resetPathPolicy, setPathPolicy } from '#shared/paths/index.js';
import { writeQuarantine } from '../../../../actions/data-gate/src/quarantine/write-quarantine.js';
import { rejection, tempFolder } from '../../data/temp-files.js';

const folder = tempFolder();
const workspace = join(folder.dir, 'ws');
const outside = join(folder.dir, 'outside');
const data = join(workspace, 'data.csv');

beforeAll(() => {
  mkdirSync(workspace, { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(data, 'id\n1\n2\n');
  writeFileSync(join(outside, 'victim.txt'), 'keep me\n');
  symlinkSync(join(outside, 'victim.txt'), join(workspace, 'passed.csv'));
  setPathPolicy([{ path: workspace, name: 'the workspace' }]);
});
afterAll(() => {
  resetPathPolicy();
  folder.remove();
});

const quarantine = (paths: { passedPath?: string; failedPath?: string }) =>
  writeQuarantine({
    inputs: [{ path: data, format: 'csv' }],
    brokenRules: (row) => (row === 1 ? ['id unique'] : undefined),
    expectedRows: 2,
    ...paths,
  });

describe('quarantine output paths', () => {
  it('refuses a passed-path that is a symbolic link and leaves its target untouched', async () => {
    const error = await rejection(quarantine({ passedPath: join(workspace, 'passed.csv') }));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/^input 'passed-path': '.*passed\.csv' is a symbolic link; outputs are never written through a link\./);
    expect(readFileSync(join(outside, 'victim.txt'), 'utf8')).toBe('keep me\n');
  });

  it('refuses a failed-path outside the workspace', async () => {
    const error = await rejection(quarantine({ failedPath: join(outside, 'failed.csv') }));
    expect(error.message).toMatch(/^input 'failed-path': '.*failed\.csv' lies outside the workspace/);
    expect(existsSync(join(outside, 'failed.csv'))).toBe(false);
  });

  it('refuses ../.. out of the workspace', async () => {
    const error = await rejection(quarantine({ failedPath: join(workspace, '..', '..', 'escape.csv') }));
    expect(error.message).toMatch(/lies outside the workspace/);
  });

  it('refuses an output that is a data file by real path', async () => {
    const error = await rejection(quarantine({ failedPath: join(workspace, '.', 'sub', '..', 'data.csv') }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/a path other than the data files being validated/);
  });

  it('writes inside the workspace', async () => {
    const summary = await quarantine({ passedPath: join(workspace, 'out', 'ok.csv'), failedPath: join(workspace, 'out', 'bad.csv') });
    expect(summary.failedRows).toBe(1);
    expect(readFileSync(join(workspace, 'out', 'ok.csv'), 'utf8')).toBe('id\n1\n');
  });
});
