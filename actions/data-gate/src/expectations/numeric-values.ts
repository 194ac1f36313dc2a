// The values of one numerical column, kept exactly while they fit a memory budget (medians and quantiles then select
// just the order statistics they read) and summarised by a relative-error sketch past it; plus exact running moments.
import { sortFloat64InPlace } from '#shared/stats/sorting/radix-sort-float64.js';
import { selectRanksInPlace } from '#shared/stats/sorting/select-float64.js';
import { LogHistogram } from '#shared/stats/sketches/log-histogram.js';

/** Relative accuracy of quantiles once a column outgrows its budget. */
export const SKETCH_RELATIVE_ERROR = 0.005;

export type Interpolation = 'linear' | 'lower' | 'higher' | 'midpoint' | 'nearest';

/** Exact count, min, max, sum, mean and sample variance (Welford), in one pass. */
export class Moments {
  count = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;
  private mean_ = 0;
  private m2 = 0;

  add(value: number): void {
    this.count++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.sum += value;
    const delta = value - this.mean_;
    this.mean_ += delta / this.count;
    this.m2 += delta * (value - this.mean_);
  }

  get mean(): number {
    return this.count === 0 ? NaN : this.sum / this.count;
  }

  /** Sample standard deviation (ddof = 1), as pandas' std() that GX uses. */
  get stdev(): number {
    return this.count < 2 ? NaN : Math.sqrt(this.m2 / (this.count - 1));
  }
}

/** The first chunk of values; later chunks match the count so far (no copies while growing), up to LARGEST_CHUNK. */
const FIRST_CHUNK = 1024;
const LARGEST_CHUNK = 1 << 16;
/**
 * Quantile requests answered by selection before the values are sorted instead. Each rule owns its NumericValues and
 * asks once (all its quantiles in one call), so selection, a few times cheaper than the radix sort, is the usual path;
 * a caller that keeps asking is better served by one sort, after which every quantile is a look-up.
 */
const SELECTIONS_BEFORE_SORTING = 3;

export class NumericValues {
  /**
   * The exact values in arrival order: filled chunks, then `tail` filled up to `tailSize`. Chunks instead of one
   * doubling array: nothing is copied while values arrive and no capacity is held beyond the last chunk; the values
   * are copied once, into one array of exactly their count, when quantiles are first asked for.
   */
  private chunks: Float64Array[] = [];
  private tail = new Float64Array(FIRST_CHUNK);
  private tailSize = 0;
  private inChunks = 0;
  private sketch: LogHistogram | undefined;
  /** The count at which the values were last sorted (-1: never); they stay sorted only while no value is added. */
  private sortedCount = -1;
  private selections = 0;
  private readonly maxValues: number;

  constructor(budgetBytes: number) {
    this.maxValues = Math.max(FIRST_CHUNK, Math.floor(budgetBytes / 8));
  }

  get exact(): boolean {
    return this.sketch === undefined;
  }

  get count(): number {
    return this.sketch ? this.sketch.count : this.inChunks + this.tailSize;
  }

  add(value: number): void {
    if (this.sketch) {
      this.sketch.add(value);
      return;
    }
    if (this.tailSize === this.tail.length) this.addPastFullTail(value);
    else this.tail[this.tailSize++] = value;
  }

  /** Adds to a new chunk, or, once the budget is full, moves every value into the sketch that replaces them. */
  private addPastFullTail(value: number): void {
    const size = this.count;
    if (size >= this.maxValues) {
      const sketch = new LogHistogram(SKETCH_RELATIVE_ERROR);
      for (const chunk of [...this.chunks, this.tail.subarray(0, this.tailSize)]) {
        for (let i = 0; i < chunk.length; i++) sketch.add(chunk[i]);
      }
      sketch.add(value);
      this.sketch = sketch;
      this.chunks = [];
      this.tail = new Float64Array(0);
      this.tailSize = 0;
      this.inChunks = 0;
      return;
    }
    this.chunks.push(this.tail);
    this.inChunks += this.tailSize;
    // Never hold more than the budget: the last chunk stops at it.
    this.tail = new Float64Array(Math.min(Math.max(size, FIRST_CHUNK), LARGEST_CHUNK, this.maxValues - size));
    this.tail[0] = value;
    this.tailSize = 1;
  }

  /** The values as one array of exactly their count (copied there once; later calls find them there). */
  private contiguous(): Float64Array {
    if (this.chunks.length > 0 || this.tailSize < this.tail.length) {
      const all = new Float64Array(this.count);
      let at = 0;
      for (const chunk of this.chunks) {
        all.set(chunk, at);
        at += chunk.length;
      }
      all.set(this.tail.subarray(0, this.tailSize), at);
      this.chunks = [];
      this.inChunks = 0;
      this.tail = all;
      this.tailSize = all.length;
    }
    return this.tail;
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
    const sketch = this.sketch;
    if (sketch) return qs.map((q) => sketch.quantile(q));
    const n = this.count;
    if (n === 0) return qs.map(() => NaN);
    const values = this.contiguous();
    const positions = qs.map((q) => numpyPosition(q, n));
    if (this.sortedCount !== n) {
      if (this.selections < SELECTIONS_BEFORE_SORTING) {
        this.selections++;
        // Leaves the values partitioned around these ranks, not sorted: a later request selects again (still right).
        selectRanksInPlace(values, positions.flatMap((position) => ranksRead(position, interpolation)));
      } else {
        sortFloat64InPlace(values);
        this.sortedCount = n;
      }
    }
    return positions.map((position) => interpolate(position, interpolation, values));
  }
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
