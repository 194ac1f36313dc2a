// Mann-Whitney U rank test, a port of scipy 1.10 `stats.mannwhitneyu(ref, cur)` with its defaults (two-sided,
// use_continuity=True, method 'auto'). The rule for 'auto' is scipy 1.10's: exact when at least one sample has
// at most 8 values and there are no ties, otherwise the normal approximation with tie correction.

import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { requireNonEmpty, sortedCopy, type TwoSampleResult } from './numpy-arithmetic.js';
import { midranksOfSorted } from './ranks.js';

/** scipy 1.10 `_mwu_choose_method`: asymptotic when both samples have more than this many values. */
export const MWU_EXACT_MAX_SMALLER_N = 8;

/**
 * P(U >= u) under the null for sample sizes m and n (no ties), as scipy's `_MWU.sf` computes it: the CDF of
 * m*n - u, each count being a coefficient of the Gaussian binomial [m+n choose m]_q. The polynomial is built
 * exactly with BigInt as prod_{i=1..s} (1 - q^(L+i)) / (1 - q^i), s = min(m, n), truncated at the degree needed,
 * so this stays fast for a tiny sample against a large one (scipy's own recursion would need O(m n k) memory).
 */
export function mannWhitneyExactSf(u: number, m: number, n: number): number {
  const k = m * n - u;
  if (k < 0) return 0;
  const s = Math.min(m, n);
  const L = Math.max(m, n);
  const coef: bigint[] = new Array<bigint>(k + 1).fill(0n);
  coef[0] = 1n;
  for (let i = 1; i <= s; i++) {
    const up = L + i;
    for (let j = k; j >= up; j--) coef[j] -= coef[j - up];
    for (let j = i; j <= k; j++) coef[j] += coef[j - i];
  }
  let total = 1n;
  for (let i = 1; i <= s; i++) total = (total * BigInt(L + i)) / BigInt(i);
  const denominator = Number(total);
  let cdf = 0;
  for (let j = 0; j <= k; j++) cdf += Number(coef[j]) / denominator;
  return cdf;
}

/**
 * scipy.stats.mannwhitneyu(reference, current) with defaults. `statistic` is U of the reference sample (scipy's
 * U1); `pValue` is two-sided.
 */
export function mannWhitneyU(reference: Float64Array, current: Float64Array): TwoSampleResult {
  requireNonEmpty('Mann-Whitney U test', reference, current);
  const n1 = reference.length;
  const n2 = current.length;
  const { ranksA, tieSizes } = midranksOfSorted(sortedCopy(reference), sortedCopy(current));
  const hasTies = tieSizes.some((t) => t !== 1);
  const exact = !(n1 > MWU_EXACT_MAX_SMALLER_N && n2 > MWU_EXACT_MAX_SMALLER_N) && !hasTies;
  // ranks are multiples of 1/2, so their sum is exact in any order
  let R1 = 0;
  for (const r of ranksA) R1 += r;
  const U1 = R1 - (n1 * (n1 + 1)) / 2;
  const U2 = n1 * n2 - U1;
  const U = Math.max(U1, U2);
  let p: number;
  if (exact) {
    p = mannWhitneyExactSf(Math.trunc(U), n1, n2);
  } else {
    const mu = (n1 * n2) / 2;
    const n = n1 + n2;
    let tieTerm = 0;
    for (const t of tieSizes) tieTerm += t ** 3 - t;
    const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    const z = (U - mu - 0.5) / sd;
    p = normalCdf(-z, 0, 1);
  }
  p *= 2;
  return { statistic: U1, pValue: Math.min(Math.max(p, 0), 1) };
}
