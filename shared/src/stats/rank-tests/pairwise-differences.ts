// The k-th smallest of the n*m differences x_i - y_j of two sorted samples, without forming them: 1M x 1M samples
// have 10^12 differences. Selection by sampling (as Floyd-Rivest selects): each round draws a few thousand of the
// remaining candidate differences, brackets the wanted rank between two sampled values, and counts the candidates
// below each bracket end in one O(n + m) two-pointer walk. Each round keeps ~5/sqrt(sample) of the candidates, so
// 10^12 candidates need 4-5 rounds before the rest are gathered and selected directly.
// Reference: tested against sorting all differences (test/unit/canary-promote/stats/pairwise-differences.test.ts).
import { seededRandom, type RandomSource } from '../distances/seeded-random.js';
import { selectRanksInPlace } from '../sorting/select-float64.js';

const SAMPLE_SIZE = 1 << 15;
const GATHER_LIMIT = 1 << 21;

/**
 * The k-th smallest (1-based) of x_i - y_j over all pairs; xs and ys sorted ascending, no NaN. Each difference is
 * the floating-point subtraction, exactly as R's outer(x, y, "-") forms it.
 */
export function kthPairwiseDifference(xs: Float64Array, ys: Float64Array, k: number, random: RandomSource = seededRandom(0x5eed)): number {
  const n = xs.length;
  const m = ys.length;
  const total0 = n * m;
  if (!Number.isInteger(k) || k < 1 || k > total0) throw new RangeError(`rank ${k} is outside 1..${total0}`);
  // Row i holds x_i - y_(m-1-p) for p = 0..m-1, ascending in p; candidates are p in [lo[i], hi[i]).
  const lo = new Int32Array(n);
  const hi = new Int32Array(n).fill(m);
  let rank = k;
  let total = total0;
  const prefix = new Float64Array(n + 1);
  const sample = new Float64Array(SAMPLE_SIZE);
  const newLo = new Int32Array(n);
  const newHi = new Int32Array(n);
  while (total > GATHER_LIMIT) {
    for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + (hi[i] - lo[i]);
    for (let t = 0; t < SAMPLE_SIZE; t++) {
      const u = Math.floor(random() * total);
      let a = 0;
      let b = n;
      while (b - a > 1) {
        const mid = (a + b) >>> 1;
        if (prefix[mid] <= u) a = mid;
        else b = mid;
      }
      const p = lo[a] + (u - prefix[a]);
      sample[t] = xs[a] - ys[m - 1 - p];
    }
    sample.sort();
    const expected = (rank / total) * SAMPLE_SIZE;
    const spread = 2.5 * Math.sqrt(SAMPLE_SIZE) + 1;
    const ia = Math.floor(expected - spread);
    const ib = Math.ceil(expected + spread);
    const tLo = ia < 0 ? -Infinity : sample[ia];
    const tHi = ib >= SAMPLE_SIZE ? Infinity : sample[ib];
    boundaries(xs, ys, tLo, false, lo, hi, newLo);
    boundaries(xs, ys, tHi, true, lo, hi, newHi);
    let below = 0;
    let upTo = 0;
    for (let i = 0; i < n; i++) {
      below += newLo[i] - lo[i];
      upTo += newHi[i] - lo[i];
    }
    if (rank <= below) hi.set(newLo);
    else if (rank > upTo) {
      rank -= upTo;
      lo.set(newHi);
    } else {
      // Many equal differences (integer data): the bracket may be one value, which is then the answer.
      if (tLo === tHi) return tLo;
      rank -= below;
      lo.set(newLo);
      hi.set(newHi);
    }
    total = 0;
    for (let i = 0; i < n; i++) total += hi[i] - lo[i];
  }
  const candidates = new Float64Array(total);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    for (let p = lo[i]; p < hi[i]; p++) candidates[at++] = x - ys[m - 1 - p];
  }
  return selectRanksInPlace(candidates, [rank - 1])[0];
}

/**
 * For each row, the first position p whose difference is >= t (inclusive = false) or > t (inclusive = true),
 * clamped to the row's candidates. Differences grow with i, so the boundary only moves left: one walk.
 */
function boundaries(xs: Float64Array, ys: Float64Array, t: number, inclusive: boolean, lo: Int32Array, hi: Int32Array, out: Int32Array): void {
  const n = xs.length;
  const m = ys.length;
  let p = m;
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    if (inclusive) while (p > 0 && x - ys[m - p] > t) p--;
    else while (p > 0 && x - ys[m - p] >= t) p--;
    out[i] = p < lo[i] ? lo[i] : p > hi[i] ? hi[i] : p;
  }
}
