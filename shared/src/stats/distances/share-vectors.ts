// Turning count vectors into shares and flooring empty bins the way Evidently's get_binned_data does, so the
// logarithms in PSI and KL divergence stay finite when a bin is empty in one sample.

/** Check that two vectors describe the same bins or categories and hold usable counts or shares. */
export function checkPairedVectors(reference: ArrayLike<number>, current: ArrayLike<number>): void {
  if (reference.length !== current.length) {
    throw new RangeError(`reference has ${reference.length} bins but current has ${current.length}; align them first`);
  }
  if (reference.length === 0) throw new RangeError('cannot compare distributions with no bins');
  for (const [name, v] of [
    ['reference', reference],
    ['current', current],
  ] as const) {
    let sum = 0;
    for (let i = 0; i < v.length; i++) {
      if (!(v[i] >= 0) || !Number.isFinite(v[i]))
        throw new RangeError(`${name} bin ${i} is ${v[i]}; expected a finite count or share >= 0`);
      sum += v[i];
    }
    if (sum === 0) throw new RangeError(`${name} distribution is empty (all bins are zero)`);
  }
}

/** Divide by the total, so counts and shares are both accepted. */
export function toShares(values: ArrayLike<number>): Float64Array {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const shares = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) shares[i] = values[i] / sum;
  return shares;
}

/**
 * Evidently's zero filling (`feel_zeroes` in get_binned_data): every empty bin becomes `floor` (0.0001), unless the
 * smallest non-empty share is itself <= floor, in which case empty bins become that share / 1e6 so they stay far
 * below every real bin. Shares are not renormalised afterwards, as in Evidently.
 */
export function floorEmptyShares(shares: Float64Array, floor = 1e-4): Float64Array {
  let smallest = Infinity;
  for (const s of shares) if (s !== 0 && s < smallest) smallest = s;
  const fill = smallest <= floor ? smallest / 1e6 : floor;
  return shares.map((s) => (s === 0 ? fill : s));
}
