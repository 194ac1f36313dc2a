// Files written to hurt the reader: links out of the workspace, rows with no end, nesting without end, damaged
// Parquet pages, NUL bytes and bytes that are not UTF-8, column names that are Object.prototype's, and long values
// in messages. Each must end in a clear error (or a warning) naming the file, never a hang or "Unexpected error".
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError, UserError } from '#shared/errors.js';
import {
  type ColumnType,
  formatExtension,
  nameList,
  formatNamedBy,
  formatOf,
  openDataset,
  quote,
  quoteList,
  type DataWarning,
} from '#shared/data/index.js';
import { resolveFiles } from '#shared/data/file-source.js';
import { MAX_JSON_DEPTH } from '#shared/data/jsonl-reader.js';
import { resetPathPolicy, setPathPolicy } from '#shared/paths/index.js';
import { readColumns, rejection, tempFolder } from './temp-files.js';

const MB = 1024 * 1024;
const folder = tempFolder();
afterAll(() => folder.remove());

async function readAll(spec: string, options: Parameters<typeof openDataset>[1] = {}) {
  return readColumns(await openDataset(spec, options));
}

describe('data files outside the workspace', () => {
  const workspace = join(folder.dir, 'workspace');
  const outside = join(folder.dir, 'outside');
  beforeAll(() => {
    mkdirSync(join(workspace, 'data'), { recursive: true });
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret.csv'), 'token\nghs_SECRET_VALUE\n');
    writeFileSync(join(workspace, 'data', 'good.csv'), 'a\n1\n');
    symlinkSync(join(outside, 'secret.csv'), join(workspace, 'data', 'leak.csv'));
    symlinkSync('/proc/self/environ', join(workspace, 'environ.csv'));
    symlinkSync(outside, join(workspace, 'linked-folder'));
    setPathPolicy([{ path: workspace, name: 'the workspace' }]);
  });
  afterAll(() => resetPathPolicy());

  it('refuses a data file that links to /proc/self/environ, naming the input and the path, without reading it', async () => {
    process.env.HOSTILE_TEST_SECRET = 'do-not-print-me';
    const error = await rejection(openDataset(join(workspace, 'environ.csv'), { label: "input 'data'" }));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain("input 'data'");
    expect(error.message).toContain('environ.csv');
    expect(error.message).toMatch(/lies outside the workspace/);
    expect(error.message).not.toContain('do-not-print-me');
  });

  it('refuses a data file that links to a file outside the workspace', async () => {
    const error = await rejection(openDataset(join(workspace, 'data', 'leak.csv'), { label: "input 'reference'" }));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/^input 'reference': '.*leak\.csv' \(it resolves to '.*secret\.csv'\) lies outside/);
    expect(error.message).not.toContain('ghs_SECRET_VALUE');
  });

  it('does not match links nor walk a linked folder with a glob', async () => {
    expect(await resolveFiles(join(workspace, 'data', '*.csv'))).toEqual([join(workspace, 'data', 'good.csv')]);
    const linked = await rejection(resolveFiles(join(workspace, 'linked-folder', '*.csv'), "input 'data'"));
    expect(linked.message).toMatch(/no files match/);
    expect(await resolveFiles(join(workspace, 'data', 'good.csv'))).toEqual([join(workspace, 'data', 'good.csv')]);
  });
});

describe('lines without end', () => {
  it('stops a gzip of zeros with no line feed at max-line-mb, quickly, with file:line', async () => {
    const file = folder.write('zeros.csv.gz', gzipSync(Buffer.concat([Buffer.from('a\n1\n'), Buffer.alloc(64 * MB, 0x30)])));
    const started = Date.now();
    const error = await rejection(readAll(file, { maxLineBytes: 4 * MB }));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(/zeros\.csv\.gz:3: a row longer than 4 MB \(the max-line-mb limit\)/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops a header with no line feed (a binary file named .csv) without quoting it', async () => {
    const file = folder.write('binary.csv', Buffer.alloc(3 * MB, 0x01));
    const error = await rejection(openDataset(file, { maxLineBytes: 1 * MB }));
    expect(error.message).toMatch(/binary\.csv:1: a row longer than 1 MB/);
    expect(error.message.length).toBeLessThan(400);
  });

  it('stops a quoted cell that never closes at the limit', async () => {
    const file = folder.write('quote.csv', `a,b\n1,"${'x\n'.repeat(MB)}`);
    const error = await rejection(readAll(file, { maxLineBytes: MB / 2, sampleRows: 1 }));
    expect(error.message).toMatch(/quote\.csv:2: a row longer than 0\.5 MB/);
  });

  it('reads a long row under the limit across many small chunks in linear time', async () => {
    const cell = 'y'.repeat(3 * MB);
    const file = folder.write('long-ok.csv', `a,b\n1,${cell}\n2,z\n`);
    const { columns } = await readAll(file, { columnTypes: { b: 'text' } });
    expect(columns.a).toEqual([1, 2]);
    expect((columns.b[0] as string).length).toBe(3 * MB);
  });

  it('stops a JSON Lines line past the limit with file:line', async () => {
    const file = folder.write('long.jsonl', `{"a":1}\n{"a":"${'z'.repeat(3 * MB)}"}\n`);
    const error = await rejection(readAll(file, { maxLineBytes: MB }));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(/long\.jsonl:2: a line longer than 1 MB/);
  });
});

describe('nesting and damage', () => {
  it('refuses JSON nested 200,000 levels deep with file:line', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const file = folder.write('deep.jsonl', `{"a":1}\n{"a":${deep}}\n`);
    const error = await rejection(readAll(file));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(`${file}:2: a JSON value nested deeper than ${MAX_JSON_DEPTH} levels; table cells need far fewer`);
  });

  it('reads nesting under the limit as JSON text', async () => {
    const file = folder.write('nested.jsonl', `{"a":${'['.repeat(50)}1${']'.repeat(50)}}\n`);
    const { columns } = await readAll(file);
    expect(columns.a[0]).toBe(`${'['.repeat(50)}1${']'.repeat(50)}`);
  });

  it('names the file, row group and column of a damaged Parquet data page', async () => {
    const bytes = readFileSync(join(process.cwd(), 'test/fixtures/data/orders.parquet'));
    for (let i = 1000; i < 1064; i++) bytes[i] ^= 0xff;
    const file = folder.write('damaged.parquet', bytes);
    const error = await rejection(readAll(file));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(
      /damaged\.parquet:\d+ \(column '\w+'\): cannot decode Parquet data in row group \d+ \(is the file damaged\?\)/,
    );
  });

  it('names the file of a Parquet file whose footer is damaged', async () => {
    const bytes = readFileSync(join(process.cwd(), 'test/fixtures/data/orders.parquet'));
    for (let i = 1500; i < 1564; i++) bytes[i] ^= 0xff;
    const error = await rejection(readAll(folder.write('footer.parquet', bytes)));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(/footer\.parquet: not a readable Parquet file/);
  });
});

describe('NUL bytes and invalid UTF-8', () => {
  it('counts CSV lines holding them and warns with the first line, keeping the NUL in the cell', async () => {
    const body = Buffer.concat([
      Buffer.from('name,n\nok,1\nnul\0here,2\n'),
      Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x2c, 0x33, 0x0a]), // bad\xff\xfe,3
      Buffer.from('again\0,4\n'),
    ]);
    const file = folder.write('bytes.csv', body);
    const warnings: DataWarning[] = [];
    const { columns } = await readAll(file, { onWarning: (w) => warnings.push(w), columnTypes: { name: 'text' } });
    expect(columns.n).toEqual([1, 2, 3, 4]);
    expect(columns.name[1]).toBe('nul\0here');
    expect(warnings.map((w) => [w.kind, w.line, w.count])).toEqual([
      ['nul-bytes', 3, 2],
      ['invalid-utf8', 4, 1],
    ]);
    expect(warnings[1].message).toMatch(/1 line\(s\) are not valid UTF-8, the first on line 4/);
  });

  it('counts them in JSON Lines too', async () => {
    const file = folder.write(
      'bytes.jsonl',
      Buffer.concat([Buffer.from('{"a":"ok"}\n{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]),
    );
    const warnings: DataWarning[] = [];
    await readAll(file, { onWarning: (w) => warnings.push(w) });
    expect(warnings.map((w) => [w.kind, w.file, w.line, w.count])).toEqual([['invalid-utf8', file, 2, 1]]);
  });

  it('does not warn about clean files', async () => {
    const warnings: DataWarning[] = [];
    await readAll(folder.write('clean.csv', 'a,b\né,1\n'), { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
  });

  it('never reads a number with a NUL byte as a number', async () => {
    const error = await rejection(readAll(folder.write('nul-number.csv', 'n\n1\n2\0\n'), { columnTypes: { n: 'numerical' } }));
    expect(error.message).toMatch(/nul-number\.csv:3 \(column 'n'\): expected a number, found '2\\0'/);
  });
});

describe("columns named after Object.prototype's members", () => {
  // Built from entries: TypeScript types an object literal's `constructor` key as Object's.
  const types = (entries: [string, ColumnType][]): Record<string, ColumnType> => Object.fromEntries(entries);
  const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

  it('reads them from CSV like any other column, with type overrides', async () => {
    const file = folder.write('proto.csv', `${names.join(',')}\n1,2,x,true\n3,4,y,false\n`);
    const dataset = await openDataset(file, {
      columnTypes: types([
        ['constructor', 'numerical'],
        ['toString', 'categorical'],
      ]),
    });
    expect(dataset.schema).toEqual([
      { name: 'constructor', type: 'numerical' },
      { name: '__proto__', type: 'numerical' },
      { name: 'toString', type: 'categorical' },
      { name: 'hasOwnProperty', type: 'boolean' },
    ]);
    const { columns } = await readColumns(dataset);
    expect(columns.constructor).toEqual([1, 3]);
    expect(Object.getOwnPropertyDescriptor(columns, '__proto__')?.value).toEqual([2, 4]);
  });

  it('reads them from JSON Lines, missing where an object lacks them', async () => {
    const file = folder.write('proto.jsonl', '{"constructor":"a","__proto__":1}\n{"toString":"b"}\n');
    const dataset = await openDataset(file);
    expect(dataset.schema.map((c) => c.name)).toEqual(['constructor', '__proto__', 'toString']);
    const { columns } = await readColumns(dataset);
    expect(columns.constructor).toEqual(['a', null]);
    expect(Object.getOwnPropertyDescriptor(columns, '__proto__')?.value).toEqual([1, null]);
    expect(columns.toString).toEqual([null, 'b']);
  });

  it('refuses an override for constructor when no such column exists', async () => {
    const error = await rejection(openDataset(folder.write('plain.csv', 'a\n1\n'), { columnTypes: types([['constructor', 'numerical']]) }));
    expect(error.message).toMatch(/unknown column\(s\) 'constructor' in column types/);
  });
});

describe('quoting data in messages', () => {
  it('shows at most the limit, with the count left out', () => {
    expect(quote('abc')).toBe("'abc'");
    expect(quote('x'.repeat(50 * MB), 10)).toBe(`'xxxxxxxxxx'... (${(50 * MB - 10).toLocaleString('en-US')} more characters)`);
  });

  it('escapes control characters, NUL, the replacement character and quotes', () => {
    expect(quote("a\nb\0c\x1b[31m\ufffd\u202e'")).toBe("'a\\nb\\0c\\x1b[31m\\ufffd\\u202e\\''");
  });

  it('decodes bytes and never cuts a long binary header into the log', () => {
    const shown = quote(Buffer.alloc(10 * MB, 0x01), 100);
    expect(shown.length).toBeLessThan(500);
    expect(shown.startsWith("'\\x01\\x01")).toBe(true);
  });

  it('lists plain names as they are and escapes binary ones, at most a few', () => {
    expect(nameList(['id', 'amount', '\u0000\u0001PAR1', 'a,b'], 3)).toBe("id, amount, '\\0\\x01PAR1' and 1 more");
  });

  it('lists at most a few names', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `c${i}`);
    expect(quoteList(names, 3)).toBe("'c0', 'c1', 'c2' and 9,997 more");
  });

  it('keeps a long JSON Lines value out of the message', async () => {
    const file = folder.write('bad.jsonl', `{"a":1}\n{"a": ${'9'.repeat(2 * MB)}x}\n`);
    const error = await rejection(readAll(file));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message.length).toBeLessThan(600);
  });

  it('keeps a long unexpected JSON field name out of the message', async () => {
    const file = folder.write('field.jsonl', `{"a":1}\n{"${'k'.repeat(MB)}":1}\n`);
    const error = await rejection(readAll(file, { sampleRows: 1 }));
    expect(error.message.length).toBeLessThan(600);
  });
});

describe('one extension-to-format table', () => {
  it('reads every extension, case-insensitively, with .gz', () => {
    expect(['a.csv', 'b.TSV', 'c.jsonl.gz', 'd.ndjson', 'e.parquet'].map(formatOf)).toEqual(['csv', 'tsv', 'jsonl', 'jsonl', 'parquet']);
    expect(formatNamedBy('x.txt')).toBeUndefined();
    expect(() => formatOf('x.txt')).toThrow(/unsupported file type\. Expected one of \.csv, \.tsv, \.jsonl, \.ndjson, \.parquet/);
    expect(formatExtension('jsonl')).toBe('.jsonl');
  });
});
