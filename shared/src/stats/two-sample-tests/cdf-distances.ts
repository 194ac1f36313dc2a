// Distances between the empirical CDFs of two samples: scipy 1.10 `stats.wasserstein_distance` and
// `stats.energy_distance` (both via scipy's `_cdf_distance`, O(n log n)), and Evidently's normed Wasserstein.

import { numpySum, numpyVariance, requireNonEmpty, sortedCopy, type TwoSampleResult } from './numpy-arithmetic.js';

/**
 * Integral of |F_u - F_v|^p over the pooled support, for p = 1 or 2 (scipy `_cdf_distance` before the 1/p root),
 * from samples sorted ascending: a merge walk over the pooled values, O(n + m).
 */
function cdfDistanceTerms(u: Float64Array, v: Float64Array, p: 1 | 2): number {
  const nu = u.length;
  const nv = v.length;
  const total = nu + nv;
  const products = new Float64Array(Math.max(total - 1, 0));
  let i = 0;
  let j = 0;
  let iu = 0;
  let iv = 0;
  let previous = 0;
  // walk all pooled values in order (with repeats, like scipy's all_values); at each one the CDFs count values <= it
  for (let k = 0; k < total; k++) {
    const value = j >= nv || (i < nu && u[i] <= v[j]) ? u[i++] : v[j++];
    if (k > 0) {
      while (iu < nu && u[iu] <= previous) iu++;
      while (iv < nv && v[iv] <= previous) iv++;
      const diff = Math.abs(iu / nu - iv / nv);
      products[k - 1] = (p === 1 ? diff : diff * diff) * (value - previous);
    }
    previous = value;
  }
  return numpySum(products);
}

function requireSorted(name: string, u: Float64Array, v: Float64Array): [Float64Array, Float64Array] {
  requireNonEmpty(name, u, v);
  return [sortedCopy(u), sortedCopy(v)];
}

/** scipy.stats.wasserstein_distance(reference, current): first Wasserstein (earth mover's) distance; pValue NaN. */
export function wassersteinDistance(reference: Float64Array, current: Float64Array): TwoSampleResult {
  const [u, v] = requireSorted('Wasserstein distance', reference, current);
  return { statistic: cdfDistanceTerms(u, v, 1), pValue: NaN };
}

/** scipy.stats.energy_distance(reference, current) = sqrt(2) * sqrt(integral (F_u - F_v)^2). */
export function energyDistance(reference: Float64Array, current: Float64Array): TwoSampleResult {
  const [u, v] = requireSorted('Energy distance', reference, current);
  return { statistic: Math.SQRT2 * Math.sqrt(cdfDistanceTerms(u, v, 2)), pValue: NaN };
}

export interface NormedWassersteinOptions {
  /**
   * Degrees of freedom of the reference standard deviation. 0 (default) is `np.std(reference)`, which Evidently's
   * `wasserstein` stattest used; newer Evidently releases call pandas `Series.std()`, i.e. ddof 1.
   */
  ddof?: 0 | 1;
  /** Lower bound of the normalising std (Evidently: `max(std, 0.001)`), which also covers constant references. */
  minStd?: number;
}

/**
 * Evidently's `wasserstein` stattest: wasserstein_distance(reference, current) / max(std(reference), 0.001).
 * pValue is NaN: the statistic is compared with a threshold, not a significance level.
 */
export function normedWasserstein(reference: Float64Array, current: Float64Array, options: NormedWassersteinOptions = {}): TwoSampleResult {
  const distance = wassersteinDistance(reference, current).statistic;
  const std = Math.sqrt(numpyVariance(reference, options.ddof ?? 0));
  const norm = Math.max(Number.isNaN(std) ? 0 : std, options.minStd ?? 0.001);
  return { statistic: distance / norm, pValue: NaN };
}
