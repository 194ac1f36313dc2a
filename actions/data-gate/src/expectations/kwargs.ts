// Reads an expectation's keyword arguments into the types the evaluators need. The rules parsers already checked
// them against the catalog's JSON Schemas; what is left here is what a schema cannot say (dates for datetime
// columns, min <= max, a bound present), each failure naming the rule.
import { UserError } from '#shared/errors.js';
import type { ColumnType } from '#shared/data/types.js';
import { parseIsoDateText } from '#shared/data/value-parsers.js';

export interface EvaluatorEnv {
  /** The type a column is read as. */
  columnType(name: string): ColumnType;
  /** Memory this rule may use for exact answers (uniqueness tables, quantile values) before spilling or sketching. */
  budgetBytes: number;
  /** "now" for freshness rules. */
  now: Date;
  /** The rule, for messages: "rule 3 'amount in range' (rules.yml:14)". */
  describe(): string;
  /** A state shared by the rules of one pass under `key` (made by `create` for the first rule asking). */
  shared<T>(key: string, create: () => T): T;
}

export type Kwargs = Record<string, unknown>;

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
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new UserError(`${env.describe()}: '${name}' must be a list of strings.`);
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
  if (typeof value === 'number' && !Number.isNaN(value)) return value;
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

/** GX's min_value / max_value / strict_min / strict_max; at least one bound, and min <= max. */
export function rangeArgs(kwargs: Kwargs, type: ColumnType, env: EvaluatorEnv, optionalBoth = false): Range {
  const min = boundValue(kwargs.min_value, 'min_value', type, env);
  const max = boundValue(kwargs.max_value, 'max_value', type, env);
  if (min === undefined && max === undefined && !optionalBoth)
    throw new UserError(`${env.describe()}: give 'min_value', 'max_value' or both (GX refuses a range with neither).`);
  if (min !== undefined && max !== undefined && min > max)
    throw new UserError(`${env.describe()}: 'min_value' (${String(kwargs.min_value)}) is greater than 'max_value' (${String(kwargs.max_value)}).`);
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
