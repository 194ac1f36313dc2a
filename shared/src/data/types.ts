// The public shapes of a dataset read by shared/src/data: a typed schema and columnar record batches, so every
// action reads CSV, TSV, JSON Lines and Parquet the same way without ever building an array of row objects.
import type { RecordSpans } from './record-spans.js';

export type ColumnType = 'numerical' | 'categorical' | 'text' | 'boolean' | 'datetime';

export const COLUMN_TYPES: readonly ColumnType[] = ['numerical', 'categorical', 'text', 'boolean', 'datetime'];

export interface ColumnSchema {
  name: string;
  type: ColumnType;
}

/**
 * One column of a batch. numerical, datetime (epoch ms, UTC) and boolean (0/1) columns are numbers with a missing
 * mask (missing[i] = 1 where the value is missing; values[i] is then NaN; missing[i] = INVALID_CELL where a value
 * is present but not of the column's type, kept only with OpenOptions.keepInvalid, its text in RecordBatch.invalid);
 * categorical and text columns are strings with null for missing, or, for text with OpenOptions.textAsUtf8, UTF-8
 * bytes.
 */
export type ColumnValues =
  { kind: 'number'; values: Float64Array; missing: Uint8Array } | { kind: 'string'; values: (string | null)[] } | Utf8Column;

/**
 * Text cells as UTF-8 bytes, laid out as Apache Arrow's utf8 arrays: cell i is data[offsets[i], offsets[i + 1]),
 * missing[i] = 1 where it is null (its range is then empty). No string exists per cell until one is asked for.
 */
export interface Utf8Column {
  kind: 'utf8';
  data: Uint8Array;
  /** rowCount + 1 offsets into data, offsets[0] = 0. */
  offsets: Int32Array;
  missing: Uint8Array;
  /**
   * When true, every byte is below 0x80: the text is ASCII, one byte a character. (False says only that it may not
   * be: a cell set twice, as a row cut by a chunk's end is, keeps its first bytes in the check.)
   */
  ascii: boolean;
}

export interface RecordBatch {
  /** The file these rows came from, as resolved from the spec. */
  file: string;
  rowCount: number;
  /** 0-based index in the dataset (all files) of the batch's first data row. */
  firstRowIndex: number;
  /**
   * 1-based line in `file` where each row starts (the CSV/TSV header is line 1; blank lines count). For Parquet
   * there are no lines: this is the row's 1-based position in the file.
   */
  lines: Uint32Array;
  /** Aligned with dataset.schema. */
  columns: ColumnValues[];
  /** Cells that did not fit their column's type (OpenOptions.keepInvalid only), in row order. */
  invalid?: InvalidCell[];
  /** Where the first row starts in `file` (plain CSV/TSV only), so the batch can be read again alone. */
  byteOffset?: number;
  /** CSV/TSV with OpenOptions.recordSpans: where each row lies in the file's decompressed bytes. */
  recordSpans?: RecordSpans;
}

/** What it takes to read one batch again (Dataset.readBatchAgain): see batchLocation(). */
export interface BatchLocation {
  file: string;
  byteOffset: number;
  /** Line of the first row. */
  line: number;
  firstRowIndex: number;
  rowCount: number;
}

/** In a number column's missing mask: the value is present but is not of the column's type. */
export const INVALID_CELL = 2;

/** A value that does not fit its column's type, kept as written (data-gate reports it instead of stopping). */
export interface InvalidCell {
  /** Row within the batch. */
  row: number;
  /** Index of the column in the schema. */
  column: number;
  /** The value as written (JSON for typed non-string values). */
  text: string;
}

export interface ReadProgress {
  file: string;
  /** Bytes of the file on disk read so far (compressed bytes for gzip files). */
  bytesRead: number;
  /** Size of the file on disk. */
  totalBytes: number;
}

/** Something in a file that the reader read anyway but the user should know (NUL bytes, invalid UTF-8). */
export interface DataWarning {
  kind: 'nul-bytes' | 'invalid-utf8';
  file: string;
  /** The first line where it occurs. */
  line: number;
  /** Lines where it occurs. */
  count: number;
  message: string;
}

export interface OpenOptions {
  /** Per-column type overrides; columns not named are inferred from the sample. */
  columnTypes?: Record<string, ColumnType>;
  /** Projection: read only these columns, in this order. */
  columns?: string[];
  /** Rows of the first file used to infer column types (default 1000). */
  sampleRows?: number;
  /** Rows per batch (default 65536). */
  batchRows?: number;
  /** Called as each file is read, per file. */
  onProgress?: (progress: ReadProgress) => void;
  /** Who the data is for in messages, e.g. "input 'reference'". */
  label?: string;
  /**
   * Keep a value that does not fit its column's type (a word in a numerical column) as an INVALID_CELL and go on,
   * instead of failing with file:line (column). For validators, which report such cells as failing rows.
   */
  keepInvalid?: boolean;
  /**
   * Read text columns (not categorical ones) as UTF-8 bytes (Utf8Column) instead of one string per cell: for readers
   * that hash, measure or match the bytes (data-gate's uniqueness, distinct counts and lengths), which then build no
   * string for the millions of ids or emails a text column holds.
   */
  textAsUtf8?: boolean;
  /**
   * CSV/TSV: another reader of the same file checks that every row has the header's number of fields; this one
   * may skip the fields after the last column it reads (a row's tail without quotes is jumped over with one
   * native search for its line feed). A row that ends before that column still fails with file:line.
   */
  trustRowShape?: boolean;
  /**
   * The longest line (CSV/TSV: row, quoted newlines included; JSON Lines: line) a reader accepts, in bytes (default
   * 64 MiB, input max-line-mb): a longer one is a DataError with file:line, found as soon as the limit is passed.
   */
  maxLineBytes?: number;
  /** Told, once a file is read to its end, of lines with NUL bytes or invalid UTF-8 (CSV, TSV, JSON Lines). */
  onWarning?: (warning: DataWarning) => void;
  /** CSV/TSV: give each batch its rows' byte ranges (RecordBatch.recordSpans), e.g. to copy whole rows as written. */
  recordSpans?: boolean;
}

export interface Dataset {
  files: string[];
  schema: ColumnSchema[];
  /** Reads all files again from the start each time it is iterated. */
  batches(): AsyncIterable<RecordBatch>;
  /**
   * Reads one batch of an earlier pass again, from its first row's byte offset, without reading what comes before
   * it (to look up a few rows found at the end of a pass).
   */
  readBatchAgain(location: BatchLocation): Promise<RecordBatch>;
}

export type DataFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

/** A value as a reader hands it to type inference and conversion (Parquet and JSON give typed values, CSV strings). */
export type RawValue = string | number | boolean | Date | null | undefined;
