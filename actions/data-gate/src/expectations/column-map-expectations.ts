// Column map expectations: a verdict for every row from that row's value in one column, as GX's
// expect_column_values_* do. Nulls are IGNORED (GX leaves them out of the count `mostly` applies to), except in the
// null checks themselves; a value that does not fit the column's type is UNEXPECTED, never a crash.
import { Ajv, type ValidateFunction } from 'ajv';
import { UserError } from '#shared/errors.js';
import { INVALID_CELL } from '#shared/data/types.js';
import { codePointLengthAt } from '#shared/data/utf8-cells.js';
import { isParseableDate, strftimeMatcher } from './date-formats.js';
import { DuplicateFinder } from './duplicate-finder.js';
import { EXPECTED, IGNORED, UNEXPECTED, type BatchContext, type RowEvaluator } from './evaluator.js';
import {
  columnArg,
  ExpectationRaised,
  inRange,
  numberArg,
  optionalBoolean,
  rangeArgs,
  stringArg,
  stringListArg,
  type EvaluatorEnv,
  type Kwargs,
} from './kwargs.js';
import { regexRule } from './regex-rule.js';
import { compileSafeRegex } from './safe-regex.js';
import { isNumberType, valueSetArg } from './value-sets.js';
import { dtypeStr, isParquetDate, PandasColumn, type PandasDtype } from './pandas-dtype.js';
import { dtypeMatches, isRecognized, resolveTypeName, scalarMatches, valuesMatch } from './numpy-type-names.js';
import { RowBitset } from '../validate/row-bitset.js';

type RowFactory = (kwargs: Kwargs, env: EvaluatorEnv) => RowEvaluator;

/** A rule judging each non-null value as a number (numbers, epoch ms for dates, 0/1 for booleans). */
function numberRule(column: string, test: (value: number) => boolean): RowEvaluator {
  return {
    kind: 'row',
    columns: [column],
    evaluate(ctx, status) {
      const { values, missing } = ctx.numbers(column);
      for (let i = 0; i < status.length; i++) {
        const m = missing[i];
        status[i] = m === 1 ? IGNORED : m === INVALID_CELL ? UNEXPECTED : test(values[i]) ? EXPECTED : UNEXPECTED;
      }
    },
  };
}

/** A rule judging each non-null value by its text. */
function textRule(column: string, test: (text: string) => boolean): RowEvaluator {
  return {
    kind: 'row',
    columns: [column],
    evaluate(ctx, status) {
      const values = ctx.strings(column);
      for (let i = 0; i < status.length; i++) {
        const v = values[i];
        status[i] = v === null ? IGNORED : test(v) ? EXPECTED : UNEXPECTED;
      }
    },
  };
}

/**
 * GX measures str() of each value as pandas holds it (column.astype(str).str.len(), metrics/column_map_metrics/
 * column_value_lengths.py, _pandas_function): text as written, but 7 for a CSV's "007" in an int64 column, "1.0" where
 * one null makes it float64, "2001-01-01 00:01:00" for a timestamp. The dtype is known at the end, so rows are judged
 * then: each row's verdict is kept, one bit a row, under each dtype the column may still turn out to have.
 */
function lengthRule(column: string, accept: (length: number) => boolean, env: EvaluatorEnv): RowEvaluator {
  const pandas = new PandasColumn(env.storedColumn(column));
  const written = new RowBitset();
  const asInteger = new RowBitset();
  const asFloat = new RowBitset();
  const present = new RowBitset();
  const probe: PandasDtype = { scalar: 'int64', name: 'int64' };
  const floatProbe: PandasDtype = { scalar: 'float64', name: 'float64' };
  return {
    kind: 'row',
    columns: [column],
    evaluate(ctx, status) {
      const bytes = ctx.utf8(column);
      const texts = bytes && pandas.settled && pandas.dtype().values === 'str' ? undefined : ctx.strings(column);
      const nulls = ctx.nulls(column);
      for (let i = 0; i < status.length; i++) {
        if (nulls[i] === 1) {
          status[i] = IGNORED;
          if (texts) pandas.observe(null);
          continue;
        }
        status[i] = EXPECTED;
        const row = ctx.rowIndex(i);
        present.set(row);
        const text = texts ? (texts[i] as string) : undefined;
        const length = text === undefined ? codePointLengthAt(bytes!, i) : codePointLength(text);
        if (!accept(length)) written.set(row);
        if (text === undefined) continue;
        pandas.observe(text);
        if (pandas.settled && pandas.dtype().values === 'str') continue;
        if (!accept(codePointLength(pandas.pandasText(text, probe)))) asInteger.set(row);
        if (!accept(codePointLength(pandas.pandasText(text, floatProbe)))) asFloat.set(row);
      }
    },
    lateUnexpectedRows: async () => {
      const final = pandas.dtype();
      if (final.scalar === 'datetime64' || final.scalar === 'Timestamp' || final.values === 'date') {
        // One format for the whole column: every value has the same length.
        const first = firstRow(present);
        return first === undefined || accept(pandas.pandasText(sampleTime, final, 0).length) ? [] : rowsOf(present);
      }
      if (/^u?int/.test(final.scalar)) return rowsOf(asInteger);
      if (/^float/.test(final.scalar)) return rowsOf(asFloat);
      return rowsOf(written);
    },
    details: () => ({ pandas_dtype: pandas.dtype().name }),
  };
}

const sampleTime = '1970-01-01T00:00:00.000Z';

function firstRow(set: RowBitset): number | undefined {
  const words = set.words;
  for (let w = 0; w < words.length; w++) if (words[w] !== 0) return w * 32 + (31 - Math.clz32(words[w] & -words[w]));
  return undefined;
}

/** The rows set in `set`, ascending. */
function rowsOf(set: RowBitset): Float64Array {
  const out = new Float64Array(set.count);
  const words = set.words;
  let k = 0;
  for (let w = 0; w < words.length && k < out.length; w++) {
    let word = words[w];
    while (word !== 0) {
      const low = word & -word;
      out[k++] = w * 32 + (31 - Math.clz32(low));
      word ^= low;
    }
  }
  return out;
}

/** Length in code points, as Python's len() counts. */
function codePointLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

function setRule(kwargs: Kwargs, env: EvaluatorEnv, wanted: boolean): RowEvaluator {
  const column = columnArg(kwargs, env);
  const type = env.columnType(column);
  // GX: "if value_set is None: # Vacuously true" (metrics/column_map_metrics/column_values_in_set.py, _not_in_set.py).
  if (kwargs.value_set === null) return nullRule(column, false, true);
  const { numbers, texts } = valueSetArg(kwargs, type, env);
  return isNumberType(type) ? numberRule(column, (v) => numbers.has(v) === wanted) : textRule(column, (t) => texts.has(t) === wanted);
}

/**
 * GX on pandas judges a type rule by the column's dtype (expect_column_values_to_be_of_type.py and
 * _in_type_list.py, _validate and _validate_pandas): {observed_value: dtype.type.__name__}. Only on an object column
 * (and for of_type unless the type is object/object_/O) does it judge each value, with isinstance
 * (metrics/column_map_metrics/column_values_of_type.py, column_values_in_type_list.py), raising a ValueError when no
 * name is recognized. The values of an object column all have one Python type here, so rows all pass or all fail.
 */
function typeRule(column: string, typeNames: string[], list: boolean, env: EvaluatorEnv): RowEvaluator {
  const pandas = new PandasColumn(env.storedColumn(column));
  const types = typeNames.map(resolveTypeName);
  const present = new RowBitset();
  const byValue = () => pandas.dtype().scalar === 'object_' && (list || !['object', 'object_', 'O'].includes(typeNames[0]));
  return {
    kind: 'row',
    columns: [column],
    evaluate(ctx, status) {
      const nulls = ctx.nulls(column);
      const texts = pandas.settled ? undefined : ctx.strings(column);
      for (let i = 0; i < status.length; i++) {
        if (texts) pandas.observe(texts[i]);
        if (nulls[i] === 1) status[i] = IGNORED;
        else {
          status[i] = EXPECTED;
          present.set(ctx.rowIndex(i));
          if (!texts) pandas.observe('');
        }
      }
    },
    columnVerdict() {
      if (byValue()) return undefined;
      const dtype = pandas.dtype();
      const success = list ? dtypeMatches(types, dtypeStr(dtype)) : scalarMatches(types, dtype.scalar);
      return { success, observed_value: dtype.scalar };
    },
    lateUnexpectedRows: async () => {
      if (!byValue()) return [];
      if (!types.some(isRecognized))
        throw new ExpectationRaised(
          list
            ? `ValueError: No recognized numpy/python type in list: [${typeNames.map((t) => `'${t}'`).join(', ')}]`
            : `ValueError: Unrecognized numpy/python type: ${typeNames[0]}`,
        );
      return valuesMatch(types, pandas.dtype().values ?? 'str') ? [] : rowsOf(present);
    },
    details: () => ({ pandas_dtype: pandas.dtype().name }),
  };
}

/**
 * GX's strftime and dateutil rules take strings only: on a column pandas holds as anything else (numbers or
 * booleans read_csv inferred, a Parquet timestamp or date) they raise this TypeError at the first value
 * (metrics/column_map_metrics/column_values_match_strftime_format.py and column_values_dateutil_parseable.py, _pandas).
 */
function stringValuesRule(kwargs: Kwargs, env: EvaluatorEnv, expectation: string, test: (text: string) => boolean): RowEvaluator {
  const column = columnArg(kwargs, env);
  const pandas = new PandasColumn(env.storedColumn(column));
  const byText = textRule(column, test);
  return {
    ...byText,
    evaluate(ctx, status) {
      const texts = ctx.strings(column);
      if (!pandas.settled) for (const text of texts) pandas.observe(text);
      else if (!pandas.hasValues && texts.some((t) => t !== null)) pandas.observe('');
      const dtype = pandas.dtype();
      if (pandas.settled && pandas.hasValues && dtype.values !== 'str') throw notStrings(expectation);
      byText.evaluate(ctx, status);
    },
    lateUnexpectedRows: async () => {
      if (pandas.hasValues && pandas.dtype().values !== 'str') throw notStrings(expectation);
      return [];
    },
  };
}

/** A rule GX raises on at its first non-null value. */
function raiseOnValue(column: string, message: string): RowEvaluator {
  return {
    kind: 'row',
    columns: [column],
    evaluate(ctx, status) {
      const nulls = ctx.nulls(column);
      if (nulls.includes(0)) throw new ExpectationRaised(message);
      status.fill(IGNORED);
    },
  };
}

function notStrings(expectation: string): ExpectationRaised {
  return new ExpectationRaised(
    `TypeError: Values passed to ${expectation} must be of type string.\nIf you want to validate a column of dates or timestamps, please call the expectation before converting from string format.`,
  );
}

/** GX's increasing/decreasing: each non-null value against the previous non-null one, across batches. */
function monotonicRule(kwargs: Kwargs, env: EvaluatorEnv, direction: 1 | -1): RowEvaluator {
  const column = columnArg(kwargs, env);
  const strictly = optionalBoolean(kwargs, 'strictly', false);
  let previous = NaN;
  return {
    kind: 'row',
    columns: [column],
    evaluate(ctx, status) {
      const { values, missing } = ctx.numbers(column);
      for (let i = 0; i < status.length; i++) {
        const m = missing[i];
        if (m === 1) {
          status[i] = IGNORED;
          continue;
        }
        if (m === INVALID_CELL) {
          status[i] = UNEXPECTED;
          continue;
        }
        const v = values[i];
        if (previous !== previous) status[i] = EXPECTED;
        else {
          const step = (v - previous) * direction;
          status[i] = strictly ? (step > 0 ? EXPECTED : UNEXPECTED) : step >= 0 ? EXPECTED : UNEXPECTED;
        }
        previous = v;
      }
    },
  };
}

/** Nulls expected (to_be_null) or unexpected (to_not_be_null); every row counts (nulls left out when `skipNulls`). */
function nullRule(column: string, wantNull: boolean, skipNulls = false): RowEvaluator {
  const [ifNull, ifValue] = wantNull ? [EXPECTED, UNEXPECTED] : [skipNulls ? IGNORED : UNEXPECTED, EXPECTED];
  return {
    kind: 'row',
    columns: [column],
    evaluate(ctx: BatchContext, status) {
      const nulls = ctx.nulls(column);
      for (let i = 0; i < status.length; i++) status[i] = nulls[i] === 1 ? ifNull : ifValue;
    },
  };
}

/** Every occurrence of a repeated non-null value is unexpected (GX: column_values.unique). Known at the end. */
function uniqueRule(kwargs: Kwargs, env: EvaluatorEnv): RowEvaluator {
  const column = columnArg(kwargs, env);
  const finder = new DuplicateFinder({ budgetBytes: env.budgetBytes, collectRows: true });
  return {
    kind: 'row',
    columns: [column],
    evaluate(ctx, status) {
      // Dataset row numbers without a call a row (ctx.rowIndex): a row_condition's batch maps its rows back.
      const { rowMap } = ctx;
      const first = ctx.batch.firstRowIndex;
      const nulls = ctx.nulls(column);
      const { hi, lo } = ctx.keys(column);
      for (let i = 0; i < status.length; i++) {
        if (nulls[i] === 1) status[i] = IGNORED;
        else {
          status[i] = EXPECTED;
          finder.add(hi[i], lo[i], rowMap ? rowMap[i] : first + i);
        }
      }
    },
    lateUnexpectedRows: () => finder.duplicateRows(),
    details: () => ({ uniqueness: finder.method }),
    dispose: () => finder.dispose(),
  };
}

/** GX's regex: any string, the empty one included (re.search('') matches every value). */
function regexArg(kwargs: Kwargs, env: EvaluatorEnv): string {
  const value = kwargs.regex;
  if (typeof value !== 'string') throw new UserError(`${env.describe()}: 'regex' must be a string.`);
  return value;
}

/**
 * A SQL LIKE pattern as an anchored RE2 regex: % any run of characters, _ one character, a backslash escapes the
 * next one (PostgreSQL's default). GX runs the LIKE family only on SQL engines; data-gate judges them the same way.
 */
export function likeToRegex(pattern: string): string {
  let out = '(?s)^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) out += escapeRegex(pattern[++i]);
    else if (c === '%') out += '.*';
    else if (c === '_') out += '.';
    else out += escapeRegex(c);
  }
  return `${out}$`;
}

function escapeRegex(c: string): string {
  return /[\\^$.|?*+()[\]{}]/.test(c) ? `\\${c}` : c;
}

function likeRule(kwargs: Kwargs, env: EvaluatorEnv, list: boolean, negate: boolean): RowEvaluator {
  const patterns = list ? stringListArg(kwargs, 'like_pattern_list', env) : [stringArg(kwargs, 'like_pattern', env)];
  const regexes = patterns.map((p) => compileSafeRegex(likeToRegex(p), env.describe));
  const all = kwargs.match_on === 'all';
  return regexRule(columnArg(kwargs, env), (cell) => {
    if (negate) return !regexes.some((r) => cell.matches(r));
    return all ? regexes.every((r) => cell.matches(r)) : regexes.some((r) => cell.matches(r));
  });
}

const schemaAjv = new Ajv({ allErrors: false, strict: false });

/** GX: json.loads then jsonschema.validate; a value that is not JSON raises (metrics/.../column_values_match_json_schema.py). */
function jsonSchemaRule(kwargs: Kwargs, env: EvaluatorEnv): RowEvaluator {
  const schema = kwargs.json_schema;
  if (typeof schema !== 'object' || schema === null) throw new UserError(`${env.describe()}: 'json_schema' must be a JSON Schema object.`);
  let validate: ValidateFunction;
  try {
    validate = schemaAjv.compile(schema);
  } catch (error) {
    throw new ExpectationRaised(`SchemaError: ${(error as Error).message}`);
  }
  return textRule(columnArg(kwargs, env), (text) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ExpectationRaised(
        `JSONDecodeError: ${(error as Error).message} (value ${JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text)})`,
      );
    }
    return validate(value);
  });
}

/**
 * GX's z-score: (value - column mean) / sample standard deviation, |z| < |threshold| when double-sided, else
 * z < threshold (metrics/column_map_metrics/column_values_z_score.py). The mean is known only at the end, so the
 * rule keeps each value with its row (16 bytes a row, within the memory budget) and judges them then.
 */
function zScoreRule(kwargs: Kwargs, env: EvaluatorEnv): RowEvaluator {
  const column = columnArg(kwargs, env);
  const threshold = numberArg(kwargs, 'threshold', env);
  const doubleSided = optionalBoolean(kwargs, 'double_sided', false);
  let rows = new Float64Array(1024);
  let values = new Float64Array(1024);
  let n = 0;
  let sum = 0;
  return {
    kind: 'row',
    columns: [column],
    evaluate(ctx, status) {
      const view = ctx.numbers(column);
      for (let i = 0; i < status.length; i++) {
        const m = view.missing[i];
        if (m === 1) {
          status[i] = IGNORED;
          continue;
        }
        if (m === INVALID_CELL) throw new ExpectationRaised('TypeError: Cannot complete Z-score calculations on a non-numerical column.');
        status[i] = EXPECTED;
        if (n === rows.length) {
          if (n * 32 > env.budgetBytes)
            throw new UserError(
              `${env.describe()}: the z-score rule keeps each value until the mean is known and needs more than memory-budget-mb allows (${n.toLocaleString('en-US')} values); raise memory-budget-mb.`,
            );
          const grow = (a: Float64Array) => {
            const b = new Float64Array(a.length * 2);
            b.set(a);
            return b;
          };
          rows = grow(rows);
          values = grow(values);
        }
        rows[n] = ctx.rowIndex(i);
        values[n++] = view.values[i];
        sum += view.values[i];
      }
    },
    async lateUnexpectedRows() {
      const mean = sum / n;
      let squares = 0;
      for (let k = 0; k < n; k++) squares += (values[k] - mean) ** 2;
      const std = Math.sqrt(squares / (n - 1));
      const out: number[] = [];
      for (let k = 0; k < n; k++) {
        const z = (values[k] - mean) / std;
        if (!(doubleSided ? Math.abs(z) < Math.abs(threshold) : z < threshold)) out.push(rows[k]);
      }
      return Float64Array.from(out);
    },
  };
}

export const COLUMN_MAP_EXPECTATIONS: Record<string, RowFactory> = {
  expect_column_values_to_match_like_pattern: (kwargs, env) => likeRule(kwargs, env, false, false),
  expect_column_values_to_not_match_like_pattern: (kwargs, env) => likeRule(kwargs, env, false, true),
  expect_column_values_to_match_like_pattern_list: (kwargs, env) => likeRule(kwargs, env, true, false),
  expect_column_values_to_not_match_like_pattern_list: (kwargs, env) => likeRule(kwargs, env, true, true),
  expect_column_values_to_match_json_schema: jsonSchemaRule,
  expect_column_value_z_scores_to_be_less_than: zScoreRule,
  expect_column_values_to_not_be_null: (kwargs, env) => nullRule(columnArg(kwargs, env), false),
  expect_column_values_to_be_null: (kwargs, env) => nullRule(columnArg(kwargs, env), true),
  expect_column_values_to_be_unique: uniqueRule,
  expect_column_values_to_be_in_set: (kwargs, env) => setRule(kwargs, env, true),
  expect_column_values_to_not_be_in_set: (kwargs, env) => setRule(kwargs, env, false),
  expect_column_values_to_be_between: (kwargs, env) => {
    const column = columnArg(kwargs, env);
    // GX raises both while validating (metrics/column_map_metrics/column_values_between.py, _pandas).
    const range = rangeArgs(kwargs, env.columnType(column), env, {
      bothNull: 'ValueError: min_value and max_value cannot both be None',
      reversed: 'ValueError: min_value cannot be greater than max_value',
    });
    // A Parquet DATE column holds datetime.date objects: is_between refuses a date against a string bound
    // (column_values_between.py, _pandas).
    const dateBound = typeof kwargs.min_value === 'string' || typeof kwargs.max_value === 'string';
    if (dateBound && isParquetDate(env.storedColumn(column)))
      return raiseOnValue(column, 'TypeError: Column values, min_value, and max_value must either be None or of the same type.');
    return numberRule(column, (v) => inRange(v, range));
  },
  expect_column_values_to_match_regex: (kwargs, env) => {
    const regex = compileSafeRegex(regexArg(kwargs, env), env.describe);
    return regexRule(columnArg(kwargs, env), (cell) => cell.matches(regex));
  },
  expect_column_values_to_not_match_regex: (kwargs, env) => {
    const regex = compileSafeRegex(regexArg(kwargs, env), env.describe);
    return regexRule(columnArg(kwargs, env), (cell) => !cell.matches(regex));
  },
  expect_column_values_to_match_regex_list: (kwargs, env) => {
    const regexes = stringListArg(kwargs, 'regex_list', env).map((p) => compileSafeRegex(p, env.describe));
    const all = kwargs.match_on === 'all';
    return regexRule(columnArg(kwargs, env), (cell) =>
      all ? regexes.every((r) => cell.matches(r)) : regexes.some((r) => cell.matches(r)),
    );
  },
  expect_column_values_to_not_match_regex_list: (kwargs, env) => {
    const regexes = stringListArg(kwargs, 'regex_list', env).map((p) => compileSafeRegex(p, env.describe));
    return regexRule(columnArg(kwargs, env), (cell) => !regexes.some((r) => cell.matches(r)));
  },
  expect_column_value_lengths_to_be_between: (kwargs, env) => {
    // GX (metrics/column_map_metrics/column_value_lengths.py, _pandas): no bound at all raises; min > max is judged
    // as written, so every value fails.
    const range = rangeArgs(kwargs, 'numerical', env, { bothNull: 'ValueError: Invalid configuration' });
    return lengthRule(columnArg(kwargs, env), (length) => inRange(length, range), env);
  },
  expect_column_value_lengths_to_equal: (kwargs, env) => {
    const value = numberArg(kwargs, 'value', env);
    return lengthRule(columnArg(kwargs, env), (length) => length === value, env);
  },
  expect_column_values_to_be_of_type: (kwargs, env) => typeRule(columnArg(kwargs, env), [stringArg(kwargs, 'type_', env)], false, env),
  expect_column_values_to_be_in_type_list: (kwargs, env) =>
    typeRule(columnArg(kwargs, env), stringListArg(kwargs, 'type_list', env), true, env),
  expect_column_values_to_be_dateutil_parseable: (kwargs, env) =>
    stringValuesRule(kwargs, env, 'expect_column_values_to_be_dateutil_parseable', isParseableDate),
  expect_column_values_to_match_strftime_format: (kwargs, env) =>
    stringValuesRule(
      kwargs,
      env,
      'expect_column_values_to_match_strftime_format',
      strftimeMatcher(stringArg(kwargs, 'strftime_format', env), env.describe),
    ),
  expect_column_values_to_be_json_parseable: (kwargs, env) =>
    textRule(columnArg(kwargs, env), (t) => {
      try {
        JSON.parse(t);
        return true;
      } catch {
        return false;
      }
    }),
  expect_column_values_to_be_increasing: (kwargs, env) => monotonicRule(kwargs, env, 1),
  expect_column_values_to_be_decreasing: (kwargs, env) => monotonicRule(kwargs, env, -1),
};

/** Expectations that judge a value by its text as written: their columns are read as text, not parsed. */
export const TEXT_EXPECTATIONS: ReadonlySet<string> = new Set([
  'expect_column_values_to_match_regex',
  'expect_column_values_to_not_match_regex',
  'expect_column_values_to_match_regex_list',
  'expect_column_values_to_not_match_regex_list',
  'expect_column_value_lengths_to_be_between',
  'expect_column_value_lengths_to_equal',
  'expect_column_values_to_be_dateutil_parseable',
  'expect_column_values_to_match_strftime_format',
  'expect_column_values_to_be_json_parseable',
  'expect_column_values_to_match_json_schema',
  'expect_column_values_to_match_like_pattern',
  'expect_column_values_to_not_match_like_pattern',
  'expect_column_values_to_match_like_pattern_list',
  'expect_column_values_to_not_match_like_pattern_list',
]);
