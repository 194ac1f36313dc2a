// Quarantine of CSV, TSV and JSON Lines: every input row lands, byte for byte, in exactly one of the two files,
// in order, and the failed file names the rules each row broke.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { openDataset } from '#shared/data/index.js';
import { InputError, UserError } from '#shared/errors.js';
import { writeQuarantine, type QuarantineOptions } from '../../../../actions/data-gate/src/quarantine/write-quarantine.js';
import { readColumns, rejection, tempFolder } from '../../data/temp-files.js';
import { bigCsv, bigJsonl } from './tricky-files.js';

const folder = tempFolder();
afterAll(() => folder.remove());
const out = (name: string) => join(folder.dir, 'out', name);
const text = (path: string) => (path.endsWith('.gz') ? gunzipSync(readFileSync(path)) : readFileSync(path)).toString();

/** Rows 1, 3 and 4 broke rules (row 3 two of them). */
const brokenRules = (row: number): string[] | undefined =>
  ({ 1: ['amount between(amount)'], 3: ['id unique', 'note "quoted"; odd'], 4: ['id unique'] })[row];

function options(
  paths: string[],
  format: QuarantineOptions['inputs'][number]['format'],
  rest: Partial<QuarantineOptions>,
): QuarantineOptions {
  return { inputs: paths.map((path) => ({ path, format })), brokenRules, expectedRows: 6, ...rest };
}

describe('quarantining CSV', () => {
  const records = [
    '1,10.5,"two\r\nlines, comma"\r\n',
    '2,-3,"say ""hi"""\r\n',
    '3,7,\r\n',
    '4,8,"a\nb"\r\n',
    '5,9,mid"quote\r\n',
    '6,1e3,last',
  ];
  const input = '\ufeffid,amount,note\r\n\r\n' + records.slice(0, 3).join('') + '\n\n' + records.slice(3).join('');

  it('copies passing rows byte for byte and adds the rule column to failing ones, keeping the BOM and CRLF', async () => {
    const file = folder.write('loans.csv', input);
    const summary = await writeQuarantine(options([file], 'csv', { passedPath: out('passed.csv'), failedPath: out('failed.csv') }));
    expect(summary).toEqual({ passedRows: 3, failedRows: 3, passedPath: out('passed.csv'), failedPath: out('failed.csv') });
    expect(text(out('passed.csv'))).toBe('\ufeffid,amount,note\r\n' + records[0] + records[2] + records[5] + '\r\n');
    expect(text(out('failed.csv'))).toBe(
      '\ufeffid,amount,note,data_gate_failed_rules\r\n' +
        '2,-3,"say ""hi""",amount between(amount)\r\n' +
        '4,8,"a\nb","id unique; note ""quoted""; odd"\r\n' +
        '5,9,mid"quote,id unique\r\n',
    );
  });

  it('gives back the input rows, in order, when the two files are read again', async () => {
    const file = folder.write('loans2.csv', input);
    await writeQuarantine(options([file], 'csv', { passedPath: out('p2.csv'), failedPath: out('f2.csv') }));
    const original = (await readColumns(await openDataset(file, { columnTypes: { note: 'text' } }))).columns;
    const passed = (await readColumns(await openDataset(out('p2.csv'), { columnTypes: { note: 'text' } }))).columns;
    const failed = (await readColumns(await openDataset(out('f2.csv'), { columnTypes: { note: 'text' } }))).columns;
    expect(passed.id).toEqual([1, 3, 6]);
    expect(failed.id).toEqual([2, 4, 5]);
    expect(failed.data_gate_failed_rules).toEqual(['amount between(amount)', 'id unique; note "quoted"; odd', 'id unique']);
    const merged = original.id.map((_, row) => {
      const [source, at] = brokenRules(row) ? [failed, failed.id.indexOf(original.id[row])] : [passed, passed.id.indexOf(original.id[row])];
      return [source.id[at], source.amount[at], source.note[at]];
    });
    expect(merged).toEqual(original.id.map((_, row) => [original.id[row], original.amount[row], original.note[row]]));
  });

  it('writes one header for several files and moves fields when a file orders its columns differently', async () => {
    const first = folder.write('part-1.csv', 'id,amount,note\n1,10,a\n2,20,"b,c"\n');
    const second = folder.write('part-2.csv.gz', gzipSync('note,id,amount\n"x\ny",3,30\nz,4,40\n'));
    const third = folder.write('part-3.csv', 'amount,note,id\n50,q,5\n60,"r ""s""",6');
    await writeQuarantine(
      options([first, second, third], 'csv', { passedPath: out('parts-passed.csv'), failedPath: out('parts-failed.csv') }),
    );
    expect(text(out('parts-passed.csv'))).toBe('id,amount,note\n1,10,a\n3,30,"x\ny"\n6,60,"r ""s"""\n');
    expect(text(out('parts-failed.csv'))).toBe(
      'id,amount,note,data_gate_failed_rules\n2,20,"b,c",amount between(amount)\n4,40,z,"id unique; note ""quoted""; odd"\n5,50,q,id unique\n',
    );
  });

  it('writes gzip when the output path ends in .gz, and only the file asked for', async () => {
    const file = folder.write('gz.csv', input);
    const summary = await writeQuarantine(options([file], 'csv', { failedPath: out('only-failed.csv.gz'), ruleColumn: 'why' }));
    expect(summary.passedPath).toBeUndefined();
    expect(readFileSync(out('only-failed.csv.gz')).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(text(out('only-failed.csv.gz')).split('\r\n')[0]).toBe('\ufeffid,amount,note,why');
    const failed = await readColumns(await openDataset(out('only-failed.csv.gz')));
    expect(failed.columns.id).toEqual([2, 4, 5]);
  });
});

describe('quarantining TSV', () => {
  it('quotes the rule cell only when it must and keeps LF endings', async () => {
    const file = folder.write('loans.tsv', 'id\tnote\n1\ta\tb\n2\t"x\ty"\n\n3\tc\n4\td\n5\te\n6\tf\n'.replace('a\tb', '"a\tb"'));
    await writeQuarantine(options([file], 'tsv', { passedPath: out('p.tsv'), failedPath: out('f.tsv') }));
    expect(text(out('p.tsv'))).toBe('id\tnote\n1\t"a\tb"\n3\tc\n6\tf\n');
    expect(text(out('f.tsv'))).toBe(
      'id\tnote\tdata_gate_failed_rules\n2\t"x\ty"\tamount between(amount)\n4\td\t"id unique; note ""quoted""; odd"\n5\te\tid unique\n',
    );
  });
});

describe('quarantining JSON Lines', () => {
  it('copies passing lines verbatim and inserts the rule key before the closing brace of failing ones', async () => {
    const file = folder.write(
      'events.jsonl',
      '{"id":1,"amount":1.50}\n\n{"id":2, "amount": 1e2 }\r\n  \n{ }\n{"id":4,"nested":{"a":[1,2]}}\n{"id":5}\n{"id":6,"amount":0.10}',
    );
    const summary = await writeQuarantine(options([file], 'jsonl', { passedPath: out('p.jsonl'), failedPath: out('f.ndjson.gz') }));
    expect(summary).toMatchObject({ passedRows: 3, failedRows: 3 });
    expect(text(out('p.jsonl'))).toBe('{"id":1,"amount":1.50}\n{ }\n{"id":6,"amount":0.10}\n');
    expect(text(out('f.ndjson.gz'))).toBe(
      '{"id":2, "amount": 1e2 ,"data_gate_failed_rules":["amount between(amount)"]}\r\n' +
        '{"id":4,"nested":{"a":[1,2]},"data_gate_failed_rules":["id unique","note \\"quoted\\"; odd"]}\n' +
        '{"id":5,"data_gate_failed_rules":["id unique"]}\n',
    );
  });

  it('puts the key into an empty object without a comma', async () => {
    const file = folder.write('empty.jsonl', '{"id":0}\n{}\n{"id":2}\n{"id":3}\n{"id":4}\n{"id":5}\n');
    await writeQuarantine(options([file], 'jsonl', { failedPath: out('empty-failed.jsonl') }));
    expect(text(out('empty-failed.jsonl')).split('\n')[0]).toBe('{"data_gate_failed_rules":["amount between(amount)"]}');
  });
});

describe('every row in exactly one file, on files bigger than a read chunk', () => {
  const everyThird = (row: number) => (row % 3 === 0 ? ['rule a', 'rule "b"'] : undefined);

  it.each([
    ['csv', ',', 'big.csv'],
    ['tsv', '\t', 'big.tsv.gz'],
  ] as const)('%s: passed and failed rows are the input rows, interleaved back in order', async (format, delimiter, name) => {
    const content = bigCsv(30000, delimiter);
    const file = folder.write(name, name.endsWith('.gz') ? gzipSync(content) : content);
    const summary = await writeQuarantine({
      inputs: [{ path: file, format }],
      passedPath: out(`big-passed.${format}`),
      failedPath: out(`big-failed.${format}.gz`),
      brokenRules: everyThird,
      expectedRows: 30000,
    });
    expect(summary).toMatchObject({ passedRows: 20000, failedRows: 10000 });
    const types = { columnTypes: { note: 'text' as const } };
    const original = (await readColumns(await openDataset(file, types))).columns;
    const passed = (await readColumns(await openDataset(out(`big-passed.${format}`), types))).columns;
    const failed = (await readColumns(await openDataset(out(`big-failed.${format}.gz`), types))).columns;
    const merged: Record<string, unknown[]> = { id: [], amount: [], note: [] };
    let p = 0;
    let f = 0;
    for (let row = 0; row < 30000; row++) {
      const [source, at] = everyThird(row) ? [failed, f++] : [passed, p++];
      for (const name of ['id', 'amount', 'note']) merged[name].push(source[name][at]);
    }
    expect(merged).toEqual({ id: original.id, amount: original.amount, note: original.note });
    expect(new Set(failed.data_gate_failed_rules)).toEqual(new Set(['rule a; rule "b"']));
  });

  it('jsonl: the lines of both files are the input lines, interleaved back in order', async () => {
    const content = bigJsonl(30000);
    const file = folder.write('big.jsonl', content);
    await writeQuarantine({
      inputs: [{ path: file, format: 'jsonl' }],
      passedPath: out('big-passed.jsonl'),
      failedPath: out('big-failed.jsonl'),
      brokenRules: everyThird,
      expectedRows: 30000,
    });
    const lines = content.split('\n').filter((line) => line.trim() !== '');
    const passed = text(out('big-passed.jsonl')).split('\n').slice(0, -1);
    const failed = text(out('big-failed.jsonl')).split('\n').slice(0, -1);
    const suffix = ',"data_gate_failed_rules":["rule a","rule \\"b\\""]}';
    const merged = lines.map((_, row) => (everyThird(row) ? failed[row / 3].replace(suffix, '}') : passed[row - Math.ceil(row / 3)]));
    expect(merged).toEqual(lines);
    expect(failed.every((line) => line.replace(/\r$/, '').endsWith(suffix))).toBe(true);
  });
});

describe('mistakes', () => {
  it('fails loudly, writing nothing, when the rows read differ from the rows validated', async () => {
    const file = folder.write('count.csv', 'id\n1\n2\n');
    const error = await rejection(
      writeQuarantine({ inputs: [{ path: file, format: 'csv' }], passedPath: out('count-p.csv'), brokenRules: () => [], expectedRows: 3 }),
    );
    expect(error).not.toBeInstanceOf(UserError);
    expect(error.message).toMatch(/read 2 rows but validation counted 3/);
    expect(() => readFileSync(out('count-p.csv'))).toThrow();
  });

  it('names the input whose path names another format', async () => {
    const file = folder.write('fmt.csv', 'id\n1\n');
    const error = await rejection(
      writeQuarantine({
        inputs: [{ path: file, format: 'csv' }],
        failedPath: out('failed.parquet'),
        brokenRules: () => [],
        expectedRows: 1,
      }),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/input 'failed-path': '.*failed\.parquet'\. Expected a \.csv path .*names a Parquet file/);
  });

  it('refuses to overwrite a data file, to write both outputs to one path, or to mix formats', async () => {
    const file = folder.write('self.csv', 'id\n1\n');
    const base = { inputs: [{ path: file, format: 'csv' as const }], brokenRules: () => [], expectedRows: 1 };
    expect((await rejection(writeQuarantine({ ...base, passedPath: file }))).message).toMatch(/'passed-path'.*other than the data files/);
    expect((await rejection(writeQuarantine({ ...base, passedPath: out('x.csv'), failedPath: out('x.csv') }))).message).toMatch(
      /same file/,
    );
    const mixed = { ...base, inputs: [...base.inputs, { path: folder.write('m.jsonl', '{"id":2}\n'), format: 'jsonl' as const }] };
    expect((await rejection(writeQuarantine({ ...mixed, passedPath: out('x.csv') }))).message).toMatch(/mixes CSV .* and JSON Lines/);
  });

  it('refuses data that already has the rule column', async () => {
    const file = folder.write('clash.csv', 'id,data_gate_failed_rules\n1,x\n');
    const error = await rejection(
      writeQuarantine({
        inputs: [{ path: file, format: 'csv' }],
        failedPath: out('clash-f.csv'),
        brokenRules: () => ['r'],
        expectedRows: 1,
      }),
    );
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/already has a column 'data_gate_failed_rules'/);
  });
});
