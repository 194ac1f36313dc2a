// Maximum mean discrepancy between two numeric samples with a permutation p-value: a port of Evidently's
// emperical_mmd stattest (mmd_stattest.py). Hand-written because no JavaScript library offers this test.
// Like Evidently: RBF kernel, bandwidth by the median heuristic on the reference's squared distances
// (numpy percentile 50 'nearest'), the unbiased MMD^2 with kernel diagonals removed, and p = share of permuted
// statistics >= the observed one. Unlike Evidently, permutations come from a seeded PRNG (not numpy's global state),
// so the p-value is deterministic but not numerically identical to Evidently's; the statistic is identical.
import { seededRandom, shuffleInPlace, type RandomSource } from './seeded-random.js';

export interface MmdOptions {
  /** Number of label permutations for the p-value (Evidently: 100). */
  permutations?: number;
  /** Seed of the permutation PRNG (and of subsampling). */
  seed?: number;
  /**
   * Largest sample used per side: the kernel matrix is (m + n)^2 doubles, so larger samples are first reduced to a
   * seeded random subsample of this size (default 1000, i.e. a 2000 x 2000 matrix of 32 MB).
   */
  maxSampleSize?: number;
}

export interface MmdResult {
  /** Unbiased squared MMD of the (possibly subsampled) samples; can be slightly negative when they agree. */
  statistic: number;
  /** Share of permutations whose MMD is at least the observed one. */
  pValue: number;
  /** Kernel bandwidth from the median heuristic. */
  sigma: number;
  /** Sample sizes actually used, after any subsampling. */
  referenceSize: number;
  currentSize: number;
}

/** Evidently's squared_paired_dist for one-column data: y_j^2 - 2 x_i y_j + x_i^2, in that order. */
function squaredDistance(a: number, b: number): number {
  return b * b - 2 * (a * b) + a * a;
}

/** numpy.percentile(d, 50, method='nearest'): the sorted value at index round-half-even((len - 1) / 2). */
function nearestMedian(values: Float64Array): number {
  const virtual = (values.length - 1) * 0.5;
  let index = Math.round(virtual);
  if (index - virtual === 0.5 && index % 2 === 1) index -= 1; // numpy.around rounds halves to even
  return selectInPlace(values, index);
}

/** The k-th smallest value (0-based), by Hoare's quickselect: linear time where a full sort of m^2 values is not. */
function selectInPlace(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/** Median-heuristic bandwidth (Evidently's sigma_median): sqrt(median / 2), or sqrt(1/2) when the median is 0. */
export function medianHeuristicSigma(reference: Float64Array): number {
  const m = reference.length;
  const distances = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) distances[i * m + j] = squaredDistance(reference[i], reference[j]);
  const sigma = Math.sqrt(0.5 * nearestMedian(distances));
  return sigma === 0 ? Math.sqrt(0.5) : sigma;
}

function subsample(values: Float64Array, size: number, random: RandomSource): Float64Array {
  if (values.length <= size) return values;
  const index = new Int32Array(values.length);
  for (let i = 0; i < index.length; i++) index[i] = i;
  shuffleInPlace(index, random);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = values[index[i]];
  return out;
}

/** Sum of kernel entries between members of `group` (indices into the pooled sample), both orders. */
function withinSum(kernel: Float64Array, size: number, group: Int32Array, from: number, to: number): number {
  let sum = 0;
  for (let a = from; a < to; a++) {
    const row = group[a] * size;
    for (let b = from; b < to; b++) sum += kernel[row + group[b]];
  }
  return sum;
}

export function empiricalMmd(reference: Float64Array, current: Float64Array, options: MmdOptions = {}): MmdResult {
  const permutations = options.permutations ?? 100;
  const maxSampleSize = options.maxSampleSize ?? 1000;
  const random = seededRandom(options.seed ?? 0);
  for (const [name, v] of [
    ['reference', reference],
    ['current', current],
  ] as const) {
    if (v.length < 2) throw new RangeError(`MMD needs at least two ${name} values, got ${v.length}`);
    for (const x of v) if (!Number.isFinite(x)) throw new RangeError(`MMD needs finite ${name} values; remove NaN first`);
  }
  const x = subsample(reference, maxSampleSize, random);
  const y = subsample(current, maxSampleSize, random);
  const m = x.length;
  const n = y.length;
  const size = m + n;
  const pooled = new Float64Array(size);
  pooled.set(x, 0);
  pooled.set(y, m);

  const sigma = medianHeuristicSigma(x);
  const gamma = 1 / (2 * sigma ** 2);
  // Pooled kernel matrix with a zero diagonal; entry (i, j) is computed as Evidently's rbf(row sample, column sample)
  const kernel = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      if (i === j) continue;
      // Evidently builds the lower-left block as the transpose of kxy, so both off-diagonal blocks use x as the row
      const d = i >= m && j < m ? squaredDistance(pooled[j], pooled[i]) : squaredDistance(pooled[i], pooled[j]);
      kernel[i * size + j] = Math.exp(-gamma * d);
    }
  }
  const rowSums = new Float64Array(size);
  let total = 0;
  for (let i = 0; i < size; i++) {
    let s = 0;
    for (let j = 0; j < size; j++) s += kernel[i * size + j];
    rowSums[i] = s;
    total += s;
  }
  const a = 1 / (m * (m - 1));
  const b = 1 / (n * (n - 1));
  const mmdOf = (xx: number, yy: number, xy: number): number => a * xx + b * yy - (2.0 * xy) / (m * n);

  const order = new Int32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  const observedXx = withinSum(kernel, size, order, 0, m);
  const observedYy = withinSum(kernel, size, order, m, size);
  let observedXy = 0;
  for (let i = m; i < size; i++) for (let j = 0; j < m; j++) observedXy += kernel[i * size + j];
  const statistic = mmdOf(observedXx, observedYy, observedXy);

  // Each permutation needs only the sums within the smaller group; the rest follow from the row sums and total.
  // Group members are visited in ascending index order so the kernel matrix is read mostly front to back.
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    shuffleInPlace(order, random);
    const smaller = m <= n ? order.slice(0, m).sort() : order.slice(m).sort();
    const within = withinSum(kernel, size, smaller, 0, smaller.length);
    let rows = 0;
    for (const k of smaller) rows += rowSums[k];
    const cross = rows - within;
    const rest = total - within - 2 * cross;
    const [xx, yy, xy] = m <= n ? [within, rest, cross] : [rest, within, cross];
    if (statistic <= mmdOf(xx, yy, xy)) atLeast++;
  }
  return { statistic, pValue: permutations > 0 ? atLeast / permutations : NaN, sigma, referenceSize: m, currentSize: n };
}
