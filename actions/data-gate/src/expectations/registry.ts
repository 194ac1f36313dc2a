// Every expectation data-gate evaluates, by GX name: the one place that says which code judges which expectation.
import { AGGREGATE_EXPECTATIONS } from './aggregate-expectations.js';
import { COLUMN_MAP_EXPECTATIONS, TEXT_EXPECTATIONS } from './column-map-expectations.js';
import { conditionColumns, type RowCondition } from '../rules/row-condition.js';
import type { Evaluator } from './evaluator.js';
import type { EvaluatorEnv, Kwargs } from './kwargs.js';
import { MULTICOLUMN_EXPECTATIONS } from './multicolumn-expectations.js';
import { TABLE_EXPECTATIONS } from './table-expectations.js';

export type EvaluatorFactory = (kwargs: Kwargs, env: EvaluatorEnv) => Evaluator;

export const EVALUATORS: Readonly<Record<string, EvaluatorFactory>> = {
  ...TABLE_EXPECTATIONS,
  ...COLUMN_MAP_EXPECTATIONS,
  ...MULTICOLUMN_EXPECTATIONS,
  ...AGGREGATE_EXPECTATIONS,
};

export { TEXT_EXPECTATIONS };

/**
 * The data columns an expectation reads (table expectations read none: they see the header), and its row_condition's
 * columns after them.
 */
export function columnsOf(type: string, kwargs: Kwargs, condition?: RowCondition): string[] {
  const extra = condition ? conditionColumns(condition) : [];
  if (type in TABLE_EXPECTATIONS) return extra;
  const names: unknown[] = [];
  for (const key of ['column', 'column_A', 'column_B']) if (typeof kwargs[key] === 'string') names.push(kwargs[key]);
  if (Array.isArray(kwargs.column_list)) names.push(...kwargs.column_list);
  const columns = names.filter((n): n is string => typeof n === 'string');
  for (const column of extra) if (!columns.includes(column)) columns.push(column);
  return columns;
}
