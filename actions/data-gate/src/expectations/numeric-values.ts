// The values of one numerical column, kept exactly while they fit a memory budget (sorted once at the end for
// medians and quantiles) and summarised by a relative-error sketch past it; plus exact running moments.
import { sortFloat64InPlace } from '../../../../shared/src/stats/sorting/radix-sort-float64.js';
import { LogHistogram } from '../../../../shared/src/stats/sketches/log-histogram.js';

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

export class NumericValues {
  private values: Float64Array = new Float64Array(1024);
  private size = 0;
  private sketch: LogHistogram | undefined;
  private sorted = false;
  private readonly maxValues: number;

  constructor(budgetBytes: number) {
    this.maxValues = Math.max(1024, Math.floor(budgetBytes / 8));
  }

  get exact(): boolean {
    return this.sketch === undefined;
  }

  get count(): number {
    return this.sketch ? this.sketch.count : this.size;
  }

  add(value: number): void {
    if (this.sketch) {
      this.sketch.add(value);
      return;
    }
    if (this.size === this.values.length) {
      if (this.size * 2 > this.maxValues) {
        this.sketch = new LogHistogram(SKETCH_RELATIVE_ERROR);
        for (let i = 0; i < this.size; i++) this.sketch.add(this.values[i]);
        this.values = new Float64Array(0);
        this.size = 0;
        this.sketch.add(value);
        return;
      }
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.size++] = value;
  }

  /** numpy.quantile(values, q, method=interpolation) while exact; the sketch's estimate past the budget. */
  quantile(q: number, interpolation: Interpolation = 'linear'): number {
    if (this.sketch) return this.sketch.quantile(q);
    const n = this.size;
    if (n === 0) return NaN;
    if (!this.sorted) {
      this.values = sortFloat64InPlace(this.values.subarray(0, n));
      this.sorted = true;
    }
    const x = this.values;
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.min(Math.ceil(h), n - 1);
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
}

/** numpy.around: halves go to the even neighbour. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
