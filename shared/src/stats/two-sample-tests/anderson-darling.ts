// k-sample Anderson-Darling test for two samples, a port of scipy 1.10 `stats.anderson_ksamp([ref, cur])`
// (midrank=True). Hand-written: no JS library has Scholz & Stephens' midrank statistic or scipy's
// critical-value interpolation of the significance level.

import { numpySum, requireNonEmpty, sortedCopy, type TwoSampleResult } from './numpy-arithmetic.js';

/** Significance levels of Scholz & Stephens (1987) Table 2, as scipy lists them. */
const SIG = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];

/** Number of samples compared (k) and m = k - 1, fixed for a two-sample test. */
const K = 2;
const M = K - 1;

/** Critical values of the standardized statistic for two samples (scipy: b0 + b1/sqrt(m) + b2/m). */
export const AD_CRITICAL_VALUES: readonly number[] = B0.map((b0, i) => b0 + B1[i] / Math.sqrt(M) + B2[i] / M);

/**
 * Least-squares quadratic through (critical, log(sig)), like `np.polyfit(critical, log(sig), 2)`: columns scaled
 * to unit norm as numpy does, then solved by Householder QR (numpy uses an SVD; both are backward stable here).
 */
function quadraticFit(x: readonly number[], y: readonly number[]): [number, number, number] {
  const rows = x.length;
  const cols = 3;
  const A = x.map((xi) => [xi * xi, xi, 1]);
  const scale = [0, 1, 2].map((c) => Math.sqrt(A.reduce((s, r) => s + r[c] * r[c], 0)));
  for (const r of A) for (let c = 0; c < cols; c++) r[c] /= scale[c];
  const b = [...y];
  for (let c = 0; c < cols; c++) {
    let norm = 0;
    for (let r = c; r < rows; r++) norm += A[r][c] * A[r][c];
    norm = Math.sqrt(norm);
    const alpha = A[c][c] > 0 ? -norm : norm;
    const v = new Array<number>(rows).fill(0);
    for (let r = c; r < rows; r++) v[r] = A[r][c];
    v[c] -= alpha;
    const vv = v.reduce((s, vi) => s + vi * vi, 0);
    for (let cc = c; cc < cols; cc++) {
      let dot = 0;
      for (let r = c; r < rows; r++) dot += v[r] * A[r][cc];
      for (let r = c; r < rows; r++) A[r][cc] -= (2 * dot * v[r]) / vv;
    }
    let dot = 0;
    for (let r = c; r < rows; r++) dot += v[r] * b[r];
    for (let r = c; r < rows; r++) b[r] -= (2 * dot * v[r]) / vv;
  }
  const coef = [0, 0, 0];
  for (let c = cols - 1; c >= 0; c--) {
    let s = b[c];
    for (let cc = c + 1; cc < cols; cc++) s -= A[c][cc] * coef[cc];
    coef[c] = s / A[c][c];
  }
  return [coef[0] / scale[0], coef[1] / scale[1], coef[2] / scale[2]];
}

const LOG_SIG_FIT = quadraticFit(AD_CRITICAL_VALUES, SIG.map(Math.log));

/** scipy's significance level: interpolated from the critical values and capped to [0.001, 0.25]. */
export function andersonSignificanceLevel(a2: number): number {
  const critMin = Math.min(...AD_CRITICAL_VALUES);
  const critMax = Math.max(...AD_CRITICAL_VALUES);
  if (a2 < critMin) return Math.max(...SIG);
  if (a2 > critMax) return Math.min(...SIG);
  const [c2, c1, c0] = LOG_SIG_FIT;
  return Math.exp((c2 * a2 + c1) * a2 + c0);
}

/**
 * scipy.stats.anderson_ksamp([reference, current]) with midranks. `statistic` is scipy's standardized A2 and
 * `pValue` is scipy's `significance_level`, which is NOT an exact p-value: it is interpolated from tabulated
 * critical values and capped to the range [0.001, 0.25] (0.25 means "0.25 or more", 0.001 "0.001 or less").
 * Throws when a sample is empty, when fewer than 3 values are given in total, or when all values are equal
 * (scipy raises on these too).
 */
export function andersonKSamp(reference: Float64Array, current: Float64Array): TwoSampleResult {
  requireNonEmpty('Anderson-Darling test', reference, current);
  const samples = [sortedCopy(reference), sortedCopy(current)];
  const n = samples.map((s) => s.length);
  const N = n[0] + n[1];
  const Z = new Float64Array(N);
  Z.set(samples[0]);
  Z.set(samples[1], n[0]);
  Z.sort();
  // distinct pooled values Zstar with their multiplicity lj and how many pooled values lie below them
  const zstar: number[] = [];
  const below: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < N;) {
    let j = i;
    while (j < N && Z[j] === Z[i]) j++;
    zstar.push(Z[i]);
    below.push(i);
    counts.push(j - i);
    i = j;
  }
  if (zstar.length < 2) {
    throw new Error('Anderson-Darling test: all values in both samples are equal; at least two distinct values are needed');
  }
  if (N < 3) throw new Error('Anderson-Darling test: at least 3 values in total are needed');
  const noTies = zstar.length === N;
  let A2kN = 0;
  for (let s = 0; s < K; s++) {
    const sample = samples[s];
    const inner = new Float64Array(zstar.length);
    let right = 0;
    for (let j = 0; j < zstar.length; j++) {
      const z = zstar[j];
      const left = right;
      while (right < sample.length && sample[right] <= z) right++;
      // sample[left..right) equals z when present, since every sample value is one of the pooled values
      let firstEq = left;
      while (firstEq < right && sample[firstEq] < z) firstEq++;
      const fij = right - firstEq;
      const Mij = right - fij / 2;
      const lj = noTies ? 1 : counts[j];
      const Bj = below[j] + lj / 2;
      const dev = N * Mij - Bj * n[s];
      inner[j] = ((lj / N) * (dev * dev)) / (Bj * (N - Bj) - (N * lj) / 4);
    }
    A2kN += numpySum(inner) / n[s];
  }
  A2kN *= (N - 1) / N;

  const H = 1 / n[0] + 1 / n[1];
  // hs_cs = cumsum(1 / [N-1, N-2, ..., 2]); h = hs_cs[-1] + 1; g = sum(hs_cs / [2, ..., N-1])
  const ratios = new Float64Array(N - 2);
  let cum = 0;
  for (let i = 0; i < N - 2; i++) {
    cum += 1 / (N - 1 - i);
    ratios[i] = cum / (2 + i);
  }
  const h = cum + 1;
  const g = numpySum(ratios);
  const a = (4 * g - 6) * (K - 1) + (10 - 6 * g) * H;
  const b = (2 * g - 4) * K ** 2 + 8 * h * K + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * K ** 2 + (4 * h - 4 * g + 6) * K + (2 * h - 6) * H + 4 * h;
  const d = (2 * h + 6) * K ** 2 - 4 * h * K;
  const sigmasq = (a * N ** 3 + b * N ** 2 + c * N + d) / ((N - 1) * (N - 2) * (N - 3));
  const A2 = (A2kN - M) / Math.sqrt(sigmasq);
  return { statistic: A2, pValue: andersonSignificanceLevel(A2) };
}
