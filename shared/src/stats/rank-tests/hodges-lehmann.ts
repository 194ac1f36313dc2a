// The Hodges-Lehmann estimate of the location shift x - y and its confidence interval, as R's
// wilcox.test(x, y, conf.int = TRUE) computes them (and Kayenta's judge with it):
// - exact (both samples under 50 values, no ties): order statistics of the n*m differences picked by qwilcox;
// - otherwise the normal approximation with continuity and tie corrections, whose bounds are the roots of
//   wdiff(d) = (U(x - d, y) - nm/2 - sign * 0.5) / sigma(d) - z. R finds them with uniroot(tol = 1e-4); so does this,
//   with each wdiff evaluated by one merge of the sorted samples instead of a re-ranking.
// For large samples (n + m above R_EMULATION_LIMIT) the root search would cost ~100 merges a bound; the roots of
// the step function are then taken exactly, as the k-th pairwise differences (pairwise-differences.ts) where the
// function jumps: R's uniroot answer lies within its tolerance (1e-4 absolute) of these.
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { pairwiseDifferencesAtRanks } from './pairwise-differences.js';
import { zeroin } from './r-zeroin.js';
import { shiftedRankSum } from './wilcoxon-shift.js';

export const R_EXACT_MAX_N = 50;
export const R_EMULATION_LIMIT = 200_000;

export interface ShiftInterval {
  estimate: number;
  lower: number;
  upper: number;
  confidence: number;
  method: 'exact' | 'asymptotic' | 'asymptotic-jump';
}

/** x and y sorted ascending, without NaN; the shift estimated is x - y (canary - baseline for a judge). */
export function hodgesLehmannInterval(xs: Float64Array, ys: Float64Array, confidence = 0.95): ShiftInterval {
  const n = xs.length;
  const m = ys.length;
  if (n === 0 || m === 0) throw new RangeError('the Hodges-Lehmann interval needs two non-empty samples');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('confidence must be between 0 and 1');
  const alpha = 1 - confidence;
  const pooledTies = shiftedRankSum(xs, ys, 0).tieTerm;
  if (n < R_EXACT_MAX_N && m < R_EXACT_MAX_N && pooledTies === 0) return exactInterval(xs, ys, alpha, confidence);

  const muMin = xs[0] - ys[m - 1];
  const muMax = xs[n - 1] - ys[0];
  const zq = normalQuantile(1 - alpha / 2, 0, 1);
  if (n + m <= R_EMULATION_LIMIT) {
    const wdiff = (d: number, z: number) => wilcoxonDiff(xs, ys, d, z);
    const root = (z: number) => {
      const fLower = wdiff(muMin, z);
      const fUpper = wdiff(muMax, z);
      if (fLower <= 0) return muMin;
      if (fUpper >= 0) return muMax;
      return zeroin((d) => wdiff(d, z), muMin, muMax, fLower, fUpper).root;
    };
    const estimate = zeroin((d) => wdiff(d, 0), muMin, muMax, wdiff(muMin, 0), wdiff(muMax, 0)).root;
    return { estimate, lower: root(zq), upper: root(-zq), confidence, method: 'asymptotic' };
  }

  // Between jumps the pooled sample has only its within-sample ties, so sigma is the one at d = 0 minus the
  // between-sample ties (a generic shift breaks those).
  const withinTies = tieTermOf(xs) + tieTermOf(ys);
  const sigma = Math.sqrt(((n * m) / 12) * (n + m + 1 - withinTies / ((n + m) * (n + m - 1))));
  if (sigma === 0) throw new RangeError('cannot compute a confidence interval when all observations are tied');
  const N = n * m;
  // the bound for z: the rank where U(d) crosses N/2 + z sigma + sign(z) / 2 (clamped: R's root() returns mu_min / mu_max)
  const jumpRank = (z: number) => Math.floor(N - (N / 2 + z * sigma + Math.sign(z) * 0.5)) + 1;
  const kLower = jumpRank(zq);
  const kUpper = jumpRank(-zq);
  const medianRanks = N % 2 === 1 ? [(N + 1) / 2] : [N / 2, N / 2 + 1];
  const ranks = [...medianRanks, ...[kLower, kUpper].filter((k) => k >= 1 && k <= N)];
  const values = new Map(pairwiseDifferencesAtRanks(xs, ys, ranks).map((v, i) => [ranks[i], v]));
  const bound = (k: number) => (k < 1 ? muMin : k > N ? muMax : values.get(k)!);
  const estimate = medianRanks.length === 1 ? values.get(medianRanks[0])! : (values.get(medianRanks[0])! + values.get(medianRanks[1])!) / 2;
  return { estimate, lower: bound(kLower), upper: bound(kUpper), confidence, method: 'asymptotic-jump' };
}

/**
 * R's wdiff(d, zq) inside wilcox.test: the standardised rank statistic of x - d against y, with continuity and tie
 * corrections, minus zq. Its roots in d are the interval's bounds (zq = +-z) and the estimate (zq = 0).
 */
export function wilcoxonDiff(xs: Float64Array, ys: Float64Array, d: number, zq: number): number {
  const n = xs.length;
  const m = ys.length;
  const { u, tieTerm } = shiftedRankSum(xs, ys, d);
  const dz = u - (n * m) / 2;
  const sigma = Math.sqrt(((n * m) / 12) * (n + m + 1 - tieTerm / ((n + m) * (n + m - 1))));
  if (sigma === 0) throw new RangeError('cannot compute a confidence interval when all observations are tied');
  return (dz - Math.sign(dz) * 0.5) / sigma - zq;
}

function exactInterval(xs: Float64Array, ys: Float64Array, alpha: number, confidence: number): ShiftInterval {
  const n = xs.length;
  const m = ys.length;
  const diffs = new Float64Array(n * m);
  let at = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) diffs[at++] = xs[i] - ys[j];
  diffs.sort();
  let qu = qwilcox(alpha / 2, n, m);
  if (qu === 0) qu = 1;
  const ql = n * m - qu;
  const N = n * m;
  const estimate = N % 2 === 1 ? diffs[(N - 1) / 2] : (diffs[N / 2 - 1] + diffs[N / 2]) / 2;
  return { estimate, lower: diffs[qu - 1], upper: diffs[ql], confidence, method: 'exact' };
}

/** R's qwilcox(p, m, n) for p <= 0.5: the smallest q with P(W <= q) >= p (less R's 10 * DBL_EPSILON fuzz). */
export function qwilcox(p: number, m: number, n: number): number {
  const counts = wilcoxonCounts(m, n);
  let total = 0n;
  for (const c of counts) total += c;
  const target = p - 10 * 2.220446049250313e-16;
  let cumulative = 0;
  for (let q = 0; q < counts.length; q++) {
    cumulative += Number(counts[q]) / Number(total);
    if (cumulative >= target) return q;
  }
  return counts.length - 1;
}

/** Number of arrangements giving each U = 0..mn: the coefficients of the Gaussian binomial [m+n choose m]_q. */
function wilcoxonCounts(m: number, n: number): bigint[] {
  const degree = m * n;
  const coef = new Array<bigint>(degree + 1).fill(0n);
  coef[0] = 1n;
  const s = Math.min(m, n);
  const L = Math.max(m, n);
  for (let i = 1; i <= s; i++) {
    const up = L + i;
    for (let j = degree; j >= up; j--) coef[j] -= coef[j - up];
    for (let j = i; j <= degree; j++) coef[j] += coef[j - i];
  }
  return coef;
}

function tieTermOf(sorted: Float64Array): number {
  let term = 0;
  let run = 1;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) run++;
    else {
      if (run > 1) term += run * run * run - run;
      run = 1;
    }
  }
  return term;
}
