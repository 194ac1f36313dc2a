// One pass over a categorical column: exact category counts (mergeable by adding), missing counted apart.

export interface CategoricalProfileState {
  type: 'categorical';
  rows: number;
  missing: number;
  counts: Record<string, number>;
}

export class CategoricalAccumulator {
  rows = 0;
  missing = 0;
  readonly counts = new Map<string, number>();

  addBatch(values: (string | null)[]): void {
    this.rows += values.length;
    for (const v of values) {
      if (v === null) {
        this.missing++;
        continue;
      }
      this.counts.set(v, (this.counts.get(v) ?? 0) + 1);
    }
  }

  /** Numbers and booleans arrive as numbers; their text form is the category. */
  addNumbers(values: Float64Array, missing: Uint8Array, asBoolean: boolean): void {
    this.rows += values.length;
    for (let i = 0; i < values.length; i++) {
      if (missing[i] || Number.isNaN(values[i])) {
        this.missing++;
        continue;
      }
      const key = asBoolean ? (values[i] ? 'true' : 'false') : String(values[i]);
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }

  merge(other: CategoricalAccumulator): void {
    this.rows += other.rows;
    this.missing += other.missing;
    for (const [k, c] of other.counts) this.counts.set(k, (this.counts.get(k) ?? 0) + c);
  }

  toJSON(): CategoricalProfileState {
    return { type: 'categorical', rows: this.rows, missing: this.missing, counts: Object.fromEntries(this.counts) };
  }

  static fromJSON(state: CategoricalProfileState): CategoricalAccumulator {
    const acc = new CategoricalAccumulator();
    acc.rows = state.rows;
    acc.missing = state.missing;
    for (const [k, c] of Object.entries(state.counts)) acc.counts.set(k, c);
    return acc;
  }
}
