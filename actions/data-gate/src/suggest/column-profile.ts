// One column's profile, built batch by batch in bounded memory: counts, min/max, value lengths, a capped map of
// distinct values and an exact-or-estimated answer to "are all values distinct". What rule suggestions are made from.
import type { ColumnType, ColumnValues } from '#shared/data/types.js';
import { UniquenessTracker, type Distinctness } from './uniqueness-tracker.js';
import { mixedNumberKey, stringKey, type Key64 } from '../expectations/value-hash.js';
import { textCells } from '#shared/data/utf8-cells.js';

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  rows: number;
  /** Rows with a value (not missing). */
  present: number;
  /** Smallest and largest value of a number-kind column (datetime: epoch ms; boolean: 0/1); NaN when none. */
  min: number;
  max: number;
  /** Every present value of a number-kind column is a whole number. */
  wholeNumbers: boolean;
  /** Shortest and longest string (categorical, text), in Unicode code points as Python's len() counts; NaN when none. */
  minLength: number;
  maxLength: number;
  /** Each distinct value with its count while there are at most maxSetSize (categorical, text, boolean); else null. */
  valueCounts: Map<string | number, number> | null;
  /** Whether all present values are distinct: tracked for key candidates (strings, whole numbers) only. */
  distinctness?: Distinctness;
}

export interface ProfileOptions {
  maxSetSize: number;
  /** Track whether all values are distinct (costs a fingerprint a value). */
  trackUniqueness: boolean;
  /** Distinct values kept exactly before the uniqueness answer becomes a HyperLogLog estimate. */
  exactDistinctBudget: number;
}

/** Accumulates a ColumnProfile from the column's values in each batch. */
export class ColumnProfiler {
  private rows = 0;
  private present = 0;
  private min = Infinity;
  private max = -Infinity;
  private wholeNumbers = true;
  private minLength = Infinity;
  private maxLength = -Infinity;
  private valueCounts: Map<string | number, number> | null;
  private uniqueness: UniquenessTracker | null;
  /** The uniqueness answer once it can no longer change (a value repeated), with its tracker freed. */
  private settledUniqueness: Distinctness | undefined;
  private readonly fingerprint: Key64 = { hi: 0, lo: 0 };

  constructor(
    private readonly name: string,
    private readonly type: ColumnType,
    private readonly options: ProfileOptions,
  ) {
    const countsValues = type === 'categorical' || type === 'text' || type === 'boolean';
    this.valueCounts = countsValues ? new Map() : null;
    const keyKind = type === 'categorical' || type === 'numerical';
    this.uniqueness = keyKind && options.trackUniqueness ? new UniquenessTracker(options.exactDistinctBudget) : null;
  }

  add(column: ColumnValues, rowCount: number): void {
    this.rows += rowCount;
    if (column.kind === 'number') this.addNumbers(column.values, column.missing, rowCount);
    else this.addStrings(textCells(column), rowCount);
  }

  private addNumbers(values: Float64Array, missing: Uint8Array, rowCount: number): void {
    let { min, max, present, wholeNumbers } = this;
    const uniqueness = this.uniqueness;
    for (let i = 0; i < rowCount; i++) {
      if (missing[i]) continue;
      const v = values[i];
      present++;
      if (v < min) min = v;
      if (v > max) max = v;
      if (wholeNumbers && !Number.isInteger(v)) wholeNumbers = false;
      if (uniqueness) uniqueness.add(mixedNumberKey(v, this.fingerprint));
      if (this.valueCounts) this.count(v);
    }
    Object.assign(this, { min, max, present, wholeNumbers });
    // A column with fractions is a measurement, never a key: stop paying for its fingerprints.
    if (!wholeNumbers) this.uniqueness = null;
    this.settleUniqueness();
  }

  private addStrings(values: (string | null)[], rowCount: number): void {
    let { minLength, maxLength, present } = this;
    const uniqueness = this.uniqueness;
    for (let i = 0; i < rowCount; i++) {
      const v = values[i];
      if (v === null) continue;
      present++;
      const length = codePointLength(v);
      if (length < minLength) minLength = length;
      if (length > maxLength) maxLength = length;
      if (uniqueness) uniqueness.add(stringKey(v, this.fingerprint));
      if (this.valueCounts) this.count(v);
    }
    Object.assign(this, { minLength, maxLength, present });
    this.settleUniqueness();
  }

  private settleUniqueness(): void {
    if (this.uniqueness && !this.uniqueness.tracking) {
      this.settledUniqueness = this.uniqueness.result();
      this.uniqueness = null;
    }
  }

  /** Counts one value while the map holds at most maxSetSize values; past that the map is dropped for good. */
  private count(value: string | number): void {
    const counts = this.valueCounts as Map<string | number, number>;
    const seen = counts.get(value);
    if (seen !== undefined) counts.set(value, seen + 1);
    else if (counts.size < this.options.maxSetSize) counts.set(value, 1);
    else this.valueCounts = null;
  }

  finish(): ColumnProfile {
    const none = this.present === 0;
    const numbers = this.type === 'numerical' || this.type === 'datetime' || this.type === 'boolean';
    return {
      name: this.name,
      type: this.type,
      rows: this.rows,
      present: this.present,
      min: none || !numbers ? NaN : this.min,
      max: none || !numbers ? NaN : this.max,
      wholeNumbers: numbers && this.wholeNumbers,
      minLength: none || numbers ? NaN : this.minLength,
      maxLength: none || numbers ? NaN : this.maxLength,
      valueCounts: this.valueCounts,
      distinctness: this.uniqueness?.result() ?? this.settledUniqueness,
    };
  }
}

/** The length Python's len() gives: code points, so a surrogate pair (an emoji) counts once. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}
