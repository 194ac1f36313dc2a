// Two-sample t-test, a port of scipy 1.10 `stats.ttest_ind(ref, cur, equal_var=...)` (two-sided). The t
// distribution comes from @stdlib; only scipy's choice of degrees of freedom and degenerate-variance rules are here.

import tCdf from '@stdlib/stats-base-dists-t-cdf';
import { numpyMean, numpyVariance, requireNonEmpty, type TwoSampleResult } from './numpy-arithmetic.js';

export interface TTestOptions {
  /**
   * true: Student's pooled-variance test (scipy's default, and what Evidently's `t_test` stattest calls:
   * `ttest_ind(reference, current)`); false: Welch's unequal-variance test. Default true.
   */
  equalVar?: boolean;
}

/**
 * scipy.stats.ttest_ind(reference, current, equal_var). With a single value in a sample the variance is NaN and so
 * are the statistic and p-value, as in scipy; with zero variance in both samples t is +-Infinity (p = 0) or NaN
 * when the means are equal too.
 */
export function tTest(reference: Float64Array, current: Float64Array, options: TTestOptions = {}): TwoSampleResult {
  requireNonEmpty('t-test', reference, current);
  return tTestFromMoments(
    { count: reference.length, mean: numpyMean(reference), variance: numpyVariance(reference, 1) },
    { count: current.length, mean: numpyMean(current), variance: numpyVariance(current, 1) },
    options,
  );
}

/** Summary of a sample sufficient for a t-test; `variance` is the unbiased (ddof 1) sample variance. */
export interface SampleMoments {
  count: number;
  mean: number;
  variance: number;
}

/** The t-test from per-sample count, mean and ddof-1 variance (scipy `ttest_ind_from_stats` semantics). */
export function tTestFromMoments(reference: SampleMoments, current: SampleMoments, options: TTestOptions = {}): TwoSampleResult {
  const equalVar = options.equalVar ?? true;
  const { count: n1, variance: v1 } = reference;
  const { count: n2, variance: v2 } = current;
  let df: number;
  let denom: number;
  if (equalVar) {
    df = n1 + n2 - 2.0;
    const svar = ((n1 - 1) * v1 + (n2 - 1) * v2) / df;
    denom = Math.sqrt(svar * (1.0 / n1 + 1.0 / n2));
  } else {
    const vn1 = v1 / n1;
    const vn2 = v2 / n2;
    df = (vn1 + vn2) ** 2 / (vn1 ** 2 / (n1 - 1) + vn2 ** 2 / (n2 - 1));
    // scipy: df is undefined only when both variances are zero; any non-NaN df then gives the same p-value
    if (Number.isNaN(df)) df = 1;
    denom = Math.sqrt(vn1 + vn2);
  }
  const t = (reference.mean - current.mean) / denom;
  const p = tCdf(-Math.abs(t), df) * 2;
  return { statistic: t, pValue: p };
}
