// drift-check's built dist/index.js against data a fork's pull request could write: columns named after
// Object.prototype's members, a reference file linked to the job's environment, and a gzip with no line feed.
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT, runBuiltAction, type ActionRunResult } from '../support/run-built-action.js';
import { expectCleanFailure } from '../support/action-assertions.js';

/** E2E_ACTIONS_DIR: run a bundle built elsewhere (node scripts/build.mjs --out DIR; DIR/actions), default this repository's. */
const actionDir = join(process.env.E2E_ACTIONS_DIR ?? join(REPO_ROOT, 'actions'), 'drift-check');
const SECRET = 'ghs_hostileInputSecretValue0123456789';
const work = mkdtempSync(join(tmpdir(), 'drift-check-hostile-'));

function csv(name: string, shift: number): string {
  const rows = Array.from({ length: 400 }, (_, i) => `${(i % 50) + shift},${['a', 'b', 'c'][i % 3]},${i % 7 === 0 ? 'x' : 'y'},${i}`);
  writeFileSync(join(work, name), `constructor,__proto__,toString,hasOwnProperty\n${rows.join('\n')}\n`);
  return name;
}

function driftCheck(inputs: Record<string, string>): Promise<ActionRunResult> {
  return runBuiltAction({
    action: 'drift-check',
    actionDir,
    inputs: { 'report-dir': 'report', ...inputs },
    cwd: work,
    env: { HOSTILE_SECRET: SECRET },
  });
}

describe('drift-check on hostile input', () => {
  test('columns named constructor, __proto__, toString and hasOwnProperty are compared like any other', async () => {
    const result = await driftCheck({ reference: csv('reference.csv', 0), current: csv('current.csv', 30) });
    expect(result.exitCode).toBe(0);
    const text = result.stdout + result.stderr + result.summary;
    expect(text).not.toMatch(/Unexpected error|unknown type|function Object/);
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(result.summary).toContain(name);
  });

  test('a reference file linked to /proc/self/environ is refused and nothing of the environment leaks', async () => {
    symlinkSync('/proc/self/environ', join(work, 'environ.csv'));
    const result = await driftCheck({ reference: 'environ.csv', current: csv('current2.csv', 0) });
    expectCleanFailure(result, /input 'reference': 'environ\.csv' \(it resolves to '\/proc\/\d+\/environ'\) lies outside the workspace/);
    expect(result.stdout + result.stderr + result.summary + JSON.stringify(result.outputs)).not.toContain(SECRET);
  });

  test('a gzip with no line feed stops at max-line-mb with file:line', async () => {
    writeFileSync(join(work, 'zeros.csv.gz'), gzipSync(Buffer.concat([Buffer.from('a\n'), Buffer.alloc(64 << 20, 0x30)])));
    const result = await driftCheck({ reference: 'zeros.csv.gz', current: csv('current3.csv', 0), 'max-line-mb': '4' });
    expectCleanFailure(result, /zeros\.csv\.gz:2: a row longer than 4 MB \(the max-line-mb limit\)/);
  }, 120_000);
});
