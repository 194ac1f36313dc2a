// Floating-point helpers that reproduce numpy/Python arithmetic bit for bit (pairwise sums, round-half-even,
// float floor division), so the ported scipy tests round the same way scipy does.
import { sortFloat64InPlace } from '../sorting/radix-sort-float64.js';

/** Result of a two-sample test; `pValue` is NaN where the test only defines a statistic. */
export interface TwoSampleResult {
  statistic: number;
  pValue: number;
}

/** Samples smaller than this are summed sequentially by numpy (`pairwise_sum` in numpy's loops). */
const PAIRWISE_UNROLL = 8;
/** numpy's PW_BLOCKSIZE: up to this many values are summed with 8 interleaved accumulators. */
const PAIRWISE_BLOCK = 128;
/** numpy reduces contiguous float64 arrays in buffers of this many elements (NPY_BUFSIZE). */
const NUMPY_BUFFER = 8192;

function pairwiseSum(values: ArrayLike<number>, start: number, n: number): number {
  if (n < PAIRWISE_UNROLL) {
    let res = 0;
    for (let i = 0; i < n; i++) res += values[start + i];
    return res;
  }
  if (n <= PAIRWISE_BLOCK) {
    const r = new Float64Array(8);
    for (let j = 0; j < 8; j++) r[j] = values[start + j];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j] += values[start + i + j];
    }
    let res = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) res += values[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(values, start, n2) + pairwiseSum(values, start + n2, n - n2);
}

/** `np.sum` of a contiguous float64 array (buffered pairwise summation). */
export function numpySum(values: ArrayLike<number>): number {
  let res = 0;
  for (let s = 0; s < values.length; s += NUMPY_BUFFER) {
    res += pairwiseSum(values, s, Math.min(NUMPY_BUFFER, values.length - s));
  }
  return res;
}

/** `np.mean` of a float64 array. */
export function numpyMean(values: ArrayLike<number>): number {
  return numpySum(values) / values.length;
}

/** `np.var(values, ddof=ddof)`: mean of squared deviations, scaled by n/(n-ddof) as scipy's `_var` does. */
export function numpyVariance(values: ArrayLike<number>, ddof = 0): number {
  const n = values.length;
  const mean = numpyMean(values);
  const squares = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    squares[i] = d * d;
  }
  const variance = numpySum(squares) / n;
  return ddof === 0 ? variance : variance * (n / (n - ddof));
}

/** `np.round` (round half to even), used by scipy to turn real products into lattice steps. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Python's float `a // b` (CPython float_floor_div), which scipy's exact Cramér-von Mises uses on float input. */
export function pythonFloorDiv(a: number, b: number): number {
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) {
    mod += b;
    div -= 1;
  }
  if (div === 0) return 0 * (a / b);
  const floored = Math.floor(div);
  return div - floored > 0.5 ? floored + 1 : floored;
}

export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** A sorted copy (numeric order) of a sample; Float64Array.prototype.sort is numeric and fast. */
export function sortedCopy(sample: Float64Array): Float64Array {
  // Callers only read the result, so an already sorted sample (drift profiles sort theirs) is used as it is:
  // copying millions of values would double the memory for nothing.
  for (let i = 1; i < sample.length; i++) if (sample[i - 1] > sample[i]) return sortFloat64InPlace(Float64Array.from(sample));
  return sample;
}

/**
 * Rejects empty samples: every test here is undefined without data. Callers remove missing and non-finite values
 * before calling and turn this into a user-facing message.
 */
export function requireNonEmpty(test: string, reference: Float64Array, current: Float64Array): void {
  if (reference.length === 0 || current.length === 0) {
    const which = reference.length === 0 ? 'reference' : 'current';
    throw new Error(`${test}: the ${which} sample is empty; at least one value is needed`);
  }
}
