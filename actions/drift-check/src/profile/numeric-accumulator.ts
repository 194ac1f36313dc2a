// One pass over a numerical column: counts, moments (Chan et al.'s mergeable form), exact values while the memory
// budget allows, and always a log-histogram sketch and a reservoir sample to fall back on.
import { LogHistogram, type LogHistogramState } from '#shared/stats/sketches/log-histogram.js';
import { ReservoirSample, type ReservoirState } from '#shared/stats/sketches/reservoir-sample.js';
import type { MemoryBudget } from './memory-budget.js';

export const SKETCH_RELATIVE_ERROR = 0.005;
export const RESERVOIR_SIZE = 50_000;

export interface NumericProfileState {
  type: 'numerical';
  rows: number;
  missing: number;
  non_finite: number;
  count: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
  /** Every finite value, when the column fit the memory budget; null once it switched to the sketch. A Float64Array
   *  only between threads (see profile-job.ts); files hold arrays. */
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
  count = 0;
  mean = 0;
  m2 = 0;
  min = Infinity;
  max = -Infinity;
  private exact: Float64Array | null = new Float64Array(1024);
  private exactLength = 0;
  histogram = new LogHistogram(SKETCH_RELATIVE_ERROR);
  sample = new ReservoirSample(RESERVOIR_SIZE);
  /** Value counts while there are at most FEW_VALUES distinct values (flags, labels, small integers). */
  distinct: Map<number, number> | null = new Map();

  constructor(private readonly budget: MemoryBudget) {
    if (!budget.reserve(this.exact!.byteLength)) this.exact = null;
  }

  /** Adds a batch; `missing[i]` marks an absent value. NaN counts as missing, ±Infinity as non-finite. */
  addBatch(values: Float64Array, missing?: Uint8Array): void {
    const n = values.length;
    this.rows += n;
    this.ensureCapacity(n);
    const exact = this.exact;
    const sketched = this.sketchedFromExact;
    let distinct = this.distinct;
    let { count, mean, m2, min, max } = this;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if ((missing && missing[i]) || v !== v) {
        this.missing++;
        continue;
      }
      if (v === Infinity || v === -Infinity) {
        this.nonFinite++;
        continue;
      }
      count++;
      const delta = v - mean;
      mean += delta / count;
      m2 += delta * (v - mean);
      if (v < min) min = v;
      if (v > max) max = v;
      // While values are kept exactly the sketches are built from them on demand (see sketchFromExact).
      if (distinct) {
        const seen = distinct.get(v);
        if (seen !== undefined) distinct.set(v, seen + 1);
        else if (distinct.size < FEW_VALUES) distinct.set(v, 1);
        else distinct = null;
      }
      if (exact) exact[this.exactLength++] = v;
      if (!exact || sketched) {
        this.histogram.add(v);
        this.sample.add(v);
      }
    }
    Object.assign(this, { count, mean, m2, min, max, distinct });
  }

  private ensureCapacity(extra: number): void {
    if (!this.exact) return;
    const needed = this.exactLength + extra;
    if (needed <= this.exact.length) return;
    let capacity = this.exact.length;
    while (capacity < needed) capacity *= 2;
    // While growing, the old and the new array live side by side: both count against the budget, so the exact
    // values never take more memory than it allows.
    if (!this.budget.reserve(capacity * 8)) {
      this.dropExact();
      return;
    }
    const bigger = new Float64Array(capacity);
    bigger.set(this.exact.subarray(0, this.exactLength));
    this.budget.release(this.exact.byteLength);
    this.exact = bigger;
  }

  /** Switches to the sketches: they take every value kept so far, then the exact copy is freed. */
  private dropExact(): void {
    if (!this.exact) return;
    this.sketchFromExact();
    this.budget.release(this.exact.byteLength);
    this.exact = null;
  }

  private sketchFromExact(): void {
    if (!this.exact || this.sketchedFromExact) return;
    const values = this.exact.subarray(0, this.exactLength);
    for (let i = 0; i < values.length; i++) {
      this.histogram.add(values[i]);
      this.sample.add(values[i]);
    }
    this.sketchedFromExact = true;
  }
  private sketchedFromExact = false;

  /** The sketches, complete whether or not exact values are kept. */
  sketches(): { histogram: LogHistogram; sample: ReservoirSample } {
    this.sketchFromExact();
    return { histogram: this.histogram, sample: this.sample };
  }

  /** The finite values, or null when the column outgrew the budget (then use the sketch). */
  exactValues(): Float64Array | null {
    return this.exact ? this.exact.subarray(0, this.exactLength) : null;
  }

  get variance(): number {
    return this.count > 0 ? this.m2 / this.count : NaN;
  }

  merge(other: NumericAccumulator): void {
    const total = this.count + other.count;
    if (total > 0) {
      const delta = other.mean - this.mean;
      this.m2 += other.m2 + (delta * delta * this.count * other.count) / total;
      this.mean += (delta * other.count) / total;
    }
    const mine = this.exactValues();
    const theirs = other.exactValues();
    this.sketches();
    this.histogram.merge(other.sketches().histogram);
    this.sample.merge(other.sketches().sample);
    if (mine && theirs && this.budget.reserve(theirs.byteLength)) {
      const joined = new Float64Array(mine.length + theirs.length);
      joined.set(mine);
      joined.set(theirs, mine.length);
      this.exact = joined;
      this.exactLength = joined.length;
    } else {
      if (this.exact) this.budget.release(this.exact.byteLength);
      this.exact = null;
    }
    this.sketchedFromExact = true;
    if (this.distinct && other.distinct) {
      for (const [v, c] of other.distinct) this.distinct.set(v, (this.distinct.get(v) ?? 0) + c);
      if (this.distinct.size > FEW_VALUES) this.distinct = null;
    } else this.distinct = null;
    this.count = total;
    this.rows += other.rows;
    this.missing += other.missing;
    this.nonFinite += other.nonFinite;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
  }

  /** `typed` keeps the values in their Float64Array, for handing a profile to another thread without copying. */
  toJSON(maxExactValues: number, typed = false): NumericProfileState {
    const exact = this.exactValues();
    const values = exact && exact.length <= maxExactValues ? (typed ? exact : Array.from(exact)) : null;
    // Sketches are built from exact values only when someone needs them: not for a typed hand-over.
    const sketches = values instanceof Float64Array ? undefined : this.sketches();
    return {
      type: 'numerical',
      rows: this.rows,
      missing: this.missing,
      non_finite: this.nonFinite,
      count: this.count,
      mean: this.mean,
      m2: this.m2,
      min: this.min,
      max: this.max,
      values,
      histogram: sketches?.histogram.toJSON(),
      sample: sketches?.sample.toJSON(),
      distinct: this.distinct ? Object.fromEntries(this.distinct) : null,
    };
  }

  static fromJSON(state: NumericProfileState, budget: MemoryBudget): NumericAccumulator {
    const acc = new NumericAccumulator(budget);
    Object.assign(acc, {
      rows: state.rows,
      missing: state.missing,
      nonFinite: state.non_finite,
      count: state.count,
      mean: state.mean,
      m2: state.m2,
      min: state.min ?? Infinity,
      max: state.max ?? -Infinity,
    });
    if (acc.exact) budget.release(acc.exact.byteLength);
    acc.exact = null;
    acc.exactLength = 0;
    if (state.values && budget.reserve(state.values.length * 8)) {
      acc.exact = state.values instanceof Float64Array ? state.values : Float64Array.from(state.values);
      acc.exactLength = state.values.length;
    }
    if (state.histogram && state.sample) {
      acc.histogram = LogHistogram.fromJSON(state.histogram);
      acc.sample = ReservoirSample.fromJSON(state.sample);
    }
    // Without stored sketches they are built from the exact values on demand, as after a single pass.
    acc.sketchedFromExact = Boolean(state.histogram) || !acc.exact;
    acc.distinct = state.distinct ? new Map(Object.entries(state.distinct).map(([v, c]) => [Number(v), c])) : null;
    return acc;
  }
}
