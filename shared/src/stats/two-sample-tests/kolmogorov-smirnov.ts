// Two-sample Kolmogorov-Smirnov test, a port of scipy 1.10 `stats.ks_2samp` (two-sided, method 'auto').
// Hand-written because no JS library implements scipy's exact lattice-path p-value or its 'auto' fallbacks.

import { kolmogorovSmirnovSf } from './kolmogorov-distribution.js';
import { gcd, requireNonEmpty, roundHalfEven, sortedCopy, type TwoSampleResult } from './numpy-arithmetic.js';

/** scipy's MAX_AUTO_N: 'auto' uses the exact distribution when both samples have at most this many values. */
export const KS_MAX_EXACT_N = 10000;

/**
 * The two-sided KS statistic D = max |F_ref(x) - F_cur(x)| from two samples already sorted ascending, in
 * O(n + m). Evaluated at every pooled value exactly as scipy does (searchsorted 'right' / n, then difference).
 */
export function ksStatisticSorted(reference: Float64Array, current: Float64Array): number {
  const n1 = reference.length;
  const n2 = current.length;
  let i = 0;
  let j = 0;
  let maxS = -Infinity;
  let minDiff = Infinity;
  while (i < n1 || j < n2) {
    // next distinct pooled value; both cdfs are evaluated after consuming every copy of it
    const v = j >= n2 || (i < n1 && reference[i] <= current[j]) ? reference[i] : current[j];
    while (i < n1 && reference[i] <= v) i++;
    while (j < n2 && current[j] <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minDiff) minDiff = diff;
  }
  const minS = Math.min(Math.max(-minDiff, 0), 1);
  return minS > maxS ? minS : maxS;
}

/**
 * Proportion of lattice paths leaving the band |x - y| < h for equal sample sizes (scipy
 * `_compute_prob_outside_square`): Horner form of 2 * sum (-1)^k binom(2n, n-kh) / binom(2n, n).
 */
function probOutsideSquare(n: number, h: number): number {
  let P = 0.0;
  let k = Math.floor(n / h);
  while (k >= 0) {
    let p1 = 1.0;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1.0 - P);
    k -= 1;
  }
  return 2 * P;
}

/**
 * Proportion of lattice paths from (0,0) to (m,n) that do not stay strictly inside |x/m - y/n| < h/lcm(m,n)
 * (scipy `_compute_outer_prob_inside_method`, Hodges 1958 with Viehmann's recursion for 1 - p).
 */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  let m = m0;
  let n = n0;
  if (m < n) [m, n] = [n, m];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  for (let k = minj; k < Math.min(maxj, lenA); k++) A[k] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.max(Math.floor((ng * i - h) / mg) + 1, 0);
    minj = Math.min(minj, n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1.0;
    let val = minj === 0 ? 0.0 : 1.0;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) {
      for (let k = maxj - minj; k < Math.min(maxj - minj + (lastlen - curlen), lenA); k++) A[k] = 1;
    }
  }
  return A[maxj - minj - 1];
}

/** scipy `_attempt_exact_2kssamp` for the two-sided alternative: the statistic snapped to the lattice, and p. */
function attemptExact(n1: number, n2: number, g: number, d: number): { ok: boolean; d: number; p: number } {
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const snapped = (h * 1.0) / lcm;
  if (h === 0) return { ok: true, d: snapped, p: 1.0 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  // scipy gives up on the exact value when rounding pushed it outside [0, 1] (or it is NaN)
  return { ok: p >= 0 && p <= 1, d: snapped, p };
}

/**
 * Smirnov's asymptotic two-sided p-value for a KS statistic d between samples of sizes n1 and n2, as scipy's
 * ks_2samp uses it past MAX_AUTO_N: kstwo.sf(d, round(n1*n2/(n1+n2))). For statistics computed from sketches.
 */
export function ksAsymptoticPValue(d: number, n1: number, n2: number): number {
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  return Math.min(Math.max(kolmogorovSmirnovSf(d, roundHalfEven(en)), 0), 1);
}

function ksFromStatistic(n1: number, n2: number, rawD: number): TwoSampleResult {
  let d = rawD;
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const exact = attemptExact(n1, n2, gcd(n1, n2), d);
    d = exact.d;
    if (exact.ok) return { statistic: d, pValue: Math.min(Math.max(exact.p, 0), 1) };
  }
  return { statistic: d, pValue: ksAsymptoticPValue(d, n1, n2) };
}

/**
 * scipy.stats.ks_2samp(reference, current) with the defaults (two-sided, method 'auto'). When the exact method is
 * used the statistic is returned as scipy returns it: snapped to the nearest multiple of 1/lcm(n1, n2).
 */
export function ks2samp(reference: Float64Array, current: Float64Array): TwoSampleResult {
  requireNonEmpty('Kolmogorov-Smirnov test', reference, current);
  return ks2sampSorted(sortedCopy(reference), sortedCopy(current));
}

/** ks2samp for samples the caller has already sorted ascending (skips the O(n log n) sort). */
export function ks2sampSorted(reference: Float64Array, current: Float64Array): TwoSampleResult {
  requireNonEmpty('Kolmogorov-Smirnov test', reference, current);
  return ksFromStatistic(reference.length, current.length, ksStatisticSorted(reference, current));
}
