// Reads JSON Lines (one JSON object per line; .jsonl or .ndjson) into typed columnar batches, streaming by line.
import { DataError } from '../errors.js';
import type { BatchBuilder } from './batch-builder.js';
import { readFileChunks } from './file-source.js';
import type { RawValue, ReadProgress, RecordBatch } from './types.js';

const LF = 10;

interface JsonLine {
  line: number;
  record: Record<string, unknown>;
}

/** Each non-blank line parsed as a JSON object; DataError naming file:line for bad JSON or a non-object. */
async function* jsonLines(file: string, onProgress?: (progress: ReadProgress) => void): AsyncGenerator<JsonLine> {
  let rest: Buffer | null = null;
  let line = 1;
  let first = true;
  const parse = (buf: Buffer, start: number, end: number): JsonLine | null => {
    let text = buf.toString('utf8', start, end);
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const at = line++;
    if (text.trim() === '') return null;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      throw new DataError(`invalid JSON (${(error as Error).message})`, { file, line: at });
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new DataError('expected a JSON object on each line', { file, line: at });
    }
    return { line: at, record: record as Record<string, unknown> };
  };
  for await (const chunk of readFileChunks(file, onProgress)) {
    const buf: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let end = buf.indexOf(LF, start); end >= 0; end = buf.indexOf(LF, start)) {
      const parsed = parse(buf, start, end);
      if (parsed) yield parsed;
      start = end + 1;
    }
    rest = start < buf.length ? buf.subarray(start) : null;
  }
  if (rest) {
    const parsed = parse(rest, 0, rest.length);
    if (parsed) yield parsed;
  }
}

function toRawValue(value: unknown): RawValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/**
 * The file's field names (in order of first appearance) and up to `limit` rows of values per field, for
 * schema checks and type inference.
 */
export async function sampleJsonl(file: string, limit: number): Promise<{ names: string[]; values: Map<string, RawValue[]> }> {
  const values = new Map<string, RawValue[]>();
  let rows = 0;
  for await (const { record } of jsonLines(file)) {
    for (const key of Object.keys(record)) {
      if (!values.has(key)) values.set(key, new Array<RawValue>(rows).fill(null));
    }
    for (const [key, column] of values) column.push(toRawValue(record[key]));
    if (++rows >= limit) break;
  }
  if (rows === 0) throw new DataError('the file has no JSON objects; expected one object per line', { file });
  return { names: [...values.keys()], values };
}

/**
 * Reads the file's objects into the builder's columns. A field absent from an object is missing; a field that
 * is not one of `fileColumns` (the names seen when the dataset was opened) is a DataError rather than dropped.
 */
export async function* readJsonlBatches(
  file: string,
  columns: readonly string[],
  fileColumns: ReadonlySet<string>,
  builder: BatchBuilder,
  options: { onProgress?: (progress: ReadProgress) => void } = {},
): AsyncGenerator<RecordBatch> {
  for await (const { line, record } of jsonLines(file, options.onProgress)) {
    builder.line = line;
    for (const key in record) {
      if (!fileColumns.has(key)) {
        throw new DataError(`unexpected field '${key}', not among the columns of the first rows (${[...fileColumns].join(', ')})`, {
          file,
          line,
        });
      }
    }
    for (let c = 0; c < columns.length; c++) {
      const value = record[columns[c]];
      if (value === undefined || value === null) builder.setMissing(c);
      else builder.setValue(c, toRawValue(value));
    }
    if (builder.commitRow()) yield builder.take();
  }
  if (builder.row > 0) yield builder.take();
}
