// Distances between two binned distributions (per-bin counts or shares over the same bins or categories), matching
// Evidently's stattests and scipy: PSI, Kullback-Leibler, Jensen-Shannon, Hellinger and total variation.
import { checkPairedVectors, floorEmptyShares, toShares } from './share-vectors.js';

function flooredShares(values: ArrayLike<number>, floor: number | null): Float64Array {
  const shares = toShares(values);
  return floor === null ? shares : floorEmptyShares(shares, floor);
}

/** The vector itself, or its shares with empty bins floored (relativeEntropy renormalises, as scipy's entropy does). */
function flooredOrNot(values: ArrayLike<number>, floor: number | null): ArrayLike<number> {
  return floor === null ? values : flooredShares(values, floor);
}

/** Shares summing to 1 after optional flooring, normalised once more only when flooring added mass (as scipy does). */
function normalisedShares(values: ArrayLike<number>, floor: number | null): Float64Array {
  return floor === null ? toShares(values) : toShares(flooredShares(values, floor));
}

/**
 * Population stability index, Evidently's psi stattest: sum((ref - cur) * ln(ref / cur)) over shares whose empty
 * bins were floored (see floorEmptyShares; `floor` null turns flooring off and lets an empty bin give Infinity).
 */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>, floor: number | null = 1e-4): number {
  checkPairedVectors(reference, current);
  const p = flooredShares(reference, floor);
  const q = flooredShares(current, floor);
  let value = 0;
  for (let i = 0; i < p.length; i++) value += (p[i] - q[i]) * Math.log(p[i] / q[i]);
  return value;
}

/** scipy.special.rel_entr: x ln(x / y), 0 when x is 0, Infinity when only y is 0, NaN from NaN. */
function relEntr(x: number, y: number): number {
  if (x === 0 && y >= 0) return 0;
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x !== x || y !== y) return NaN;
  return Infinity;
}

/**
 * scipy.stats.entropy(pk, qk): KL(pk || qk) in nats, both renormalised to sum 1 first, Infinity where pk > 0 = qk;
 * NaN when either sums to 0 (no distribution). No flooring and no checks: data-gate's KL rule on a user's partition
 * and, after them, klDivergence both end here.
 */
export function relativeEntropy(pk: ArrayLike<number>, qk: ArrayLike<number>): number {
  if (pk.length !== qk.length) throw new RangeError(`pk has ${pk.length} entries but qk has ${qk.length}`);
  const p = toShares(pk);
  const q = toShares(qk);
  let value = 0;
  for (let i = 0; i < p.length; i++) value += relEntr(p[i], q[i]);
  return value;
}

/**
 * Kullback-Leibler divergence KL(reference || current) in nats, Evidently's kl_div stattest:
 * scipy.stats.entropy(ref, cur) on floored shares (entropy renormalises both to sum 1 first).
 */
export function klDivergence(reference: ArrayLike<number>, current: ArrayLike<number>, floor: number | null = 1e-4): number {
  checkPairedVectors(reference, current);
  return relativeEntropy(flooredOrNot(reference, floor), flooredOrNot(current, floor));
}

/**
 * scipy.spatial.distance.jensenshannon(ref, cur) with the natural log: sqrt((KL(p||m) + KL(q||m)) / 2), m the
 * average. Empty bins are fine here; Evidently's jensenshannon test floors them first (pass `floor` = 1e-4 for that).
 */
export function jensenShannonDistance(reference: ArrayLike<number>, current: ArrayLike<number>, floor: number | null = null): number {
  checkPairedVectors(reference, current);
  const pn = normalisedShares(reference, floor);
  const qn = normalisedShares(current, floor);
  let left = 0;
  let right = 0;
  for (let i = 0; i < pn.length; i++) {
    const m = (pn[i] + qn[i]) / 2;
    left += relEntr(pn[i], m);
    right += relEntr(qn[i], m);
  }
  return Math.sqrt((left + right) / 2);
}

/**
 * Hellinger distance as Evidently's hellinger stattest computes it: sqrt(1 - clip(sum(sqrt(p * q)), 0, 1)) on
 * shares (no flooring). Evidently's numeric branch uses Sturges-binned densities times the bin width, which is
 * the same sum over bin shares.
 */
export function hellingerDistance(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  checkPairedVectors(reference, current);
  const p = toShares(reference);
  const q = toShares(current);
  let affinity = 0;
  for (let i = 0; i < p.length; i++) affinity += Math.sqrt(p[i] * q[i]);
  return Math.sqrt(1 - Math.min(1, Math.max(0, affinity)));
}

/** Total variation distance: half the L1 distance between the two share vectors, in [0, 1]. */
export function totalVariationDistance(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  checkPairedVectors(reference, current);
  const p = toShares(reference);
  const q = toShares(current);
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += Math.abs(p[i] - q[i]);
  return 0.5 * sum;
}
