// A uniform random sample of bounded size (Vitter's algorithm R) with a seeded generator, mergeable across shards
// by weighted resampling. Statistics with no sketch form (Anderson-Darling, Cramér-von Mises, Mann-Whitney, MMD)
// run on it once a column outgrows the memory budget; reports say so.
// The buffer grows as values arrive (a column of 200 values holds 200, not `capacity`), and with a budget each
// growth is reserved from it: when a reservation fails the sample keeps the size it has, still uniform (algorithm
// R with that smaller capacity, since every value seen so far is in it).
import { seededRandom } from '../distances/seeded-random.js';
import type { MemoryBudget } from './memory-budget.js';

export interface ReservoirState {
  capacity: number;
  seen: number;
  values: number[];
}

const FIRST_BUFFER = 256;

export class ReservoirSample {
  private buffer: Float64Array;
  private size = 0;
  private seenCount = 0;
  private limit: number;
  private readonly random: () => number;

  constructor(
    capacity: number,
    seed = 42,
    private readonly budget?: MemoryBudget,
  ) {
    this.limit = capacity;
    this.buffer = new Float64Array(0);
    this.random = seededRandom(seed);
  }

  /** The most values kept: the capacity asked for, or less where the budget stopped the buffer's growth. */
  get capacity(): number {
    return this.limit;
  }

  get seen(): number {
    return this.seenCount;
  }

  get length(): number {
    return this.size;
  }

  /** Bytes reserved from the budget (the buffer's, when a budget was given). */
  get reservedBytes(): number {
    return this.budget ? this.buffer.byteLength : 0;
  }

  add(value: number): void {
    this.seenCount++;
    if (this.size < this.limit) {
      if (this.size === this.buffer.length && !this.grow(this.size + 1)) return this.replace(value);
      this.buffer[this.size++] = value;
      return;
    }
    this.replace(value);
  }

  private replace(value: number): void {
    const j = Math.floor(this.random() * this.seenCount);
    if (j < this.limit) this.buffer[j] = value;
  }

  /**
   * Makes room for `needed` values (doubling, up to the capacity). Where the budget refuses, the buffer keeps its
   * length and that becomes the capacity; false then.
   */
  private grow(needed: number): boolean {
    let size = Math.max(FIRST_BUFFER, this.buffer.length);
    while (size < needed) size *= 2;
    size = Math.min(size, this.limit);
    if (size <= this.buffer.length) return size >= needed;
    if (this.budget && !this.budget.reserve((size - this.buffer.length) * 8)) {
      this.limit = this.buffer.length;
      return false;
    }
    const bigger = new Float64Array(size);
    bigger.set(this.buffer.subarray(0, this.size));
    this.buffer = bigger;
    return size >= needed;
  }

  values(): Float64Array {
    return this.buffer.slice(0, this.size);
  }

  /** Gives the buffer's bytes back to the budget; the sample is empty afterwards. */
  release(): void {
    this.budget?.release(this.buffer.byteLength);
    this.buffer = new Float64Array(0);
    this.size = 0;
  }

  /** Merges another shard's sample so the result stays uniform over both shards' values. */
  merge(other: ReservoirSample): void {
    const mine = this.values();
    const theirs = other.values();
    const total = this.seenCount + other.seenCount;
    this.grow(Math.min(this.limit, mine.length + theirs.length));
    const slots = Math.min(this.limit, this.buffer.length, mine.length + theirs.length);
    if (mine.length + theirs.length <= slots) {
      this.buffer.set(theirs, this.size);
      this.size += theirs.length;
      this.seenCount = total;
      return;
    }
    // Draw each slot from one side with probability proportional to how many values that side stands for.
    let a = 0;
    let b = 0;
    for (let i = 0; i < slots; i++) {
      const fromMine = this.random() * total < this.seenCount;
      if ((fromMine && a < mine.length) || b >= theirs.length) this.buffer[i] = mine[a++];
      else this.buffer[i] = theirs[b++];
    }
    this.size = slots;
    this.limit = slots;
    this.seenCount = total;
  }

  toJSON(): ReservoirState {
    return { capacity: this.limit, seen: this.seenCount, values: Array.from(this.values()) };
  }

  static fromJSON(state: ReservoirState, seed = 42, budget?: MemoryBudget): ReservoirSample {
    const sample = new ReservoirSample(state.capacity, seed, budget);
    sample.grow(Math.min(state.values.length, state.capacity));
    const kept = Math.min(state.values.length, sample.limit, sample.buffer.length);
    sample.buffer.set(state.values.slice(0, kept));
    sample.size = kept;
    sample.limit = Math.max(kept, Math.min(sample.limit, state.capacity));
    sample.seenCount = state.seen;
    return sample;
  }
}
