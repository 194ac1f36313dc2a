// The dtype pandas gives a column, which is what GX on pandas judges type, length and date-format rules by: read_csv's
// inference over every cell of a CSV column (int64, float64, bool or object), and pyarrow's to_pandas mapping of a
// Parquet column's type (TIMESTAMP -> datetime64[ns], DATE -> object of datetime.date, INT64 with nulls -> float64).
// Also str() of a value under that dtype (GX's value lengths are column.astype(str).str.len()). Reference values:
// test/fixtures/data-gate/gx-dtypes/make_dtypes.py (pandas 1.5.3, numpy 1.24).
import type { DataFormat } from '#shared/data/types.js';

/** What the file says about a column: its format and, for Parquet, the schema element. */
export interface StoredColumn {
  format: DataFormat;
  parquet?: { type?: string; converted_type?: string; logical_type?: { type: string; [key: string]: unknown } };
}

/** Python types of the values of an object column. */
export type ObjectValues = 'str' | 'bool' | 'date' | 'time' | 'Decimal' | 'bytes';

export interface PandasDtype {
  /** str(dtype): int64, float64, bool, object, datetime64[ns], datetime64[ns, UTC]. */
  name: string;
  /** dtype.type.__name__ with numpy 1.x: int64, float64, bool_, object_, datetime64, Timestamp. */
  scalar: string;
  /** The Python type of every value of an object column. */
  values?: ObjectValues;
}

/** np.dtype(...).str of a dtype (what in_type_list compares); undefined for tz-aware datetimes (an extension dtype). */
export function dtypeStr(d: PandasDtype): string | undefined {
  if (d.scalar === 'Timestamp') return undefined;
  if (d.scalar === 'datetime64') return '<M8[ns]';
  if (d.scalar === 'object_') return '|O';
  if (d.scalar === 'bool_') return '|b1';
  const match = /^(u?int|float)(\d+)$/.exec(d.scalar);
  if (!match) return undefined;
  const bytes = Number(match[2]) / 8;
  return `${bytes === 1 ? '|' : '<'}${match[1] === 'float' ? 'f' : match[1] === 'uint' ? 'u' : 'i'}${bytes}`;
}

/** A Parquet DATE column: pandas holds datetime.date objects, which GX's min/max and between cannot compare. */
export function isParquetDate(stored: StoredColumn): boolean {
  const p = stored.parquet;
  return p !== undefined && (p.logical_type?.type === 'DATE' || p.converted_type === 'DATE');
}

const dtype = (name: string, scalar: string, values?: ObjectValues): PandasDtype => ({ name, scalar, ...(values ? { values } : {}) });
const OBJECT_STR = dtype('object', 'object_', 'str');

/** read_csv's numbers and booleans (the C parser's defaults: true_values True/TRUE/true). */
const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity)$/i;
const BOOLEANS = new Set(['True', 'TRUE', 'true', 'False', 'FALSE', 'false']);

/**
 * Follows one column's cells through a pass and says, at the end, the dtype pandas gives it. For CSV (and JSON Lines,
 * read the same way here) the answer needs every cell: one null makes an integer column float64 and a boolean one
 * object; the first cell that is neither number nor boolean settles it as object, after which cells are not looked at.
 */
export class PandasColumn {
  private nulls = false;
  private values = false;
  private integers = true;
  private numbers = true;
  private booleans = true;
  /** datetime columns: any value off midnight, any with milliseconds (pandas' str() of the column shows them). */
  offMidnight = false;
  fractional = false;

  constructor(readonly stored: StoredColumn) {}

  /** Whether the dtype is settled whatever cells come (object from text, or a Parquet type). */
  get settled(): boolean {
    return this.stored.format === 'parquet' ? !this.isParquetTime() && !this.isParquetNullable() : !this.numbers && !this.booleans;
  }

  private isParquetTime(): boolean {
    const p = this.stored.parquet;
    return p !== undefined && (p.type === 'INT96' || p.logical_type?.type === 'TIMESTAMP' || /^TIMESTAMP_/.test(p.converted_type ?? ''));
  }

  /** Parquet integers and booleans change dtype when a null appears. */
  private isParquetNullable(): boolean {
    const p = this.stored.parquet;
    return p !== undefined && (p.type === 'BOOLEAN' || parquetInteger(p) !== undefined);
  }

  /** One cell: null, or its text as read (a Parquet time column's ISO text, or epoch milliseconds in `ms`). */
  observe(text: string | null, ms?: number): void {
    if (text === null) {
      this.nulls = true;
      return;
    }
    this.values = true;
    if (this.isParquetTime()) {
      ms ??= Date.parse(text);
      if (ms % 86400000 !== 0) this.offMidnight = true;
      if (ms % 1000 !== 0) this.fractional = true;
      return;
    }
    if (this.stored.format === 'parquet' || (!this.numbers && !this.booleans)) return;
    if (this.integers && !INTEGER.test(text)) this.integers = false;
    if (this.numbers && !this.integers && !FLOAT.test(text)) this.numbers = false;
    if (this.booleans && !BOOLEANS.has(text)) this.booleans = false;
  }

  /** Whether any cell had a value. */
  get hasValues(): boolean {
    return this.values;
  }

  dtype(): PandasDtype {
    if (this.stored.format === 'parquet' && this.stored.parquet) return this.parquetDtype(this.stored.parquet);
    // An empty column (every cell null) is float64 in read_csv.
    if (!this.values) return dtype('float64', 'float64');
    if (this.booleans) return this.nulls ? dtype('object', 'object_', 'bool') : dtype('bool', 'bool_');
    if (this.integers && !this.nulls) return dtype('int64', 'int64');
    if (this.numbers) return dtype('float64', 'float64');
    return OBJECT_STR;
  }

  private parquetDtype(p: NonNullable<StoredColumn['parquet']>): PandasDtype {
    const logical = p.logical_type?.type;
    if (this.isParquetTime()) {
      // Only a TIMESTAMP logical type adjusted to UTC reads as tz-aware (legacy converted types read as naive).
      const utc = logical === 'TIMESTAMP' && p.logical_type?.isAdjustedToUTC === true;
      return utc ? dtype('datetime64[ns, UTC]', 'Timestamp') : dtype('datetime64[ns]', 'datetime64');
    }
    if (logical === 'DATE' || p.converted_type === 'DATE') return dtype('object', 'object_', 'date');
    if (logical === 'TIME' || /^TIME_/.test(p.converted_type ?? '')) return dtype('object', 'object_', 'time');
    if (logical === 'DECIMAL' || p.converted_type === 'DECIMAL') return dtype('object', 'object_', 'Decimal');
    if (p.type === 'BOOLEAN') return this.nulls ? dtype('object', 'object_', 'bool') : dtype('bool', 'bool_');
    const integer = parquetInteger(p);
    if (integer) return this.nulls ? dtype('float64', 'float64') : dtype(integer, integer);
    if (p.type === 'FLOAT') return dtype('float32', 'float32');
    if (p.type === 'DOUBLE') return dtype('float64', 'float64');
    const text = logical === 'STRING' || logical === 'JSON' || logical === 'ENUM' || /^(UTF8|JSON|ENUM)$/.test(p.converted_type ?? '');
    return text ? OBJECT_STR : dtype('object', 'object_', 'bytes');
  }

  /**
   * str() of a value under the column's final dtype, as column.astype(str) writes it: `text` is the cell as read
   * (the CSV text, a Parquet number's digits, a time column's epoch ms in `ms`).
   */
  pandasText(text: string, final: PandasDtype, ms?: number): string {
    if (final.scalar === 'datetime64' || final.scalar === 'Timestamp')
      return datetimeText(ms ?? Date.parse(text), this, final.scalar === 'Timestamp');
    if (final.values === 'date') return datetimeText(ms ?? Date.parse(text), { offMidnight: false, fractional: false }, false);
    if (final.scalar === 'bool_' || final.values === 'bool') return /^t/i.test(text) ? 'True' : 'False';
    if (/^u?int/.test(final.scalar)) return integerText(text);
    if (final.scalar === 'float64' || final.scalar === 'float32') return pythonFloatRepr(Number(text));
    return text;
  }
}

function parquetInteger(p: NonNullable<StoredColumn['parquet']>): string | undefined {
  const logical = p.logical_type;
  if (logical?.type === 'INTEGER') return `${logical.isSigned === false ? 'uint' : 'int'}${String(logical.bitWidth)}`;
  if (logical !== undefined || (p.converted_type !== undefined && !/^U?INT_/.test(p.converted_type))) return undefined;
  const converted = /^(U?)INT_(\d+)$/.exec(p.converted_type ?? '');
  if (converted) return `${converted[1] ? 'uint' : 'int'}${converted[2]}`;
  return p.type === 'INT32' ? 'int32' : p.type === 'INT64' ? 'int64' : undefined;
}

/** str(int(text)): no sign for positives, no leading zeros. */
function integerText(text: string): string {
  const negative = text.startsWith('-');
  const digits = text.replace(/^[+-]/, '').replace(/^0+(?=\d)/, '');
  return negative && digits !== '0' ? `-${digits}` : digits;
}

/** Python's repr(float): the shortest round-trip digits, exponent form below 1e-4 and from 1e16, '.0' on integers. */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa, exp] = value.toExponential().split('e');
  const exponent = Number(exp);
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = value < 0 ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const e = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${e}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction || '0'}`;
}

/**
 * A datetime64 column's str(): dates alone when every value is at midnight, else seconds, with milliseconds when any
 * value has them (pandas formats a column with one precision); '+00:00' for tz-aware UTC columns.
 */
function datetimeText(ms: number, column: { offMidnight: boolean; fractional: boolean }, utc: boolean): string {
  const iso = new Date(ms).toISOString();
  if (!column.offMidnight && !utc) return iso.slice(0, 10);
  const text = `${iso.slice(0, 10)} ${iso.slice(11, column.fractional ? 23 : 19)}`;
  return utc ? `${text}+00:00` : text;
}
