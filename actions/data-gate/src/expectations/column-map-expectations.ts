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

/** A rule judging each non-null value by its length in code points (Python's len()), from the bytes when read as bytes. */
function lengthRule(column: string, accept: (length: number) => boolean): RowEvaluator {
  const byText = textRule(column, (t) => accept(codePointLength(t)));
  return {
    ...byText,
    evaluate(ctx, status) {
      const bytes = ctx.utf8(column);
      if (!bytes) return byText.evaluate(ctx, status);
      const missing = bytes.missing;
      for (let i = 0; i < status.length; i++)
        status[i] = missing[i] === 1 ? IGNORED : accept(codePointLengthAt(bytes, i)) ? EXPECTED : UNEXPECTED;
    },
  };
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

/** Type names GX users write (pandas dtypes, Python, SQL and Spark names) and what a cell must be to have that type. */
const TYPE_FAMILIES: Record<string, readonly string[]> = {
  integer: [
    'int',
    'int8',
    'int16',
    'int32',
    'int64',
    'uint8',
    'uint16',
    'uint32',
    'uint64',
    'Int8',
    'Int16',
    'Int32',
    'Int64',
    'integer',
    'INTEGER',
    'INT',
    'BIGINT',
    'SMALLINT',
    'TINYINT',
    'long',
    'IntegerType',
    'LongType',
    'ShortType',
  ],
  float: [
    'float',
    'float16',
    'float32',
    'float64',
    'Float32',
    'Float64',
    'double',
    'DOUBLE',
    'FLOAT',
    'REAL',
    'NUMERIC',
    'DECIMAL',
    'number',
    'numeric',
    'decimal',
    'DoubleType',
    'FloatType',
    'DecimalType',
  ],
  string: ['str', 'string', 'object', 'unicode', 'VARCHAR', 'TEXT', 'STRING', 'CHAR', 'StringType', 'category'],
  boolean: ['bool', 'boolean', 'BOOLEAN', 'BOOL', 'BooleanType'],
  datetime: [
    'datetime',
    'datetime64',
    'datetime64[ns]',
    'datetime64[us]',
    'datetime64[ms]',
    'datetime64[ns, UTC]',
    'timestamp',
    'TIMESTAMP',
    'date',
    'DATE',
    'DATETIME',
    'TimestampType',
    'DateType',
  ],
};
/** numpy and pandas spellings GX resolves with np.dtype(name).type or getattr(pd, name) (expect_column_values_to_be_of_type.py). */
const NUMPY_PANDAS_NAMES: Record<string, string> = {
  int_: 'integer',
  intc: 'integer',
  intp: 'integer',
  longlong: 'integer',
  Int8Dtype: 'integer',
  Int16Dtype: 'integer',
  Int32Dtype: 'integer',
  Int64Dtype: 'integer',
  UInt8: 'integer',
  UInt16: 'integer',
  UInt32: 'integer',
  UInt64: 'integer',
  float_: 'float',
  double: 'float',
  longdouble: 'float',
  Float32Dtype: 'float',
  Float64Dtype: 'float',
  str_: 'string',
  string_: 'string',
  unicode_: 'string',
  string_types: 'string',
  O: 'string',
  object_: 'string',
  StringDtype: 'string',
  CategoricalDtype: 'string',
  bool_: 'boolean',
  bool8: 'boolean',
  BooleanDtype: 'boolean',
  datetime64: 'datetime',
  'datetime64[s]': 'datetime',
  'datetime64[ns, UTC]': 'datetime',
  DatetimeTZDtype: 'datetime',
  Timestamp: 'datetime',
};
const FAMILY_OF = new Map<string, string>([
  ...Object.entries(TYPE_FAMILIES).flatMap(([family, names]) => names.map((n) => [n, family] as [string, string])),
  ...Object.entries(NUMPY_PANDAS_NAMES),
]);

/** A type name as GX users write it, with a numpy/pandas module prefix (np.int64, numpy.float64, pd.StringDtype) dropped. */
function typeFamily(name: string): string | undefined {
  return FAMILY_OF.get(name) ?? FAMILY_OF.get(name.replace(/^(np|numpy|pd|pandas)\./, ''));
}

/** A per-cell type check: integers are also floats; any non-null cell read as text is a string. */
function typeRule(column: string, typeNames: string[], env: EvaluatorEnv): RowEvaluator {
  const families = new Set<string>();
  for (const name of typeNames) {
    const family = typeFamily(name);
    if (!family) throw new UserError(`${env.describe()}: unknown type '${name}'. Known types: ${[...FAMILY_OF.keys()].join(', ')}.`);
    families.add(family);
  }
  const type = env.columnType(column);
  return {
    kind: 'row',
    columns: [column],
    evaluate(ctx, status) {
      if (isNumberType(type)) {
        const { values, missing } = ctx.numbers(column);
        for (let i = 0; i < status.length; i++) {
          const m = missing[i];
          if (m === 1) status[i] = IGNORED;
          else if (m === INVALID_CELL) status[i] = families.has('string') ? EXPECTED : UNEXPECTED;
          else if (type === 'boolean') status[i] = families.has('boolean') ? EXPECTED : UNEXPECTED;
          else if (type === 'datetime') status[i] = families.has('datetime') ? EXPECTED : UNEXPECTED;
          else status[i] = families.has('float') || (families.has('integer') && Number.isInteger(values[i])) ? EXPECTED : UNEXPECTED;
        }
        return;
      }
      const texts = ctx.strings(column);
      for (let i = 0; i < status.length; i++) status[i] = texts[i] === null ? IGNORED : families.has('string') ? EXPECTED : UNEXPECTED;
    },
    details: () => ({ column_type: type }),
  };
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
    return lengthRule(columnArg(kwargs, env), (length) => inRange(length, range));
  },
  expect_column_value_lengths_to_equal: (kwargs, env) => {
    const value = numberArg(kwargs, 'value', env);
    return lengthRule(columnArg(kwargs, env), (length) => length === value);
  },
  expect_column_values_to_be_of_type: (kwargs, env) => typeRule(columnArg(kwargs, env), [stringArg(kwargs, 'type_', env)], env),
  expect_column_values_to_be_in_type_list: (kwargs, env) => typeRule(columnArg(kwargs, env), stringListArg(kwargs, 'type_list', env), env),
  expect_column_values_to_be_dateutil_parseable: (kwargs, env) => textRule(columnArg(kwargs, env), isParseableDate),
  expect_column_values_to_match_strftime_format: (kwargs, env) =>
    textRule(columnArg(kwargs, env), strftimeMatcher(stringArg(kwargs, 'strftime_format', env), env.describe)),
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
