// Which rows are the first copy of their key, over rows given in file order, exactly and with bounded memory: for
// `duplicates: keep-first`, where the first row of each duplicate group stays in the passed file. While the keys fit
// the budget they live in an open-addressing table of 64-bit keys, and a row is a first copy when its key is new.
// Past the budget, the keys so far and every later (key, row) go to 64 partition files by the key's top bits; each
// partition is then replayed alone in file order (its records were appended in that order), as the uniqueness rules'
// DuplicateFinder does, so one partition's keys are in memory at a time.
import { PartitionedSpill, RECORD_WORDS as WORDS } from '../spill/partitioned-spill.js';
import { RowBitset } from '../validate/row-bitset.js';

/** A spilled record: hi, lo, the row's low 32 bits, its high bits (SEEN: a key from the table, no row of its own). */
const SEEN = 0x80000000;
const TWO_32 = 2 ** 32;
const SPILL_LAYOUT = { partitionBits: 6, flushRecords: 8192, prefix: 'data-gate-first-copies-' };

/** A set of 64-bit keys: two uint32 words a slot, (0, 0) marking an empty slot (the key (0, 0) is held apart). */
class KeySet {
  words: Uint32Array;
  size = 0;
  private hasZero = false;
  private mask: number;

  constructor(capacity: number) {
    this.words = new Uint32Array(capacity * 2);
    this.mask = capacity - 1;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Adds the key; true when it was new. */
  add(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) {
      if (this.hasZero) return false;
      this.hasZero = true;
      this.size++;
      return true;
    }
    const words = this.words;
    for (let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = slot * 2;
      if (words[at] === 0 && words[at + 1] === 0) {
        words[at] = hi;
        words[at + 1] = lo;
        this.size++;
        return true;
      }
      if (words[at] === hi && words[at + 1] === lo) return false;
    }
  }

  /** Calls fn with every key. */
  forEach(fn: (hi: number, lo: number) => void): void {
    if (this.hasZero) fn(0, 0);
    const words = this.words;
    for (let at = 0; at < words.length; at += 2) if (words[at] !== 0 || words[at + 1] !== 0) fn(words[at], words[at + 1]);
  }

  /** Whether one more key keeps the table at most 3/4 full. */
  roomFor(): boolean {
    return (this.size + 1) * 4 <= this.capacity * 3;
  }
}

function grown(old: KeySet): KeySet {
  const next = new KeySet(old.capacity * 2);
  old.forEach((hi, lo) => next.add(hi, lo));
  return next;
}

export class FirstCopyFinder {
  private keys = new KeySet(1 << 10);
  private readonly maxCapacity: number;
  private readonly firsts = new RowBitset();
  private spill: PartitionedSpill | undefined;
  private lastRow = -1;

  constructor(budgetBytes: number) {
    let max = 1 << 10;
    while (max * 2 * 8 <= budgetBytes) max *= 2;
    this.maxCapacity = max;
  }

  /** True once keys went to disk. */
  get spilled(): boolean {
    return this.spill !== undefined;
  }

  /** A row and its key; rows come in ascending order (the order in which "first" is meant). */
  add(hi: number, lo: number, row: number): void {
    if (row <= this.lastRow) throw new Error(`FirstCopyFinder: row ${row} after row ${this.lastRow}`);
    this.lastRow = row;
    if (this.spill) return this.spill.write(hi, lo, row % TWO_32, Math.floor(row / TWO_32));
    if (!this.keys.roomFor()) {
      if (this.keys.capacity * 2 > this.maxCapacity) {
        this.startSpill();
        return this.spill!.write(hi, lo, row % TWO_32, Math.floor(row / TWO_32));
      }
      this.keys = grown(this.keys);
    }
    if (this.keys.add(hi, lo)) this.firsts.set(row);
  }

  /** The rows that were the first of their key, once every row is added. */
  async firstCopies(): Promise<RowBitset> {
    const spill = this.spill;
    if (!spill) return this.firsts;
    spill.endWrites();
    try {
      for (let p = 0; p < spill.partitions; p++) {
        let keys = new KeySet(16);
        await spill.readPartition(p, (records, end) => {
          for (let at = 0; at < end; at += WORDS) {
            if (!keys.roomFor()) keys = grown(keys);
            const isNew = keys.add(records[at], records[at + 1]);
            const meta = records[at + 3];
            if (isNew && (meta & SEEN) === 0) this.firsts.set(meta * TWO_32 + records[at + 2]);
          }
        });
      }
    } finally {
      this.dispose();
    }
    return this.firsts;
  }

  /** Removes the partition files (after firstCopies, or when the quarantine stops early). */
  dispose(): void {
    this.spill?.dispose();
  }

  private startSpill(): void {
    const spill = new PartitionedSpill(SPILL_LAYOUT);
    this.spill = spill;
    // The keys seen so far go first, marked SEEN: their first rows are already known.
    this.keys.forEach((hi, lo) => spill.write(hi, lo, 0, SEEN));
    this.keys = new KeySet(16);
  }
}
