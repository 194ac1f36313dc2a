// The k-th smallest of the n*m differences x_i - y_j of two sorted samples, without forming them: 1M x 1M samples
// have 10^12 differences. Selection by sampling (as Floyd-Rivest selects): each round draws a few thousand of the
// remaining candidate differences, brackets the wanted rank between two sampled values, and counts the candidates
// below each bracket end in one O(n + m) two-pointer walk. Each round keeps ~5/sqrt(sample) of the candidates, so
// 10^12 candidates need 4-5 rounds before the rest are gathered and selected directly; an interval's bounds and
// estimate share their rounds while they are close. Measured on 1M x 1M (CPU time, this repository's 2-core box):
// one rank ~0.5 s, the four of a Hodges-Lehmann interval together ~0.85 s (1.3 s with a binary search per draw,
// ~2 s selecting them one by one). Written here because no npm package selects among implicit pairwise differences.
// Reference: tested against sorting all differences (test/unit/canary-promote/stats/rank-tests.test.ts).
import { seededRandom, type RandomSource } from '../distances/seeded-random.js';
import { selectRanksInPlace } from '../sorting/select-float64.js';

const SAMPLE_SIZE = 1 << 15;
const GATHER_LIMIT = 1 << 21;

/**
 * The k-th smallest (1-based) of x_i - y_j over all pairs; xs and ys sorted ascending, no NaN. Each difference is
 * the floating-point subtraction, exactly as R's outer(x, y, "-") forms it.
 */
export function kthPairwiseDifference(xs: Float64Array, ys: Float64Array, k: number, random: RandomSource = seededRandom(0x5eed)): number {
  return pairwiseDifferencesAtRanks(xs, ys, [k], random)[0];
}

/**
 * Several order statistics of the pairwise differences at once (an interval's bounds and its estimate): the
 * rounds that narrow the candidates are shared while the ranks lie close together relative to the candidates
 * left, and split once they do not. Returns the values in the order of `ks`.
 */
export function pairwiseDifferencesAtRanks(
  xs: Float64Array,
  ys: Float64Array,
  ks: number[],
  random: RandomSource = seededRandom(0x5eed),
): number[] {
  const n = xs.length;
  const m = ys.length;
  const total0 = n * m;
  for (const k of ks) if (!Number.isInteger(k) || k < 1 || k > total0) throw new RangeError(`rank ${k} is outside 1..${total0}`);
  const wanted = [...new Set(ks)].sort((a, b) => a - b);
  const found = new Map<number, number>();
  // Row i holds x_i - y_(m-1-p) for p = 0..m-1, ascending in p; candidates are p in [lo[i], hi[i]).
  refine(xs, ys, new Int32Array(n), new Int32Array(n).fill(m), 0, total0, wanted, found, random);
  return ks.map((k) => found.get(k)!);
}

/** `base`: how many differences lie below the candidates; `ranks`: sorted, all within (base, base + total]. */
function refine(
  xs: Float64Array,
  ys: Float64Array,
  lo: Int32Array,
  hi: Int32Array,
  base: number,
  total: number,
  ranks: number[],
  found: Map<number, number>,
  random: RandomSource,
): void {
  const n = xs.length;
  const m = ys.length;
  const newLo = new Int32Array(n);
  const newHi = new Int32Array(n);
  const positions = new Float64Array(SAMPLE_SIZE);
  const sample = new Float64Array(SAMPLE_SIZE);
  while (total > GATHER_LIMIT) {
    // Ranks far apart relative to the candidates (more than a sampling bracket's width) are refined apart.
    const spanShare = (ranks[ranks.length - 1] - ranks[0]) / total;
    if (ranks.length > 1 && spanShare > 8 / Math.sqrt(SAMPLE_SIZE)) {
      let cut = 1;
      for (let i = 2; i < ranks.length; i++) if (ranks[i] - ranks[i - 1] > ranks[cut] - ranks[cut - 1]) cut = i;
      refine(xs, ys, Int32Array.from(lo), Int32Array.from(hi), base, total, ranks.slice(0, cut), found, random);
      ranks = ranks.slice(cut);
      continue;
    }
    // Sorted random positions among the candidates, found by one walk over the rows (a binary search per draw
    // over a million row offsets cost more than everything else in a round).
    for (let t = 0; t < SAMPLE_SIZE; t++) positions[t] = Math.floor(random() * total);
    positions.sort();
    let row = 0;
    let rowStart = 0;
    for (let t = 0; t < SAMPLE_SIZE; t++) {
      const u = positions[t];
      while (rowStart + (hi[row] - lo[row]) <= u) {
        rowStart += hi[row] - lo[row];
        row++;
      }
      sample[t] = xs[row] - ys[m - 1 - (lo[row] + (u - rowStart))];
    }
    sample.sort();
    const spread = 2.5 * Math.sqrt(SAMPLE_SIZE) + 1;
    const ia = Math.floor(((ranks[0] - base) / total) * SAMPLE_SIZE - spread);
    const ib = Math.ceil(((ranks[ranks.length - 1] - base) / total) * SAMPLE_SIZE + spread);
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
    const under = ranks.filter((r) => r - base <= below);
    const over = ranks.filter((r) => r - base > upTo);
    const inside = ranks.filter((r) => r - base > below && r - base <= upTo);
    // A sample that missed some ranks (rare): those go on from the part of the candidates they fell in.
    if (under.length > 0) refine(xs, ys, Int32Array.from(lo), Int32Array.from(newLo), base, below, under, found, random);
    if (over.length > 0) refine(xs, ys, Int32Array.from(newHi), Int32Array.from(hi), base + upTo, total - upTo, over, found, random);
    if (inside.length === 0) return;
    // Many equal differences (integer data): the bracket may be one value, which is then the answer.
    if (tLo === tHi) {
      for (const r of inside) found.set(r, tLo);
      return;
    }
    ranks = inside;
    base += below;
    lo.set(newLo);
    hi.set(newHi);
    total = upTo - below;
  }
  const candidates = new Float64Array(total);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    for (let p = lo[i]; p < hi[i]; p++) candidates[at++] = x - ys[m - 1 - p];
  }
  const values = selectRanksInPlace(
    candidates,
    ranks.map((r) => r - base - 1),
  );
  ranks.forEach((r, i) => found.set(r, values[i]));
}

/**
 * For each row, the first position p whose difference is >= t (inclusive = false) or > t (inclusive = true),
 * clamped to the row's candidates. Differences grow with i, so the boundary only moves left: one walk.
 */
function boundaries(
  xs: Float64Array,
  ys: Float64Array,
  t: number,
  inclusive: boolean,
  lo: Int32Array,
  hi: Int32Array,
  out: Int32Array,
): void {
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
