// Reads an expectation's keyword arguments into the types the evaluators need. The rules parsers already checked
// them against the catalog's JSON Schemas; what is left here is what a schema cannot say (dates for datetime
// columns, min <= max, a bound present), each failure naming the rule.
import { UserError } from '#shared/errors.js';
import type { ColumnType } from '#shared/data/types.js';
import { parseIsoDateText } from '#shared/data/value-parsers.js';
import type { StoredColumn } from './pandas-dtype.js';

export interface EvaluatorEnv {
  /** The type a column is read as. */
  columnType(name: string): ColumnType;
  /** What the (first) data file says about a column: its format and Parquet type, for the dtype pandas would give it. */
  storedColumn(name: string): StoredColumn;
  /** Memory this rule may use for exact answers (uniqueness tables, quantile values) before spilling or sketching. */
  budgetBytes: number;
  /** "now" for freshness rules. */
  now: Date;
  /** The rule, for messages: "rule 3 'amount in range' (rules.yml:14)". */
  describe(): string;
  /** A state shared by the rules of one pass under `key` (made by `create` for the first rule asking). */
  shared<T>(key: string, create: () => T): T;
  /** The rows of another data file (expect_table_row_count_to_equal_other_table), its path checked like `data`'s. */
  countRows(path: string): Promise<number>;
}

export type Kwargs = Record<string, unknown>;

/**
 * What Great Expectations raises while validating a rule (e.g. "min_value and max_value cannot both be None" from
 * expect_column_values_to_be_between): the rule is reported as raised (exception_info.raised_exception: true), its
 * success false, and the gate fails, as a GX checkpoint does. The message is GX's exception, class and text.
 */
export class ExpectationRaised extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpectationRaised';
  }
}

export function stringArg(kwargs: Kwargs, name: string, env: EvaluatorEnv): string {
  const value = kwargs[name];
  if (typeof value !== 'string' || value === '') throw new UserError(`${env.describe()}: '${name}' must be a non-empty string.`);
  return value;
}

export function optionalBoolean(kwargs: Kwargs, name: string, fallback: boolean): boolean {
  const value = kwargs[name];
  return typeof value === 'boolean' ? value : fallback;
}

export function stringListArg(kwargs: Kwargs, name: string, env: EvaluatorEnv): string[] {
  const value = kwargs[name];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new UserError(`${env.describe()}: '${name}' must be a list of strings.`);
  return value as string[];
}

export function listArg(kwargs: Kwargs, name: string, env: EvaluatorEnv): unknown[] {
  const value = kwargs[name];
  if (!Array.isArray(value)) throw new UserError(`${env.describe()}: '${name}' must be a list.`);
  return value;
}

export function numberArg(kwargs: Kwargs, name: string, env: EvaluatorEnv): number {
  const value = kwargs[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new UserError(`${env.describe()}: '${name}' must be a number.`);
  return value;
}

/** A bound for values of `type`: numbers as they are, ISO dates as epoch milliseconds for datetime columns. */
export function boundValue(value: unknown, name: string, type: ColumnType, env: EvaluatorEnv): number | undefined {
  if (value === undefined || value === null) return undefined;
  // NaN and ±Infinity are floats in GX (Python's json writes them bare): every comparison with NaN is false.
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (type === 'datetime') {
      const ms = parseIsoDateText(value);
      if (ms === ms) return ms;
    }
    const number = Number(value);
    if (value.trim() !== '' && Number.isFinite(number)) return number;
  }
  const expected = type === 'datetime' ? 'an ISO 8601 date or timestamp' : 'a number';
  throw new UserError(`${env.describe()}: '${name}' must be ${expected} (or null for no bound), got ${JSON.stringify(value)}.`);
}

export interface Range {
  min?: number;
  max?: number;
  strictMin: boolean;
  strictMax: boolean;
}

/** What GX does with a range that has no bound or whose min_value > max_value. */
export interface RangeChecks {
  /** GX raises this while validating when both bounds are null (map rules); else the rule holds (vacuous truth). */
  bothNull?: string;
  /** GX raises this while validating when min_value > max_value; else the rule is judged (and fails). */
  reversed?: string;
}

/**
 * GX's min_value / max_value / strict_min / strict_max. Both null holds (GX 1.x: every value is "between" no bounds,
 * e.g. expect_column_mean_to_be_between's _validate_metric_value_between); the map rules raise as GX does.
 */
export function rangeArgs(kwargs: Kwargs, type: ColumnType, env: EvaluatorEnv, checks: RangeChecks = {}): Range {
  const min = boundValue(kwargs.min_value, 'min_value', type, env);
  const max = boundValue(kwargs.max_value, 'max_value', type, env);
  if (min === undefined && max === undefined && checks.bothNull) throw new ExpectationRaised(checks.bothNull);
  if (min !== undefined && max !== undefined && min > max && checks.reversed) throw new ExpectationRaised(checks.reversed);
  return { min, max, strictMin: optionalBoolean(kwargs, 'strict_min', false), strictMax: optionalBoolean(kwargs, 'strict_max', false) };
}

export function inRange(value: number, range: Range): boolean {
  if (range.min !== undefined && (range.strictMin ? !(value > range.min) : !(value >= range.min))) return false;
  if (range.max !== undefined && (range.strictMax ? !(value < range.max) : !(value <= range.max))) return false;
  return true;
}

/** The column a column expectation is about. */
export function columnArg(kwargs: Kwargs, env: EvaluatorEnv): string {
  return stringArg(kwargs, 'column', env);
}
