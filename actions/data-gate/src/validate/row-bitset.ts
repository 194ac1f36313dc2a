// One bit per dataset row, growing as rows stream by: which rows broke an error-level rule, for the failed-rows
// count and the quarantine split (5M rows take 625 KB a rule).
export class RowBitset {
  private bits: Uint32Array = new Uint32Array(1024);
  count = 0;

  /** The bits as 32-bit words (row r is bit r % 32 of word r / 32): what crosses from a worker thread. */
  get words(): Uint32Array {
    return this.bits;
  }

  static fromWords(words: Uint32Array): RowBitset {
    const set = new RowBitset();
    set.bits = words;
    for (let w = 0; w < words.length; w++) set.count += popcount(words[w]);
    return set;
  }

  set(row: number): void {
    const w = row >>> 5;
    if (w >= this.bits.length) {
      let size = this.bits.length * 2;
      while (size <= w) size *= 2;
      const bigger = new Uint32Array(size);
      bigger.set(this.bits);
      this.bits = bigger;
    }
    const bit = 1 << (row & 31);
    if ((this.bits[w] & bit) === 0) {
      this.bits[w] |= bit;
      this.count++;
    }
  }

  has(row: number): boolean {
    const w = row >>> 5;
    return w < this.bits.length && (this.bits[w] & (1 << (row & 31))) !== 0;
  }

  /** Rows set in at least one of `sets`. */
  static unionCount(sets: readonly RowBitset[]): number {
    if (sets.length === 0) return 0;
    const length = Math.max(...sets.map((s) => s.bits.length));
    let total = 0;
    for (let w = 0; w < length; w++) {
      let word = 0;
      for (const s of sets) if (w < s.bits.length) word |= s.bits[w];
      total += popcount(word);
    }
    return total;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
