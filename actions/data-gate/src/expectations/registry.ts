// Every expectation data-gate evaluates, by GX name: the one place that says which code judges which expectation.
import { AGGREGATE_EXPECTATIONS } from './aggregate-expectations.js';
import { COLUMN_MAP_EXPECTATIONS, TEXT_EXPECTATIONS } from './column-map-expectations.js';
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

/** The data columns an expectation reads (table expectations read none: they see the header). */
export function columnsOf(type: string, kwargs: Kwargs): string[] {
  if (type in TABLE_EXPECTATIONS) return [];
  const names: unknown[] = [];
  for (const key of ['column', 'column_A', 'column_B']) if (typeof kwargs[key] === 'string') names.push(kwargs[key]);
  if (Array.isArray(kwargs.column_list)) names.push(...kwargs.column_list);
  return names.filter((n): n is string => typeof n === 'string');
}
