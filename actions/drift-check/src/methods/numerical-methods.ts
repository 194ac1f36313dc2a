// Runs a drift method on two numerical column profiles: on the exact values while both columns fit the memory
// budget, else on their log-histogram sketches (CDF-based methods, error bounded by the sketch's relative
// accuracy) or their reservoir samples (rank tests, MMD). Every approximation is named in the result.
import {
  andersonKSamp,
  cramerVonMises2samp,
  energyDistance,
  ks2samp,
  ksAsymptoticPValue,
  mannWhitneyU,
  normedWasserstein,
  tTest,
  tTestFromMoments,
} from '#shared/stats/two-sample-tests/index.js';
import { hellingerDistance, jensenShannonDistance, klDivergence, psi, empiricalMmd } from '#shared/stats/distances/index.js';
import { equalWidthEdges, histogramCounts, quantileEdges } from '#shared/stats/binning/index.js';
import type { WeightedValues } from '#shared/stats/sketches/log-histogram.js';
import { weightedCdfDistances } from '#shared/stats/sketches/weighted-cdf-distances.js';
import { RESERVOIR_SIZE, type NumericAccumulator } from '../profile/numeric-accumulator.js';
import type { MethodName } from './method-catalog.js';

export interface MethodResult {
  statistic: number;
  pValue: number | null;
  /** Set when the result comes from a sketch or a sample rather than every value. */
  approximation?: string;
}

export interface NumericalMethodOptions {
  psiBins: number;
  psiBinning: 'quantile' | 'equal-width';
}

/** Bins for KL, Jensen-Shannon and Hellinger on numerical data: Evidently's equal-width bins over both samples. */
export const DISTANCE_BINS = 30;

/** The sketches' accuracy: SKETCH_RELATIVE_ERROR for numbers, finer for datetime columns (seconds since 1970). */
function sketchNote(reference: NumericAccumulator, current: NumericAccumulator): string {
  const alpha = Math.max(reference.sketches().histogram.alpha, current.sketches().histogram.alpha);
  const percent = `${+(alpha * 100).toPrecision(3)}%`;
  if (!reference.instant) return `log-histogram sketch, values within ${percent} relative error`;
  const minutes = Math.ceil((alpha * Math.max(Math.abs(reference.max), Math.abs(current.max), Math.abs(reference.min))) / 60);
  return `log-histogram sketch, instants within ${minutes} minute${minutes === 1 ? '' : 's'} (${percent} relative error)`;
}
const sampleNote = (reference: number, current: number) =>
  reference === current && reference === RESERVOIR_SIZE
    ? `uniform sample of ${RESERVOIR_SIZE} values per dataset`
    : `uniform samples of ${reference} (reference) and ${current} (current) values`;

export function compareNumerical(
  method: MethodName,
  reference: NumericAccumulator,
  current: NumericAccumulator,
  options: NumericalMethodOptions,
): MethodResult {
  // Sorted in place (profiles made in worker threads arrive sorted): the values are a multiset, a copy would double
  // memory. Only when both sides are exact; a sketched side makes the method use both sides' sketches.
  const exact =
    reference.exactValues() && current.exactValues()
      ? { reference: reference.values.sortedValues()!, current: current.values.sortedValues()! }
      : undefined;
  switch (method) {
    case 'ks': {
      if (exact) return ks2samp(exact.reference, exact.current);
      const d = weightedCdfDistances(weighted(reference), weighted(current)).ks;
      return { statistic: d, pValue: ksAsymptoticPValue(d, reference.count, current.count), approximation: sketchNote(reference, current) };
    }
    case 'wasserstein': {
      if (exact) return { statistic: normedWasserstein(exact.reference, exact.current).statistic, pValue: null };
      const w = weightedCdfDistances(weighted(reference), weighted(current)).wasserstein;
      const std = Math.sqrt(reference.variance);
      return { statistic: std > 0 ? w / std : w, pValue: null, approximation: sketchNote(reference, current) };
    }
    case 'energy_distance': {
      if (exact) return { statistic: energyDistance(exact.reference, exact.current).statistic, pValue: null };
      const e = weightedCdfDistances(weighted(reference), weighted(current)).energy;
      return { statistic: e, pValue: null, approximation: sketchNote(reference, current) };
    }
    case 't_test': {
      if (exact) return tTest(exact.reference, exact.current);
      return tTestFromMoments(
        { count: reference.count, mean: reference.mean, variance: reference.m2 / (reference.count - 1) },
        { count: current.count, mean: current.mean, variance: current.m2 / (current.count - 1) },
        {},
      );
    }
    case 'psi': {
      const edges =
        options.psiBinning === 'quantile'
          ? exact
            ? quantileEdges(exact.reference, options.psiBins)
            : sketchQuantileEdges(reference, options.psiBins)
          : equalWidthEdges(Math.min(reference.min, current.min), Math.max(reference.max, current.max), options.psiBins);
      return binned(edges, reference, current, exact, (r, c) => psi(r, c));
    }
    case 'kl_div':
    case 'jensenshannon':
    case 'hellinger': {
      const edges = equalWidthEdges(Math.min(reference.min, current.min), Math.max(reference.max, current.max), DISTANCE_BINS);
      const distance = method === 'kl_div' ? klDivergence : method === 'jensenshannon' ? jensenShannonDistance : hellingerDistance;
      return binned(edges, reference, current, exact, (r, c) => distance(r, c));
    }
    case 'anderson':
    case 'cramer_von_mises':
    case 'mannw':
    case 'empirical_mmd': {
      const ref = exact?.reference ?? reference.sketches().sample.values();
      const cur = exact?.current ?? current.sketches().sample.values();
      const test =
        method === 'anderson'
          ? andersonKSamp
          : method === 'cramer_von_mises'
            ? cramerVonMises2samp
            : method === 'mannw'
              ? mannWhitneyU
              : empiricalMmd;
      const result = test(ref, cur);
      return exact ? result : { ...result, approximation: sampleNote(ref.length, cur.length) };
    }
    default:
      throw new Error(`method ${method} does not apply to numerical columns`);
  }
}

function weighted(acc: NumericAccumulator): WeightedValues {
  return acc.sketches().histogram.weightedValues();
}

function sketchQuantileEdges(reference: NumericAccumulator, bins: number): Float64Array {
  const histogram = reference.sketches().histogram;
  const inner = histogram.quantiles(Array.from({ length: bins - 1 }, (_, i) => (i + 1) / bins));
  return Float64Array.from([-Infinity, ...new Set(inner), Infinity]);
}

function binned(
  edges: Float64Array,
  reference: NumericAccumulator,
  current: NumericAccumulator,
  exact: { reference: Float64Array; current: Float64Array } | undefined,
  distance: (reference: Float64Array, current: Float64Array) => number,
): MethodResult {
  if (exact) return { statistic: distance(histogramCounts(exact.reference, edges), histogramCounts(exact.current, edges)), pValue: null };
  return {
    statistic: distance(weightedCounts(weighted(reference), edges), weightedCounts(weighted(current), edges)),
    pValue: null,
    approximation: sketchNote(reference, current),
  };
}

/** A numerical column's counts over bin edges: from its exact values while it has them, else from its sketch. */
export function binCounts(column: NumericAccumulator, edges: Float64Array): Float64Array {
  const exact = column.exactValues();
  return exact ? histogramCounts(exact, edges) : weightedCounts(weighted(column), edges);
}

/** Bin counts of a weighted sample: each sketch bucket's count goes to the bin of its representative value. */
function weightedCounts(sample: WeightedValues, edges: Float64Array): Float64Array {
  // Values ascend, so one walk over values and bins together (numpy's rule: the last bin is closed on the right).
  const counts = new Float64Array(edges.length - 1);
  let bin = 0;
  for (let i = 0; i < sample.values.length; i++) {
    const v = sample.values[i];
    while (bin < counts.length - 1 && v >= edges[bin + 1]) bin++;
    counts[bin] += sample.counts[i];
  }
  return counts;
}
