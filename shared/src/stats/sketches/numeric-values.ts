// The values of one numerical column: kept exactly while they fit a memory budget (shared by every column of a run),
// then summarised by a relative-error log-histogram (and, where asked, a uniform sample); always with exact running
// moments. drift-check (every numerical column of two datasets) and data-gate (median and quantile rules) both keep
// their numbers here. Exact quantiles select just the order statistics they read (numpy's interpolations).
import { selectRanksInPlace } from '../sorting/select-float64.js';
import { sortFloat64InPlace } from '../sorting/radix-sort-float64.js';
import { LogHistogram } from './log-histogram.js';
import { MemoryBudget } from './memory-budget.js';
import { ReservoirSample } from './reservoir-sample.js';
import { RunningMoments } from './running-moments.js';

/** Relative accuracy of the log-histogram once a column outgrows the budget. */
export const SKETCH_RELATIVE_ERROR = 0.005;
/**
 * Relative accuracy for instants in seconds since 1970 (drift-check's datetime columns). 0.5% of 1.8e9 seconds is
 * about 100 days; at 5e-7 an instant of this century is kept to within 15 minutes (half-hour buckets). Over any real
 * span of dates the log buckets are then nearly equal in width, so a histogram holds about one bucket per half hour
 * of the span the data covers (some 17,500 for a year), not one per value.
 */
export const INSTANT_RELATIVE_ERROR = 5e-7;

export type Interpolation = 'linear' | 'lower' | 'higher' | 'midpoint' | 'nearest';

export interface NumericValuesOptions {
  /** A budget shared with other columns, or the bytes of one of its own. */
  budget: MemoryBudget | number;
  /** Values in the uniform sample kept beside the histogram once sketched (0 or absent: no sample). */
  sampleSize?: number;
  /** The sample's seed, so that runs repeat. */
  sampleSeed?: number;
  /** The log-histogram's relative accuracy once sketched (SKETCH_RELATIVE_ERROR when absent). */
  relativeError?: number;
}

/** The sketches that stand for the values: a histogram, and a sample when one was asked for. */
export interface NumericSketches {
  histogram: LogHistogram;
  sample: ReservoirSample;
}

/**
 * The first chunk of exact values (small: a run of 10,000 short columns holds 10,000 of them); later chunks match
 * the count so far, so nothing is copied while values arrive and no capacity is held beyond the last chunk.
 */
const FIRST_CHUNK = 256;
const LARGEST_CHUNK = 1 << 16;
const MIN_CHUNK = 64;
const EMPTY = new Float64Array(0);
/**
 * Quantile requests answered by selection before the values are sorted instead. A data-gate rule asks once (all its
 * quantiles in one call), so selection, a few times cheaper than the radix sort, is the usual path; a caller that
 * keeps asking is better served by one sort, after which every quantile is a look-up.
 */
const SELECTIONS_BEFORE_SORTING = 3;

export class NumericValues {
  readonly moments = new RunningMoments();
  readonly budget: MemoryBudget;
  /** Exact values in arrival order: filled chunks, then `tail` filled up to `tailSize`; null once sketched. */
  private chunks: Float64Array[] = [];
  private tail: Float64Array = EMPTY;
  private tailSize = 0;
  private inChunks = 0;
  /** Bytes of the chunks, reserved from the budget. */
  private reserved = 0;
  private histogram: LogHistogram | undefined;
  private sample: ReservoirSample | undefined;
  private readonly sampleSize: number;
  private readonly sampleSeed: number;
  readonly relativeError: number;
  /** Sketches built from the exact values on request (the values stay), and the count they were built at. */
  private derived: { sketches: NumericSketches; count: number } | undefined;
  /** The count at which the values were last sorted (-1: never); they stay sorted only while no value is added. */
  private sortedCount = -1;
  private selections = 0;

  constructor(options: NumericValuesOptions | number) {
    const {
      budget,
      sampleSize = 0,
      sampleSeed = 42,
      relativeError = SKETCH_RELATIVE_ERROR,
    } = typeof options === 'number' ? { budget: options } : options;
    this.budget = typeof budget === 'number' ? new MemoryBudget(Math.max(FIRST_CHUNK * 8, budget)) : budget;
    this.sampleSize = sampleSize;
    this.sampleSeed = sampleSeed;
    this.relativeError = relativeError;
  }

  /** True while every value is kept; false once the column outgrew the budget and is sketched. */
  get exact(): boolean {
    return this.histogram === undefined;
  }

  /** How many values were added (exact or sketched). */
  get count(): number {
    return this.moments.count;
  }

  /** Adds one finite value. */
  add(value: number): void {
    this.moments.add(value);
    if (this.tailSize < this.tail.length) this.tail[this.tailSize++] = value;
    else if (this.histogram) this.addToSketches(value);
    else this.addPastFullTail(value);
  }

  private addToSketches(value: number): void {
    this.histogram!.add(value);
    this.sample?.add(value);
  }

  /** Adds to a new chunk reserved from the budget, or, when the budget has no room, switches to the sketches. */
  private addPastFullTail(value: number): void {
    const size = this.inChunks + this.tailSize;
    const wanted = Math.min(Math.max(size, FIRST_CHUNK), LARGEST_CHUNK);
    // Never hold more than the budget: the last chunk stops where it ends (but is no sliver: columns sharing a
    // budget would otherwise take its last bytes a few values at a time).
    const length = Math.min(wanted, Math.floor(this.budget.available / 8));
    if (length < Math.min(wanted, MIN_CHUNK) || !this.budget.reserve(length * 8)) {
      this.switchToSketches();
      this.addToSketches(value);
      return;
    }
    this.reserved += length * 8;
    if (this.tailSize > 0) {
      this.chunks.push(this.tail);
      this.inChunks += this.tailSize;
    }
    this.tail = new Float64Array(length);
    this.tail[0] = value;
    this.tailSize = 1;
  }

  /**
   * Moves every exact value into the sketches that replace them, and gives their memory back to the budget. Called
   * when the budget runs out, or at once by a caller that knows the column cannot fit (no exact phase to pay for).
   */
  switchToSketches(): void {
    if (this.histogram) return;
    const sketches = this.newSketches(true);
    for (const chunk of this.exactChunks()) for (let i = 0; i < chunk.length; i++) sketches.histogram.add(chunk[i]);
    // The sample is filled after the exact values' memory is back in the budget that it now grows in.
    const values = this.sampleSize > 0 ? this.exactChunks() : [];
    this.dropExact();
    for (const chunk of values) for (let i = 0; i < chunk.length; i++) sketches.sample.add(chunk[i]);
    this.histogram = sketches.histogram;
    this.sample = this.sampleSize > 0 ? sketches.sample : undefined;
    this.derived = undefined;
  }

  private newSketches(charged: boolean): NumericSketches {
    return {
      histogram: new LogHistogram(this.relativeError),
      sample: new ReservoirSample(this.sampleSize, this.sampleSeed, charged ? this.budget : undefined),
    };
  }

  private exactChunks(): Float64Array[] {
    return [...this.chunks, this.tail.subarray(0, this.tailSize)];
  }

  private dropExact(): void {
    this.budget.release(this.reserved);
    this.reserved = 0;
    this.chunks = [];
    this.tail = EMPTY;
    this.tailSize = 0;
    this.inChunks = 0;
    this.sortedCount = -1;
  }

  /** Frees what this column holds (exact values and sample) back to the budget; the column is empty afterwards. */
  release(): void {
    this.dropExact();
    this.sample?.release();
  }

  /** The exact values as one array of exactly their count (copied there once), or null once sketched. */
  exactValues(): Float64Array | null {
    if (this.histogram) return null;
    if (this.chunks.length > 0 || this.tailSize < this.tail.length) {
      const all = new Float64Array(this.inChunks + this.tailSize);
      let at = 0;
      for (const chunk of this.exactChunks()) {
        all.set(chunk, at);
        at += chunk.length;
      }
      // The copy replaces the chunks: the budget now holds it, at its exact size.
      this.budget.release(this.reserved);
      this.budget.reserve(all.byteLength);
      this.reserved = all.byteLength;
      this.chunks = [];
      this.inChunks = 0;
      this.tail = all;
      this.tailSize = all.length;
    }
    return this.tail;
  }

  /** The exact values sorted ascending (in place), or null once sketched. */
  sortedValues(): Float64Array | null {
    const values = this.exactValues();
    if (!values) return null;
    if (this.sortedCount !== values.length) {
      sortFloat64InPlace(values);
      this.sortedCount = values.length;
    }
    return values;
  }

  /** The sketches: the column's own once sketched; built from the exact values (kept) before that. */
  sketches(): NumericSketches {
    if (this.histogram) return { histogram: this.histogram, sample: this.sample ?? this.newSketches(false).sample };
    if (this.derived?.count !== this.count) {
      const sketches = this.newSketches(false);
      for (const chunk of this.exactChunks()) {
        for (let i = 0; i < chunk.length; i++) {
          sketches.histogram.add(chunk[i]);
          if (this.sampleSize > 0) sketches.sample.add(chunk[i]);
        }
      }
      this.derived = { sketches, count: this.count };
    }
    return this.derived.sketches;
  }

  /** Adds another holder's values and moments (shards of one column): exact while both are and the budget allows. */
  merge(other: NumericValues): void {
    this.moments.merge(other.moments);
    const theirs = this.histogram ? null : other.exactValues();
    const shared = other.budget === this.budget;
    if (theirs && (shared || this.budget.reserve(theirs.byteLength))) {
      // Their values join as a chunk; with one budget their reservation moves here along with them.
      if (shared) other.reserved = 0;
      this.reserved += theirs.byteLength;
      if (this.tailSize > 0) this.chunks.push(this.tail.subarray(0, this.tailSize));
      this.chunks.push(shared ? theirs : theirs.slice());
      this.inChunks += this.tailSize + theirs.length;
      this.tail = EMPTY;
      this.tailSize = 0;
      this.sortedCount = -1;
      this.derived = undefined;
      if (shared) other.dropExact();
      return;
    }
    this.switchToSketches();
    const sketches = other.sketches();
    mergeHistograms(this.histogram!, sketches.histogram);
    this.sample?.merge(sketches.sample);
  }

  /**
   * A holder from a saved state: exact values while the budget takes them, else the saved sketches (or sketches
   * built from the values when none were saved). `sortedValues` says the values are ascending already.
   */
  static restore(
    options: NumericValuesOptions,
    moments: RunningMoments,
    saved: { values?: Float64Array | null; sorted?: boolean; histogram?: LogHistogram; sample?: ReservoirSample },
  ): NumericValues {
    const holder = new NumericValues(options);
    (holder as { moments: RunningMoments }).moments = moments;
    const values = saved.values;
    if (values && holder.budget.reserve(values.byteLength)) {
      holder.tail = values;
      holder.tailSize = values.length;
      holder.reserved = values.byteLength;
      if (saved.sorted) holder.sortedCount = values.length;
      return holder;
    }
    if (saved.histogram) {
      holder.histogram = saved.histogram;
      holder.sample = options.sampleSize ? (saved.sample ?? holder.newSketches(false).sample) : undefined;
      return holder;
    }
    const sketches = holder.newSketches(true);
    for (let i = 0; values && i < values.length; i++) {
      sketches.histogram.add(values[i]);
      if (options.sampleSize) sketches.sample.add(values[i]);
    }
    holder.histogram = sketches.histogram;
    holder.sample = options.sampleSize ? sketches.sample : undefined;
    return holder;
  }

  /** numpy.quantile(values, q, method=interpolation) while exact; the sketch's estimate past the budget. */
  quantile(q: number, interpolation: Interpolation = 'linear'): number {
    return this.quantiles([q], interpolation)[0];
  }

  /**
   * numpy.quantile(values, qs, method=interpolation) while exact, finding only the order statistics those quantiles
   * read (O(n log k) for k of them, against a full sort); the sketch's estimates past the budget.
   */
  quantiles(qs: readonly number[], interpolation: Interpolation = 'linear'): number[] {
    const histogram = this.histogram;
    if (histogram) return histogram.quantiles(qs);
    const n = this.inChunks + this.tailSize;
    if (n === 0) return qs.map(() => NaN);
    const values = this.exactValues()!;
    const positions = qs.map((q) => numpyPosition(q, n));
    if (this.sortedCount !== n) {
      if (this.selections < SELECTIONS_BEFORE_SORTING) {
        this.selections++;
        // Leaves the values partitioned around these ranks, not sorted: a later request selects again (still right).
        selectRanksInPlace(
          values,
          positions.flatMap((position) => ranksRead(position, interpolation)),
        );
      } else {
        sortFloat64InPlace(values);
        this.sortedCount = n;
      }
    }
    return positions.map((position) => interpolate(position, interpolation, values));
  }
}

/**
 * Adds `from` into `into`; histograms of another accuracy (a profile saved before datetime columns had their own)
 * join through their buckets' values, each within the coarser of the two accuracies.
 */
function mergeHistograms(into: LogHistogram, from: LogHistogram): void {
  if (from.alpha === into.alpha) return into.merge(from);
  const { values, counts } = from.weightedValues();
  for (let i = 0; i < values.length; i++) into.add(values[i], counts[i]);
}

/** numpy's virtual index h = (n - 1) q of a quantile, and the ranks either side of it. */
interface Position {
  h: number;
  lo: number;
  hi: number;
}

function numpyPosition(q: number, n: number): Position {
  const h = (n - 1) * q;
  return { h, lo: Math.floor(h), hi: Math.min(Math.ceil(h), n - 1) };
}

/** The ranks whose values a quantile reads under each interpolation. */
function ranksRead({ h, lo, hi }: Position, interpolation: Interpolation): number[] {
  switch (interpolation) {
    case 'lower':
      return [lo];
    case 'higher':
      return [hi];
    case 'nearest':
      return [roundHalfEven(h)];
    default:
      return [lo, hi];
  }
}

/** The quantile as numpy computes it, from values whose ranks it reads are in their sorted places. */
function interpolate({ h, lo, hi }: Position, interpolation: Interpolation, x: Float64Array): number {
  switch (interpolation) {
    case 'lower':
      return x[lo];
    case 'higher':
      return x[hi];
    case 'midpoint':
      return (x[lo] + x[hi]) / 2;
    case 'nearest':
      return x[roundHalfEven(h)];
    default:
      return x[lo] + (h - lo) * (x[hi] - x[lo]);
  }
}

/** numpy.around: halves go to the even neighbour. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
