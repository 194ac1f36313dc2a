// Finds repeated keys among millions of rows with bounded memory: an open-addressing hash table of 64-bit keys
// (first row of each key) while it fits its budget and 8 MiB; past that every key goes to one of 256 temporary
// partition files by its top bits, and each partition is deduplicated on its own at the end (a grace hash join's
// partitioning).
// Exact up to 64-bit key collisions (value-hash.ts states their probability). Hand-written: no npm package offers a
// typed-array hash set that spills to disk. The rows of repeated keys are kept as bits (RowSet), and a spilled
// partition is read back in slices, so one key repeated 100M times needs neither a list of 100M row numbers nor a
// 1.6 GB partition read whole.
import { PartitionedSpill, RECORD_WORDS as WORDS, RECORD_BYTES as SLOT_BYTES } from '../spill/partitioned-spill.js';
import { RowSet } from './row-set.js';

/**
 * A key and its first row in 4 uint32 words, the same in a table slot and in a spilled record: hi, lo, the row's low
 * 32 bits, then META: OCCUPIED, TWICE (seen again) and the row's high bits. One slot is 16 bytes, so a probe touches
 * one cache line where separate arrays of halves, rows and flags touched three (2.5x faster adds on 200k keys).
 */
const OCCUPIED = 0x80000000;
const TWICE = 0x40000000;
const ROW_HIGH = 0x3fffffff;
const TWO_32 = 2 ** 32;
/**
 * 256 partitions, each flushed 2048 records (32 KiB) at a time: the same 8 MiB of buffers as 64 of 8192, and a
 * partition of 5M distinct keys (20k) is deduplicated in a 512 KiB table that stays in cache.
 */
const SPILL_LAYOUT = { partitionBits: 8, flushRecords: 2048, prefix: 'data-gate-unique-' };
/**
 * The in-memory table's largest capacity whatever the budget (8 MiB): past a few MiB every probe misses the cache,
 * and partitioning on disk then deduplicating partition by partition costs less a key. 5M distinct keys (isolated,
 * Node 20, 2-core VM, 3 runs each): a table of up to 1M slots (16 MiB, the benchmark's budget) 1.23-1.42 s, up to
 * 512k slots 0.83-1.17 s, 256k 0.74-0.99 s; capped at 512k a column of 393k distinct values still stays in memory.
 */
const MAX_TABLE_SLOTS = 1 << 19;

function rowOf(words: Uint32Array, at: number): number {
  return (words[at + 3] & ROW_HIGH) * TWO_32 + words[at + 2];
}

class KeyTable {
  /** WORDS per slot; META = 0 marks an empty slot. */
  words: Uint32Array;
  size = 0;
  private mask: number;

  constructor(capacity: number) {
    this.words = new Uint32Array(capacity * WORDS);
    this.mask = capacity - 1;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** The word offset of the slot of the last key added. */
  at = 0;

  /** Adds a key seen at `row`; returns the key's first row when it was already there, else -1 (at: its slot). */
  add(hi: number, lo: number, row: number): number {
    const words = this.words;
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const at = slot * WORDS;
      if (words[at + 3] === 0) {
        words[at] = hi;
        words[at + 1] = lo;
        words[at + 2] = row % TWO_32;
        words[at + 3] = OCCUPIED | Math.floor(row / TWO_32);
        this.size++;
        this.at = at;
        return -1;
      }
      if (words[at] === hi && words[at + 1] === lo) {
        this.at = at;
        return rowOf(words, at);
      }
      slot = (slot + 1) & this.mask;
    }
  }

  twice(at: number): boolean {
    return (this.words[at + 3] & TWICE) !== 0;
  }

  markTwice(at: number): void {
    this.words[at + 3] |= TWICE;
  }
}

/** The smallest capacity (a power of two, 16 or more) that holds `keys` below the 3/4 load that add() keeps. */
function capacityFor(keys: number): number {
  let capacity = 16;
  while ((keys + 1) * 4 > capacity * 3) capacity *= 2;
  return capacity;
}

/** A table twice as large with the same keys, rows and flags. */
function regrow(old: KeyTable): KeyTable {
  const next = new KeyTable(old.capacity * 2);
  const words = old.words;
  for (let at = 0; at < words.length; at += WORDS) {
    if (words[at + 3] === 0) continue;
    next.add(words[at], words[at + 1], rowOf(words, at));
    next.words[next.at + 3] = words[at + 3];
  }
  return next;
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
  private readonly duplicates = new RowSet();
  private spill: PartitionedSpill | undefined;
  private spilledDistinct: number | undefined;

  constructor(private readonly options: DuplicateFinderOptions) {
    let max = 1 << 10;
    while (max * 2 * SLOT_BYTES <= options.budgetBytes && max < MAX_TABLE_SLOTS) max *= 2;
    this.maxCapacity = max;
    this.table = new KeyTable(Math.min(1 << 12, max));
  }

  /** True once keys went to disk. */
  get spilled(): boolean {
    return this.spill !== undefined;
  }

  /** How the answer was found, for results. */
  get method(): string {
    return this.spilled
      ? 'exact 64-bit keys, spilled to disk past the in-memory table (memory budget or 8 MiB)'
      : 'exact 64-bit keys in memory';
  }

  add(hi: number, lo: number, row: number): void {
    if (this.spill) {
      this.writeSpill(hi, lo, row);
      return;
    }
    let table = this.table;
    if ((table.size + 1) * 4 > table.capacity * 3) {
      if (table.capacity * 2 <= this.maxCapacity) table = this.grow();
      else {
        this.startSpill();
        this.writeSpill(hi, lo, row);
        return;
      }
    }
    const previous = table.add(hi, lo, row);
    if (previous >= 0) this.seenAgain(table, table.at, previous, row);
  }

  private seenAgain(table: KeyTable, at: number, first: number, row: number): void {
    if (!this.options.collectRows) {
      table.markTwice(at);
      return;
    }
    if (!table.twice(at)) {
      table.markTwice(at);
      this.pushDuplicate(first);
    }
    this.pushDuplicate(row);
  }

  private pushDuplicate(row: number): void {
    this.duplicates.add(row);
  }

  private grow(): KeyTable {
    const old = this.table;
    // x4 while that fits the budget: a table that outgrows cache is re-hashed half as often as by doubling (the
    // re-hashing of a 5M-distinct column fell from 0.65 s to ~0.3 s).
    const next = new KeyTable(old.capacity * 4 <= this.maxCapacity ? old.capacity * 4 : old.capacity * 2);
    const words = old.words;
    for (let at = 0; at < words.length; at += WORDS) {
      if (words[at + 3] === 0) continue;
      next.add(words[at], words[at + 1], rowOf(words, at));
      next.words[next.at + 3] = words[at + 3];
    }
    this.table = next;
    return next;
  }

  private startSpill(): void {
    const spill = new PartitionedSpill(SPILL_LAYOUT);
    this.spill = spill;
    const words = this.table.words;
    for (let at = 0; at < words.length; at += WORDS) {
      if (words[at + 3] !== 0) spill.write(words[at], words[at + 1], words[at + 2], words[at + 3]);
    }
    this.table = new KeyTable(1 << 4);
  }

  private writeSpill(hi: number, lo: number, row: number): void {
    this.spill!.write(hi, lo, row % TWO_32, OCCUPIED | Math.floor(row / TWO_32));
  }

  /** Number of distinct keys added. */
  async distinctCount(): Promise<number> {
    await this.finish();
    return this.spill ? this.spilledDistinct! : this.table.size;
  }

  /** Rows whose key occurs more than once (every occurrence), ascending. */
  async duplicateRows(): Promise<RowSet> {
    await this.finish();
    return this.duplicates;
  }

  private finished = false;

  private async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    const spill = this.spill;
    if (!spill) return;
    spill.endWrites();
    let distinct = 0;
    try {
      for (let p = 0; p < spill.partitions; p++) {
        let table: KeyTable | undefined;
        await spill.readPartition(p, (records, end, size) => {
          // Sized for every record being a distinct key (within the in-memory table's limit): no re-hashing on the way.
          table ??= new KeyTable(Math.min(capacityFor(Math.floor(size / SLOT_BYTES)), this.maxCapacity));
          for (let at = 0; at < end; at += WORDS) {
            if ((table.size + 1) * 4 > table.capacity * 3) table = regrow(table);
            const row = rowOf(records, at);
            const previous = table.add(records[at], records[at + 1], row);
            // A key dumped from the in-memory table with its flag set already had its rows recorded (dumped keys
            // come first in their partition, so this is the key's first record there).
            if ((records[at + 3] & TWICE) !== 0) table.markTwice(table.at);
            if (previous >= 0) this.seenAgain(table, table.at, previous, row);
          }
        });
        distinct += table?.size ?? 0;
      }
    } finally {
      spill.dispose();
    }
    this.spilledDistinct = distinct;
  }

  async dispose(): Promise<void> {
    this.spill?.dispose();
  }
}
