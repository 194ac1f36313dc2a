// Fills typed column arrays one cell at a time and cuts them into RecordBatches, converting each cell to its
// column's type and failing with file:line (column) on a value that does not fit. Shared by all readers.
import { DataError } from '../errors.js';
import { quote } from './quote.js';
import { ByteInterner } from './byte-interner.js';
import { INVALID_CELL, type ColumnSchema, type ColumnValues, type InvalidCell, type RawValue, type RecordBatch } from './types.js';
import { Utf8ColumnBuilder } from './utf8-column-builder.js';
import {
  isMissingBytes,
  isMissingToken,
  parseBooleanBytes,
  parseBooleanText,
  parseIsoDateBytes,
  parseIsoDateText,
  parseNumberText,
  parseSimpleNumberBytes,
} from './value-parsers.js';

const NUMERICAL = 0;
const BOOLEAN = 1;
const DATETIME = 2;
const CATEGORICAL = 3;
const TEXT = 4;
/** Sampling only: keep the cell as it was written, for type inference. */
const RAW = 5;
/** Text kept as UTF-8 bytes (OpenOptions.textAsUtf8). */
const UTF8 = 6;

const KIND_CODES = { numerical: NUMERICAL, boolean: BOOLEAN, datetime: DATETIME, categorical: CATEGORICAL, text: TEXT } as const;

const EXPECTED: Record<number, string> = {
  [NUMERICAL]: 'a number',
  [BOOLEAN]: 'true or false',
  [DATETIME]: 'an ISO 8601 date or timestamp',
};

export interface BuilderColumn {
  name: string;
  /** 'raw' keeps cells as written (strings), used to sample a file before its types are known. */
  type: ColumnSchema['type'] | 'raw';
}

export interface BuilderOptions {
  /** Keep cells that do not fit their type as INVALID_CELL (see OpenOptions.keepInvalid) instead of throwing. */
  keepInvalid?: boolean;
  /** Text columns as UTF-8 bytes (see OpenOptions.textAsUtf8). */
  textAsUtf8?: boolean;
}

export class BatchBuilder {
  /** Rows filled in the current batch. */
  row = 0;
  /** 1-based line of the row being filled (set by the reader before its cells). */
  line = 0;
  /** Where the batch's first row starts in the file, when the reader knows (plain CSV/TSV): RecordBatch.byteOffset. */
  batchByteOffset: number | undefined;
  private readonly kinds: Uint8Array;
  private numbers: Float64Array[] = [];
  private missing: Uint8Array[] = [];
  private strings: (string | null)[][] = [];
  private readonly utf8: (Utf8ColumnBuilder | null)[];
  private lines!: Uint32Array;
  private readonly interners: (ByteInterner | null)[];
  /** Categorical cells written quoted with doubled quotes (JSON tags in CSV), interned by their bytes as written. */
  private readonly escapedInterners: (ByteInterner | undefined)[] = [];
  private firstRowIndex: number;
  private invalid: InvalidCell[] = [];
  private readonly keepInvalid: boolean;

  constructor(
    readonly file: string,
    private readonly columns: readonly BuilderColumn[],
    readonly batchRows: number,
    firstRowIndex: number,
    options: BuilderOptions = {},
  ) {
    this.keepInvalid = options.keepInvalid ?? false;
    const textKind = options.textAsUtf8 ? UTF8 : TEXT;
    this.kinds = Uint8Array.from(columns, (c) => (c.type === 'raw' ? RAW : c.type === 'text' ? textKind : KIND_CODES[c.type]));
    this.interners = columns.map((c) => (c.type === 'categorical' ? new ByteInterner() : null));
    this.utf8 = Array.from(this.kinds, (kind) => (kind === UTF8 ? new Utf8ColumnBuilder(batchRows) : null));
    this.firstRowIndex = firstRowIndex;
    this.allocate();
  }

  private allocate(): void {
    const n = this.batchRows;
    this.lines = new Uint32Array(n);
    for (let c = 0; c < this.kinds.length; c++) {
      const kind = this.kinds[c];
      if (kind <= DATETIME) {
        this.numbers[c] = new Float64Array(n);
        this.missing[c] = new Uint8Array(n);
      } else if (kind !== UTF8) {
        this.strings[c] = new Array<string | null>(n).fill(null);
      }
    }
  }

  /** Sets cell (current row, column) from buf[start, end): the CSV fast path. */
  setBytes(column: number, buf: Buffer, start: number, end: number): void {
    const row = this.row;
    switch (this.kinds[column]) {
      case NUMERICAL: {
        const value = parseSimpleNumberBytes(buf, start, end);
        if (value === value) {
          this.numbers[column][row] = value;
          this.missing[column][row] = 0;
        } else this.setSlow(column, buf, start, end);
        return;
      }
      case DATETIME: {
        const value = parseIsoDateBytes(buf, start, end);
        if (value === value) {
          this.numbers[column][row] = value;
          this.missing[column][row] = 0;
        } else this.setSlow(column, buf, start, end);
        return;
      }
      case BOOLEAN: {
        const value = parseBooleanBytes(buf, start, end);
        if (value >= 0) {
          this.numbers[column][row] = value;
          this.missing[column][row] = 0;
        } else this.setSlow(column, buf, start, end);
        return;
      }
      case CATEGORICAL: {
        const interner = this.interners[column] as ByteInterner;
        const value = interner.lookup(buf, start, end);
        if (value !== undefined) this.strings[column][row] = value;
        else this.strings[column][row] = isMissingBytes(buf, start, end) ? null : buf.toString('utf8', start, end);
        return;
      }
      case TEXT:
        this.strings[column][row] = isMissingBytes(buf, start, end) ? null : buf.toString('utf8', start, end);
        return;
      case UTF8:
        (this.utf8[column] as Utf8ColumnBuilder).setBytes(row, buf, start, end);
        return;
      default:
        this.strings[column][row] = buf.toString('utf8', start, end);
    }
  }

  /** A quoted CSV cell with doubled quotes, buf[start, end) inside the quotes: categories decode once per value. */
  setEscapedBytes(column: number, buf: Buffer, start: number, end: number): void {
    if (this.kinds[column] === CATEGORICAL) {
      const interner = (this.escapedInterners[column] ??= new ByteInterner(true));
      const value = interner.lookup(buf, start, end);
      if (value !== undefined) {
        this.strings[column][this.row] = value;
        return;
      }
    }
    this.setText(column, buf.toString('utf8', start, end).replaceAll('""', '"'));
  }

  private setSlow(column: number, buf: Buffer, start: number, end: number): void {
    if (isMissingBytes(buf, start, end)) {
      this.numbers[column][this.row] = NaN;
      this.missing[column][this.row] = 1;
    } else this.setText(column, buf.toString('utf8', start, end));
  }

  /** Sets a cell from text as written in the file (CSV fields with escaped quotes, slow paths). */
  setText(column: number, text: string): void {
    this.setValue(column, text);
  }

  /** Sets a cell from a typed value (JSON Lines, Parquet) or text. */
  setValue(column: number, value: RawValue): void {
    const row = this.row;
    const kind = this.kinds[column];
    if (kind === RAW) {
      this.strings[column][row] = value === null || value === undefined ? null : (value as string);
      return;
    }
    if (kind === UTF8) {
      (this.utf8[column] as Utf8ColumnBuilder).setText(row, toCategory(value));
      return;
    }
    if (kind >= CATEGORICAL) {
      this.strings[column][row] = toCategory(value);
      return;
    }
    const parsed = this.toNumber(kind, value);
    if (parsed === undefined) {
      if (!this.keepInvalid) throw this.clash(column, value);
      this.numbers[column][row] = NaN;
      this.missing[column][row] = INVALID_CELL;
      this.invalid.push({ row, column, text: typeof value === 'string' ? value : JSON.stringify(value) });
      return;
    }
    this.numbers[column][row] = parsed;
    this.missing[column][row] = parsed === parsed ? 0 : 1;
  }

  /** The cell as a number for a numeric kind, NaN when missing, undefined when it does not fit. */
  private toNumber(kind: number, value: RawValue): number | undefined {
    if (value === null || value === undefined) return NaN;
    if (typeof value === 'string') {
      if (isMissingToken(value) || isMissingToken(value.trim())) return NaN;
      if (kind === NUMERICAL) return parseNumberText(value);
      if (kind === BOOLEAN) {
        const b = parseBooleanText(value);
        if (b !== undefined) return b ? 1 : 0;
        const t = value.trim();
        return t === '1' ? 1 : t === '0' ? 0 : undefined;
      }
      const ms = parseIsoDateText(value);
      return ms === ms ? ms : undefined;
    }
    if (typeof value === 'number') {
      if (kind === BOOLEAN) return value === 1 || value === 0 ? value : value !== value ? NaN : undefined;
      return value; // NaN stays missing; for datetime a number is taken as epoch milliseconds
    }
    if (typeof value === 'boolean') return kind === BOOLEAN ? (value ? 1 : 0) : undefined;
    if (value instanceof Date) return kind === DATETIME ? value.getTime() : undefined;
    return undefined;
  }

  private clash(column: number, value: RawValue): DataError {
    const shown = quote(typeof value === 'string' ? value : String(JSON.stringify(value)), 60);
    return new DataError(`expected ${EXPECTED[this.kinds[column]]}, found ${shown}`, {
      file: this.file,
      line: this.line,
      column: this.columns[column].name,
    });
  }

  /** The type the builder converts column `column` to. */
  typeOf(column: number): BuilderColumn['type'] {
    return this.columns[column].type;
  }

  /** Rows that still fit in the current batch. */
  get room(): number {
    return this.batchRows - this.row;
  }

  /**
   * Columnar fast path (Parquet): sets `count` cells of `column`, from the current row on, to values[from, from +
   * count). Plain numbers, bigints, booleans and strings that fit the column are stored without per-cell dispatch;
   * any other cell goes through `toRaw` and setValue, with line = firstLine + its offset for error messages. The rows
   * are ended with commitRows once every column is set.
   */
  setColumn(
    column: number,
    values: ArrayLike<unknown>,
    from: number,
    count: number,
    firstLine: number,
    toRaw: (value: unknown) => RawValue,
  ): void {
    const row0 = this.row;
    const kind = this.kinds[column];
    const slow = (i: number, value: unknown) => {
      this.row = row0 + i;
      this.line = firstLine + i;
      try {
        this.setValue(column, toRaw(value));
      } finally {
        this.row = row0;
      }
    };
    if (kind === NUMERICAL || kind === DATETIME) {
      const numbers = this.numbers[column];
      const missing = this.missing[column];
      for (let i = 0; i < count; i++) {
        const value = values[from + i];
        if (typeof value === 'number') {
          numbers[row0 + i] = value;
          missing[row0 + i] = value === value ? 0 : 1;
        } else if (value === null || value === undefined) {
          numbers[row0 + i] = NaN;
          missing[row0 + i] = 1;
        } else if (typeof value === 'bigint') {
          numbers[row0 + i] = Number(value);
          missing[row0 + i] = 0;
        } else slow(i, value);
      }
    } else if (kind === UTF8) {
      const utf8 = this.utf8[column] as Utf8ColumnBuilder;
      for (let i = 0; i < count; i++) {
        const value = values[from + i];
        if (typeof value === 'string') utf8.setText(row0 + i, isMissingToken(value) ? null : value);
        else if (value === null || value === undefined) utf8.setText(row0 + i, null);
        else slow(i, value);
      }
    } else if (kind === CATEGORICAL || kind === TEXT) {
      const strings = this.strings[column];
      for (let i = 0; i < count; i++) {
        const value = values[from + i];
        if (typeof value === 'string') strings[row0 + i] = isMissingToken(value) ? null : value;
        else if (value === null || value === undefined) strings[row0 + i] = null;
        else slow(i, value);
      }
    } else if (kind === BOOLEAN) {
      const numbers = this.numbers[column];
      const missing = this.missing[column];
      for (let i = 0; i < count; i++) {
        const value = values[from + i];
        if (typeof value === 'boolean') {
          numbers[row0 + i] = value ? 1 : 0;
          missing[row0 + i] = 0;
        } else if (value === null || value === undefined) {
          numbers[row0 + i] = NaN;
          missing[row0 + i] = 1;
        } else slow(i, value);
      }
    } else for (let i = 0; i < count; i++) slow(i, values[from + i]);
  }

  /** Ends `count` rows filled with setColumn, on lines firstLine, firstLine + 1, ...; true when the batch is full. */
  commitRows(count: number, firstLine: number): boolean {
    if (count > this.batchRows - this.row)
      throw new RangeError(`${count} rows do not fit in the batch (${this.batchRows - this.row} left)`);
    const lines = this.lines;
    for (let i = 0; i < count; i++) lines[this.row + i] = firstLine + i;
    this.row += count;
    this.line = firstLine + count - 1;
    return this.row === this.batchRows;
  }

  /** Marks every cell of the current row as missing (columns absent from a JSON object). */
  setMissing(column: number): void {
    const kind = this.kinds[column];
    if (kind <= DATETIME) {
      this.numbers[column][this.row] = NaN;
      this.missing[column][this.row] = 1;
    } else if (kind === UTF8) (this.utf8[column] as Utf8ColumnBuilder).setText(this.row, null);
    else this.strings[column][this.row] = null;
  }

  /** Ends the current row; true when the batch is full and should be taken. */
  commitRow(): boolean {
    this.lines[this.row] = this.line;
    return ++this.row === this.batchRows;
  }

  /** The rows filled so far as a batch; the builder starts a fresh one. */
  take(): RecordBatch {
    const n = this.row;
    const columns: ColumnValues[] = [];
    for (let c = 0; c < this.kinds.length; c++) {
      const kind = this.kinds[c];
      if (kind <= DATETIME) {
        columns.push({ kind: 'number', values: this.numbers[c].subarray(0, n), missing: this.missing[c].subarray(0, n) });
      } else if (kind === UTF8) {
        columns.push((this.utf8[c] as Utf8ColumnBuilder).take(n));
      } else {
        const values = this.strings[c];
        values.length = n;
        columns.push({ kind: 'string', values });
      }
    }
    const batch: RecordBatch = {
      file: this.file,
      rowCount: n,
      firstRowIndex: this.firstRowIndex,
      lines: this.lines.subarray(0, n),
      columns,
    };
    if (this.invalid.length > 0) {
      batch.invalid = this.invalid;
      this.invalid = [];
    }
    if (this.batchByteOffset !== undefined) batch.byteOffset = this.batchByteOffset;
    this.batchByteOffset = undefined;
    this.firstRowIndex += n;
    this.row = 0;
    this.allocate();
    return batch;
  }

  /** Index in the dataset of the next row to be filled. */
  get nextRowIndex(): number {
    return this.firstRowIndex + this.row;
  }
}

function toCategory(value: RawValue): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return isMissingToken(value) ? null : value;
  if (typeof value === 'number') return Number.isNaN(value) ? null : String(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}
