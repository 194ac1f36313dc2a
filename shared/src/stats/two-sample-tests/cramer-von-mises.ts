// Two-sample Cramér-von Mises test, a port of scipy 1.10 `stats.cramervonmises_2samp` (method 'auto': exact
// distribution when both samples have at most 20 values, else the limiting distribution). Hand-written: no JS
// library has Anderson's (1962) statistic, the exact frequency-table recursion or Csörgő & Faraway's limiting CDF.

import gammaln from '@stdlib/math-base-special-gammaln';
import { numpySum, pythonFloorDiv, requireNonEmpty, sortedCopy, type TwoSampleResult } from './numpy-arithmetic.js';
import { midranksOfSorted } from './ranks.js';

/** scipy 'auto' uses the exact distribution when max(n, m) is at most this. */
export const CVM_MAX_EXACT_N = 20;

/**
 * exp(x) * K_nu(x), the exponentially scaled modified Bessel function of the second kind, from
 * K_nu(x) = integral_0^inf exp(-x cosh t) cosh(nu t) dt by the trapezoidal rule, which converges geometrically for
 * this analytic, rapidly decaying integrand. (No maintained JS library offers K_nu for fractional order.)
 */
export function besselKScaled(nu: number, x: number): number {
  const step = Math.min(0.02, 0.1 / Math.sqrt(x));
  let sum = 0.5; // f(0) / 2 with f(0) = 1
  let previous = 1;
  for (let k = 1; k < 1e6; k++) {
    const t = k * step;
    const f = Math.exp(-x * (Math.cosh(t) - 1)) * Math.cosh(nu * t);
    sum += f;
    if (f < previous && f < 1e-18 * sum) break;
    previous = f;
  }
  return sum * step;
}

/**
 * CDF of the limiting Cramér-von Mises distribution (scipy `_cdf_cvm_inf`, Csörgő & Faraway 1996 eq. 1.2), summing
 * terms until one is below 1e-7 exactly as scipy does.
 */
export function cdfCvmInf(x: number): number {
  let tot = 0;
  for (let k = 0; ; k++) {
    const u = Math.exp(gammaln(k + 0.5) - gammaln(k + 1)) / (Math.PI ** 1.5 * Math.sqrt(x));
    const y = 4 * k + 1;
    const q = (y * y) / (16 * x);
    // exp(-q) * K_{1/4}(q) == exp(-2q) * (exp(q) K_{1/4}(q))
    const z = u * Math.sqrt(y) * Math.exp(-2 * q) * besselKScaled(0.25, q);
    tot += z;
    if (!(Math.abs(z) >= 1e-7)) return tot;
  }
}

/**
 * Exact p-value P(U >= s) of the two-sample statistic U (scipy `_pval_cvm_2samp_exact`, Xiao, Gordon & Gordon
 * 2007 frequency tables). Counts stay below 2^53 for sizes up to 20, so doubles hold them exactly.
 */
export function pvalCvm2sampExact(s: number, m: number, n: number): number {
  const g = gcdInt(m, n);
  const lcm = (m / g) * n;
  const a = lcm / m;
  const b = lcm / n;
  const mn = m * n;
  const zeta = pythonFloorDiv(lcm ** 2 * (m + n) * (6 * s - mn * (4 * mn - 1)), 6 * mn ** 2);
  let gs: Map<number, number>[] = [new Map([[0, 1]])];
  for (let v = 0; v < m; v++) gs.push(new Map());
  for (let u = 0; u <= n; u++) {
    const next: Map<number, number>[] = [];
    let tmp = new Map<number, number>();
    for (let v = 0; v <= m; v++) {
      // g_{u,v} = shift(g_{u-1,v} + g_{u,v-1}) by (a v - b u)^2
      const shift = (a * v - b * u) ** 2;
      const merged = new Map<number, number>();
      for (const [value, freq] of tmp) merged.set(value + shift, freq);
      for (const [value, freq] of gs[v]) merged.set(value + shift, (merged.get(value + shift) ?? 0) + freq);
      tmp = merged;
      next.push(tmp);
    }
    gs = next;
  }
  let hits = 0;
  for (const [value, freq] of gs[m]) if (value >= zeta) hits += freq;
  return hits / binomialExact(m + n, m);
}

function gcdInt(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** binom(n, k) for small n (<= 40 here), exact in doubles. */
function binomialExact(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/**
 * scipy.stats.cramervonmises_2samp(reference, current) with method 'auto'. Like scipy it requires at least two
 * values in each sample and throws otherwise.
 */
export function cramerVonMises2samp(reference: Float64Array, current: Float64Array): TwoSampleResult {
  requireNonEmpty('Cramér-von Mises test', reference, current);
  if (reference.length < 2 || current.length < 2) {
    const which = reference.length < 2 ? 'reference' : 'current';
    throw new Error(`Cramér-von Mises test: the ${which} sample has a single value; at least two are needed`);
  }
  const xa = sortedCopy(reference);
  const ya = sortedCopy(current);
  const nx = xa.length;
  const ny = ya.length;
  const { ranksA, ranksB } = midranksOfSorted(xa, ya);
  const sq = (ranks: Float64Array): number => {
    const d = new Float64Array(ranks.length);
    for (let i = 0; i < ranks.length; i++) {
      const r = ranks[i] - (i + 1);
      d[i] = r * r;
    }
    return numpySum(d);
  };
  let u = nx * sq(ranksA);
  u += ny * sq(ranksB);
  const k = nx * ny;
  const N = nx + ny;
  const t = u / (k * N) - (4 * k - 1) / (6 * N);
  if (Math.max(nx, ny) <= CVM_MAX_EXACT_N) return { statistic: t, pValue: pvalCvm2sampExact(u, nx, ny) };
  const et = (1 + 1 / N) / 6;
  let vt = (N + 1) * (4 * k * N - 3 * (nx ** 2 + ny ** 2) - 2 * k);
  vt = vt / (45 * N ** 2 * 4 * k);
  const tn = 1 / 6 + (t - et) / Math.sqrt(45 * vt);
  const p = tn < 0.003 ? 1.0 : Math.max(0, 1 - cdfCvmInf(tn));
  return { statistic: t, pValue: p };
}
