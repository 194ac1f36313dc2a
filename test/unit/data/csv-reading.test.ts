import { gzipSync } from 'node:zlib';
import { DataError, UserError } from '#shared/errors.js';
import { openDataset } from '#shared/data/index.js';
import { readColumns, rejection, tempFolder } from './temp-files.js';

const folder = tempFolder();
/** Mistakes in the first rows are found while sampling at open, later ones while reading: either way they reject. */
const openAndRead = async (file: string) => readColumns(await openDataset(file));
afterAll(() => folder.remove());

describe('reading a CSV file', () => {
  it('gives typed columns with the line each row starts on', async () => {
    const file = folder.write(
      'flights.csv',
      'when,delay,carrier,on_time\n2024-03-01T10:00:00Z,12.5,AF,true\n2024-03-01T11:30:00Z,-3,KL,FALSE\n',
    );
    const dataset = await openDataset(file);
    expect(dataset.schema).toEqual([
      { name: 'when', type: 'datetime' },
      { name: 'delay', type: 'numerical' },
      { name: 'carrier', type: 'categorical' },
      { name: 'on_time', type: 'boolean' },
    ]);
    const { columns, lines, batches } = await readColumns(dataset);
    expect(columns.when).toEqual([Date.UTC(2024, 2, 1, 10), Date.UTC(2024, 2, 1, 11, 30)]);
    expect(columns.delay).toEqual([12.5, -3]);
    expect(columns.carrier).toEqual(['AF', 'KL']);
    expect(columns.on_time).toEqual([1, 0]);
    expect(lines).toEqual([2, 3]);
    expect(batches[0].file).toBe(file);
    expect(batches[0].columns[1].kind).toBe('number');
  });

  it('handles RFC 4180 quoting: delimiters, newlines and doubled quotes inside quotes, CRLF and a BOM', async () => {
    const text = '\uFEFFid,comment,score\r\n1,"plain",3\r\n2,"says ""hi"", then\r\nleaves",4\r\n3,"a,b",5';
    const { columns, lines } = await readColumns(await openDataset(folder.write('quoted.csv', text)));
    expect(Object.keys(columns)).toEqual(['id', 'comment', 'score']);
    expect(columns.comment).toEqual(['plain', 'says "hi", then\r\nleaves', 'a,b']);
    expect(columns.score).toEqual([3, 4, 5]);
    expect(lines).toEqual([2, 3, 5]);
  });

  it('reads TSV with tabs as the delimiter', async () => {
    const file = folder.write('scores.tsv', 'name\tscore\nAda, the first\t9.5\nBob\t7\n');
    const { columns } = await readColumns(await openDataset(file));
    expect(columns).toEqual({ name: ['Ada, the first', 'Bob'], score: [9.5, 7] });
  });

  it('detects gzip by its magic bytes, whatever the name says', async () => {
    const text = 'a,b\n1,x\n2,y\n';
    const named = folder.write('named.csv.gz', gzipSync(text));
    const unnamed = folder.write('unnamed.csv', gzipSync(text));
    const tsv = folder.write('tabbed.tsv.gz', gzipSync(text.replaceAll(',', '\t')));
    for (const file of [named, unnamed, tsv]) {
      const { columns } = await readColumns(await openDataset(file));
      expect(columns).toEqual({ a: [1, 2], b: ['x', 'y'] });
    }
  });

  it('cuts rows into batches numbered across the dataset, streaming across chunk boundaries', async () => {
    const rows = Array.from({ length: 50000 }, (_, i) => `${i},"cell ${i % 7}\nsecond line",${i % 3 === 0 ? 'NA' : i / 4}`);
    const file = folder.write('many.csv', `n,note,quarter\n${rows.join('\n')}\n`);
    const { batches, columns, lines } = await readColumns(await openDataset(file, { batchRows: 4096 }));
    expect(batches.map((b) => b.rowCount)).toEqual([...Array(12).fill(4096), 50000 - 12 * 4096]);
    expect(batches.map((b) => b.firstRowIndex)).toEqual(batches.map((_, i) => i * 4096));
    expect(columns.n).toEqual(Array.from({ length: 50000 }, (_, i) => i));
    expect(columns.note[49999]).toBe('cell 5\nsecond line');
    expect(columns.quarter[3]).toBeNull();
    expect(columns.quarter[5]).toBe(1.25);
    expect(lines[49999]).toBe(2 + 2 * 49999);
  });

  it('reads only the projected columns, in the order asked', async () => {
    const file = folder.write('wide.csv', 'a,b,c\n1,2,3\n4,5,6\n');
    const dataset = await openDataset(file, { columns: ['c', 'a'] });
    expect(dataset.schema.map((c) => c.name)).toEqual(['c', 'a']);
    expect((await readColumns(dataset)).columns).toEqual({ c: [3, 6], a: [1, 4] });
  });

  it('names the available columns when a projected column does not exist', async () => {
    const file = folder.write('wide2.csv', 'a,b\n1,2\n');
    const error = await rejection(openDataset(file, { columns: ['a', 'zz'], label: "input 'reference'" }));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe("input 'reference': unknown column(s) 'zz' in columns. Available columns: 'a', 'b'.");
  });
});

describe('CSV mistakes are reported with file and line', () => {
  it('a row with the wrong number of fields', async () => {
    const file = folder.write('short.csv', 'a,b,c\n1,2,3\n4,5\n');
    const error = await rejection(openAndRead(file));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(`${file}:3: expected 3 fields as in the header, found 2`);
  });

  it('a row with too many fields', async () => {
    const file = folder.write('long.csv', 'a,b\n1,2\n3,4,5\n');
    const error = await rejection(openAndRead(file));
    expect(error.message).toBe(`${file}:3: expected 2 fields as in the header, found more`);
  });

  it('an unterminated quote, at the line where its row starts', async () => {
    const file = folder.write('open-quote.csv', 'a,b\n1,2\n3,"never\nclosed\n');
    const error = await rejection(openAndRead(file));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(new RegExp(`^${file}:3: unterminated quoted field`));
  });

  it('a value that does not fit its column type, with the column', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},x`);
    const file = folder.write('clash.csv', `amount,tag\n${rows.join('\n')}\nabc,y\n`);
    const dataset = await openDataset(file, { sampleRows: 20 });
    const error = await rejection(readColumns(dataset));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(`${file}:22 (column 'amount'): expected a number, found 'abc'`);
  });

  it('an empty file', async () => {
    const file = folder.write('empty.csv', '');
    const error = await rejection(openDataset(file));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(/empty; expected a header row/);
  });

  it('a duplicated column name', async () => {
    const file = folder.write('dupe.csv', 'a,b,a\n1,2,3\n');
    const error = await rejection(openDataset(file));
    expect(error.message).toBe(`${file}:1: column 'a' appears twice in the header`);
  });
});
