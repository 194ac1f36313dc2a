// data-gate's built dist/index.js against input a fork's pull request could write: data files that are links to the
// job's environment or out of the checkout, outputs that are links or lead out of the workspace, a gzip of one value
// repeated millions of times under a uniqueness rule, a line with no end, nesting with no end, a damaged Parquet
// page, a YAML alias bomb, and columns named after Object.prototype's members. Each ends in a clear message (or a
// right result), with nothing of the data or the environment leaked and memory bounded.
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT, runBuiltAction, type ActionRunResult } from '../support/run-built-action.js';
import { expectCleanFailure } from '../support/action-assertions.js';

/** E2E_ACTIONS_DIR: run a bundle built elsewhere (node scripts/build.mjs --out DIR; DIR/actions), default this repository's. */
const actionDir = join(process.env.E2E_ACTIONS_DIR ?? join(REPO_ROOT, 'actions'), 'data-gate');
const SECRET = 'ghs_hostileInputSecretValue0123456789';

const work = mkdtempSync(join(tmpdir(), 'data-gate-hostile-'));
const outside = mkdtempSync(join(tmpdir(), 'data-gate-outside-'));
writeFileSync(join(outside, 'secret.csv'), `token\n${SECRET}\n`);
writeFileSync(join(outside, 'victim.csv'), 'keep me\n');
writeFileSync(join(work, 'orders.csv'), 'id,amount\n1,10\n2,20\n2,30\n');
writeFileSync(join(work, 'rules.yml'), 'version: 1\nrules:\n  - expectation: expect_column_values_to_be_unique\n    column: id\n');
symlinkSync('/proc/self/environ', join(work, 'environ.csv'));
symlinkSync(join(outside, 'secret.csv'), join(work, 'leak.csv'));
symlinkSync(join(outside, 'victim.csv'), join(work, 'passed.csv'));

/** A preload that writes the process's peak resident memory (all threads) to a file when it exits. */
const rssFile = join(work, 'peak-rss.txt');
const preload = join(work, 'report-rss.cjs');
writeFileSync(
  preload,
  `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`,
);

function dataGate(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRunResult> {
  return runBuiltAction({
    action: 'data-gate',
    actionDir,
    inputs: { 'report-dir': 'report', ...inputs },
    cwd: work,
    env: { HOSTILE_SECRET: SECRET, ...env },
  });
}

/** Everything the run left where a person or another job could read it. */
function everythingWritten(result: ActionRunResult): string {
  const reports = existsSync(join(work, 'report'))
    ? readdirSync(join(work, 'report')).map((f) => readFileSync(join(work, 'report', f), 'utf8'))
    : [];
  return [result.stdout, result.stderr, result.summary, JSON.stringify(result.outputs), ...reports].join('\n');
}

describe('paths a pull request controls', () => {
  test('a data file linked to /proc/self/environ is refused, naming the input and the path, and nothing of the environment leaks', async () => {
    const result = await dataGate({ data: 'environ.csv', rules: 'rules.yml' });
    expectCleanFailure(result, /input 'data': 'environ\.csv' \(it resolves to '\/proc\/\d+\/environ'\) lies outside the workspace/);
    expect(everythingWritten(result)).not.toContain(SECRET);
  });

  test('a data file linked out of the workspace is refused and its content goes nowhere', async () => {
    const result = await dataGate({ data: 'leak.csv', rules: 'rules.yml' });
    expectCleanFailure(result, /input 'data': 'leak\.csv' \(it resolves to '.*secret\.csv'\) lies outside/);
    expect(everythingWritten(result)).not.toContain(SECRET);
  });

  test('a passed-path that is a link is refused before anything is written, its target untouched', async () => {
    const result = await dataGate({ data: 'orders.csv', rules: 'rules.yml', 'passed-path': 'passed.csv', 'failed-path': 'out/failed.csv' });
    expectCleanFailure(result, /input 'passed-path': 'passed\.csv' is a symbolic link; outputs are never written through a link/);
    expect(readFileSync(join(outside, 'victim.csv'), 'utf8')).toBe('keep me\n');
    expect(existsSync(join(work, 'out', 'failed.csv'))).toBe(false);
  });

  test('report-dir ../.. is refused', async () => {
    const result = await dataGate({ data: 'orders.csv', rules: 'rules.yml', 'report-dir': '../..' });
    expectCleanFailure(result, /input 'report-dir': '\.\.\/\.\.' lies outside/);
  });

  test('two outputs that are one file by real path are refused', async () => {
    const result = await dataGate({ data: 'orders.csv', rules: 'rules.yml', 'passed-path': 'q.csv', 'failed-path': './q.csv' });
    expectCleanFailure(result, /name the same file/);
  });
});

describe('bounded memory whatever the input', () => {
  test('a small .csv.gz of one value repeated 16M times under a uniqueness rule: exact counts, bounded memory', async () => {
    const rows = 16_000_000;
    writeFileSync(join(work, 'same.csv.gz'), gzipSync(Buffer.from(`id\n${'same\n'.repeat(rows)}`), { level: 9 }));
    const result = await dataGate(
      { data: 'same.csv.gz', rules: 'rules.yml', 'memory-budget-mb': '64' },
      { NODE_OPTIONS: `--require ${preload}` },
    );
    expect(result.exitCode).toBe(1);
    expect(result.outputs.rows).toBe(String(rows));
    expect(result.outputs['failed-rows']).toBe(String(rows));
    const peakMB = Number(readFileSync(rssFile, 'utf8')) / 1024;
    expect(peakMB).toBeLessThan(400);
  }, 240_000);

  test('a gzip of zeros with no line feed stops at max-line-mb with file:line, quickly', async () => {
    writeFileSync(join(work, 'zeros.csv.gz'), gzipSync(Buffer.concat([Buffer.from('id\n'), Buffer.alloc(256 << 20, 0x30)])));
    const started = Date.now();
    const result = await dataGate({ data: 'zeros.csv.gz', rules: 'rules.yml', 'max-line-mb': '8' });
    expectCleanFailure(result, /zeros\.csv\.gz:2: a row longer than 8 MB \(the max-line-mb limit\)/);
    expect(Date.now() - started).toBeLessThan(60_000);
    // The message quotes none of the row.
    expect(result.stdout).not.toMatch(/0{300}/);
  }, 120_000);
});

describe('hostile files and rules', () => {
  test('JSON Lines nested 200,000 levels deep: a clear error with file:line', async () => {
    writeFileSync(join(work, 'deep.jsonl'), `{"id":1}\n{"id":${'['.repeat(200_000)}${']'.repeat(200_000)}}\n`);
    const result = await dataGate({ data: 'deep.jsonl', rules: 'rules.yml' });
    expectCleanFailure(result, /deep\.jsonl:2: a JSON value nested deeper than 1000 levels/);
  });

  test('a damaged Parquet data page: a clear error naming the file and row group', async () => {
    const bytes = readFileSync(join(REPO_ROOT, 'test/fixtures/data/orders.parquet'));
    for (let i = 1000; i < 1064; i++) bytes[i] ^= 0xff;
    writeFileSync(join(work, 'damaged.parquet'), bytes);
    writeFileSync(
      join(work, 'parquet-rules.yml'),
      'version: 1\nrules:\n  - expectation: expect_column_values_to_not_be_null\n    column: city\n',
    );
    const result = await dataGate({ data: 'damaged.parquet', rules: 'parquet-rules.yml' });
    expectCleanFailure(result, /damaged\.parquet(:\d+)?.*(cannot decode Parquet data in row group \d+|not a readable Parquet file)/);
  });

  test('a YAML alias bomb in the rules file: a clear error at once', async () => {
    const levels = Array.from(
      { length: 8 },
      (_, k) =>
        `${String.fromCharCode(98 + k)}: &${String.fromCharCode(98 + k)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + k)}`)
          .join(',')}]`,
    );
    writeFileSync(
      join(work, 'bomb.yml'),
      ['version: 1', 'a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...levels, 'rules: []'].join('\n'),
    );
    const started = Date.now();
    const result = await dataGate({ data: 'orders.csv', rules: 'bomb.yml' });
    expectCleanFailure(result, /bomb\.yml: the YAML stands for more than 100,000 values once its aliases \(\*name\) are expanded/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  test('columns named constructor, __proto__ and toString are validated like any other', async () => {
    writeFileSync(join(work, 'proto.csv'), 'constructor,__proto__,toString\n1,a,x\n2,a,\n3,b,z\n');
    writeFileSync(
      join(work, 'proto-rules.yml'),
      [
        'version: 1',
        'columns: {constructor: numerical}',
        'rules:',
        '  - {expectation: expect_column_values_to_be_between, column: constructor, min_value: 0, max_value: 2}',
        '  - {expectation: expect_column_values_to_be_unique, column: __proto__}',
        '  - {expectation: expect_column_values_to_not_be_null, column: toString}',
      ].join('\n'),
    );
    const result = await dataGate({ data: 'proto.csv', rules: 'proto-rules.yml' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs['failed-rows']).toBe('3');
    const gx = JSON.parse(readFileSync(result.outputs['result-json'], 'utf8'));
    expect(gx.results.map((r: { success: boolean }) => r.success)).toEqual([false, false, false]);
    expect(gx.results.map((r: { result: { unexpected_count: number } }) => r.result.unexpected_count)).toEqual([1, 2, 1]);
    expect(result.stdout + result.stderr).not.toMatch(/Unexpected error|function Object/);
  });

  test('lines with NUL bytes and invalid UTF-8 are warned about with file:line and counts', async () => {
    writeFileSync(
      join(work, 'bytes.csv'),
      Buffer.concat([Buffer.from('id,amount\n1,1\n2\0,2\n'), Buffer.from([0x33, 0xff, 0x2c, 0x33, 0x0a])]),
    );
    const result = await dataGate({ data: 'bytes.csv', rules: 'rules.yml' });
    const warnings = result.annotations.filter((a) => a.level === 'warning' && a.properties.file === 'bytes.csv');
    expect(warnings.map((w) => [w.properties.line, w.message.replace(/;.*/, '').replace('data-gate: file content: ', '')])).toEqual([
      ['3', '1 line(s) hold NUL bytes (\\0), the first on line 3'],
      ['4', '1 line(s) are not valid UTF-8, the first on line 4'],
    ]);
  });
});
