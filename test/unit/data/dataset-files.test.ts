import { join } from 'node:path';
import { DataError, UserError } from '#shared/errors.js';
import { openDataset } from '#shared/data/index.js';
import { readColumns, rejection, tempFolder } from './temp-files.js';

const folder = tempFolder();
afterAll(() => folder.remove());

describe('a dataset spread over several files', () => {
  it('reads the files a glob matches as one dataset, in name order, numbering rows across files', async () => {
    folder.write('may-2.csv', 'delay,carrier\n3,AF\n4,KL\n');
    folder.write('may-1.csv', 'carrier,delay\nLH,1\nBA,2\n'); // same columns, other order
    const dataset = await openDataset(join(folder.dir, 'may-*.csv'), { batchRows: 10 });
    expect(dataset.files).toEqual([join(folder.dir, 'may-1.csv'), join(folder.dir, 'may-2.csv')]);
    expect(dataset.schema).toEqual([
      { name: 'carrier', type: 'categorical' },
      { name: 'delay', type: 'numerical' },
    ]);
    const { batches, columns } = await readColumns(dataset);
    expect(columns).toEqual({ carrier: ['LH', 'BA', 'AF', 'KL'], delay: [1, 2, 3, 4] });
    expect(batches.map((b) => [b.file, b.firstRowIndex, Array.from(b.lines)])).toEqual([
      [join(folder.dir, 'may-1.csv'), 0, [2, 3]],
      [join(folder.dir, 'may-2.csv'), 2, [2, 3]],
    ]);
  });

  it('accepts a list mixing paths and globs, and mixed formats', async () => {
    const csv = folder.write('june.csv', 'delay\n5\n');
    folder.write('july.jsonl', '{"delay": 6}\n');
    const dataset = await openDataset([csv, join(folder.dir, 'jul*.jsonl')]);
    expect((await readColumns(dataset)).columns).toEqual({ delay: [5, 6] });
  });

  it('fails naming the file and the columns when files do not share their columns', async () => {
    const first = folder.write('left.csv', 'a,b,c\n1,2,3\n');
    const second = folder.write('right.csv', 'a,c,d\n1,2,3\n');
    const error = await rejection(openDataset([first, second]));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(
      `${second}: columns differ from the first file '${first}': missing column(s) 'b'; extra column(s) 'd'. All files of a dataset must have the same columns.`,
    );
  });

  it('fails with a UserError naming a glob that matches nothing', async () => {
    const pattern = join(folder.dir, 'nothing-*.csv');
    const error = await rejection(openDataset(pattern, { label: "input 'current'" }));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(`input 'current': no files match '${pattern}'.`);
  });

  it('fails with a UserError naming a missing file', async () => {
    const missing = join(folder.dir, 'gone.csv');
    const error = await rejection(openDataset(missing));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(`data file '${missing}' does not exist.`);
  });

  it('fails naming the file and the supported extensions for an unknown extension', async () => {
    const file = folder.write('notes.xlsx', 'a\n1\n');
    const error = await rejection(openDataset(file));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(`${file}: unsupported file type. Expected one of .csv, .tsv, .jsonl, .ndjson, .parquet (optionally .gz).`);
  });

  it('reports progress per file in bytes on disk', async () => {
    const file = folder.write('progress.csv', 'x\n1\n2\n');
    const seen: number[] = [];
    const dataset = await openDataset(file, { onProgress: (p) => seen.push(p.bytesRead / p.totalBytes) });
    await readColumns(dataset);
    expect(seen.at(-1)).toBe(1);
  });
});
