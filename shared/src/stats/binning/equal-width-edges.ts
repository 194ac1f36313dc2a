// Equal-width bin edges over the range of both samples, as numpy.histogram_bin_edges computes them: for a fixed
// number of bins (Evidently's older PSI binning) and for numpy's 'sturges' rule (Evidently's numeric binning).
// Both take the range and count, which mergeable profiles keep, instead of the raw values.
import { numpyLinspace } from './numpy-linspace.js';

function checkRange(min: number, max: number): void {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new RangeError(`bin range [${min}, ${max}] is not finite`);
  if (min > max) throw new RangeError(`bin range minimum ${min} is larger than maximum ${max}`);
}

/** numpy's _get_outer_edges: a range of zero width is widened by 0.5 each side so that there is one bin. */
function outerEdges(min: number, max: number): [number, number] {
  return min === max ? [min - 0.5, max + 0.5] : [min, max];
}

/**
 * `np.histogram_bin_edges(np.concatenate([ref, cur]), bins=bins)`: `bins + 1` edges from the smallest to the
 * largest value seen in either sample (min and max of the combined data).
 */
export function equalWidthEdges(min: number, max: number, bins: number): Float64Array {
  checkRange(min, max);
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`number of bins must be a positive integer, got ${bins}`);
  const [first, last] = outerEdges(min, max);
  return numpyLinspace(first, last, bins + 1);
}

/**
 * `np.histogram_bin_edges(values, bins='sturges')` for `count` values spanning [min, max]: bin width
 * (max - min) / (log2(count) + 1), and ceil(range / width) equal bins.
 */
export function sturgesEdges(min: number, max: number, count: number): Float64Array {
  checkRange(min, max);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`sturges binning needs at least one value, got ${count}`);
  const width = (max - min) / (Math.log2(count) + 1);
  const [first, last] = outerEdges(min, max);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  return numpyLinspace(first, last, bins + 1);
}

/** Sturges edges straight from the combined sample, sorted ascending (NaN must have been removed). */
export function sturgesEdgesOfSorted(sortedCombined: Float64Array): Float64Array {
  if (sortedCombined.length === 0) throw new RangeError('sturges binning needs at least one value');
  return sturgesEdges(sortedCombined[0], sortedCombined[sortedCombined.length - 1], sortedCombined.length);
}
