// Maps the bytes of a categorical CSV cell to one shared string per distinct value, so a column of 3M cells
// with 200 levels decodes 200 strings instead of 3M (decoding is the costliest step of reading a cell).
import { isMissingBytes } from './value-parsers.js';

/** Past this many distinct values a column is not really categorical; stop interning and decode each cell. */
const MAX_ENTRIES = 65536;

export class ByteInterner {
  private slots = new Int32Array(1024); // entry index + 1, 0 = empty
  // Typed arrays: FNV hashes span all 32 bits, which plain arrays would store as boxed doubles.
  private hashes = new Int32Array(256);
  private offsets = new Int32Array(256);
  private lengths = new Int32Array(256);
  private strings: (string | null)[] = [];
  private pool = new Uint8Array(16384);
  private poolUsed = 0;
  full = false;

  /** unescapeQuotes: the bytes are a quoted CSV field's inside, whose doubled quotes the value reads as one. */
  constructor(private readonly unescapeQuotes = false) {}

  /** The string for buf[start, end) (null for a missing token), or undefined once the table is full. */
  lookup(buf: Uint8Array, start: number, end: number): string | null | undefined {
    const len = end - start;
    let hash = 0x811c9dc5 | 0; // int32, as the stored hashes are: an empty cell (no loop turn) must match its entry
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i], 16777619);
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    const pool = this.pool;
    for (;;) {
      const entry = this.slots[slot];
      if (entry === 0) break;
      const index = entry - 1;
      if (this.hashes[index] === hash && this.lengths[index] === len) {
        const offset = this.offsets[index];
        let same = true;
        for (let k = 0; k < len; k++) {
          if (pool[offset + k] !== buf[start + k]) {
            same = false;
            break;
          }
        }
        if (same) return this.strings[index];
      }
      slot = (slot + 1) & mask;
    }
    if (this.full) return undefined;
    return this.insert(slot, hash, buf, start, end);
  }

  private insert(slot: number, hash: number, buf: Uint8Array, start: number, end: number): string | null {
    const len = end - start;
    let value = isMissingBytes(buf, start, end) ? null : Buffer.from(buf.buffer, buf.byteOffset + start, len).toString('utf8');
    if (this.unescapeQuotes && value !== null) value = value.replaceAll('""', '"');
    if (this.poolUsed + len > this.pool.length) {
      const grown = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + len));
      grown.set(this.pool.subarray(0, this.poolUsed));
      this.pool = grown;
    }
    this.pool.set(buf.subarray(start, end), this.poolUsed);
    const index = this.strings.length;
    if (index === this.hashes.length) {
      this.hashes = grow(this.hashes);
      this.offsets = grow(this.offsets);
      this.lengths = grow(this.lengths);
    }
    this.hashes[index] = hash;
    this.offsets[index] = this.poolUsed;
    this.lengths[index] = len;
    this.strings.push(value);
    this.poolUsed += len;
    this.slots[slot] = index + 1;
    if (this.strings.length >= MAX_ENTRIES) this.full = true;
    else if (this.strings.length * 2 > this.slots.length) this.rehash();
    return value;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let index = 0; index < this.strings.length; index++) {
      let slot = this.hashes[index] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = index + 1;
    }
    this.slots = slots;
  }
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}
