// Per-arm summaries shown beside each verdict: count, mean, quantiles and MAD of a continuous metric (simple-statistics
// for the mean and quantiles of the sorted samples; the MAD by selection, as simple-statistics' would sort a copy
// of a million values with a comparator), or successes, trials and rate of a rate metric.
import { mean, quantileSorted } from 'simple-statistics';
import { selectRanksInPlace } from '#shared/stats/sorting/select-float64.js';
import type { RateCounts } from './rate-classifier.js';

export interface ContinuousSummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  mad: number;
  min: number;
  max: number;
  nan?: number;
}

export interface RateSummary {
  successes: number;
  trials: number;
  rate: number;
}

/** `sorted` ascending, without NaN. */
export function summariseSorted(sorted: Float64Array, nan = 0): ContinuousSummary | { count: 0; nan?: number } {
  if (sorted.length === 0) return nan ? { count: 0, nan } : { count: 0 };
  const values = sorted as unknown as number[];
  const median = quantileSorted(values, 0.5);
  const deviations = new Float64Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) deviations[i] = Math.abs(sorted[i] - median);
  const n = deviations.length;
  const ranks = n % 2 === 1 ? [(n - 1) / 2] : [n / 2 - 1, n / 2];
  const mid = selectRanksInPlace(deviations, ranks);
  const summary: ContinuousSummary = {
    count: sorted.length,
    mean: mean(values),
    p50: median,
    p95: quantileSorted(values, 0.95),
    p99: quantileSorted(values, 0.99),
    mad: mid.length === 1 ? mid[0] : (mid[0] + mid[1]) / 2,
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
  if (nan) summary.nan = nan;
  return summary;
}

export function summariseRate(counts: RateCounts): RateSummary {
  return { successes: counts.successes, trials: counts.trials, rate: counts.trials === 0 ? NaN : counts.successes / counts.trials };
}
