// Puts a few order statistics of a Float64Array in their sorted places without sorting the rest: exact quantiles of
// millions of values need only the ranks they read, found in O(n log k) for k ranks instead of a full sort.
// Hand-written: the npm selection packages (mourner's `quickselect`, `floyd-rivest`) find one rank at a time through
// a comparator callback and have no worst-case bound; none selects several ranks of a Float64Array in one go.

import { sortFloat64InPlace } from './radix-sort-float64.js';

/**
 * Ranges shorter than this are sorted (by the built-in sort): a few thousand comparisons, and no pivot to get wrong.
 * Partitioning them around a median of three instead met patterns left by earlier partitions of sorted input that
 * picked a pivot next to the range's end again and again.
 */
const SORTED_BELOW = 600;

/**
 * Rearranges `values` in place so that, for every r in `ranks`, `values[r]` is the r-th smallest value (0-based),
 * with no larger value before it and no smaller one after it; the order elsewhere is unspecified. Returns the values
 * at `ranks`, in the order asked. Values must not be NaN (-0 and 0 count as equal). Expected time O(n log k) for k
 * distinct ranks; a range still unsolved after `partitionsAllowed` partitions on its path (by default twice the
 * ideal depth, log2 n) is sorted instead, so the worst case stays O(n log n).
 */
export function selectRanksInPlace(
  values: Float64Array,
  ranks: readonly number[],
  partitionsAllowed = depthBudget(values.length),
): number[] {
  const n = values.length;
  for (const rank of ranks) {
    if (!Number.isInteger(rank) || rank < 0 || rank >= n) throw new RangeError(`rank ${rank} is outside 0..${n - 1}`);
  }
  const wanted = Int32Array.from(new Set(ranks)).sort();
  if (wanted.length > 0) selectRange(values, 0, n - 1, wanted, 0, wanted.length - 1, partitionsAllowed);
  return ranks.map((rank) => values[rank]);
}

/** Partitions allowed on one path before a range is sorted instead (introselect's bound). */
function depthBudget(size: number): number {
  return 2 * Math.ceil(Math.log2(size + 1));
}

/** Places wanted[first..last] (ascending ranks, all inside lo..hi) within values[lo..hi]. */
function selectRange(a: Float64Array, lo: number, hi: number, wanted: Int32Array, first: number, last: number, depth: number): void {
  while (first <= last) {
    if (hi - lo < SORTED_BELOW || depth-- <= 0) {
      sortFloat64InPlace(a.subarray(lo, hi + 1));
      return;
    }
    // Partition around an estimate of the middle wanted rank: the ranks below the pivot's place go left, the ones
    // above go right, so each level of recursion halves the ranks still to find.
    const target = wanted[(first + last) >>> 1];
    const at = partition(a, lo, hi, sampledPivot(a, lo, hi, target));
    const split = firstAtLeast(wanted, first, last, at);
    const rightFirst = split <= last && wanted[split] === at ? split + 1 : split;
    selectRange(a, lo, at - 1, wanted, first, split - 1, depth);
    lo = at + 1;
    first = rightFirst;
  }
}

/**
 * Floyd and Rivest's pivot: select, within a window of about n^(2/3)/2 values around `target`, the value whose rank in
 * the window matches target's in the range, nudged a few standard deviations toward the nearer end so that the target
 * lands in the smaller part. The window is first filled with values spread evenly over the range, so that data
 * arriving sorted, reversed or in clusters still gives a representative sample.
 */
function sampledPivot(a: Float64Array, lo: number, hi: number, target: number): number {
  const n = hi - lo + 1;
  const m = target - lo + 1;
  const z = Math.log(n);
  const s = 0.5 * Math.exp((2 * z) / 3);
  const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m < n / 2 ? -1 : 1);
  const left = Math.min(target, Math.max(lo, Math.floor(target - (m * s) / n + sd)));
  const right = Math.max(target, Math.min(hi, Math.floor(target + ((n - m) * s) / n + sd)));
  const width = right - left + 1;
  const stride = n / width;
  for (let i = 0; i < width; i++) swap(a, left + i, lo + Math.floor(i * stride));
  selectRange(a, left, right, Int32Array.of(target), 0, 0, depthBudget(width));
  return target;
}

/**
 * Hoare-style partition of a[lo..hi] around the value at `pivot`; returns its final index p, with a[lo..p-1] <= a[p]
 * <= a[p+1..hi]. Scans stop on values equal to the pivot, so runs of duplicates split evenly instead of all to one side.
 */
function partition(a: Float64Array, lo: number, hi: number, pivot: number): number {
  const t = a[pivot];
  swap(a, lo, pivot);
  // Put the pivot at one end and a value on its side of it at the other: each serves as the other scan's sentinel.
  if (a[hi] > t) swap(a, lo, hi);
  let i = lo;
  let j = hi;
  while (i < j) {
    swap(a, i, j);
    i++;
    j--;
    while (a[i] < t) i++;
    while (a[j] > t) j--;
  }
  // Now a[lo..j] <= t <= a[j+1..hi], and the pivot sits at lo or at hi: move it to the boundary.
  if (a[lo] === t) swap(a, lo, j);
  else {
    j++;
    swap(a, j, hi);
  }
  return j;
}

/** First index in wanted[first..last] whose rank is at least `rank`; last + 1 when none is. */
function firstAtLeast(wanted: Int32Array, first: number, last: number, rank: number): number {
  let low = first;
  let high = last + 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (wanted[mid] < rank) low = mid + 1;
    else high = mid;
  }
  return low;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
