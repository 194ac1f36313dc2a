// Bin edges at the reference sample's quantiles, for PSI-style binning where each reference bin holds about the
// same share of rows. Current values beyond the reference's range must still land in a bin, so the outer edges
// are -Infinity and +Infinity rather than the reference's min and max.

/** numpy.quantile(sorted, q) with numpy's default 'linear' method, including its two-sided lerp. */
export function numpyQuantileOfSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const virtual = (n - 1) * q;
  if (virtual <= 0) return sorted[0];
  if (virtual >= n - 1) return sorted[n - 1];
  const previous = Math.floor(virtual);
  const gamma = virtual - previous;
  const a = sorted[previous];
  const b = sorted[previous + 1];
  const diff = b - a;
  // numpy's _lerp evaluates from the nearer end for accuracy
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/**
 * Edges at the reference quantiles 0, 1/bins, ..., 1 (numpy 'linear' quantiles of `np.linspace(0, 1, bins + 1)`),
 * duplicates removed (a heavy value would otherwise make empty bins), then the first edge replaced by -Infinity
 * and the last by +Infinity. A constant reference gives the single bin [-Infinity, +Infinity].
 * `sortedReference` must be ascending and free of NaN.
 */
export function quantileEdges(sortedReference: Float64Array, bins: number): Float64Array {
  if (sortedReference.length === 0) throw new RangeError('quantile binning needs a non-empty reference sample');
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`number of bins must be a positive integer, got ${bins}`);
  const unique: number[] = [];
  const step = 1 / bins;
  for (let i = 0; i <= bins; i++) {
    // np.linspace(0, 1, bins + 1): i * step, with the last point exactly 1
    const q = i === bins ? 1 : i * step;
    const edge = numpyQuantileOfSorted(sortedReference, q);
    if (unique.length === 0 || edge > unique[unique.length - 1]) unique.push(edge);
  }
  if (unique.length < 2) return Float64Array.of(-Infinity, Infinity);
  unique[0] = -Infinity;
  unique[unique.length - 1] = Infinity;
  return Float64Array.from(unique);
}
