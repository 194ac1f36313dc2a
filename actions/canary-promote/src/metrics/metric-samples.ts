// What each metric's source hands the judge: the samples of both arms (continuous) or their counts (rate), and a
// bounded buffer that keeps a uniform sample once a column would pass its share of memory-budget-mb.
import { seededRandom } from '#shared/stats/distances/seeded-random.js';
import type { RateCounts } from '../judge/rate-classifier.js';

export type Arm = 'baseline' | 'canary';

export type MetricSamples =
  | { kind: 'continuous'; baseline: Float64Array; canary: Float64Array; sampled: boolean }
  | { kind: 'rate'; baseline: RateCounts; canary: RateCounts };

/** A growing Float64Array that turns into a uniform reservoir sample (algorithm R) at `capacity` values. */
export class SampleBuffer {
  private values = new Float64Array(1024);
  private size = 0;
  private seenCount = 0;
  private readonly random = seededRandom(0xc0ffee);

  constructor(private readonly capacity: number) {}

  push(value: number): void {
    this.seenCount++;
    if (this.size < this.capacity) {
      if (this.size === this.values.length) {
        const grown = new Float64Array(Math.min(this.capacity, this.values.length * 2));
        grown.set(this.values);
        this.values = grown;
      }
      this.values[this.size++] = value;
      return;
    }
    const j = Math.floor(this.random() * this.seenCount);
    if (j < this.capacity) this.values[j] = value;
  }

  get sampled(): boolean {
    return this.seenCount > this.size;
  }

  get seen(): number {
    return this.seenCount;
  }

  toArray(): Float64Array {
    return this.values.subarray(0, this.size);
  }
}

/** NaN handling as Kayenta's: remove NaN, or replace it with 0. Returns the values and how many were NaN. */
export function applyNanStrategy(values: Float64Array, strategy: 'remove' | 'replace'): { values: Float64Array; nan: number } {
  let nan = 0;
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) nan++;
  if (nan === 0) return { values, nan };
  if (strategy === 'replace') return { values: values.map((v) => (Number.isNaN(v) ? 0 : v)), nan };
  const kept = new Float64Array(values.length - nan);
  let at = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) kept[at++] = values[i];
  return { values: kept, nan };
}
