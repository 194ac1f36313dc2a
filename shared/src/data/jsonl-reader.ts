// Reads JSON Lines (one JSON object per line; .jsonl or .ndjson) into typed columnar batches, streaming by line.
import { DataError } from '../errors.js';
import type { BatchBuilder } from './batch-builder.js';
import { DEFAULT_MAX_LINE_BYTES, lineTooLong, readFileChunks } from './file-source.js';
import { quote, quoteList } from './quote.js';
import { TextCheck } from './text-check.js';
import type { DataWarning, RawValue, ReadProgress, RecordBatch } from './types.js';

const LF = 10;
/**
 * Deepest nesting of arrays and objects accepted in a line. V8's JSON.parse builds any depth, but turning such a
 * value into text (JSON.stringify) recurses and overflows the stack near 10,000 levels; no table cell needs more.
 */
export const MAX_JSON_DEPTH = 1000;

interface JsonLine {
  line: number;
  record: Record<string, unknown>;
}

export interface JsonLinesOptions {
  onProgress?: (progress: ReadProgress) => void;
  /** See OpenOptions.maxLineBytes. */
  maxLineBytes?: number;
  /** See OpenOptions.onWarning. */
  onWarning?: (warning: DataWarning) => void;
}

/** The deepest nesting of [ and { in buf[start, end), outside strings, or MAX_JSON_DEPTH + 1 once past it. */
function nestingDepth(buf: Buffer, start: number, end: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > deepest && (deepest = depth) > MAX_JSON_DEPTH) return deepest;
    } else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

/** Each non-blank line parsed as a JSON object; DataError naming file:line for bad JSON or a non-object. */
async function* jsonLines(file: string, options: JsonLinesOptions = {}): AsyncGenerator<JsonLine> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const check = options.onWarning ? new TextCheck(file) : undefined;
  let rest: Buffer[] = [];
  let restBytes = 0;
  let line = 1;
  let first = true;
  const parse = (buf: Buffer, start: number, end: number): JsonLine | null => {
    check?.check(buf, start, end, line);
    const at = line++;
    // A line that cannot nest deeper than the limit (most) is not scanned for its depth.
    if (end - start > MAX_JSON_DEPTH && nestingDepth(buf, start, end) > MAX_JSON_DEPTH) {
      throw new DataError(`a JSON value nested deeper than ${MAX_JSON_DEPTH} levels; table cells need far fewer`, { file, line: at });
    }
    let text = buf.toString('utf8', start, end);
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text.trim() === '') return null;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      throw new DataError(`invalid JSON (${quote((error as Error).message)}) in ${quote(text, 80)}`, { file, line: at });
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new DataError(`expected a JSON object on each line, found ${quote(text, 80)}`, { file, line: at });
    }
    return { line: at, record: record as Record<string, unknown> };
  };
  for await (const chunk of readFileChunks(file, options.onProgress)) {
    let lf = chunk.indexOf(LF);
    if (lf < 0) {
      // No line ends in this chunk: keep it aside, unjoined, so a long line costs one copy, not one per chunk.
      rest.push(chunk);
      restBytes += chunk.length;
      if (restBytes > maxLineBytes) throw lineTooLong(file, line, maxLineBytes, 'line');
      continue;
    }
    let buf = chunk;
    let start = 0;
    if (restBytes > 0) {
      if (restBytes + lf > maxLineBytes) throw lineTooLong(file, line, maxLineBytes, 'line');
      buf = Buffer.concat([...rest, chunk]);
      lf += restBytes;
      rest = [];
      restBytes = 0;
    }
    for (; lf >= 0; lf = buf.indexOf(LF, start)) {
      if (lf - start > maxLineBytes) throw lineTooLong(file, line, maxLineBytes, 'line');
      const parsed = parse(buf, start, lf);
      if (parsed) yield parsed;
      start = lf + 1;
    }
    if (start < buf.length) {
      rest = [buf.subarray(start)];
      restBytes = buf.length - start;
      if (restBytes > maxLineBytes) throw lineTooLong(file, line, maxLineBytes, 'line');
    }
  }
  if (restBytes > 0) {
    const last = rest.length === 1 ? rest[0] : Buffer.concat(rest);
    const parsed = parse(last, 0, last.length);
    if (parsed) yield parsed;
  }
  if (check) for (const warning of check.warnings()) options.onWarning?.(warning);
}

/** record[key] when the object has it: a column named constructor or __proto__ must not read Object.prototype. */
function ownValue(record: Record<string, unknown>, key: string): unknown {
  const value = record[key];
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') return Object.hasOwn(record, key) ? value : undefined;
  return value;
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
export async function sampleJsonl(
  file: string,
  limit: number,
  maxLineBytes?: number,
): Promise<{ names: string[]; values: Map<string, RawValue[]> }> {
  const values = new Map<string, RawValue[]>();
  let rows = 0;
  for await (const { record } of jsonLines(file, { maxLineBytes })) {
    for (const key of Object.keys(record)) {
      if (!values.has(key)) values.set(key, new Array<RawValue>(rows).fill(null));
    }
    for (const [key, column] of values) column.push(toRawValue(ownValue(record, key)));
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
  options: JsonLinesOptions = {},
): AsyncGenerator<RecordBatch> {
  for await (const { line, record } of jsonLines(file, options)) {
    builder.line = line;
    for (const key in record) {
      if (!fileColumns.has(key)) {
        throw new DataError(`unexpected field ${quote(key)}, not among the columns of the first rows (${quoteList([...fileColumns])})`, {
          file,
          line,
        });
      }
    }
    for (let c = 0; c < columns.length; c++) {
      const value = ownValue(record, columns[c]);
      if (value === undefined || value === null) builder.setMissing(c);
      else builder.setValue(c, toRawValue(value));
    }
    if (builder.commitRow()) yield builder.take();
  }
  if (builder.row > 0) yield builder.take();
}
