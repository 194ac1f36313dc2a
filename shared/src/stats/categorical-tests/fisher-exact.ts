// Fisher's exact test on the 2 x 2 table of a two-category feature, equal to scipy.stats.fisher_exact (scipy 1.10,
// two-sided): the p-value sums the hypergeometric probabilities of all tables no more likely than the observed one,
// with scipy's relative tolerance of 1e-14 so that mathematically equal probabilities count as ties.
// Hand-written rather than built on a pmf library: scipy's tie rule needs probabilities exact to ~1e-14, which
// log-gamma based pmfs do not give, so the probabilities are taken as ratios to the mode (one rounding per step)
// and any near-tie is settled in exact integer arithmetic.
import { checkCountVectors } from './contingency-table.js';
import type { TestResult } from './test-result.js';

const TIE_TOLERANCE = 1e-14;

/**
 * Table rows are the samples and columns the two categories: [[ref0, ref1], [cur0, cur1]]. The statistic is
 * scipy's sample odds ratio ref0 * cur1 / (ref1 * cur0) (Infinity when a denominator count is 0, NaN when a whole
 * row or column is empty, where the p-value is 1); Evidently's table [[cur1, cur0], [ref1, ref0]] has the same
 * odds ratio and p-value.
 */
export function fisherExact2x2(referenceCounts: ArrayLike<number>, currentCounts: ArrayLike<number>): TestResult {
  if (referenceCounts.length !== 2 || currentCounts.length !== 2) {
    throw new RangeError(`Fisher's exact test needs exactly two categories, got ${Math.max(referenceCounts.length, currentCounts.length)}`);
  }
  checkCountVectors(referenceCounts, currentCounts);
  const c00 = referenceCounts[0];
  const c01 = referenceCounts[1];
  const c10 = currentCounts[0];
  const c11 = currentCounts[1];
  for (const v of [c00, c01, c10, c11]) if (!Number.isInteger(v)) throw new RangeError(`Fisher's exact test needs whole counts, got ${v}`);
  if (c00 + c01 === 0 || c10 + c11 === 0 || c00 + c10 === 0 || c01 + c11 === 0) return { statistic: NaN, pValue: 1 };
  const statistic = c10 > 0 && c01 > 0 ? (c00 * c11) / (c10 * c01) : Infinity;
  return { statistic, pValue: twoSidedPValue(c00, c00 + c01, c10 + c11, c00 + c10) };
}

/** Hypergeometric weights of k = lo..hi relative to the mode (weight 1 there): C(n1, k) C(n2, n - k), scaled. */
function relativeWeights(n1: number, n2: number, n: number, lo: number, hi: number, mode: number): Float64Array {
  const w = new Float64Array(hi - lo + 1);
  w[mode - lo] = 1;
  for (let k = mode + 1; k <= hi; k++) w[k - lo] = (w[k - 1 - lo] * ((n1 - k + 1) * (n - k + 1))) / (k * (n2 - n + k));
  for (let k = mode - 1; k >= lo; k--) w[k - lo] = (w[k + 1 - lo] * ((k + 1) * (n2 - n + k + 1))) / ((n1 - k) * (n - k));
  return w;
}

/** Exactly whether P(k) <= P(x) * (1 + 1e-14), from the product of the step ratios between x and k. */
function exactlyNoMoreLikely(n1: number, n2: number, n: number, x: number, k: number): boolean {
  let num = 1n;
  let den = 1n;
  // P(k) / P(x) as num / den
  if (k > x) {
    for (let j = x + 1; j <= k; j++) {
      num *= BigInt((n1 - j + 1) * (n - j + 1));
      den *= BigInt(j * (n2 - n + j));
    }
  } else {
    for (let j = x - 1; j >= k; j--) {
      num *= BigInt((j + 1) * (n2 - n + j + 1));
      den *= BigInt((n1 - j) * (n - j));
    }
  }
  const scale = 10n ** 14n;
  return num * scale <= den * (scale + 1n);
}

function twoSidedPValue(x: number, n1: number, n2: number, n: number): number {
  const lo = Math.max(0, n - n2);
  const hi = Math.min(n1, n);
  const mode = Math.min(hi, Math.max(lo, Math.floor(((n + 1) * (n1 + 1)) / (n1 + n2 + 2))));
  const w = relativeWeights(n1, n2, n, lo, hi, mode);
  const wx = w[x - lo];
  let total = 0;
  let included = 0;
  let all = true;
  for (let k = lo; k <= hi; k++) {
    const wk = w[k - lo];
    total += wk;
    let noMoreLikely = wk <= wx * (1 + TIE_TOLERANCE);
    if (k !== x && Math.abs(wk - wx) <= 1e-9 * Math.max(wk, wx)) noMoreLikely = exactlyNoMoreLikely(n1, n2, n, x, k);
    if (noMoreLikely) included += wk;
    else all = false;
  }
  return all ? 1 : Math.min(1, included / total);
}
