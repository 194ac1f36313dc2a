// scipy.stats.mannwhitneyu(x, y) (two-sided, use_continuity=True, method='auto') for samples already sorted, so a
// judge that sorts once for the Hodges-Lehmann interval pays no second sort. Same rules as
// shared/src/stats/two-sample-tests/mann-whitney.ts (exact when a sample has at most 8 values and there are no ties).
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { mannWhitneyExactSf, MWU_EXACT_MAX_SMALLER_N } from '../two-sample-tests/mann-whitney.js';
import { shiftedRankSum } from './wilcoxon-shift.js';

export interface MannWhitneyResult {
  /** U of the first sample (scipy's U1). */
  u: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

export function mannWhitneySorted(xs: Float64Array, ys: Float64Array): MannWhitneyResult {
  const n1 = xs.length;
  const n2 = ys.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('Mann-Whitney U needs two non-empty samples');
  const { u: u1, tieTerm } = shiftedRankSum(xs, ys, 0);
  const u = Math.max(u1, n1 * n2 - u1);
  const exact = !(n1 > MWU_EXACT_MAX_SMALLER_N && n2 > MWU_EXACT_MAX_SMALLER_N) && tieTerm === 0;
  let p: number;
  if (exact) p = mannWhitneyExactSf(Math.trunc(u), n1, n2);
  else {
    const n = n1 + n2;
    const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    p = sd === 0 ? 1 : normalCdf(-(u - (n1 * n2) / 2 - 0.5) / sd, 0, 1);
  }
  return { u: u1, pValue: Math.min(Math.max(2 * p, 0), 1), method: exact ? 'exact' : 'asymptotic' };
}
