// The 2 x k contingency table behind the chi-square and G tests: row 0 the reference counts, row 1 the current
// counts, one column per category over the union of both samples. A category new in current has a reference count
// of 0 and still counts; a category absent from both is dropped (scipy would fail on its zero expected count).

export interface ContingencyTable {
  /** observed[0] reference counts, observed[1] current counts, over the categories kept. */
  observed: [Float64Array, Float64Array];
  /** Expected counts under independence: row total * column total / grand total (scipy's expected_freq). */
  expected: [Float64Array, Float64Array];
  /** Degrees of freedom, (rows - 1) * (columns - 1). */
  dof: number;
}

export function checkCountVectors(referenceCounts: ArrayLike<number>, currentCounts: ArrayLike<number>): void {
  if (referenceCounts.length !== currentCounts.length) {
    throw new RangeError(
      `reference has ${referenceCounts.length} categories but current has ${currentCounts.length}; align them over the union of categories`,
    );
  }
  for (const [name, counts] of [
    ['reference', referenceCounts],
    ['current', currentCounts],
  ] as const) {
    let total = 0;
    for (let i = 0; i < counts.length; i++) {
      if (!(counts[i] >= 0) || !Number.isFinite(counts[i]))
        throw new RangeError(`${name} count ${i} is ${counts[i]}; expected a finite count >= 0`);
      total += counts[i];
    }
    if (total === 0) throw new RangeError(`the ${name} sample has no values; a drift test needs both samples`);
  }
}

export function contingencyTable(referenceCounts: ArrayLike<number>, currentCounts: ArrayLike<number>): ContingencyTable {
  checkCountVectors(referenceCounts, currentCounts);
  const ref: number[] = [];
  const cur: number[] = [];
  for (let i = 0; i < referenceCounts.length; i++) {
    if (referenceCounts[i] === 0 && currentCounts[i] === 0) continue;
    ref.push(referenceCounts[i]);
    cur.push(currentCounts[i]);
  }
  const observed: [Float64Array, Float64Array] = [Float64Array.from(ref), Float64Array.from(cur)];
  const rowTotals = observed.map((row) => row.reduce((s, v) => s + v, 0));
  const total = rowTotals[0] + rowTotals[1];
  const expected: [Float64Array, Float64Array] = [new Float64Array(ref.length), new Float64Array(ref.length)];
  for (let j = 0; j < ref.length; j++) {
    const columnTotal = ref[j] + cur[j];
    for (let r = 0; r < 2; r++) expected[r][j] = (rowTotals[r] * columnTotal) / total;
  }
  return { observed, expected, dof: ref.length - 1 };
}

/**
 * Yates' continuity correction as scipy applies it (only when dof is 1): each observed count moves towards its
 * expected count by 0.5, or by less when it is closer than that (scipy gh-13875).
 */
export function yatesCorrected(table: ContingencyTable): [Float64Array, Float64Array] {
  return table.observed.map((row, r) =>
    row.map((o, j) => {
      const diff = table.expected[r][j] - o;
      return o + Math.min(0.5, Math.abs(diff)) * Math.sign(diff);
    }),
  ) as [Float64Array, Float64Array];
}
