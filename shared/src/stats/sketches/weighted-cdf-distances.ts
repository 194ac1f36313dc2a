// CDF-based distances between two weighted samples (values ascending, with counts): the form in which both exact
// sorted data (counts of 1) and log-histogram sketches are compared. One merge-walk gives KS, Wasserstein-1 and
// the energy distance, as scipy's _cdf_distance does for unweighted data.
import type { WeightedValues } from './log-histogram.js';

export interface CdfDistances {
  /** sup |F - G|: the two-sample Kolmogorov-Smirnov statistic. */
  ks: number;
  /** integral |F - G| dx: the Wasserstein-1 distance. */
  wasserstein: number;
  /** sqrt(2 * integral (F - G)^2 dx): scipy's energy_distance. */
  energy: number;
}

export function weightedCdfDistances(a: WeightedValues, b: WeightedValues): CdfDistances {
  let i = 0;
  let j = 0;
  let fa = 0;
  let fb = 0;
  let ks = 0;
  let l1 = 0;
  let l2 = 0;
  let previous = NaN;
  while (i < a.values.length || j < b.values.length) {
    const x = j >= b.values.length || (i < a.values.length && a.values[i] <= b.values[j]) ? a.values[i] : b.values[j];
    if (!Number.isNaN(previous)) {
      const gap = x - previous;
      const diff = Math.abs(fa - fb);
      l1 += diff * gap;
      l2 += diff * diff * gap;
    }
    while (i < a.values.length && a.values[i] === x) fa += a.counts[i++] / a.total;
    while (j < b.values.length && b.values[j] === x) fb += b.counts[j++] / b.total;
    ks = Math.max(ks, Math.abs(fa - fb));
    previous = x;
  }
  return { ks, wasserstein: l1, energy: Math.sqrt(2 * l2) };
}
