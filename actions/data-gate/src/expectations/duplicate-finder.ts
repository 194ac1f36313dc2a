// Finds repeated keys among millions of rows with bounded memory: an open-addressing hash table of 64-bit keys
// (first row of each key) while it fits its budget; past the budget every key goes to one of 64 temporary partition
// files by its top bits, and each partition is deduplicated on its own at the end (a grace hash join's partitioning).
// Exact up to 64-bit key collisions (value-hash.ts states their probability). Hand-written: no npm package offers a
// typed-array hash set that spills to disk.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes per slot: two key halves (4 + 4), first row + 1 (8), seen-twice flag (1). */
const SLOT_BYTES = 17;
const PARTITION_BITS = 6;
const PARTITIONS = 1 << PARTITION_BITS;
/** A spilled record: hi, lo (uint32 each), row (float64), flag (0/1 as float64 keeps alignment simple). */
const RECORD_WORDS = 4;
const FLUSH_RECORDS = 4096;

class KeyTable {
  hi: Uint32Array;
  lo: Uint32Array;
  /** 0 = empty slot, else first row + 1. */
  first: Float64Array;
  twice: Uint8Array;
  size = 0;
  private mask: number;

  constructor(capacity: number) {
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.first = new Float64Array(capacity);
    this.twice = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** The slot of the last key added. */
  slot = 0;

  /** Adds a key seen at `row`; returns the key's first row when it was already there, else -1 (slot: its slot). */
  add(hi: number, lo: number, row: number): number {
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const f = this.first[slot];
      if (f === 0) {
        this.hi[slot] = hi;
        this.lo[slot] = lo;
        this.first[slot] = row + 1;
        this.size++;
        this.slot = slot;
        return -1;
      }
      if (this.hi[slot] === hi && this.lo[slot] === lo) {
        this.slot = slot;
        return f - 1;
      }
      slot = (slot + 1) & this.mask;
    }
  }
}

export interface DuplicateFinderOptions {
  /** Memory the table may use before spilling to disk. */
  budgetBytes: number;
  /** Keep the rows of repeated keys (uniqueness); off for distinct counts only. */
  collectRows: boolean;
}

export class DuplicateFinder {
  private table: KeyTable;
  private readonly maxCapacity: number;
  private duplicates: Float64Array = new Float64Array(1024);
  private duplicateCount = 0;
  private spill: { dir: string; files: number[]; buffers: Float64Array[]; fill: Int32Array } | undefined;
  private spilledDistinct: number | undefined;

  constructor(private readonly options: DuplicateFinderOptions) {
    let max = 1 << 10;
    while (max * 2 * SLOT_BYTES <= options.budgetBytes) max *= 2;
    this.maxCapacity = max;
    this.table = new KeyTable(Math.min(1 << 12, max));
  }

  /** True once keys went to disk. */
  get spilled(): boolean {
    return this.spill !== undefined;
  }

  /** How the answer was found, for results. */
  get method(): string {
    return this.spilled ? 'exact 64-bit keys, spilled to disk past the memory budget' : 'exact 64-bit keys in memory';
  }

  add(hi: number, lo: number, row: number): void {
    if (this.spill) {
      this.writeSpill(hi, lo, row, 0);
      return;
    }
    let table = this.table;
    if ((table.size + 1) * 4 > table.capacity * 3) {
      if (table.capacity * 2 <= this.maxCapacity) table = this.grow();
      else {
        this.startSpill();
        this.writeSpill(hi, lo, row, 0);
        return;
      }
    }
    const previous = table.add(hi, lo, row);
    if (previous >= 0) this.seenAgain(table, table.slot, previous, row);
  }

  private seenAgain(table: KeyTable, slot: number, first: number, row: number): void {
    if (!this.options.collectRows) {
      table.twice[slot] = 1;
      return;
    }
    if (table.twice[slot] === 0) {
      table.twice[slot] = 1;
      this.pushDuplicate(first);
    }
    this.pushDuplicate(row);
  }

  private pushDuplicate(row: number): void {
    if (this.duplicateCount === this.duplicates.length) {
      const bigger = new Float64Array(this.duplicates.length * 2);
      bigger.set(this.duplicates);
      this.duplicates = bigger;
    }
    this.duplicates[this.duplicateCount++] = row;
  }

  private grow(): KeyTable {
    const old = this.table;
    const next = new KeyTable(old.capacity * 2);
    for (let s = 0; s < old.capacity; s++) {
      const f = old.first[s];
      if (f === 0) continue;
      next.add(old.hi[s], old.lo[s], f - 1);
      next.twice[next.slot] = old.twice[s];
    }
    this.table = next;
    return next;
  }

  private startSpill(): void {
    // Synchronous writes: a full 128 KiB partition buffer goes straight to its file, so spilled keys never pile up
    // in memory behind a queue of pending writes (they did: 160 MB on 5M unique ids).
    const dir = mkdtempSync(join(tmpdir(), 'data-gate-unique-'));
    this.spill = {
      dir,
      files: Array.from({ length: PARTITIONS }, (_, p) => openSync(join(dir, `partition-${p}.bin`), 'w')),
      buffers: Array.from({ length: PARTITIONS }, () => new Float64Array(FLUSH_RECORDS * RECORD_WORDS)),
      fill: new Int32Array(PARTITIONS),
    };
    const old = this.table;
    for (let s = 0; s < old.capacity; s++) {
      const f = old.first[s];
      if (f !== 0) this.writeSpill(old.hi[s], old.lo[s], f - 1, old.twice[s]);
    }
    this.table = new KeyTable(1 << 4);
  }

  private writeSpill(hi: number, lo: number, row: number, twice: number): void {
    const spill = this.spill!;
    const p = hi >>> (32 - PARTITION_BITS);
    const buffer = spill.buffers[p];
    const at = spill.fill[p] * RECORD_WORDS;
    buffer[at] = hi;
    buffer[at + 1] = lo;
    buffer[at + 2] = row;
    buffer[at + 3] = twice;
    if (++spill.fill[p] === FLUSH_RECORDS) this.flushPartition(p);
  }

  private flushPartition(p: number): void {
    const spill = this.spill!;
    const bytes = spill.fill[p] * RECORD_WORDS * 8;
    const buffer = spill.buffers[p];
    let written = 0;
    while (written < bytes) written += writeSync(spill.files[p], new Uint8Array(buffer.buffer, buffer.byteOffset + written, bytes - written));
    spill.fill[p] = 0;
  }

  /** Number of distinct keys added. */
  async distinctCount(): Promise<number> {
    await this.finish();
    return this.spill ? this.spilledDistinct! : this.table.size;
  }

  /** Rows whose key occurs more than once (every occurrence), ascending. */
  async duplicateRows(): Promise<Float64Array> {
    await this.finish();
    return this.duplicates.subarray(0, this.duplicateCount).sort();
  }

  private finished = false;

  private async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    const spill = this.spill;
    if (!spill) return;
    for (let p = 0; p < PARTITIONS; p++) {
      if (spill.fill[p] > 0) this.flushPartition(p);
      closeSync(spill.files[p]);
    }
    spill.files = [];
    let distinct = 0;
    for (let p = 0; p < PARTITIONS; p++) {
      const bytes = await readFile(join(spill.dir, `partition-${p}.bin`));
      const records = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
      const count = records.length / RECORD_WORDS;
      let capacity = 16;
      while (capacity * 3 < count * 4) capacity *= 2;
      const table = new KeyTable(capacity);
      for (let r = 0; r < count; r++) {
        const at = r * RECORD_WORDS;
        const previous = table.add(records[at], records[at + 1], records[at + 2]);
        // A key dumped from the in-memory table with its flag set already had its rows recorded (dumped keys come
        // first in their partition, so this is the key's first record there).
        if (records[at + 3] === 1) table.twice[table.slot] = 1;
        if (previous >= 0) this.seenAgain(table, table.slot, previous, records[at + 2]);
      }
      distinct += table.size;
    }
    this.spilledDistinct = distinct;
    rmSync(spill.dir, { recursive: true, force: true });
  }

  async dispose(): Promise<void> {
    if (!this.spill) return;
    for (const fd of this.spill.files) closeSync(fd);
    this.spill.files = [];
    rmSync(this.spill.dir, { recursive: true, force: true });
  }
}
