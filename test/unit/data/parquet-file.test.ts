// Parquet files are opened once per read, and their footers kept while the file is unchanged: a file rewritten in
// place (a new export at the same path) is read afresh, and a gzipped Parquet file is read like a plain one.
import { gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { openDataset } from '#shared/data/index.js';
import { openParquetFile } from '#shared/data/parquet-file.js';
import { parquetColumns, parquetDeclaredTypes } from '#shared/data/parquet-reader.js';
import { readColumns, tempFolder } from './temp-files.js';

const folder = tempFolder();
afterAll(() => folder.remove());

function parquet(columns: Record<string, number[] | string[]>): Buffer {
  const columnData = Object.entries(columns).map(([name, data]) => ({
    name,
    data,
    type: typeof data[0] === 'number' ? ('DOUBLE' as const) : ('STRING' as const),
  }));
  return Buffer.from(parquetWriteBuffer({ columnData }));
}

test('a Parquet file rewritten at the same path is read with its new columns and values', async () => {
  const path = folder.write('export.parquet', parquet({ price: [1, 2, 3], city: ['a', 'b', 'c'] }));
  expect(await parquetColumns(path)).toEqual(['price', 'city']);
  expect((await readColumns(await openDataset(path))).columns).toEqual({ price: [1, 2, 3], city: ['a', 'b', 'c'] });

  folder.write('export.parquet', parquet({ region: ['north', 'south'], weight: [0.5, 1.5] }));
  expect(await parquetColumns(path)).toEqual(['region', 'weight']);
  expect(await parquetDeclaredTypes(path)).toEqual(new Map([['weight', 'numerical']]));
  expect((await readColumns(await openDataset(path))).columns).toEqual({ region: ['north', 'south'], weight: [0.5, 1.5] });
});

test('a gzipped Parquet file gives the same columns and rows as the plain one, read twice', async () => {
  const bytes = parquet({ score: [0.25, 0.75], label: ['x', 'y'] });
  const path = folder.write('scores.parquet.gz', gzipSync(bytes));
  for (let i = 0; i < 2; i++) {
    expect(await parquetColumns(path)).toEqual(['score', 'label']);
    expect((await readColumns(await openDataset(path))).columns).toEqual({ score: [0.25, 0.75], label: ['x', 'y'] });
  }
});

test('byte ranges are read exactly, clipped at the end of the file', async () => {
  const path = folder.write('bytes.bin', Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256)));
  const file = await openParquetFile(path);
  try {
    expect(file.buffer.byteLength).toBe(300);
    expect([...new Uint8Array(await file.buffer.slice(250, 260))]).toEqual([250, 251, 252, 253, 254, 255, 0, 1, 2, 3]);
    expect([...new Uint8Array(await file.buffer.slice(295))]).toEqual([39, 40, 41, 42, 43]);
    expect((await file.buffer.slice(10, 10)).byteLength).toBe(0);
  } finally {
    await file.close();
  }
});
