// A mergeable histogram on fixed logarithmic edges (the DDSketch scheme): every value is kept within a stated
// relative error `alpha`, so quantiles, CDFs and CDF distances computed from it are bounded by that error.
// Written here rather than taken from @datadog/sketches-js because drift needs CDF/rank queries and bucket
// iteration (KS, Wasserstein, energy distance, PSI bins), which that library does not expose.

export interface LogHistogramState {
  alpha: number;
  zeroCount: number;
  /** bucket index -> count, for positive and negative values (negative keyed by the index of |x|). */
  positive: Record<string, number>;
  negative: Record<string, number>;
}

/** Values in ascending order with their counts; what CDF-based statistics consume. */
export interface WeightedValues {
  values: Float64Array;
  counts: Float64Array;
  total: number;
}

export class LogHistogram {
  readonly alpha: number;
  private readonly logGamma: number;
  private readonly gamma: number;
  private zeroCount = 0;
  private readonly positive = new Map<number, number>();
  private readonly negative = new Map<number, number>();
  /** Values smaller than this in magnitude count as zero (below it the log scheme runs out of precision). */
  static readonly MIN_MAGNITUDE = 1e-300;

  constructor(alpha = 0.005) {
    if (!(alpha > 0 && alpha < 1)) throw new Error(`relative accuracy must be in (0, 1), got ${alpha}`);
    this.alpha = alpha;
    this.gamma = (1 + alpha) / (1 - alpha);
    this.logGamma = Math.log(this.gamma);
  }

  add(value: number, count = 1): void {
    const magnitude = Math.abs(value);
    if (magnitude < LogHistogram.MIN_MAGNITUDE) {
      this.zeroCount += count;
      return;
    }
    const index = Math.ceil(Math.log(magnitude) / this.logGamma);
    const store = value > 0 ? this.positive : this.negative;
    store.set(index, (store.get(index) ?? 0) + count);
  }

  addAll(values: Float64Array, missing?: Uint8Array): void {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if ((missing && missing[i]) || !Number.isFinite(v)) continue;
      this.add(v);
    }
  }

  /** Buckets in use (the zero bucket included): what the histogram's memory grows with. */
  get buckets(): number {
    return this.positive.size + this.negative.size + (this.zeroCount > 0 ? 1 : 0);
  }

  get count(): number {
    let total = this.zeroCount;
    for (const c of this.positive.values()) total += c;
    for (const c of this.negative.values()) total += c;
    return total;
  }

  merge(other: LogHistogram): void {
    if (other.alpha !== this.alpha) throw new Error('cannot merge histograms of different accuracy');
    this.zeroCount += other.zeroCount;
    for (const [k, c] of other.positive) this.positive.set(k, (this.positive.get(k) ?? 0) + c);
    for (const [k, c] of other.negative) this.negative.set(k, (this.negative.get(k) ?? 0) + c);
  }

  /** The value each bucket stands for: within alpha (relative) of every value in it. */
  private representative(index: number): number {
    return (2 * Math.pow(this.gamma, index)) / (this.gamma + 1);
  }

  weightedValues(): WeightedValues {
    const negatives = [...this.negative.keys()].sort((a, b) => b - a);
    const positives = [...this.positive.keys()].sort((a, b) => a - b);
    const size = negatives.length + positives.length + (this.zeroCount > 0 ? 1 : 0);
    const values = new Float64Array(size);
    const counts = new Float64Array(size);
    let i = 0;
    for (const k of negatives) {
      values[i] = -this.representative(k);
      counts[i++] = this.negative.get(k)!;
    }
    if (this.zeroCount > 0) {
      values[i] = 0;
      counts[i++] = this.zeroCount;
    }
    for (const k of positives) {
      values[i] = this.representative(k);
      counts[i++] = this.positive.get(k)!;
    }
    let total = 0;
    for (let j = 0; j < counts.length; j++) total += counts[j];
    return { values, counts, total };
  }

  /** The q-quantile (lower), within alpha relative error. */
  quantile(q: number): number {
    return this.quantiles([q])[0];
  }

  /**
   * The lower quantiles at qs, within alpha relative error, from one ordering of the buckets (a chart's 400-point
   * quantile grid over 10,000 columns once sorted the buckets 8 million times).
   */
  quantiles(qs: readonly number[]): number[] {
    const { values, counts, total } = this.weightedValues();
    if (total === 0) return qs.map(() => NaN);
    const cumulative = new Float64Array(counts.length);
    let seen = 0;
    for (let i = 0; i < counts.length; i++) cumulative[i] = seen += counts[i];
    return qs.map((q) => {
      const rank = q * (total - 1);
      // The first bucket whose cumulative count passes the rank (binary search over the running totals).
      let lo = 0;
      let hi = counts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid] > rank) hi = mid;
        else lo = mid + 1;
      }
      return values[lo];
    });
  }

  toJSON(): LogHistogramState {
    return {
      alpha: this.alpha,
      zeroCount: this.zeroCount,
      positive: Object.fromEntries(this.positive),
      negative: Object.fromEntries(this.negative),
    };
  }

  static fromJSON(state: LogHistogramState): LogHistogram {
    const histogram = new LogHistogram(state.alpha);
    histogram.zeroCount = state.zeroCount;
    for (const [k, c] of Object.entries(state.positive)) histogram.positive.set(Number(k), c);
    for (const [k, c] of Object.entries(state.negative)) histogram.negative.set(Number(k), c);
    return histogram;
  }
}
