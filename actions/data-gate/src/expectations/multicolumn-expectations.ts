// Column pair and multicolumn expectations: a verdict for each row from several of its values (A > B, A = B, a sum,
// a compound key). GX's ignore_row_if decides which rows with missing values are left out (IGNORED).
import { UserError } from '#shared/errors.js';
import { INVALID_CELL } from '#shared/data/types.js';
import { DuplicateFinder } from './duplicate-finder.js';
import { EXPECTED, IGNORED, UNEXPECTED, type BatchContext, type RowEvaluator, type ValueKeys } from './evaluator.js';
import { numberArg, optionalBoolean, stringArg, stringListArg, type EvaluatorEnv, type Kwargs } from './kwargs.js';
import { isNumberType } from './value-sets.js';
import { combineKeys, type Key64 } from './value-hash.js';

type RowFactory = (kwargs: Kwargs, env: EvaluatorEnv) => RowEvaluator;

const PAIR_IGNORE = ['both_values_are_missing', 'either_value_is_missing', 'neither'] as const;
const MULTI_IGNORE = ['all_values_are_missing', 'any_value_is_missing', 'never'] as const;

function choice<T extends string>(kwargs: Kwargs, name: string, options: readonly T[], fallback: T, env: EvaluatorEnv): T {
  const value = kwargs[name];
  if (value === undefined || value === null) return fallback;
  if (!options.includes(value as T))
    throw new UserError(`${env.describe()}: '${name}' must be one of ${options.join(', ')}, got ${JSON.stringify(value)}.`);
  return value as T;
}

/** Is the row left out, given how many of its `total` values are missing? */
export function ignored(policy: string, missing: number, total: number): boolean {
  if (policy === 'both_values_are_missing' || policy === 'all_values_are_missing') return missing === total;
  if (policy === 'either_value_is_missing' || policy === 'any_value_is_missing') return missing > 0;
  return false;
}

/**
 * Row i's compound key over several columns' value keys, into `key` (`part` is scratch): how the compound uniqueness
 * rule hashes a row, and how keep-first finds the same groups again.
 */
export function compoundKey(key: Key64, part: Key64, keys: readonly ValueKeys[], i: number): void {
  key.hi = 0x12345678;
  key.lo = 0x9abcdef0;
  for (const { hi, lo } of keys) {
    part.hi = hi[i];
    part.lo = lo[i];
    combineKeys(key, part);
  }
}

/** A pair rule comparing A and B as numbers when both are number columns, else as text. */
function pairRule(kwargs: Kwargs, env: EvaluatorEnv, compare: (a: number | string, b: number | string) => boolean): RowEvaluator {
  const a = stringArg(kwargs, 'column_A', env);
  const b = stringArg(kwargs, 'column_B', env);
  const policy = choice(kwargs, 'ignore_row_if', PAIR_IGNORE, 'both_values_are_missing', env);
  const numeric = isNumberType(env.columnType(a)) && isNumberType(env.columnType(b));
  return {
    kind: 'row',
    columns: [a, b],
    evaluate(ctx, status) {
      if (numeric) {
        const va = ctx.numbers(a);
        const vb = ctx.numbers(b);
        for (let i = 0; i < status.length; i++) {
          const ma = va.missing[i];
          const mb = vb.missing[i];
          const nulls = (ma === 1 ? 1 : 0) + (mb === 1 ? 1 : 0);
          if (ignored(policy, nulls, 2)) status[i] = IGNORED;
          else if (ma !== 0 || mb !== 0) status[i] = UNEXPECTED;
          else status[i] = compare(va.values[i], vb.values[i]) ? EXPECTED : UNEXPECTED;
        }
        return;
      }
      const ta = ctx.strings(a);
      const tb = ctx.strings(b);
      for (let i = 0; i < status.length; i++) {
        const x = ta[i];
        const y = tb[i];
        const nulls = (x === null ? 1 : 0) + (y === null ? 1 : 0);
        if (ignored(policy, nulls, 2)) status[i] = IGNORED;
        else if (x === null || y === null) status[i] = UNEXPECTED;
        else status[i] = compare(x, y) ? EXPECTED : UNEXPECTED;
      }
    },
  };
}

/** Nulls per row across `columns`, for ignore_row_if. */
function missingCounts(ctx: BatchContext, columns: readonly string[]): Uint8Array {
  const counts = new Uint8Array(ctx.rowCount);
  for (const c of columns) {
    const nulls = ctx.nulls(c);
    for (let i = 0; i < counts.length; i++) counts[i] += nulls[i];
  }
  return counts;
}

/**
 * GX's column_pair_values.in_set (metrics/column_pair_map_metrics/column_pair_values_in_set.py): the row's (A, B),
 * a null as None, must be one of value_pairs_set; a null set holds. Values compare as the columns read them (numbers
 * for number columns), so [1, "a"] matches the cells 1 and a.
 */
function pairInSetRule(kwargs: Kwargs, env: EvaluatorEnv): RowEvaluator {
  const a = stringArg(kwargs, 'column_A', env);
  const b = stringArg(kwargs, 'column_B', env);
  const policy = choice(kwargs, 'ignore_row_if', PAIR_IGNORE, 'both_values_are_missing', env);
  const pairs = kwargs.value_pairs_set;
  const keyOf = (value: unknown, numeric: boolean): string => {
    if (value === null || value === undefined) return 'null';
    if (numeric && typeof value === 'boolean') return `n${value ? 1 : 0}`;
    if (numeric && typeof value === 'number') return `n${value}`;
    if (numeric && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return `s${value}`;
    return `s${String(value)}`;
  };
  const numericA = isNumberType(env.columnType(a));
  const numericB = isNumberType(env.columnType(b));
  const allowed =
    pairs === null ? undefined : new Set((pairs as unknown[][]).map(([x, y]) => `${keyOf(x, numericA)}\u0000${keyOf(y, numericB)}`));
  const cellKey = (ctx: BatchContext, column: string, numeric: boolean, i: number): string => {
    if (!numeric) {
      const t = ctx.strings(column)[i];
      return t === null ? 'null' : `s${t}`;
    }
    const view = ctx.numbers(column);
    const m = view.missing[i];
    return m === 1 ? 'null' : m === INVALID_CELL ? `s${ctx.invalidValue(column, i) ?? ''}` : `n${view.values[i]}`;
  };
  return {
    kind: 'row',
    columns: [a, b],
    evaluate(ctx, status) {
      const na = ctx.nulls(a);
      const nb = ctx.nulls(b);
      for (let i = 0; i < status.length; i++) {
        if (ignored(policy, na[i] + nb[i], 2)) status[i] = IGNORED;
        else if (!allowed) status[i] = EXPECTED;
        else status[i] = allowed.has(`${cellKey(ctx, a, numericA, i)}\u0000${cellKey(ctx, b, numericB, i)}`) ? EXPECTED : UNEXPECTED;
      }
    },
  };
}

export const MULTICOLUMN_EXPECTATIONS: Record<string, RowFactory> = {
  expect_column_pair_values_to_be_in_set: pairInSetRule,
  expect_multicolumn_values_to_be_unique: (kwargs, env) =>
    MULTICOLUMN_EXPECTATIONS.expect_select_column_values_to_be_unique_within_record(kwargs, env),
  expect_column_pair_values_a_to_be_greater_than_b: (kwargs, env) => {
    const orEqual = optionalBoolean(kwargs, 'or_equal', false);
    return pairRule(kwargs, env, (x, y) => (orEqual ? x >= y : x > y));
  },
  expect_column_pair_values_to_be_equal: (kwargs, env) => pairRule(kwargs, env, (x, y) => x === y),
  expect_multicolumn_sum_to_equal: (kwargs, env) => {
    const columns = stringListArg(kwargs, 'column_list', env);
    const total = numberArg(kwargs, 'sum_total', env);
    const policy = choice(kwargs, 'ignore_row_if', MULTI_IGNORE, 'all_values_are_missing', env);
    // GX compares the float sum with ==; a relative tolerance of 1e-9 keeps 0.1 + 0.2 == 0.3 from failing a row.
    const tolerance = 1e-9 * Math.max(1, Math.abs(total));
    return {
      kind: 'row',
      columns,
      evaluate(ctx, status) {
        const views = columns.map((c) => ctx.numbers(c));
        for (let i = 0; i < status.length; i++) {
          let sum = 0;
          let nulls = 0;
          let invalid = false;
          for (const view of views) {
            const m = view.missing[i];
            if (m === 1) nulls++;
            else if (m === INVALID_CELL) invalid = true;
            else sum += view.values[i];
          }
          if (ignored(policy, nulls, columns.length)) status[i] = IGNORED;
          else status[i] = !invalid && Math.abs(sum - total) <= tolerance ? EXPECTED : UNEXPECTED;
        }
      },
    };
  },
  expect_compound_columns_to_be_unique: (kwargs, env) => {
    const columns = stringListArg(kwargs, 'column_list', env);
    const policy = choice(kwargs, 'ignore_row_if', MULTI_IGNORE, 'all_values_are_missing', env);
    const finder = new DuplicateFinder({ budgetBytes: env.budgetBytes, collectRows: true });
    const key: Key64 = { hi: 0, lo: 0 };
    const part: Key64 = { hi: 0, lo: 0 };
    return {
      kind: 'row',
      columns,
      evaluate(ctx, status) {
        // Dataset row numbers without a call a row (ctx.rowIndex): a row_condition's batch maps its rows back.
        const { rowMap } = ctx;
        const first = ctx.batch.firstRowIndex;
        const missing = missingCounts(ctx, columns);
        const keys = columns.map((c) => ctx.keys(c));
        for (let i = 0; i < status.length; i++) {
          if (ignored(policy, missing[i], columns.length)) {
            status[i] = IGNORED;
            continue;
          }
          status[i] = EXPECTED;
          compoundKey(key, part, keys, i);
          finder.add(key.hi, key.lo, rowMap ? rowMap[i] : first + i);
        }
      },
      lateUnexpectedRows: () => finder.duplicateRows(),
      details: () => ({ uniqueness: finder.method }),
      dispose: () => finder.dispose(),
    };
  },
  expect_select_column_values_to_be_unique_within_record: (kwargs, env) => {
    const columns = stringListArg(kwargs, 'column_list', env);
    const policy = choice(kwargs, 'ignore_row_if', MULTI_IGNORE, 'all_values_are_missing', env);
    return {
      kind: 'row',
      columns,
      evaluate(ctx, status) {
        const texts = columns.map((c) => ctx.strings(c));
        const seen = new Set<string>();
        for (let i = 0; i < status.length; i++) {
          let nulls = 0;
          seen.clear();
          let repeated = false;
          for (const t of texts) {
            const v = t[i];
            if (v === null) nulls++;
            else if (seen.has(v)) repeated = true;
            else seen.add(v);
          }
          status[i] = ignored(policy, nulls, columns.length) ? IGNORED : repeated ? UNEXPECTED : EXPECTED;
        }
      },
    };
  },
};
