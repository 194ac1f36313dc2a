// A HyperLogLog distinct-count sketch (Flajolet et al. 2007, with linear counting for small counts) over 64-bit
// fingerprints: a fixed 16 KiB per column, for columns with more distinct values than the exact tracker keeps.

const PRECISION = 14;
const REGISTERS = 1 << PRECISION;
/** Relative standard error of the estimate, 1.04 / sqrt(m): about 0.8% with 2^14 registers. */
export const HYPERLOGLOG_STANDARD_ERROR = 1.04 / Math.sqrt(REGISTERS);

export class HyperLogLog {
  private readonly registers = new Uint8Array(REGISTERS);

  /** Adds a value by its fingerprint: the top bits of `high` pick a register, `low` gives the rank. */
  add(high: number, low: number): void {
    const index = high >>> (32 - PRECISION);
    // Rank = position of the first 1 bit; when `low` is all zeros, the unused bits of `high` continue it.
    const rank = low !== 0 ? Math.clz32(low) + 1 : 33 + Math.min(Math.clz32((high << PRECISION) | 1), 32 - PRECISION);
    if (rank > this.registers[index]) this.registers[index] = rank;
  }

  estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < REGISTERS; i++) {
      const r = this.registers[i];
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / REGISTERS);
    const raw = (alpha * REGISTERS * REGISTERS) / sum;
    if (raw <= 2.5 * REGISTERS && zeros > 0) return REGISTERS * Math.log(REGISTERS / zeros);
    return raw;
  }
}
