// Runs a drift method on two categorical count tables aligned over the union of categories: a category new in the
// current data has a reference count of 0 and is counted, never dropped.
import { UserError } from '#shared/errors.js';
import { chiSquareContingency, fisherExact2x2, gTest, zTestTwoProportions } from '#shared/stats/categorical-tests/index.js';
import { hellingerDistance, jensenShannonDistance, klDivergence, psi, totalVariationDistance } from '#shared/stats/distances/index.js';
import type { MethodName } from './method-catalog.js';
import type { MethodResult } from './numerical-methods.js';

export interface AlignedCounts {
  categories: string[];
  reference: Float64Array;
  current: Float64Array;
}

export function alignCounts(reference: Map<string, number>, current: Map<string, number>): AlignedCounts {
  const categories = [...new Set([...reference.keys(), ...current.keys()])].sort(
    (a, b) => (reference.get(b) ?? 0) - (reference.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0),
  );
  return {
    categories,
    reference: Float64Array.from(categories, (c) => reference.get(c) ?? 0),
    current: Float64Array.from(categories, (c) => current.get(c) ?? 0),
  };
}

export function compareCategorical(method: MethodName, counts: AlignedCounts, column: string): MethodResult {
  const { reference, current } = counts;
  switch (method) {
    case 'chisquare':
      return chiSquareContingency(reference, current);
    case 'g_test':
      return gTest(reference, current);
    case 'z':
      requireTwoCategories(method, counts, column);
      return zTestTwoProportions(padToTwo(reference), padToTwo(current));
    case 'fisher_exact':
      requireTwoCategories(method, counts, column);
      return fisherExact2x2(padToTwo(reference), padToTwo(current));
    case 'jensenshannon':
      return { statistic: jensenShannonDistance(reference, current), pValue: null };
    case 'psi':
      return { statistic: psi(reference, current), pValue: null };
    case 'kl_div':
      return { statistic: klDivergence(reference, current), pValue: null };
    case 'hellinger':
      return { statistic: hellingerDistance(reference, current), pValue: null };
    case 'tvd':
      return { statistic: totalVariationDistance(reference, current), pValue: null };
    default:
      throw new Error(`method ${method} does not apply to categorical columns`);
  }
}

function requireTwoCategories(method: MethodName, counts: AlignedCounts, column: string): void {
  if (counts.categories.length > 2)
    throw new UserError(
      `Method '${method}' compares two categories, but column '${column}' has ${counts.categories.length} ` +
        `(${counts.categories.slice(0, 5).join(', ')}${counts.categories.length > 5 ? ', ...' : ''}). ` +
        `Use chisquare, g_test or jensenshannon for it in 'column-methods'.`,
    );
}

/** A column with a single category on both sides still forms a 2x2 table with an empty second category. */
function padToTwo(counts: Float64Array): Float64Array {
  return counts.length >= 2 ? counts : Float64Array.of(counts[0] ?? 0, 0);
}
