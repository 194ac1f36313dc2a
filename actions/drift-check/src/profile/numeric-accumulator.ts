// One pass over a numerical column: row, missing and non-finite counts, the few distinct values of flag-like columns,
// and the values themselves in the shared holder (exact while the run's memory budget allows, then a log-histogram
// and a uniform sample; exact moments throughout).
import type { LogHistogram } from '#shared/stats/sketches/log-histogram.js';
import { LogHistogram as Histogram, type LogHistogramState } from '#shared/stats/sketches/log-histogram.js';
import type { MemoryBudget } from '#shared/stats/sketches/memory-budget.js';
import { INSTANT_RELATIVE_ERROR, NumericValues, SKETCH_RELATIVE_ERROR } from '#shared/stats/sketches/numeric-values.js';
import { ReservoirSample, type ReservoirState } from '#shared/stats/sketches/reservoir-sample.js';
import { RunningMoments } from '#shared/stats/sketches/running-moments.js';

export { INSTANT_RELATIVE_ERROR, SKETCH_RELATIVE_ERROR };

/**
 * The histogram accuracy of a column's sketches: datetime columns' instants (about 1.8e9 seconds since 1970) would be
 * known only to about 100 days at the numbers' 0.5%, which makes their drift scores and quartiles meaningless.
 */
export function relativeErrorFor(instant: boolean): number {
  return instant ? INSTANT_RELATIVE_ERROR : SKETCH_RELATIVE_ERROR;
}
/** Values in a sketched column's uniform sample at most (fewer where the budget runs short). */
export const RESERVOIR_SIZE = 50_000;

export interface NumericProfileState {
  /** datetime: the values are instants, in seconds since 1970-01-01T00:00:00Z (input datetime-columns). */
  type: 'numerical' | 'datetime';
  rows: number;
  missing: number;
  non_finite: number;
  count: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
  /** Every finite value, when the column fit the memory budget; null once it switched to the sketch. A Float64Array
   *  only between threads (see profile-job.ts), sorted there; files hold arrays. */
  values: number[] | Float64Array | null;
  /** Absent only beside typed exact values between threads: the receiver builds them from the values if needed. */
  histogram?: LogHistogramState;
  sample?: ReservoirState;
  /** Counts per value while the column has at most FEW_VALUES distinct values; null beyond. */
  distinct: Record<string, number> | null;
}

/** Evidently treats a numerical column with at most this many distinct values as categorical under `auto`. */
export const FEW_VALUES = 5;

export class NumericAccumulator {
  rows = 0;
  missing = 0;
  nonFinite = 0;
  readonly values: NumericValues;
  /** Value counts while there are at most FEW_VALUES distinct values (flags, labels, small integers). */
  distinct: Map<number, number> | null = new Map();

  /**
   * `instant`: a datetime column, its values seconds since the epoch (UTC). Seconds rather than the readers'
   * milliseconds so that distances such as Wasserstein read in a unit people use; the drift methods are the same.
   */
  constructor(
    budget: MemoryBudget,
    values?: NumericValues,
    readonly instant = false,
  ) {
    this.values = values ?? new NumericValues({ budget, sampleSize: RESERVOIR_SIZE, relativeError: relativeErrorFor(instant) });
  }

  get count(): number {
    return this.values.moments.count;
  }
  get mean(): number {
    return this.values.moments.mean;
  }
  get m2(): number {
    return this.values.moments.m2;
  }
  get min(): number {
    return this.values.moments.min;
  }
  get max(): number {
    return this.values.moments.max;
  }
  /** Population variance (ddof = 0). */
  get variance(): number {
    return this.values.moments.variance;
  }

  /** Adds a batch; `missing[i]` marks an absent value. NaN counts as missing, ±Infinity as non-finite. */
  addBatch(values: Float64Array, missing?: Uint8Array): void {
    const n = values.length;
    this.rows += n;
    const holder = this.values;
    let distinct = this.distinct;
    let absent = 0;
    let nonFinite = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if ((missing && missing[i]) || v !== v) {
        absent++;
        continue;
      }
      if (v === Infinity || v === -Infinity) {
        nonFinite++;
        continue;
      }
      if (distinct) {
        const seen = distinct.get(v);
        if (seen !== undefined) distinct.set(v, seen + 1);
        else if (distinct.size < FEW_VALUES) distinct.set(v, 1);
        else distinct = null;
      }
      holder.add(v);
    }
    this.missing += absent;
    this.nonFinite += nonFinite;
    this.distinct = distinct;
  }

  /** The sketches, complete whether or not exact values are kept. */
  sketches(): { histogram: LogHistogram; sample: ReservoirSample } {
    return this.values.sketches();
  }

  /** The finite values, or null when the column outgrew the budget (then use the sketch). */
  exactValues(): Float64Array | null {
    return this.values.exactValues();
  }

  merge(other: NumericAccumulator): void {
    this.values.merge(other.values);
    if (this.distinct && other.distinct) {
      for (const [v, c] of other.distinct) this.distinct.set(v, (this.distinct.get(v) ?? 0) + c);
      if (this.distinct.size > FEW_VALUES) this.distinct = null;
    } else this.distinct = null;
    this.rows += other.rows;
    this.missing += other.missing;
    this.nonFinite += other.nonFinite;
  }

  /**
   * `typed` keeps the values in their Float64Array, sorted, for handing a profile to another thread without copying
   * (the receiver builds sketches from them if it needs any).
   */
  toJSON(maxExactValues: number, typed = false): NumericProfileState {
    const exact = typed ? this.values.sortedValues() : this.exactValues();
    const values = exact && exact.length <= maxExactValues ? (typed ? exact : Array.from(exact)) : null;
    const sketches = values instanceof Float64Array ? undefined : this.sketches();
    const moments = this.values.moments.toJSON();
    return {
      type: this.instant ? 'datetime' : 'numerical',
      rows: this.rows,
      missing: this.missing,
      non_finite: this.nonFinite,
      ...moments,
      values,
      histogram: sketches?.histogram.toJSON(),
      sample: sketches?.sample.toJSON(),
      distinct: this.distinct ? Object.fromEntries(this.distinct) : null,
    };
  }

  static fromJSON(state: NumericProfileState, budget: MemoryBudget): NumericAccumulator {
    const typed = state.values instanceof Float64Array;
    const instant = state.type === 'datetime';
    // A saved sketch keeps the accuracy it was saved with (profiles of schema 1.0 hold datetimes at 0.5%).
    const options = { budget, sampleSize: RESERVOIR_SIZE, relativeError: relativeErrorFor(instant) };
    const values = NumericValues.restore(options, RunningMoments.fromJSON(state), {
      values: state.values ? (typed ? (state.values as Float64Array) : Float64Array.from(state.values)) : null,
      sorted: typed,
      histogram: state.histogram && Histogram.fromJSON(state.histogram),
      sample: state.sample && ReservoirSample.fromJSON(state.sample),
    });
    const acc = new NumericAccumulator(budget, values, instant);
    acc.rows = state.rows;
    acc.missing = state.missing;
    acc.nonFinite = state.non_finite;
    acc.distinct = state.distinct ? new Map(Object.entries(state.distinct).map(([v, c]) => [Number(v), c])) : null;
    return acc;
  }
}
