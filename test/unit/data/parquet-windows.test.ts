import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { DataError } from '#shared/errors.js';
import { openDataset } from '#shared/data/index.js';
import { BatchBuilder } from '#shared/data/batch-builder.js';
import { readParquetBatches } from '#shared/data/parquet-reader.js';
import type { RecordBatch } from '#shared/data/types.js';
import { readColumns, rejection, tempFolder } from './temp-files.js';
import { textCells } from '#shared/data/utf8-cells.js';

// Files are written here with hyparquet-writer: small pages (so columns have many pages that end on different rows)
// and row groups that are not multiples of the reader's window, to exercise the windowed, page-aligned reading.
const rows = 2500;
const labels = ['north', 'south', 'east', 'west', 'NA'];
const start = Date.UTC(2024, 0, 1);
const expected = {
  when: Array.from({ length: rows }, (_, i) => (i % 97 === 5 ? null : start + i * 60000)),
  price: Array.from({ length: rows }, (_, i) => (i % 13 === 0 ? null : i / 4)),
  count: Array.from({ length: rows }, (_, i) => i * 3),
  region: Array.from({ length: rows }, (_, i) => (i % 11 === 0 ? null : labels[i % 5] === 'NA' ? null : labels[i % 5])),
};

function writeFile(folder: ReturnType<typeof tempFolder>, name: string): string {
  const columnData = [
    { name: 'when', data: expected.when.map((ms) => (ms === null ? null : new Date(ms))), type: 'TIMESTAMP' as const },
    { name: 'price', data: expected.price, type: 'DOUBLE' as const },
    { name: 'count', data: Array.from({ length: rows }, (_, i) => BigInt(i * 3)), type: 'INT64' as const },
    // 'NA' is written as text and read as missing, as in every other format
    { name: 'region', data: Array.from({ length: rows }, (_, i) => (i % 11 === 0 ? null : labels[i % 5])), type: 'STRING' as const },
  ];
  return folder.write(name, Buffer.from(parquetWriteBuffer({ columnData, rowGroupSize: 1100, pageSize: 2000 })));
}

async function collect(reader: AsyncGenerator<RecordBatch>): Promise<RecordBatch[]> {
  const batches: RecordBatch[] = [];
  for await (const batch of reader) batches.push(batch);
  return batches;
}

describe('reading Parquet in bounded windows', () => {
  it('gives the same rows whatever the window and batch sizes, pages and row groups not lining up', async () => {
    const folder = tempFolder();
    try {
      const file = writeFile(folder, 'windows.parquet');
      const schema = [
        { name: 'when', type: 'datetime' as const },
        { name: 'price', type: 'numerical' as const },
        { name: 'count', type: 'numerical' as const },
        { name: 'region', type: 'categorical' as const },
      ];
      for (const [sliceRows, batchRows] of [
        [64, 100],
        [1000, 333],
        [7, 4096],
      ]) {
        const builder = new BatchBuilder(file, schema, batchRows, 0);
        const batches = await collect(
          readParquetBatches(
            file,
            schema.map((c) => c.name),
            builder,
            { sliceRows },
          ),
        );
        expect(batches.map((b) => b.rowCount).reduce((a, b) => a + b, 0)).toBe(rows);
        expect(batches.slice(0, -1).every((b) => b.rowCount === batchRows)).toBe(true);
        const lines = batches.flatMap((b) => [...b.lines]);
        expect(lines).toEqual(Array.from({ length: rows }, (_, i) => i + 1));
        const column = (c: number) =>
          batches.flatMap((b): (number | string | null)[] => {
            const col = b.columns[c];
            return col.kind !== 'number' ? textCells(col) : [...col.values].map((v, i) => (col.missing[i] ? null : v));
          });
        expect(column(0)).toEqual(expected.when);
        expect(column(1)).toEqual(expected.price);
        expect(column(2)).toEqual(expected.count);
        expect(column(3)).toEqual(expected.region);
      }
    } finally {
      folder.remove();
    }
  });

  it('infers the types and reports progress up to the whole file', async () => {
    const folder = tempFolder();
    try {
      const file = writeFile(folder, 'progress.parquet');
      const progress: number[] = [];
      const dataset = await openDataset(file, { onProgress: (p) => progress.push(p.bytesRead / p.totalBytes) });
      expect(dataset.schema.map((c) => c.type)).toEqual(['datetime', 'numerical', 'numerical', 'categorical']);
      const { columns } = await readColumns(dataset);
      expect(columns).toEqual(expected);
      expect(progress.at(-1)).toBe(1);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    } finally {
      folder.remove();
    }
  });

  it('reads a timestamp column asked for as categorical as ISO text, as before the fast path', async () => {
    const folder = tempFolder();
    try {
      const file = writeFile(folder, 'times.parquet');
      const { columns } = await readColumns(await openDataset(file, { columns: ['when'], columnTypes: { when: 'categorical' } }));
      expect(columns.when).toEqual(expected.when.map((ms) => (ms === null ? null : new Date(ms).toISOString())));
    } finally {
      folder.remove();
    }
  });

  it('names file, row and column when a cell does not fit the column type', async () => {
    const folder = tempFolder();
    try {
      const file = writeFile(folder, 'clash.parquet');
      // row 2 (line 2) holds 'south', which is not a number
      const error = await rejection(readColumns(await openDataset(file, { columns: ['region'], columnTypes: { region: 'numerical' } })));
      expect(error).toBeInstanceOf(DataError);
      expect(error.message).toMatch(new RegExp(`^${file}:2\\b.*region.*expected a number, found 'south'`));
      // a timestamp is not a number either
      const timeError = await rejection(readColumns(await openDataset(file, { columns: ['when'], columnTypes: { when: 'numerical' } })));
      expect(timeError.message).toMatch(new RegExp(`^${file}:1\\b.*when.*expected a number`));
    } finally {
      folder.remove();
    }
  });
});

describe('reading a large Parquet file', () => {
  it('holds a window, not a row group, in memory', async () => {
    const folder = tempFolder();
    try {
      // One row group of 1.5M rows: holding it decoded (as JS arrays) takes well over 64 MB of heap.
      const n = 1_500_000;
      const file = folder.write(
        'large.parquet',
        Buffer.from(
          parquetWriteBuffer({
            columnData: [
              { name: 'delay', data: Float64Array.from({ length: n }, (_, i) => (i % 997) / 10), type: 'DOUBLE' },
              { name: 'carrier', data: Array.from({ length: n }, (_, i) => `carrier_${i % 200}`), type: 'STRING' },
            ],
            rowGroupSize: n,
          }),
        ),
      );
      const script = folder.write(
        'read.mts',
        `import { openDataset } from ${JSON.stringify(join(process.cwd(), 'shared/src/data/index.ts'))};
         const dataset = await openDataset(${JSON.stringify(file)});
         let rows = 0, peak = 0;
         for await (const batch of dataset.batches()) { rows += batch.rowCount; peak = Math.max(peak, process.memoryUsage().heapUsed); }
         console.log(JSON.stringify({ rows, peakHeapMB: peak / 2 ** 20 }));`,
      );
      const child = spawnSync(process.execPath, ['--max-old-space-size=64', '--import', 'tsx', script], {
        cwd: process.cwd(),
        encoding: 'utf8',
      });
      expect(child.stderr).toBe('');
      const result = JSON.parse(child.stdout);
      expect(result.rows).toBe(n);
      expect(result.peakHeapMB).toBeLessThan(64);
    } finally {
      folder.remove();
    }
  }, 60_000);
});
