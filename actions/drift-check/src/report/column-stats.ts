// Each column's reference and current data side by side, as people read them (pandas' describe() for numbers,
// distinct values and top categories for categories), for the JSON report (`reference_stats`, `current_stats`).
import type { CategoricalAccumulator } from '../profile/categorical-accumulator.js';
import type { NumericAccumulator } from '../profile/numeric-accumulator.js';

export interface NumericalStats {
  count: number;
  missing: number;
  mean: number | null;
  /** Sample standard deviation (ddof = 1), as pandas' describe(). */
  std: number | null;
  min: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  max: number | null;
}

export interface CategoricalStats {
  count: number;
  missing: number;
  distinct: number;
  /** The most frequent categories with their share of present values (at most TOP_CATEGORIES). */
  top: { value: string; share: number }[];
}

/**
 * A datetime column described as pandas' describe() describes datetimes: the instants (mean, min, quartiles, max) as
 * ISO 8601 strings in UTC, to the millisecond; std as a number of seconds.
 */
export interface DatetimeStats {
  count: number;
  missing: number;
  mean: string | null;
  /** Sample standard deviation (ddof = 1), in seconds. */
  std: number | null;
  min: string | null;
  p25: string | null;
  median: string | null;
  p75: string | null;
  max: string | null;
}

export const TOP_CATEGORIES = 10;

/** The column's values are seconds since the epoch (NumericAccumulator.instant). */
export function datetimeStats(acc: NumericAccumulator): DatetimeStats {
  const stats = numericalStats(acc);
  // Rounded to the millisecond, which the readers keep (Parquet micro- and nanoseconds are truncated on reading).
  const iso = (seconds: number | null) => (seconds === null ? null : new Date(Math.round(seconds * 1000)).toISOString());
  return {
    count: stats.count,
    missing: stats.missing,
    // Not numericalStats' 12 significant digits: at 1.8e9 seconds since 1970 they are hundredths of a second.
    mean: iso(stats.count > 0 && Number.isFinite(acc.mean) ? acc.mean : null),
    std: stats.std,
    min: iso(stats.min),
    p25: iso(stats.p25),
    median: iso(stats.median),
    p75: iso(stats.p75),
    max: iso(stats.max),
  };
}

export function numericalStats(acc: NumericAccumulator): NumericalStats {
  const n = acc.count;
  const finite = (x: number) => (n > 0 && Number.isFinite(x) ? x : null);
  const quantile = (q: number) => (n > 0 ? finite(acc.values.quantile(q)) : null);
  return {
    count: n,
    missing: acc.missing,
    mean: roundMoment(finite(acc.mean)),
    std: n > 1 ? roundMoment(Math.sqrt(acc.m2 / (n - 1))) : null,
    min: finite(acc.min),
    p25: quantile(0.25),
    median: quantile(0.5),
    p75: quantile(0.75),
    max: finite(acc.max),
  };
}

/**
 * Mean and standard deviation to 12 significant digits: merging shard profiles (Chan's formulas) changes the last
 * bits of a single pass, and the same data must give the same report however it was read.
 */
function roundMoment(x: number | null): number | null {
  return x === null ? null : Number(x.toPrecision(12));
}

export function categoricalStats(acc: CategoricalAccumulator): CategoricalStats {
  let present = 0;
  for (const count of acc.counts.values()) present += count;
  const top = [...acc.counts]
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP_CATEGORIES)
    .map(([value, count]) => ({ value, share: count / present }));
  return { count: present, missing: acc.missing, distinct: [...acc.counts.values()].filter((c) => c > 0).length, top };
}

/** Categories present on one side only: new in the current data, or vanished from it. Complete and sorted. */
export function categoryChanges(reference: Map<string, number>, current: Map<string, number>): { fresh: string[]; vanished: string[] } {
  const present = (m: Map<string, number>, c: string) => (m.get(c) ?? 0) > 0;
  const sorted = (xs: string[]) => xs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    fresh: sorted([...current.keys()].filter((c) => present(current, c) && !present(reference, c))),
    vanished: sorted([...reference.keys()].filter((c) => present(reference, c) && !present(current, c))),
  };
}
