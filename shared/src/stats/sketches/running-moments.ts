// Exact count, min, max, sum, mean and variance of a stream of numbers in one pass (Welford), mergeable across
// shards (Chan et al.'s pairwise update), so profiles of parts combine into the moments of the whole.

export interface MomentsState {
  count: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

export class RunningMoments {
  count = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;
  /** Welford's running mean: only for the m2 update; `mean` divides the sum, as numpy and pandas do. */
  private runningMean = 0;
  /** Sum of squared deviations from the mean. */
  m2 = 0;

  add(value: number): void {
    const count = ++this.count;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.sum += value;
    const delta = value - this.runningMean;
    this.runningMean += delta / count;
    this.m2 += delta * (value - this.runningMean);
  }

  get mean(): number {
    return this.count === 0 ? NaN : this.sum / this.count;
  }

  /** Population variance (ddof = 0), numpy's var(). */
  get variance(): number {
    return this.count > 0 ? this.m2 / this.count : NaN;
  }

  /** Sample variance (ddof = 1), pandas' var(). */
  get sampleVariance(): number {
    return this.count > 1 ? this.m2 / (this.count - 1) : NaN;
  }

  /** Sample standard deviation (ddof = 1), as pandas' std() that Great Expectations uses. */
  get stdev(): number {
    return Math.sqrt(this.sampleVariance);
  }

  merge(other: RunningMoments): void {
    const total = this.count + other.count;
    if (other.count === 0) return;
    const delta = other.runningMean - this.runningMean;
    this.m2 += other.m2 + (delta * delta * this.count * other.count) / total;
    this.runningMean += (delta * other.count) / total;
    this.count = total;
    this.sum += other.sum;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }

  toJSON(): MomentsState {
    return { count: this.count, mean: this.count ? this.runningMean : 0, m2: this.m2, min: this.min, max: this.max };
  }

  static fromJSON(state: MomentsState): RunningMoments {
    const moments = new RunningMoments();
    moments.count = state.count;
    moments.runningMean = state.mean;
    moments.sum = state.mean * state.count;
    moments.m2 = state.m2;
    moments.min = state.min ?? Infinity;
    moments.max = state.max ?? -Infinity;
    return moments;
  }
}
