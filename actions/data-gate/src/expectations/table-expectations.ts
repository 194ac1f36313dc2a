// Table expectations: the row count and the columns of the dataset as a whole (GX's expect_table_* and
// expect_column_to_exist), judged from the header and the row count once the pass is over.
import type { TableEvaluator } from './evaluator.js';
import { inRange, numberArg, optionalBoolean, rangeArgs, stringArg, stringListArg, type EvaluatorEnv, type Kwargs } from './kwargs.js';

type TableFactory = (kwargs: Kwargs, env: EvaluatorEnv) => TableEvaluator;

function table(finish: TableEvaluator['finish']): TableEvaluator {
  return { kind: 'table', columns: [], finish };
}

export const TABLE_EXPECTATIONS: Record<string, TableFactory> = {
  expect_table_row_count_to_be_between: (kwargs, env) => {
    const range = rangeArgs(kwargs, 'numerical', env);
    return table(({ rows }) => ({ success: inRange(rows, range), observed_value: rows }));
  },
  expect_table_row_count_to_equal_other_table: (kwargs, env) => {
    const other = stringArg(kwargs, 'other_table_name', env);
    let otherRows = 0;
    return {
      kind: 'table',
      columns: [],
      async prepare() {
        otherRows = await env.countRows(other);
      },
      // GX: observed_value {self: n, other: m}, success n == m (expect_table_row_count_to_equal_other_table.py).
      finish: ({ rows }) => ({ success: rows === otherRows, observed_value: { self: rows, other: otherRows } }),
    };
  },
  expect_table_row_count_to_equal: (kwargs, env) => {
    const value = numberArg(kwargs, 'value', env);
    return table(({ rows }) => ({ success: rows === value, observed_value: rows }));
  },
  expect_table_column_count_to_equal: (kwargs, env) => {
    const value = numberArg(kwargs, 'value', env);
    return table(({ columns }) => ({ success: columns.length === value, observed_value: columns.length }));
  },
  expect_table_column_count_to_be_between: (kwargs, env) => {
    const range = rangeArgs(kwargs, 'numerical', env);
    return table(({ columns }) => ({ success: inRange(columns.length, range), observed_value: columns.length }));
  },
  expect_column_to_exist: (kwargs, env) => {
    const column = stringArg(kwargs, 'column', env);
    const index = kwargs.column_index;
    return table(({ columns }) => {
      const at = columns.indexOf(column);
      const success = at >= 0 && (typeof index !== 'number' || at === index);
      return { success, observed_value: at >= 0 ? at : null, details: { columns: [...columns] } };
    });
  },
  // GX 1.x _validate (expectations/core/expect_table_columns_to_match_set.py): a null column_set is the empty set,
  // so it holds when exact_match is false; on failure the observed value is sorted and mismatched has only the
  // non-empty lists.
  expect_table_columns_to_match_set: (kwargs, env) => {
    const wanted = kwargs.column_set === null ? [] : stringListArg(kwargs, 'column_set', env);
    const exact = optionalBoolean(kwargs, 'exact_match', true);
    return table(({ columns }) => {
      const missing = [...new Set(wanted.filter((c) => !columns.includes(c)))].sort();
      const unexpected = [...new Set(columns.filter((c) => !wanted.includes(c)))].sort();
      if (missing.length === 0 && unexpected.length === 0) return { success: true, observed_value: [...columns] };
      const mismatched = { ...(unexpected.length > 0 ? { unexpected } : {}), ...(missing.length > 0 ? { missing } : {}) };
      return { success: !exact && missing.length === 0, observed_value: [...columns].sort(), details: { mismatched } };
    });
  },
  expect_table_columns_to_match_ordered_list: (kwargs, env) => {
    // GX: a null column_list holds (expect_table_columns_to_match_ordered_list.py, _validate).
    if (kwargs.column_list === null) return table(({ columns }) => ({ success: true, observed_value: [...columns] }));
    const wanted = stringListArg(kwargs, 'column_list', env);
    return table(({ columns }) => {
      const length = Math.max(wanted.length, columns.length);
      const mismatched = [];
      for (let i = 0; i < length; i++) {
        if (wanted[i] !== columns[i])
          mismatched.push({ 'Expected Column Position': i, Expected: wanted[i] ?? null, Found: columns[i] ?? null });
      }
      return { success: mismatched.length === 0, observed_value: [...columns], details: { mismatched } };
    });
  },
};
