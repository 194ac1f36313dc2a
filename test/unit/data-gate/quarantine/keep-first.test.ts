// `duplicates: keep-first`: the quarantine keeps the first row of each group of duplicates in the passed file and
// sends only the later copies to the failed file, so a team de-duplicating with data-gate keeps the legitimate row;
// `all` (the default, GX's view) fails every member. Expected rows come from pandas' DataFrame.duplicated
// (keep=False / keep='first'): test/fixtures/data-gate/keep-first/make_expected.py.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { dump } from 'js-yaml';
import { readCsvRecords } from '#shared/data/csv-reader.js';
import { FirstCopyFinder } from '../../../../actions/data-gate/src/quarantine/first-copy-finder.js';
import { quarantineRows } from '../../../../actions/data-gate/src/quarantine/write-quarantine.js';
import { parseRulesFile } from '../../../../actions/data-gate/src/rules/parse-rules-file.js';
import { validateDataset } from '../../../../actions/data-gate/src/validate/validate-dataset.js';
import { readInputs } from '../../../../actions/data-gate/src/inputs.js';
import { tempFolder } from '../../data/temp-files.js';
import { seeded } from './tricky-files.js';

const FIXTURES = join(process.cwd(), 'test/fixtures/data-gate/keep-first');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<'all' | 'keep-first', number[]>;
const input = readFileSync(join(FIXTURES, 'orders.csv'));

const folder = tempFolder();
afterAll(() => folder.remove());

const ruleSet = parseRulesFile(
  dump({
    version: 1,
    rules: [
      { expectation: 'expect_column_values_to_be_unique', name: 'order id unique', column: 'order_id' },
      { expectation: 'expect_compound_columns_to_be_unique', name: 'one order a customer a day', column_list: ['customer', 'day'] },
      { expectation: 'expect_column_values_to_be_between', name: 'amount not negative', column: 'amount', min_value: 0 },
    ],
  }),
  'rules.yml',
);

/** Each data row of a CSV as text (latin1), its line ending included. */
async function rowsOf(path: string): Promise<string[]> {
  const rows: string[] = [];
  for await (const chunk of readCsvRecords(path, ',')) {
    const { offsets, lengths } = chunk.spans;
    for (let r = 0; r < offsets.length; r++) {
      const start = offsets[r] - chunk.position;
      rows.push(chunk.bytes.toString('latin1', start, start + lengths[r]));
    }
  }
  return rows;
}

async function split(name: string, duplicates: 'all' | 'keep-first', budgetBytes = 64 << 20) {
  const data = folder.write(name, name.endsWith('.gz') ? gzipSync(input) : input);
  const outcome = await validateDataset({ data: [data], ruleSet, failOn: 'error', budgetBytes, threads: 1 });
  const passedPath = join(folder.dir, `${name}-${duplicates}-passed.csv`);
  const failedPath = join(folder.dir, `${name}-${duplicates}-failed.csv`);
  const summary = await quarantineRows(outcome, { passedPath, failedPath, duplicates, ruleSet, budgetBytes });
  return { data, summary, outcome, passed: await rowsOf(passedPath), failed: await rowsOf(failedPath) };
}

describe('duplicates: keep-first', () => {
  it.each(['orders.csv', 'orders.csv.gz'])('%s: sends only the later copies to the failed file, as pandas keep="first"', async (name) => {
    const { data, summary, outcome, passed, failed } = await split(name, 'keep-first');
    const rows = await rowsOf(data);
    const failing = new Set(expected['keep-first']);
    expect(summary).toMatchObject({ failedRows: failing.size, passedRows: rows.length - failing.size });
    expect(failed.map((line) => line.split(',')[0])).toEqual(expected['keep-first'].map((row) => rows[row].split(',')[0]));
    // The validation result keeps GX's view: every member of a group is unexpected.
    const unique = outcome.result.results.find((r) => r.meta.rule === 'order id unique')!;
    expect(unique.result.unexpected_count).toBe(5);
    // Passed + failed (less the rule cell) = the input rows, byte for byte, in order.
    let p = 0;
    let f = 0;
    const merged = rows.map((_, row) => (failing.has(row) ? failed[f++].replace(/,[^,\r\n]*\r\n$/, '\r\n') : passed[p++]));
    expect([p, f]).toEqual([passed.length, failed.length]);
    expect(merged.slice(0, -1)).toEqual(rows.slice(0, -1));
    // The last input row has no line ending: its copy gets the header's.
    expect(merged.at(-1)).toBe(`${rows.at(-1)}\r\n`);
  });

  it('keeps a first copy failed when it broke another rule, naming only that rule', async () => {
    const { failed } = await split('first-broken.csv', 'keep-first');
    const row7 = failed.find((line) => line.startsWith('7,'));
    expect(row7).toBe('7,c5,2024-01-05,-5,first copy but a negative amount,amount not negative\r\n');
    expect(failed.find((line) => line.startsWith('7.0,'))).toBe('7.0,c6,2024-01-06,5,7.0 is 7,order id unique\r\n');
  });

  it('fails every member of a group with all, the default', async () => {
    const { data, summary, failed } = await split('orders-all.csv', 'all');
    const rows = await rowsOf(data);
    expect(summary).toMatchObject({ failedRows: expected.all.length });
    expect(failed.map((line) => line.split(',')[0])).toEqual(expected.all.map((row) => rows[row].split(',')[0]));
    expect(readInputs((name) => ({ data: 'x.csv', rules: 'r.yml' })[name] ?? '').duplicates).toBe('all');
  });

  it('keeps the first copy in JSON Lines too (the first pass reads the key columns with the shared readers)', async () => {
    const data = folder.write('events.jsonl', ['{"id":1}', '{"id":2}', '{"id":1.0}', '{"id":3}', '{"id":2,"x":"b"}'].join('\n'));
    const unique = parseRulesFile(
      dump({ version: 1, rules: [{ expectation: 'expect_column_values_to_be_unique', column: 'id' }] }),
      'r.yml',
    );
    const outcome = await validateDataset({ data: [data], ruleSet: unique, failOn: 'error', budgetBytes: 64 << 20, threads: 1 });
    const failedPath = join(folder.dir, 'events-failed.jsonl');
    await quarantineRows(outcome, { failedPath, duplicates: 'keep-first', ruleSet: unique, budgetBytes: 64 << 20 });
    // pandas: Series([1, 2, 1.0, 3, 2]).duplicated(keep='first') is True for rows 2 and 4 only.
    const failed = readFileSync(failedPath, 'utf8').trim().split('\n');
    expect(failed.map((line) => line.replace(/,"data_gate_failed_rules":\[[^\]]*\]\}$/, '}'))).toEqual(['{"id":1.0}', '{"id":2,"x":"b"}']);
  });

  it('refuses a value other than all or keep-first', () => {
    const read = (name: string) => ({ data: 'x.csv', rules: 'r.yml', duplicates: 'keep-last' })[name] ?? '';
    expect(() => readInputs(read)).toThrow(/Invalid value for input 'duplicates': 'keep-last'/);
  });
});

describe('FirstCopyFinder', () => {
  it('finds the same first copies as a Map when its keys spill to disk past a 16 KB budget', async () => {
    const random = seeded(3);
    const finder = new FirstCopyFinder(16 << 10);
    const reference = new Map<string, number>();
    for (let row = 0; row < 60000; row++) {
      // 20,000 possible keys, (0, 0) among them: most repeat, some do not.
      const value = Math.floor(random() * 20000);
      const hi = value === 0 ? 0 : Math.imul(value, 0x9e3779b1) >>> 0;
      const lo = value === 0 ? 0 : value;
      finder.add(hi, lo, row * 3);
      if (!reference.has(`${hi}:${lo}`)) reference.set(`${hi}:${lo}`, row * 3);
    }
    expect(finder.spilled).toBe(true);
    const firsts = await finder.firstCopies();
    const expectedRows = [...reference.values()].sort((a, b) => a - b);
    const found: number[] = [];
    for (let row = 0; row < 60000 * 3; row++) if (firsts.has(row)) found.push(row);
    expect(found).toEqual(expectedRows);
  });

  it('keeps its keys in memory within the budget', async () => {
    const finder = new FirstCopyFinder(1 << 20);
    for (let row = 0; row < 1000; row++) finder.add(0, row % 10, row);
    expect(finder.spilled).toBe(false);
    const firsts = await finder.firstCopies();
    expect(Array.from({ length: 20 }, (_, row) => firsts.has(row))).toEqual(Array.from({ length: 20 }, (_, row) => row < 10));
  });
});
