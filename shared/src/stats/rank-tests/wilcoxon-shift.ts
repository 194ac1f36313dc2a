// The rank sum of x - d within (x - d, y) and its tie structure, in one merge of the two sorted samples: what R's
// wilcox.test re-ranks from scratch (rank(c(x - d, y))) at every step of its root search, in O(n + m).

export interface ShiftedRankSum {
  /** Mann-Whitney U of x - d against y (pairs x_i - d > y_j, ties counted 1/2). */
  u: number;
  /** sum over tie groups of t^3 - t in the pooled sample. */
  tieTerm: number;
}

/** xs and ys sorted ascending; d = 0 gives the plain Mann-Whitney U of x against y. */
export function shiftedRankSum(xs: Float64Array, ys: Float64Array, d: number): ShiftedRankSum {
  const n = xs.length;
  const m = ys.length;
  let i = 0;
  let j = 0;
  let below = 0;
  let rankSum = 0;
  let tieTerm = 0;
  while (i < n || j < m) {
    const xv = i < n ? xs[i] - d : Infinity;
    const v = j >= m || (i < n && xv <= ys[j]) ? xv : ys[j];
    let a = 0;
    while (i < n && xs[i] - d === v) {
      i++;
      a++;
    }
    let b = 0;
    while (j < m && ys[j] === v) {
      j++;
      b++;
    }
    const t = a + b;
    if (a > 0) rankSum += a * (below + (t + 1) / 2);
    if (t > 1) tieTerm += t * t * t - t;
    below += t;
  }
  return { u: rankSum - (n * (n + 1)) / 2, tieTerm };
}
