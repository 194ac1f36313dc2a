// Reads Parquet files with hyparquet row group by row group, decoding only the projected columns; a gzipped
// Parquet file (detected by magic bytes) is first unpacked to a temporary file, since Parquet needs random access.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { asyncBufferFromFile, parquetMetadataAsync, parquetScan, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { DataError } from '../errors.js';
import type { BatchBuilder } from './batch-builder.js';
import { isGzipFile } from './file-source.js';
import type { RawValue, ReadProgress, RecordBatch } from './types.js';

/** A plain Parquet path for file: the file itself, or a temporary unpacked copy when it is gzip. */
async function plainParquet(file: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  if (!(await isGzipFile(file))) return { path: file, cleanup: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'mlops-parquet-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, 'data.parquet');
  try {
    await pipeline(createReadStream(file), createGunzip(), createWriteStream(path));
  } catch (error) {
    await cleanup();
    throw new DataError(`cannot decompress gzip data (${(error as Error).message})`, { file });
  }
  return { path, cleanup };
}

async function withPlainFile<T>(file: string, fn: (path: string) => Promise<T>): Promise<T> {
  const { path, cleanup } = await plainParquet(file);
  try {
    return await fn(path);
  } finally {
    await cleanup();
  }
}

async function openScan(file: string, path: string, columns?: string[]) {
  const buffer = await asyncBufferFromFile(path);
  try {
    const metadata = await parquetMetadataAsync(buffer);
    const scan = await parquetScan({ file: buffer, metadata, columns, compressors });
    return { metadata, scan };
  } catch (error) {
    throw new DataError(`not a readable Parquet file (${(error as Error).message})`, { file });
  }
}

/** The top-level column names of the file. */
export async function parquetColumns(file: string): Promise<string[]> {
  return withPlainFile(file, async (path) => {
    const buffer = await asyncBufferFromFile(path);
    try {
      const metadata = await parquetMetadataAsync(buffer);
      return parquetSchema(metadata).children.map((child) => child.element.name);
    } catch (error) {
      throw new DataError(`not a readable Parquet file (${(error as Error).message})`, { file });
    }
  });
}

/** hyparquet's decoded cell as a plain value: INT64 bigints become numbers, nested values JSON text. */
function toRawValue(value: unknown): RawValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return Number(value);
    default:
      if (value instanceof Date) return value;
      return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
  }
}

type Cells = ArrayLike<unknown>;

async function readRange(scan: Awaited<ReturnType<typeof openScan>>['scan'], columns: readonly string[], rowStart: number, rowEnd: number): Promise<Cells[]> {
  const result: Cells[] = [];
  for (const column of columns) result.push((await scan.readColumn({ column, rowStart, rowEnd })) as Cells);
  return result;
}

/** Up to `limit` values of each column from the start of the file, for type inference. */
export async function sampleParquet(file: string, columns: readonly string[], limit: number): Promise<Map<string, RawValue[]>> {
  return withPlainFile(file, async (path) => {
    const { scan } = await openScan(file, path, [...columns]);
    const sample = new Map<string, RawValue[]>(columns.map((c) => [c, []]));
    let taken = 0;
    for (const range of scan.ranges) {
      if (taken >= limit) break;
      const end = Math.min(range.rowEnd, range.rowStart + limit - taken);
      const cells = await readRange(scan, columns, range.rowStart, end);
      columns.forEach((name, c) => {
        const target = sample.get(name) as RawValue[];
        for (let r = 0; r < end - range.rowStart; r++) target.push(toRawValue(cells[c][r]));
      });
      taken += end - range.rowStart;
    }
    return sample;
  });
}

/**
 * Reads the projected columns of each row group into the builder. Memory holds one row group of the projected
 * columns at a time. Rows have no lines in Parquet: a row's "line" is its 1-based position in the file.
 */
export async function* readParquetBatches(
  file: string,
  columns: readonly string[],
  builder: BatchBuilder,
  options: { onProgress?: (progress: ReadProgress) => void; totalBytes?: number } = {},
): AsyncGenerator<RecordBatch> {
  const batches: RecordBatch[] = [];
  const { path, cleanup } = await plainParquet(file);
  try {
    const { metadata, scan } = await openScan(file, path, [...columns]);
    const totalRows = Number(metadata.num_rows);
    const totalBytes = options.totalBytes ?? 0;
    for (const range of scan.ranges) {
      let cells: Cells[];
      try {
        cells = await readRange(scan, columns, range.rowStart, range.rowEnd);
      } catch (error) {
        throw new DataError(`cannot decode Parquet data (${(error as Error).message})`, { file, line: range.rowStart + 1 });
      }
      for (let r = range.rowStart; r < range.rowEnd; r++) {
        builder.line = r + 1;
        const at = r - range.rowStart;
        for (let c = 0; c < columns.length; c++) builder.setValue(c, toRawValue(cells[c][at]));
        if (builder.commitRow()) batches.push(builder.take());
      }
      options.onProgress?.({ file, bytesRead: Math.round((totalBytes * range.rowEnd) / Math.max(totalRows, 1)), totalBytes });
      yield* batches.splice(0);
    }
    if (builder.row > 0) yield builder.take();
  } finally {
    await cleanup();
  }
}
