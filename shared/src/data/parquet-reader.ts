// Reads Parquet files with hyparquet row group by row group, decoding only the projected columns; a gzipped
// Parquet file (detected by magic bytes) is first unpacked to a temporary file, since Parquet needs random access.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import {
  parquetMetadataAsync,
  parquetScan,
  parquetSchema,
  readOffsetIndex,
  type AsyncBuffer,
  type FileMetaData,
  type ParquetParsers,
  type RowGroup,
} from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { DataError } from '../errors.js';
import { quote } from './quote.js';
import type { BatchBuilder } from './batch-builder.js';
import { isGzipFile } from './file-source.js';
import { cachedFooter, openParquetFile, withParquetFile } from './parquet-file.js';
import { FlatColumnReader, isFlatDecodable } from './parquet-flat-decoder.js';
import type { ColumnType, RawValue, ReadProgress, RecordBatch } from './types.js';

/** A plain Parquet path for file: the file itself, or a temporary unpacked copy when it is gzip. */
export async function plainParquet(file: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
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

function unreadable(file: string, error: unknown): DataError {
  return error instanceof DataError
    ? error
    : new DataError(`not a readable Parquet file (${quote(String((error as Error)?.message ?? error))})`, { file });
}

/** A page that does not decode: the file, the row group, the column and the first row wanted. */
function undecodable(file: string, group: number, column: string, row: number, error: unknown): DataError {
  if (error instanceof DataError) return error;
  const reason = quote(String((error as Error)?.message ?? error));
  return new DataError(`cannot decode Parquet data in row group ${group + 1} (is the file damaged?): ${reason}`, {
    file,
    line: row + 1,
    column,
  });
}

/** The footer of `file`, read from `buffer` (its plain bytes) unless already read. */
async function footerFrom(file: string, buffer: AsyncBuffer): Promise<FileMetaData> {
  return cachedFooter(file, () => parquetMetadataAsync(buffer)).catch((error: unknown) => {
    throw unreadable(file, error);
  });
}

/** The footer of `file`, opening (and unpacking) the file only when it was not read before. */
async function footer(file: string): Promise<FileMetaData> {
  return cachedFooter(file, () => withPlainFile(file, (path) => withParquetFile(path, (buffer) => parquetMetadataAsync(buffer)))).catch(
    (error: unknown) => {
      throw unreadable(file, error);
    },
  );
}

async function openScan(file: string, buffer: AsyncBuffer, columns?: string[], parsers?: Partial<ParquetParsers>) {
  const metadata = await footerFrom(file, buffer);
  try {
    const scan = await parquetScan({ file: buffer, metadata, columns, compressors, parsers });
    return { buffer, metadata, scan };
  } catch (error) {
    throw unreadable(file, error);
  }
}

/** The top-level column names of the file. */
export async function parquetColumns(file: string): Promise<string[]> {
  return parquetSchema(await footer(file)).children.map((child) => child.element.name);
}

/** The schema element (physical, converted and logical type) of each top-level column, by name. */
export async function parquetColumnElements(file: string): Promise<Map<string, FileMetaData['schema'][number]>> {
  return new Map(parquetSchema(await footer(file)).children.map((child) => [child.element.name, child.element]));
}

/**
 * Column types that the file's own schema settles (numbers, booleans, dates and times), so that only string columns
 * need a sample to choose between categorical and text: sampling a Parquet file decodes whole pages.
 */
export async function parquetDeclaredTypes(file: string): Promise<Map<string, ColumnType>> {
  const metadata = await footer(file);
  const declared = new Map<string, ColumnType>();
  for (const child of parquetSchema(metadata).children) {
    if (child.children.length > 0 || child.element.repetition_type === 'REPEATED') continue;
    const { type, converted_type: converted, logical_type: logical } = child.element;
    const temporal =
      type === 'INT96' ||
      converted === 'DATE' ||
      converted === 'TIMESTAMP_MILLIS' ||
      converted === 'TIMESTAMP_MICROS' ||
      logical?.type === 'DATE' ||
      logical?.type === 'TIMESTAMP';
    if (temporal) declared.set(child.element.name, 'datetime');
    else if (type === 'BOOLEAN') declared.set(child.element.name, 'boolean');
    else if (type === 'INT32' || type === 'INT64' || type === 'FLOAT' || type === 'DOUBLE') declared.set(child.element.name, 'numerical');
  }
  return declared;
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

async function readRange(
  scan: Awaited<ReturnType<typeof openScan>>['scan'],
  columns: readonly string[],
  rowStart: number,
  rowEnd: number,
): Promise<Cells[]> {
  const result: Cells[] = [];
  for (const column of columns) result.push((await scan.readColumn({ column, rowStart, rowEnd })) as Cells);
  return result;
}

/** Up to `limit` values of each column from the start of the file, for type inference. */
export async function sampleParquet(file: string, columns: readonly string[], limit: number): Promise<Map<string, RawValue[]>> {
  return withPlainFile(file, (path) =>
    withParquetFile(path, async (buffer) => {
      const fast = await sampleFlatColumns(buffer, await footerFrom(file, buffer), columns, limit);
      if (fast) return fast;
      const { scan } = await openScan(file, buffer, [...columns]);
      const sample = new Map<string, RawValue[]>(columns.map((c) => [c, []]));
      let taken = 0;
      for (const [g, range] of scan.ranges.entries()) {
        if (taken >= limit) break;
        const end = Math.min(range.rowEnd, range.rowStart + limit - taken);
        const cells = await readRange(scan, columns, range.rowStart, end).catch((error: unknown) => {
          throw undecodable(file, g, columns.join(', '), range.rowStart, error);
        });
        columns.forEach((name, c) => {
          const target = sample.get(name) as RawValue[];
          for (let r = 0; r < end - range.rowStart; r++) target.push(toRawValue(cells[c][r]));
        });
        taken += end - range.rowStart;
      }
      return sample;
    }),
  );
}

/**
 * The sample from the first pages of the first row group through our flat decoder, when every sampled column is a
 * flat string column (what is left to sample once the schema typed the rest): hyparquet's general path expands a
 * whole page of strings to return 1,000 of them. Undefined when that does not apply, and the caller samples as usual.
 */
async function sampleFlatColumns(
  buffer: AsyncBuffer,
  metadata: FileMetaData,
  columns: readonly string[],
  limit: number,
): Promise<Map<string, RawValue[]> | undefined> {
  if (!parquetFastPath.enabled) return undefined;
  try {
    const children = new Map(parquetSchema(metadata).children.map((child) => [child.element.name, child]));
    const sample = new Map<string, RawValue[]>();
    for (const name of columns) {
      const child = children.get(name);
      if (!child || child.element.type !== 'BYTE_ARRAY' || !isFlatDecodable(child.element, child.children.length)) return undefined;
      const values: RawValue[] = [];
      for (const group of metadata.row_groups) {
        if (values.length >= limit) break;
        const chunk = group.columns.find((col) => col.meta_data?.path_in_schema.length === 1 && col.meta_data.path_in_schema[0] === name);
        if (!chunk) return undefined;
        const reader = new FlatColumnReader(buffer, chunk, child.element, compressors);
        while (values.length < limit) {
          const page = await reader.nextPage(limit - values.length);
          if (!page) break;
          const cells = page.values as ArrayLike<RawValue>;
          for (let i = 0; i < page.rows && values.length < limit; i++) values.push(cells[i] ?? null);
        }
      }
      sample.set(name, values);
    }
    return sample;
  } catch {
    return undefined;
  }
}

/**
 * Time columns are read as epoch milliseconds rather than hyparquet's default Date objects: one object per cell made
 * reading timestamps garbage-bound. Values outside Date's range are NaN (missing), as an invalid Date was.
 */
const MAX_DATE_MS = 8.64e15;
const epochMs = (ms: number): number => (Math.abs(ms) <= MAX_DATE_MS ? ms : NaN);
const NUMERIC_TIME_PARSERS = {
  timestampFromMilliseconds: (millis: bigint) => epochMs(Number(millis)),
  timestampFromMicroseconds: (micros: bigint) => epochMs(Number(micros / 1000n)),
  timestampFromNanoseconds: (nanos: bigint) => epochMs(Number(nanos / 1000000n)),
  dateFromDays: (days: number) => epochMs(days * 86400000),
};

/** A time cell read as epoch ms, back as the Date hyparquet's default parsers give. */
function timeToDate(value: unknown): unknown {
  return typeof value === 'number' ? (value === value ? new Date(value) : new Date(NaN)) : value;
}

/** Whether hyparquet decodes this top-level column with its time parsers. */
function isTimeColumn(element: { type?: string; converted_type?: string; logical_type?: { type: string } }): boolean {
  const { type, converted_type: converted, logical_type: logical } = element;
  return (
    type === 'INT96' ||
    converted === 'DATE' ||
    converted === 'TIMESTAMP_MILLIS' ||
    converted === 'TIMESTAMP_MICROS' ||
    logical?.type === 'TIMESTAMP' ||
    logical?.type === 'DATE'
  );
}

/** Rows decoded at a time: memory holds about this many rows of the projected columns, whatever the row group size. */
export const PARQUET_SLICE_ROWS = 65536;

type Scan = Awaited<ReturnType<typeof openScan>>['scan'];

/**
 * The first row (file-wide) of each data page of `column` in the row group starting at groupStart, from the column's
 * offset index; empty when the file has none. hyparquet decodes whole pages, so windows that end on page boundaries
 * decode each page once.
 */
async function pageStarts(buffer: AsyncBuffer, rowGroup: RowGroup, groupStart: number, column: string): Promise<number[]> {
  const chunk = rowGroup.columns.find((c) => c.meta_data?.path_in_schema[0] === column);
  if (!chunk?.offset_index_offset || !chunk.offset_index_length) return [];
  try {
    const start = Number(chunk.offset_index_offset);
    const bytes = await buffer.slice(start, start + chunk.offset_index_length);
    return readOffsetIndex({ view: new DataView(bytes), offset: 0 }).page_locations.map(
      (page) => groupStart + Number(page.first_row_index),
    );
  } catch {
    return []; // the index only saves work; without it windows are plain slices
  }
}

/** Decoded rows [start, end) of one column. */
interface Window {
  start: number;
  end: number;
  data: Cells;
}

/**
 * The next window of a column from row `from`: at least `sliceRows` rows, extended to the next page boundary when
 * that is within 4 slices (so no page is decoded twice), never past `limit`.
 */
async function nextWindow(
  scan: Scan,
  column: string,
  from: number,
  limit: number,
  sliceRows: number,
  pages: readonly number[],
): Promise<Window> {
  let end = Math.min(limit, from + sliceRows);
  const boundary = pages.find((row) => row >= end);
  if (boundary === undefined) {
    if (pages.length > 0 && limit - from <= 4 * sliceRows) end = limit; // the last page of the group
  } else if (boundary - from <= 4 * sliceRows) end = boundary;
  return { start: from, end, data: (await scan.readColumn({ column, rowStart: from, rowEnd: end })) as Cells };
}

/** Whether flat columns are decoded by parquet-flat-decoder (tests compare both paths). */
export const parquetFastPath = { enabled: true };

/**
 * The next window of a flat column from our own decoder: its next page. Undefined when the decoder cannot go on
 * (an encoding or layout it does not handle): the caller reads the rest of the row group with hyparquet.
 */
async function nextFlatWindow(reader: FlatColumnReader, from: number): Promise<Window | undefined> {
  try {
    const page = await reader.nextPage();
    return page && { start: from, end: from + page.rows, data: page.values };
  } catch {
    return undefined; // hyparquet reads it, or reports what is wrong with it
  }
}

/**
 * Reads the projected columns in windows of about PARQUET_SLICE_ROWS rows ending on page boundaries (hyparquet
 * decoding only the pages that hold them), and copies each window straight into the builder's typed arrays. Rows
 * have no lines in Parquet: a row's "line" is its 1-based position in the file.
 */
export async function* readParquetBatches(
  file: string,
  columns: readonly string[],
  builder: BatchBuilder,
  options: { onProgress?: (progress: ReadProgress) => void; totalBytes?: number; sliceRows?: number } = {},
): AsyncGenerator<RecordBatch> {
  const sliceRows = options.sliceRows ?? PARQUET_SLICE_ROWS;
  const { path, cleanup } = await plainParquet(file);
  const opened = await openParquetFile(path).catch(async (error: unknown) => {
    await cleanup();
    throw unreadable(file, error);
  });
  try {
    const { buffer, metadata, scan } = await openScan(file, opened.buffer, [...columns], NUMERIC_TIME_PARSERS);
    const children = new Map(parquetSchema(metadata).children.map((child) => [child.element.name, child]));
    const elements = new Map([...children].map(([name, child]) => [name, child.element]));
    // Time columns read as another type get their Date cells back first, so they convert (or clash) as before.
    const asDates = columns.map((name, c) => {
      const element = elements.get(name);
      return element !== undefined && isTimeColumn(element) && builder.typeOf(c) !== 'datetime';
    });
    const groupStarts: number[] = [];
    metadata.row_groups.reduce((start, group) => (groupStarts.push(start), start + Number(group.num_rows)), 0);
    const totalRows = Number(metadata.num_rows);
    const totalBytes = options.totalBytes ?? 0;
    for (const range of scan.ranges) {
      let g = groupStarts.length - 1;
      while (groupStarts[g] > range.rowStart) g--;
      // Page boundaries matter only to columns read by hyparquet: fetched when a column first falls back to it.
      const pages: Promise<number[]>[] = [];
      const windows: Window[] = columns.map(() => ({ start: range.rowStart, end: range.rowStart, data: [] }));
      // Flat columns of a whole row group are decoded page by page by our own decoder (see parquet-flat-decoder).
      const group = metadata.row_groups[g];
      const wholeGroup = range.rowStart === groupStarts[g] && range.rowEnd === groupStarts[g] + Number(group.num_rows);
      const flat = columns.map((name, c) => {
        const child = children.get(name);
        if (!parquetFastPath.enabled || !wholeGroup || asDates[c] || !child || !isFlatDecodable(child.element, child.children.length))
          return undefined;
        const chunk = group.columns.find((col) => col.meta_data?.path_in_schema.length === 1 && col.meta_data.path_in_schema[0] === name);
        try {
          return chunk && new FlatColumnReader(buffer, chunk, child.element, compressors);
        } catch {
          return undefined;
        }
      });
      for (let row = range.rowStart; row < range.rowEnd;) {
        let stop = range.rowEnd;
        for (let c = 0; c < columns.length; c++) {
          if (windows[c].end <= row) {
            const reader = flat[c];
            const fast = reader && (await nextFlatWindow(reader, row));
            if (fast) {
              windows[c] = fast;
              stop = Math.min(stop, fast.end);
              continue;
            }
            flat[c] = undefined;
            try {
              pages[c] ??= pageStarts(buffer, metadata.row_groups[g], groupStarts[g], columns[c]);
              windows[c] = await nextWindow(scan, columns[c], row, range.rowEnd, sliceRows, await pages[c]);
              if (asDates[c]) windows[c].data = Array.from(windows[c].data, timeToDate);
            } catch (error) {
              throw undecodable(file, g, columns[c], row, error);
            }
          }
          stop = Math.min(stop, windows[c].end);
        }
        // Copy rows [row, stop) column by column, in runs that fit the current batch.
        while (row < stop) {
          const count = Math.min(builder.room, stop - row);
          for (let c = 0; c < columns.length; c++)
            builder.setColumn(c, windows[c].data, row - windows[c].start, count, row + 1, toRawValue);
          if (builder.commitRows(count, row + 1)) yield builder.take();
          row += count;
        }
        options.onProgress?.({ file, bytesRead: Math.round((totalBytes * row) / Math.max(totalRows, 1)), totalBytes });
      }
    }
    if (builder.row > 0) yield builder.take();
  } finally {
    await opened.close();
    await cleanup();
  }
}
