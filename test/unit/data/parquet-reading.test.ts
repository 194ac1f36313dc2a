import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '#shared/errors.js';
import { openDataset } from '#shared/data/index.js';
import { readColumns, rejection, tempFolder } from './temp-files.js';

// The fixtures are written by test/fixtures/data/generate-parquet-fixtures.mjs: 25 rows in row groups of 10.
const fixture = (name: string) => join(process.cwd(), 'test/fixtures/data', name);
const cities = ['Lyon', 'Oslo', 'Lima', 'Kyiv'];
const expected = {
  id: Array.from({ length: 25 }, (_, i) => i + 1),
  amount: Array.from({ length: 25 }, (_, i) => (i === 3 ? null : i * 1.5)),
  big: Array.from({ length: 25 }, (_, i) => i * 1e9),
  city: Array.from({ length: 25 }, (_, i) => (i === 5 ? null : cities[i % 4])),
  active: Array.from({ length: 25 }, (_, i) => (i % 2 === 0 ? 1 : 0)),
  seen: Array.from({ length: 25 }, (_, i) => Date.UTC(2024, 0, 1 + i)),
};

describe('reading Parquet', () => {
  it('reads every row group into typed columns, batches crossing row groups', async () => {
    const dataset = await openDataset(fixture('orders.parquet'), { batchRows: 7 });
    expect(dataset.schema).toEqual([
      { name: 'id', type: 'numerical' },
      { name: 'amount', type: 'numerical' },
      { name: 'big', type: 'numerical' },
      { name: 'city', type: 'categorical' },
      { name: 'active', type: 'boolean' },
      { name: 'seen', type: 'datetime' },
    ]);
    const { batches, columns, lines } = await readColumns(dataset);
    expect(columns).toEqual(expected);
    expect(batches.map((b) => b.rowCount)).toEqual([7, 7, 7, 4]);
    expect(lines).toEqual(expected.id); // row number + 1
  });

  it('reads a gzipped Parquet file and projects columns', async () => {
    const dataset = await openDataset(fixture('orders.parquet.gz'), { columns: ['seen', 'city'] });
    expect((await readColumns(dataset)).columns).toEqual({ seen: expected.seen, city: expected.city });
  });

  it('reads Parquet files matched by a glob as one dataset', async () => {
    const folder = tempFolder();
    try {
      copyFileSync(fixture('orders.parquet'), join(folder.dir, 'a.parquet'));
      copyFileSync(fixture('orders.parquet.gz'), join(folder.dir, 'b.parquet.gz'));
      const { columns, batches } = await readColumns(await openDataset(join(folder.dir, '*.parquet*'), { columns: ['id'] }));
      expect(columns.id).toEqual([...expected.id, ...expected.id]);
      expect(batches.at(-1)?.firstRowIndex).toBe(25);
    } finally {
      folder.remove();
    }
  });

  it('names the file when it is not Parquet', async () => {
    const folder = tempFolder();
    try {
      const file = folder.write('fake.parquet', 'a,b\n1,2\n');
      const error = await rejection(openDataset(file));
      expect(error).toBeInstanceOf(DataError);
      expect(error.message).toMatch(new RegExp(`^${file}: not a readable Parquet file`));
    } finally {
      folder.remove();
    }
  });
});
