// Answers "are all non-null values of this column distinct?" in bounded memory: an exact set of 64-bit fingerprints
// up to a budget of values, then a HyperLogLog estimate. A fingerprint collision can only hide uniqueness (it reads
// as a duplicate), so an exact "all distinct" is certain.
import { HYPERLOGLOG_STANDARD_ERROR, HyperLogLog } from './hyperloglog.js';
import type { Key64 } from '../expectations/value-hash.js';

export interface Distinctness {
  /** Non-null values seen. */
  values: number;
  /** 'exact' up to the budget; 'estimated' (HyperLogLog) past it. */
  method: 'exact' | 'estimated';
  /** Exact: no value repeated. Estimated: the estimate is within two standard errors of the number of values. */
  allDistinct: boolean;
  /** Distinct values: exact while all were distinct, the estimate past the budget, absent once a repeat was seen. */
  distinct?: number;
}

const INITIAL_CAPACITY = 1024;

export class UniquenessTracker {
  private high: Uint32Array | null = new Uint32Array(INITIAL_CAPACITY);
  private low: Uint32Array | null = new Uint32Array(INITIAL_CAPACITY);
  private stored = 0;
  private sketch: HyperLogLog | null = null;
  private repeated = false;
  private seen = 0;

  /** @param budget distinct values kept exactly (8 bytes each, at most 16 bytes a value with the table's slack). */
  constructor(private readonly budget: number) {}

  /** False once a repeat is known: callers may stop computing fingerprints. */
  get tracking(): boolean {
    return !this.repeated;
  }

  add(fingerprint: Key64): void {
    if (this.repeated) return;
    this.seen++;
    if (this.sketch) {
      this.sketch.add(fingerprint.hi, fingerprint.lo);
      return;
    }
    // (0, 0) marks an empty slot, so that one fingerprint is moved to (0, 1); a collision only hides uniqueness.
    const high = fingerprint.hi;
    const low = fingerprint.hi === 0 && fingerprint.lo === 0 ? 1 : fingerprint.lo;
    if (!this.insert(high, low)) {
      this.repeated = true;
      this.high = this.low = null;
      return;
    }
    if (this.stored > this.budget) this.switchToSketch();
    else if (this.stored * 2 > (this.high as Uint32Array).length) this.grow();
  }

  result(): Distinctness {
    if (this.repeated) return { values: this.seen, method: 'exact', allDistinct: false };
    if (!this.sketch) return { values: this.seen, method: 'exact', allDistinct: true, distinct: this.seen };
    const distinct = Math.round(this.sketch.estimate());
    return {
      values: this.seen,
      method: 'estimated',
      allDistinct: distinct >= this.seen * (1 - 2 * HYPERLOGLOG_STANDARD_ERROR),
      distinct,
    };
  }

  /** Adds to the open-addressing table; false when the fingerprint is already there. */
  private insert(high: number, low: number): boolean {
    const highs = this.high as Uint32Array;
    const lows = this.low as Uint32Array;
    const mask = highs.length - 1;
    let slot = (low ^ high) & mask;
    for (;;) {
      const h = highs[slot];
      const l = lows[slot];
      if (h === 0 && l === 0) {
        highs[slot] = high;
        lows[slot] = low;
        this.stored++;
        return true;
      }
      if (h === high && l === low) return false;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const highs = this.high as Uint32Array;
    const lows = this.low as Uint32Array;
    this.high = new Uint32Array(highs.length * 2);
    this.low = new Uint32Array(lows.length * 2);
    this.stored = 0;
    for (let i = 0; i < highs.length; i++) if (highs[i] !== 0 || lows[i] !== 0) this.insert(highs[i], lows[i]);
  }

  /** Past the budget: the fingerprints kept so far seed the sketch, and the table is freed. */
  private switchToSketch(): void {
    const sketch = new HyperLogLog();
    const highs = this.high as Uint32Array;
    const lows = this.low as Uint32Array;
    for (let i = 0; i < highs.length; i++) if (highs[i] !== 0 || lows[i] !== 0) sketch.add(highs[i], lows[i]);
    this.sketch = sketch;
    this.high = this.low = null;
  }
}
