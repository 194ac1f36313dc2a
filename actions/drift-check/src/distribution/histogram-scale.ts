// The scale of a numerical column's chart bins (input histogram-scale): pooled quantiles (the default), equal widths,
// or log-spaced edges for positive data with a long right tail, chosen by the user or, with `auto`, from the data.
// Pure: the two sides' summaries in, the edges (or the reason log does not apply) out.
import { equalWidthEdges } from '#shared/stats/binning/index.js';
import type { NumericAccumulator } from '../profile/numeric-accumulator.js';

export const HISTOGRAM_SCALES = ['quantile', 'log', 'linear', 'auto'] as const;
export type HistogramScale = (typeof HISTOGRAM_SCALES)[number];

/** A column's bins when the scale decides them; `note` says why log was asked for and not drawn. */
export type ScaledBins = { binning: 'log' | 'equal-width'; edges: Float64Array } | { binning: 'pooled-quantiles'; note?: string };

/**
 * log: edges evenly spaced in log10 from the smallest to the largest value, so each bin spans the same ratio and a
 * tail over several decades spreads over several bins (drawn at equal width, which is to scale on a log axis). A
 * column with a value <= 0 (or a date/time column) cannot take it: pooled quantiles are drawn, with a note.
 * auto: log where every value is positive and right-skewed in a way the log undoes: Kelly's skewness of the 10th,
 * 50th and 90th percentiles, (p90 + p10 - 2 p50) / (p90 - p10), above 0.25 on the values and smaller in size on their
 * logarithms (log-normal delays, incomes, file sizes); pooled quantiles otherwise (symmetric data, data with zeros).
 */
export function scaledBins(scale: HistogramScale, reference: NumericAccumulator, current: NumericAccumulator, bins: number): ScaledBins {
  const min = Math.min(reference.min, current.min);
  const max = Math.max(reference.max, current.max);
  if (scale === 'quantile' || !(max > min) || !Number.isFinite(min) || !Number.isFinite(max)) return { binning: 'pooled-quantiles' };
  if (scale === 'linear') return { binning: 'equal-width', edges: equalWidthEdges(min, max, bins) };
  const refusal = reference.instant ? 'it holds dates and times' : min <= 0 ? `it has values <= 0 (smallest ${min})` : undefined;
  if (refusal)
    return scale === 'log' ? { binning: 'pooled-quantiles', note: `log scale asked for, but ${refusal}` } : { binning: 'pooled-quantiles' };
  if (scale === 'auto' && !logUndoesSkew(reference, current)) return { binning: 'pooled-quantiles' };
  return { binning: 'log', edges: logEdges(min, max, bins) };
}

/** Edges evenly spaced in log10, the first and last exactly the smallest and largest value. */
export function logEdges(min: number, max: number, bins: number): Float64Array {
  const lo = Math.log10(min);
  const step = (Math.log10(max) - lo) / bins;
  const edges = Float64Array.from({ length: bins + 1 }, (_, i) => 10 ** (lo + i * step));
  edges[0] = min;
  edges[bins] = max;
  return edges;
}

/** Kelly's skewness, count-weighted over the two sides, on the values and on their logarithms. */
function logUndoesSkew(reference: NumericAccumulator, current: NumericAccumulator): boolean {
  let linear = 0;
  let logarithmic = 0;
  let weight = 0;
  for (const acc of [reference, current]) {
    if (acc.count === 0) continue;
    const [p10, p50, p90] = acc.values.quantiles([0.1, 0.5, 0.9]);
    linear += acc.count * kelly(p10, p50, p90);
    logarithmic += acc.count * kelly(Math.log(p10), Math.log(p50), Math.log(p90));
    weight += acc.count;
  }
  if (weight === 0) return false;
  linear /= weight;
  logarithmic /= weight;
  return linear > 0.25 && Math.abs(logarithmic) < linear;
}

function kelly(p10: number, p50: number, p90: number): number {
  return p90 > p10 ? (p90 + p10 - 2 * p50) / (p90 - p10) : 0;
}
