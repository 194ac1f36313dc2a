// Counts of values per bin with numpy.histogram's rule: bins are [e_i, e_{i+1}) except the last, [e_{n-1}, e_n],
// which also takes values equal to the top edge; values outside the edges and NaN are not counted.

/** Index of the bin holding `value`, or -1 when it falls outside the edges (or is NaN). */
export function binIndex(edges: Float64Array, value: number): number {
  const last = edges.length - 1;
  if (!(value >= edges[0] && value <= edges[last])) return -1;
  // largest i < last with edges[i] <= value: a value on the top edge lands in the last bin, and with repeated
  // edges in the later of the bins they bound, as numpy's searchsorted-based counting does
  let lo = 0;
  let hi = last - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid] <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** `np.histogram(values, bins=edges)[0]` as floating-point counts (edges ascending, at least two). */
export function histogramCounts(values: ArrayLike<number>, edges: Float64Array): Float64Array {
  if (edges.length < 2) throw new RangeError('a histogram needs at least two bin edges');
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i] >= edges[i - 1])) throw new RangeError('bin edges must increase monotonically');
  }
  const counts = new Float64Array(edges.length - 1);
  for (let k = 0; k < values.length; k++) {
    const i = binIndex(edges, values[k]);
    if (i >= 0) counts[i]++;
  }
  return counts;
}
