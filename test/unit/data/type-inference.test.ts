import { DataError, UserError } from '#shared/errors.js';
import { inferColumnType, MISSING_TOKENS, openDataset } from '#shared/data/index.js';
import { readColumns, rejection, tempFolder } from './temp-files.js';

const folder = tempFolder();
afterAll(() => folder.remove());

describe('inferring column types from a sample', () => {
  it('recognises numbers, booleans, ISO dates and categories, ignoring missing tokens', () => {
    expect(inferColumnType(['1', '2.5', '-3e2', 'NA', '', 'inf'])).toBe('numerical');
    expect(inferColumnType(['true', 'FALSE', 'None'])).toBe('boolean');
    expect(inferColumnType(['2024-01-02', '2024-01-03T04:05:06+02:00', 'null'])).toBe('datetime');
    expect(inferColumnType(['AF', 'KL', 'AF', 'N/A'])).toBe('categorical');
    expect(inferColumnType(['NA', '', 'nan'])).toBe('categorical');
  });

  it('calls strings free text when they average three words or more and are mostly distinct', () => {
    expect(inferColumnType(['the flight was late', 'crew were kind to us', 'lost my bag again'])).toBe('text');
    expect(inferColumnType(['delayed by weather', 'delayed by weather', 'delayed by weather', 'on time ok'])).toBe('categorical');
    expect(inferColumnType(['short', 'words', 'only'])).toBe('categorical');
  });

  it('treats the documented tokens as missing, with NaN missing like pandas', async () => {
    expect(MISSING_TOKENS).toEqual(['', 'NA', 'N/A', 'null', 'NULL', 'None', 'NaN', 'nan']);
    const values = ['1', ...MISSING_TOKENS.map((t) => (t === '' ? '' : t))];
    const file = folder.write('missing.csv', `x,y\n${values.map((v, i) => `${v},${i === 0 ? 'a' : values[i]}`).join('\n')}\n`);
    const { columns } = await readColumns(await openDataset(file));
    expect(columns.x).toEqual([1, ...MISSING_TOKENS.map(() => null)]);
    expect(columns.y).toEqual(['a', ...MISSING_TOKENS.map(() => null)]);
  });

  it('parses inf, Infinity and -inf as infinite numbers', async () => {
    const file = folder.write('inf.csv', 'x\n1\ninf\nInfinity\n-inf\n');
    expect((await readColumns(await openDataset(file))).columns.x).toEqual([1, Infinity, Infinity, -Infinity]);
  });

  it('lets the caller override inferred types per column', async () => {
    const file = folder.write('codes.csv', 'zip,flag,when\n01000,1,2024-01-01\n75001,0,2024-01-02\n');
    const dataset = await openDataset(file, { columnTypes: { zip: 'categorical', flag: 'boolean', when: 'text' } });
    expect(dataset.schema.map((c) => c.type)).toEqual(['categorical', 'boolean', 'text']);
    expect((await readColumns(dataset)).columns).toEqual({ zip: ['01000', '75001'], flag: [1, 0], when: ['2024-01-01', '2024-01-02'] });
  });

  it('rejects an override for an unknown column or an unknown type', async () => {
    const file = folder.write('override.csv', 'a\n1\n');
    const unknownColumn = await rejection(openDataset(file, { columnTypes: { b: 'numerical' } }));
    expect(unknownColumn).toBeInstanceOf(UserError);
    expect(unknownColumn.message).toMatch(/unknown column\(s\) 'b' in column types\. Available columns: 'a'\./);
    const unknownType = await rejection(openDataset(file, { columnTypes: { a: 'money' as never } }));
    expect(unknownType.message).toMatch(/column 'a' has unknown type 'money'/);
  });

  it('reports a late value that breaks the inferred type instead of dropping it', async () => {
    const file = folder.write('late.csv', 'when,ok\n2024-01-01,true\n2024-01-02,false\nyesterday,true\n');
    const error = await rejection(readColumns(await openDataset(file, { sampleRows: 2 })));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(`${file}:4 (column 'when'): expected an ISO 8601 date or timestamp, found 'yesterday'`);
    const bool = folder.write('late-bool.csv', 'ok\ntrue\nmaybe\n');
    const boolError = await rejection(readColumns(await openDataset(bool, { sampleRows: 1 })));
    expect(boolError.message).toBe(`${bool}:3 (column 'ok'): expected true or false, found 'maybe'`);
  });
});
