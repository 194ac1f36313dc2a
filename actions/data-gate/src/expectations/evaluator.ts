// What the validation pass asks of each expectation: row rules mark every row of a batch as expected, unexpected or
// ignored (null); aggregate rules fold batches into one observed value; table rules look only at the table's shape.
// The pass streams batches once and hands each rule a BatchContext, which gives columns as numbers or as text.
import { INVALID_CELL, type ColumnType, type RecordBatch, type Utf8Column } from '#shared/data/types.js';
import { cellDecoder, decodeCells, type CellDecoder } from '#shared/data/utf8-cells.js';
import { parseBooleanText, parseIsoDateText, parseNumberText } from '#shared/data/value-parsers.js';
import { numberKey, stringKey, utf8Key, type Key64 } from './value-hash.js';

/** Row status codes a row rule writes for each row of a batch. */
export const EXPECTED = 0;
export const UNEXPECTED = 1;
/** Not counted (GX: nulls are left out of map expectations, and ignore_row_if rows out of pair rules). */
export const IGNORED = 2;

/** A column as numbers: values plus a mask (0 present, 1 missing, INVALID_CELL = present but not a number/date). */
export interface NumberView {
  values: Float64Array;
  missing: Uint8Array;
}

/** 64-bit keys (value-hash.ts) of a column's cells, one per row (see BatchContext.keys). */
export interface ValueKeys {
  hi: Uint32Array;
  lo: Uint32Array;
}

/** A value as reports show it: what the file says (the raw text for a cell that did not fit its type). */
export type ReportedValue = string | number | boolean | null;

export interface ColumnRead {
  name: string;
  /** The type the column is read as (inferred, declared in the rules file, or text where rules need the text). */
  type: ColumnType;
}

/** One batch, as rules see it. Views of other types are derived on demand, once per batch. */
export class BatchContext {
  private readonly numberViews = new Map<number, NumberView>();
  private readonly stringViews = new Map<number, (string | null)[]>();
  private readonly invalidText = new Map<number, Map<number, string>>();
  private readonly nullFlags = new Map<number, Uint8Array>();
  private readonly keyViews = new Map<number, ValueKeys>();
  private readonly decoders = new Map<number, CellDecoder>();

  constructor(
    readonly batch: RecordBatch,
    private readonly reads: readonly ColumnRead[],
    private readonly index: ReadonlyMap<string, number>,
    /** For a batch of the rows a row_condition kept: each row's 0-based index in the dataset. */
    readonly rowMap?: Float64Array,
  ) {
    for (const cell of batch.invalid ?? []) {
      let byRow = this.invalidText.get(cell.column);
      if (!byRow) this.invalidText.set(cell.column, (byRow = new Map()));
      byRow.set(cell.row, cell.text);
    }
  }

  get rowCount(): number {
    return this.batch.rowCount;
  }

  /** The 0-based dataset index of row `i` of this batch. */
  rowIndex(i: number): number {
    return this.rowMap ? this.rowMap[i] : this.batch.firstRowIndex + i;
  }

  /** The columns read and their index, to build a batch of some of these rows (row-filter.ts). */
  get layout(): { reads: readonly ColumnRead[]; index: ReadonlyMap<string, number> } {
    return { reads: this.reads, index: this.index };
  }

  private columnIndex(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`column '${name}' was not read`);
    return i;
  }

  typeOf(name: string): ColumnType {
    return this.reads[this.columnIndex(name)].type;
  }

  /** The column as numbers: numerical, datetime (epoch ms) and boolean (0/1) as read; text parsed as numbers. */
  numbers(name: string): NumberView {
    const c = this.columnIndex(name);
    const column = this.batch.columns[c];
    if (column.kind === 'number') return column;
    let view = this.numberViews.get(c);
    if (!view) {
      const n = this.batch.rowCount;
      view = { values: new Float64Array(n), missing: new Uint8Array(n) };
      const texts = this.strings(name);
      for (let i = 0; i < n; i++) {
        const text = texts[i];
        if (text === null) {
          view.values[i] = NaN;
          view.missing[i] = 1;
          continue;
        }
        // A column read as text for a rule that judges text as written (strftime, regex) but declared datetime or
        // boolean in the rules file: the other rules see it as the declared type.
        const type = this.reads[c].type;
        const value = type === 'datetime' ? parseIsoDateText(text) : type === 'boolean' ? booleanNumber(text) : parseNumberText(text);
        if (value === undefined || value !== value) {
          view.values[i] = NaN;
          view.missing[i] = INVALID_CELL;
          // Reports say the cell is not a number (a text column read as numbers: type inference saw words in it).
          let byRow = this.invalidText.get(c);
          if (!byRow) this.invalidText.set(c, (byRow = new Map()));
          byRow.set(i, text);
        } else view.values[i] = value;
      }
      this.numberViews.set(c, view);
    }
    return view;
  }

  /** The column as text: strings as read; numbers, booleans and dates written back (raw text where invalid). */
  strings(name: string): (string | null)[] {
    const c = this.columnIndex(name);
    const column = this.batch.columns[c];
    if (column.kind === 'string') return column.values;
    let view = this.stringViews.get(c);
    if (view) return view;
    if (column.kind === 'utf8') view = decodeCells(column);
    else {
      const type = this.reads[c].type;
      const invalid = this.invalidText.get(c);
      view = new Array<string | null>(this.batch.rowCount);
      for (let i = 0; i < view.length; i++) {
        const m = column.missing[i];
        if (m === 1) view[i] = null;
        else if (m === INVALID_CELL) view[i] = invalid?.get(i) ?? '';
        else view[i] = formatNumberCell(column.values[i], type);
      }
    }
    this.stringViews.set(c, view);
    return view;
  }

  /** 1 where the cell is missing (null), else 0: one flag per row of the batch, computed once per column. */
  nulls(name: string): Uint8Array {
    const c = this.columnIndex(name);
    let flags = this.nullFlags.get(c);
    if (!flags) {
      const column = this.batch.columns[c];
      flags = new Uint8Array(this.batch.rowCount);
      if (column.kind === 'number') for (let i = 0; i < flags.length; i++) flags[i] = column.missing[i] === 1 ? 1 : 0;
      else if (column.kind === 'utf8') flags = column.missing;
      else for (let i = 0; i < flags.length; i++) flags[i] = column.values[i] === null ? 1 : 0;
      this.nullFlags.set(c, flags);
    }
    return flags;
  }

  /** The column's UTF-8 bytes when it was read as bytes (text columns, see OpenOptions.textAsUtf8). */
  utf8(name: string): Utf8Column | undefined {
    const column = this.batch.columns[this.columnIndex(name)];
    return column.kind === 'utf8' ? column : undefined;
  }

  /**
   * The column's cells as 64-bit keys of their values (uniqueness, distinct counts, compound keys): numbers by their
   * bits, a cell that did not fit its type by its text, text hashed from the bytes when the column was read as bytes,
   * else from the strings (both give a value the same key). Null cells get the key of NaN, so nulls are alike
   * whatever the column's type; rules that leave nulls out ask nulls(). Cells that are not valid UTF-8 are keyed by
   * their bytes as written: two different bad bytes are two values, though both decode to U+FFFD.
   */
  keys(name: string): ValueKeys {
    const c = this.columnIndex(name);
    let keys = this.keyViews.get(c);
    if (keys) return keys;
    const n = this.batch.rowCount;
    const hi = new Uint32Array(n);
    const lo = new Uint32Array(n);
    const key: Key64 = { hi: 0, lo: 0 };
    const column = this.batch.columns[c];
    // One loop per kind of column: the per-row work is a few operations, a branch on the kind would be one more.
    if (column.kind === 'number') {
      const { values, missing } = column;
      for (let i = 0; i < n; i++) {
        if (missing[i] === INVALID_CELL) stringKey(this.invalidValue(name, i) ?? '', key);
        else numberKey(missing[i] === 1 ? NaN : values[i], key);
        hi[i] = key.hi;
        lo[i] = key.lo;
      }
    } else if (column.kind === 'utf8') {
      const { data, offsets, missing } = column;
      for (let i = 0; i < n; i++) {
        if (missing[i] === 1) numberKey(NaN, key);
        else utf8Key(data, offsets[i], offsets[i + 1], key);
        hi[i] = key.hi;
        lo[i] = key.lo;
      }
    } else {
      const texts = column.values;
      for (let i = 0; i < n; i++) {
        const text = texts[i];
        if (text === null) numberKey(NaN, key);
        else stringKey(text, key);
        hi[i] = key.hi;
        lo[i] = key.lo;
      }
    }
    keys = { hi, lo };
    this.keyViews.set(c, keys);
    return keys;
  }

  /** The cell as reports show it. */
  value(name: string, row: number): ReportedValue {
    const c = this.columnIndex(name);
    const column = this.batch.columns[c];
    if (column.kind === 'string') return column.values[row];
    if (column.kind === 'utf8') {
      let decode = this.decoders.get(c);
      if (!decode) this.decoders.set(c, (decode = cellDecoder(column)));
      return decode(row);
    }
    const m = column.missing[row];
    if (m === 1) return null;
    if (m === INVALID_CELL) return this.invalidText.get(c)?.get(row) ?? null;
    const type = this.reads[c].type;
    if (type === 'boolean') return column.values[row] === 1;
    if (type === 'datetime') return formatNumberCell(column.values[row], type);
    return column.values[row];
  }

  /** The raw text of a cell that did not fit its column's type, if it is one. */
  invalidValue(name: string, row: number): string | undefined {
    return this.invalidText.get(this.columnIndex(name))?.get(row);
  }
}

function booleanNumber(text: string): number | undefined {
  const value = parseBooleanText(text);
  return value === undefined ? undefined : value ? 1 : 0;
}

function formatNumberCell(value: number, type: ColumnType): string {
  if (type === 'boolean') return value === 1 ? 'true' : 'false';
  if (type === 'datetime') {
    const iso = new Date(value).toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  return String(value);
}

/** A row rule: one status per row (EXPECTED, UNEXPECTED, IGNORED). */
export interface RowEvaluator {
  kind: 'row';
  /** Columns whose values reports show for a failing row. */
  columns: readonly string[];
  evaluate(ctx: BatchContext, status: Uint8Array): void;
  /**
   * Rules that only know their unexpected rows at the end (uniqueness): the 0-based dataset row indices, ascending.
   * Rows evaluate() marked are counted as they come; these are added at the end.
   */
  lateUnexpectedRows?(): Promise<Iterable<number>>;
  /** Extra facts for the result (e.g. how uniqueness was computed). */
  details?(): Record<string, unknown>;
  /**
   * A verdict on the whole column instead of its rows, known at the end (GX on pandas judges a type rule by the
   * column's dtype unless it is object): the result is then {observed_value}, as an aggregate's. Undefined: by rows.
   */
  columnVerdict?(): { success: boolean; observed_value: unknown } | undefined;
  /** Temp files and the like. */
  dispose?(): Promise<void>;
}

/** What an aggregate or table rule found. */
export interface AggregateOutcome {
  success: boolean;
  observed_value: unknown;
  /** Rows and nulls of the column, for column aggregates. */
  element_count?: number;
  missing_count?: number;
  details?: Record<string, unknown>;
}

export interface AggregateEvaluator {
  kind: 'aggregate';
  columns: readonly string[];
  update(ctx: BatchContext): void;
  /** Asynchronous work before finish() (reading spilled partitions). */
  prepare?(): Promise<void>;
  finish(): AggregateOutcome;
  dispose?(): Promise<void>;
}

/** The table's shape, known from the header and the row count. */
export interface TableFacts {
  columns: readonly string[];
  rows: number;
}

export interface TableEvaluator {
  kind: 'table';
  columns: readonly string[];
  /** Asynchronous work before finish() (counting another table's rows). */
  prepare?(): Promise<void>;
  finish(table: TableFacts): AggregateOutcome;
}

export type Evaluator = RowEvaluator | AggregateEvaluator | TableEvaluator;
