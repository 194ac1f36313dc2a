// Opens a dataset spec (paths, globs, lists of them; CSV, TSV, JSON Lines, Parquet, each maybe gzipped) as one
// typed, streamed dataset: checks that all files share the columns, infers types from a sample, then reads
// columnar batches file after file.
import { DataError, UserError } from '../errors.js';
import { BatchBuilder, type BuilderColumn } from './batch-builder.js';
import { readCsvBatches, readCsvHeader } from './csv-reader.js';
import { formatOf, labelPrefix, resolveFiles } from './file-source.js';
import { quote, quoteList } from './quote.js';
import { readJsonlBatches, sampleJsonl } from './jsonl-reader.js';
import { parquetColumns, parquetDeclaredTypes, readParquetBatches, sampleParquet } from './parquet-reader.js';
import { inferColumnType } from './type-inference.js';
import {
  COLUMN_TYPES,
  type BatchLocation,
  type ColumnSchema,
  type ColumnType,
  type DataFormat,
  type Dataset,
  type OpenOptions,
  type RawValue,
  type RecordBatch,
} from './types.js';
import { stat } from 'node:fs/promises';

const DEFAULT_SAMPLE_ROWS = 1000;
const DEFAULT_BATCH_ROWS = 65536;

interface DataFile {
  path: string;
  format: DataFormat;
  columns: string[];
}

export async function openDataset(spec: string | string[], options: OpenOptions = {}): Promise<Dataset> {
  const prefix = labelPrefix(options.label);
  const sampleRows = positiveInteger(options.sampleRows, DEFAULT_SAMPLE_ROWS, 'sampleRows');
  const batchRows = positiveInteger(options.batchRows, DEFAULT_BATCH_ROWS, 'batchRows');
  const paths = await resolveFiles(spec, options.label);

  let jsonlSample: Map<string, RawValue[]> | undefined;
  const files: DataFile[] = [];
  for (const path of paths) {
    const format = formatOf(path);
    let columns: string[];
    if (format === 'jsonl') {
      const sample = await sampleJsonl(path, sampleRows, options.maxLineBytes);
      columns = sample.names;
      if (files.length === 0) jsonlSample = sample.values;
    } else columns = await headerColumns(path, format, options.maxLineBytes);
    files.push({ path, format, columns });
  }
  const first = files[0];
  for (const file of files.slice(1)) checkSameColumns(first, file);

  const names = options.columns ?? first.columns;
  checkKnownColumns(names, first.columns, prefix, 'columns');
  // A Map, so that columns named constructor or __proto__ find no type on Object.prototype.
  const overrides = new Map<string, ColumnType>(Object.entries(options.columnTypes ?? {}));
  checkKnownColumns([...overrides.keys()], first.columns, prefix, 'column types');
  for (const [name, type] of overrides) {
    if (!COLUMN_TYPES.includes(type)) {
      throw new UserError(
        `${prefix}column ${quote(name)} has unknown type ${quote(String(type))}. Expected one of ${COLUMN_TYPES.join(', ')}.`,
      );
    }
  }
  const declared = first.format === 'parquet' ? await parquetDeclaredTypes(first.path) : new Map<string, ColumnType>();
  const toInfer = names.filter((name) => !overrides.has(name) && !declared.has(name));
  const sample =
    toInfer.length > 0 ? (jsonlSample ?? (await sampleFile(first, toInfer, sampleRows, options))) : new Map<string, RawValue[]>();
  const schema: ColumnSchema[] = names.map((name) => ({
    name,
    type: overrides.get(name) ?? declared.get(name) ?? inferColumnType(sample.get(name) ?? []),
  }));

  return {
    files: paths,
    schema,
    batches: () => readAll(files, schema, batchRows, options),
    readBatchAgain: (location) => readBatchAgain(files, schema, location, options),
  };
}

/** Where `batch` can be read again from, when its reader gave its byte offset (plain CSV/TSV), else undefined. */
export function batchLocation(batch: RecordBatch): BatchLocation | undefined {
  if (batch.byteOffset === undefined || batch.rowCount === 0) return undefined;
  return {
    file: batch.file,
    byteOffset: batch.byteOffset,
    line: batch.lines[0],
    firstRowIndex: batch.firstRowIndex,
    rowCount: batch.rowCount,
  };
}

async function readBatchAgain(
  files: DataFile[],
  schema: ColumnSchema[],
  location: BatchLocation,
  options: OpenOptions,
): Promise<RecordBatch> {
  const file = files.find((f) => f.path === location.file);
  if (!file || (file.format !== 'csv' && file.format !== 'tsv'))
    throw new Error(`cannot read a batch of '${location.file}' again: not a CSV/TSV file of the dataset`);
  const columns: BuilderColumn[] = schema.map((c) => ({ name: c.name, type: c.type as ColumnType }));
  const builder = new BatchBuilder(file.path, columns, location.rowCount, location.firstRowIndex, {
    keepInvalid: options.keepInvalid,
    textAsUtf8: options.textAsUtf8,
  });
  const reader = readCsvBatches(
    file.path,
    file.format === 'csv' ? ',' : '\t',
    columns.map((c) => c.name),
    builder,
    {
      limit: location.rowCount,
      trustRowShape: options.trustRowShape,
      startAt: { byteOffset: location.byteOffset, line: location.line, header: file.columns },
      maxLineBytes: options.maxLineBytes,
    },
  );
  for await (const batch of reader) {
    await reader.return(undefined);
    return batch;
  }
  throw new Error(`no rows at byte ${location.byteOffset} of '${location.file}'`);
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new UserError(`Option ${name} must be a positive integer, got ${value}.`);
  return value;
}

function checkSameColumns(first: DataFile, file: DataFile): void {
  // Sets: a 10,000-column header compared by includes() took seconds.
  const firstColumns = new Set(first.columns);
  const fileColumns = new Set(file.columns);
  const missing = first.columns.filter((c) => !fileColumns.has(c));
  const extra = file.columns.filter((c) => !firstColumns.has(c));
  if (missing.length === 0 && extra.length === 0) return;
  const parts = [];
  if (missing.length > 0) parts.push(`missing column(s) ${quoteList(missing)}`);
  if (extra.length > 0) parts.push(`extra column(s) ${quoteList(extra)}`);
  throw new DataError(
    `columns differ from the first file ${quote(first.path)}: ${parts.join('; ')}. All files of a dataset must have the same columns.`,
    {
      file: file.path,
    },
  );
}

function checkKnownColumns(requested: readonly string[], available: readonly string[], prefix: string, what: string): void {
  const known = new Set(available);
  const unknown = requested.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new UserError(`${prefix}unknown column(s) ${quoteList(unknown)} in ${what}. Available columns: ${quoteList(available)}.`);
  }
}

/** Column names from a CSV/TSV header or Parquet metadata, without reading any row. */
function headerColumns(path: string, format: Exclude<DataFormat, 'jsonl'>, maxLineBytes?: number): Promise<string[]> {
  return format === 'parquet' ? parquetColumns(path) : readCsvHeader(path, format === 'csv' ? ',' : '\t', maxLineBytes);
}

/**
 * The columns of a dataset spec's first file, cheaply: CSV/TSV headers and Parquet metadata are read without
 * sampling rows (JSON Lines need their sample, as their columns are the keys seen).
 */
export async function datasetColumnNames(
  spec: string | string[],
  options: Pick<OpenOptions, 'label' | 'sampleRows' | 'maxLineBytes'> = {},
): Promise<string[]> {
  const [first] = await resolveFiles(spec, options.label);
  const format = formatOf(first);
  if (format === 'jsonl')
    return (await sampleJsonl(first, positiveInteger(options.sampleRows, DEFAULT_SAMPLE_ROWS, 'sampleRows'), options.maxLineBytes)).names;
  return headerColumns(first, format, options.maxLineBytes);
}

async function sampleFile(file: DataFile, columns: string[], limit: number, options: OpenOptions): Promise<Map<string, RawValue[]>> {
  if (file.format === 'parquet') return sampleParquet(file.path, columns, limit);
  const rawColumns: BuilderColumn[] = columns.map((name) => ({ name, type: 'raw' }));
  // Batches of at most ~1M cells: every column is allocated at the batch's row count, and 10,000 columns of 1000
  // rows took ~200 MB of arrays to sample a 4 MB file. The limit still caps the rows sampled in all.
  const builder = new BatchBuilder(
    file.path,
    rawColumns,
    Math.max(1, Math.min(limit, Math.floor((1 << 20) / Math.max(1, columns.length)))),
    0,
  );
  const sample = new Map<string, RawValue[]>(columns.map((name) => [name, []]));
  const csvOptions = { limit, trustRowShape: options.trustRowShape ?? false, maxLineBytes: options.maxLineBytes };
  for await (const batch of readCsvBatches(file.path, file.format === 'tsv' ? '\t' : ',', columns, builder, csvOptions)) {
    batch.columns.forEach((column, c) => {
      if (column.kind === 'string') sample.get(columns[c])?.push(...column.values);
    });
  }
  return sample;
}

async function* readAll(files: DataFile[], schema: ColumnSchema[], batchRows: number, options: OpenOptions): AsyncGenerator<RecordBatch> {
  const names = schema.map((c) => c.name);
  const columns: BuilderColumn[] = schema.map((c) => ({ name: c.name, type: c.type as ColumnType }));
  let firstRowIndex = 0;
  for (const file of files) {
    const builder = new BatchBuilder(file.path, columns, batchRows, firstRowIndex, {
      keepInvalid: options.keepInvalid,
      textAsUtf8: options.textAsUtf8,
    });
    const progress = { onProgress: options.onProgress };
    const textOptions = { ...progress, maxLineBytes: options.maxLineBytes, onWarning: options.onWarning };
    const csvOptions = { ...textOptions, trustRowShape: options.trustRowShape ?? false, recordSpans: options.recordSpans };
    let reader: AsyncGenerator<RecordBatch>;
    if (file.format === 'csv' || file.format === 'tsv')
      reader = readCsvBatches(file.path, file.format === 'csv' ? ',' : '\t', names, builder, csvOptions);
    else if (file.format === 'jsonl') reader = readJsonlBatches(file.path, names, new Set(file.columns), builder, textOptions);
    else reader = readParquetBatches(file.path, names, builder, { ...progress, totalBytes: (await stat(file.path)).size });
    for await (const batch of reader) {
      firstRowIndex += batch.rowCount;
      yield batch;
    }
  }
}
