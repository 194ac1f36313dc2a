// Average ("midrank") ranks of two samples within their pooled sample, as scipy.stats.rankdata(method='average')
// assigns them; used by the rank-based tests (Cramér-von Mises, Mann-Whitney).

/**
 * Ranks (1-based, ties averaged) of each value of `a` and `b` within the pooled sample, computed by merging two
 * ascending arrays in O(n + m). Entry i of `ranksA` belongs to `a[i]`. Also returns the sizes of the tie groups.
 */
export function midranksOfSorted(a: Float64Array, b: Float64Array): { ranksA: Float64Array; ranksB: Float64Array; tieSizes: number[] } {
  const ranksA = new Float64Array(a.length);
  const ranksB = new Float64Array(b.length);
  const tieSizes: number[] = [];
  let i = 0;
  let j = 0;
  let below = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
    let ie = i;
    while (ie < a.length && a[ie] === v) ie++;
    let je = j;
    while (je < b.length && b[je] === v) je++;
    const count = ie - i + (je - j);
    // scipy: 0.5 * (cumulative count up to and including the group + cumulative count before it + 1)
    const rank = 0.5 * (below + count + below + 1);
    ranksA.fill(rank, i, ie);
    ranksB.fill(rank, j, je);
    tieSizes.push(count);
    below += count;
    i = ie;
    j = je;
  }
  return { ranksA, ranksB, tieSizes };
}
