// A uniform random sample of bounded size (Vitter's algorithm R) with a seeded generator, mergeable across shards
// by weighted resampling. Statistics with no sketch form (Anderson-Darling, Cramér-von Mises, Mann-Whitney, MMD)
// run on it once a column outgrows the memory budget; reports say so.
import { seededRandom } from '../distances/seeded-random.js';

export interface ReservoirState {
  capacity: number;
  seen: number;
  values: number[];
}

export class ReservoirSample {
  private readonly buffer: Float64Array;
  private size = 0;
  private seenCount = 0;
  private readonly random: () => number;

  constructor(
    readonly capacity: number,
    seed = 42,
  ) {
    this.buffer = new Float64Array(capacity);
    this.random = seededRandom(seed);
  }

  get seen(): number {
    return this.seenCount;
  }

  add(value: number): void {
    this.seenCount++;
    if (this.size < this.capacity) {
      this.buffer[this.size++] = value;
      return;
    }
    const j = Math.floor(this.random() * this.seenCount);
    if (j < this.capacity) this.buffer[j] = value;
  }

  values(): Float64Array {
    return this.buffer.slice(0, this.size);
  }

  /** Merges another shard's sample so the result stays uniform over both shards' values. */
  merge(other: ReservoirSample): void {
    const mine = this.values();
    const theirs = other.values();
    const total = this.seenCount + other.seenCount;
    if (mine.length + theirs.length <= this.capacity) {
      this.buffer.set(theirs, this.size);
      this.size += theirs.length;
      this.seenCount = total;
      return;
    }
    // Draw each slot from one side with probability proportional to how many values that side stands for.
    const merged = new Float64Array(this.capacity);
    let a = 0;
    let b = 0;
    for (let i = 0; i < this.capacity; i++) {
      const fromMine = this.random() * total < this.seenCount;
      if ((fromMine && a < mine.length) || b >= theirs.length) merged[i] = mine[a++];
      else merged[i] = theirs[b++];
    }
    this.buffer.set(merged);
    this.size = this.capacity;
    this.seenCount = total;
  }

  toJSON(): ReservoirState {
    return { capacity: this.capacity, seen: this.seenCount, values: Array.from(this.values()) };
  }

  static fromJSON(state: ReservoirState, seed = 42): ReservoirSample {
    const sample = new ReservoirSample(state.capacity, seed);
    sample.buffer.set(state.values.slice(0, state.capacity));
    sample.size = Math.min(state.values.length, state.capacity);
    sample.seenCount = state.seen;
    return sample;
  }
}
