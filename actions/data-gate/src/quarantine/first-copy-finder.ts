// Which rows are the first copy of their key, over rows given in file order, exactly and with bounded memory: for
// `duplicates: keep-first`, where the first row of each duplicate group stays in the passed file. While the keys fit
// the budget they live in an open-addressing table of 64-bit keys, and a row is a first copy when its key is new.
// Past the budget, the keys so far and every later (key, row) go to 64 partition files by the key's top bits; each
// partition is then replayed alone in file order (its records were appended in that order), as the uniqueness rules'
// DuplicateFinder does, so one partition's keys are in memory at a time.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RowBitset } from '../validate/row-bitset.js';

/** A spilled record: hi, lo, the row's low 32 bits, its high bits (SEEN: a key from the table, no row of its own). */
const WORDS = 4;
const RECORD_BYTES = WORDS * 4;
const SEEN = 0x80000000;
const TWO_32 = 2 ** 32;
const PARTITION_BITS = 6;
const PARTITIONS = 1 << PARTITION_BITS;
const FLUSH_RECORDS = 8192;
/** Records read back at a time (4 MiB). */
const READ_RECORDS = 1 << 18;

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
  private spill: { dir: string; files: number[]; buffers: Uint32Array[]; fill: Int32Array } | undefined;
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
    if (this.spill) return this.writeRecord(hi, lo, row % TWO_32, Math.floor(row / TWO_32));
    if (!this.keys.roomFor()) {
      if (this.keys.capacity * 2 > this.maxCapacity) {
        this.startSpill();
        return this.writeRecord(hi, lo, row % TWO_32, Math.floor(row / TWO_32));
      }
      this.keys = grown(this.keys);
    }
    if (this.keys.add(hi, lo)) this.firsts.set(row);
  }

  /** The rows that were the first of their key, once every row is added. */
  async firstCopies(): Promise<RowBitset> {
    const spill = this.spill;
    if (!spill) return this.firsts;
    for (let p = 0; p < PARTITIONS; p++) {
      if (spill.fill[p] > 0) this.flushPartition(p);
      closeSync(spill.files[p]);
    }
    spill.files = [];
    const records = new Uint32Array(READ_RECORDS * WORDS);
    const bytes = new Uint8Array(records.buffer);
    try {
      for (let p = 0; p < PARTITIONS; p++) {
        let keys = new KeySet(16);
        const handle = await open(join(spill.dir, `partition-${p}.bin`), 'r');
        try {
          for (let position = 0; ;) {
            const { bytesRead } = await handle.read(bytes, 0, bytes.length, position);
            // Records are whole in each read: the file holds whole records and a read asks for whole records.
            const end = Math.floor(bytesRead / RECORD_BYTES) * WORDS;
            if (end === 0) break;
            position += (end / WORDS) * RECORD_BYTES;
            for (let at = 0; at < end; at += WORDS) {
              if (!keys.roomFor()) keys = grown(keys);
              const isNew = keys.add(records[at], records[at + 1]);
              const meta = records[at + 3];
              if (isNew && (meta & SEEN) === 0) this.firsts.set(meta * TWO_32 + records[at + 2]);
            }
          }
        } finally {
          await handle.close();
        }
      }
    } finally {
      this.dispose();
    }
    return this.firsts;
  }

  /** Removes the partition files (after firstCopies, or when the quarantine stops early). */
  dispose(): void {
    if (!this.spill) return;
    for (const fd of this.spill.files) closeSync(fd);
    this.spill.files = [];
    rmSync(this.spill.dir, { recursive: true, force: true });
  }

  private startSpill(): void {
    const dir = mkdtempSync(join(tmpdir(), 'data-gate-first-copies-'));
    this.spill = {
      dir,
      files: Array.from({ length: PARTITIONS }, (_, p) => openSync(join(dir, `partition-${p}.bin`), 'w')),
      buffers: Array.from({ length: PARTITIONS }, () => new Uint32Array(FLUSH_RECORDS * WORDS)),
      fill: new Int32Array(PARTITIONS),
    };
    // The keys seen so far go first, marked SEEN: their first rows are already known.
    this.keys.forEach((hi, lo) => this.writeRecord(hi, lo, 0, SEEN));
    this.keys = new KeySet(16);
  }

  private writeRecord(hi: number, lo: number, rowLow: number, meta: number): void {
    const spill = this.spill!;
    const p = hi >>> (32 - PARTITION_BITS);
    const buffer = spill.buffers[p];
    const at = spill.fill[p] * WORDS;
    buffer[at] = hi;
    buffer[at + 1] = lo;
    buffer[at + 2] = rowLow;
    buffer[at + 3] = meta;
    if (++spill.fill[p] === FLUSH_RECORDS) this.flushPartition(p);
  }

  private flushPartition(p: number): void {
    const spill = this.spill!;
    const bytes = spill.fill[p] * RECORD_BYTES;
    const buffer = spill.buffers[p];
    for (let written = 0; written < bytes;) {
      written += writeSync(spill.files[p], new Uint8Array(buffer.buffer, buffer.byteOffset + written, bytes - written));
    }
    spill.fill[p] = 0;
  }
}
