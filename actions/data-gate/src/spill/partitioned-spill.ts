// Records of four uint32 words (a 64-bit key and two words of the finder's own) spilled to temporary partition files
// by the key's top bits, then read back one partition at a time in the order they were written: the disk half of the
// uniqueness rules' DuplicateFinder and of keep-first's FirstCopyFinder (a grace hash join's partitioning).
// Hand-written: no npm package spills typed-array records to disk. Writes are synchronous, so a full partition
// buffer goes straight to its file and spilled keys never pile up in memory behind pending writes (they did: 160 MB
// on 5M unique ids).
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RECORD_WORDS = 4;
export const RECORD_BYTES = RECORD_WORDS * 4;
/** Records read back from a partition at a time (4 MiB). */
const READ_RECORDS = 1 << 18;

export interface SpillLayout {
  /** Partitions = 2^partitionBits, by the key's top bits. */
  partitionBits: number;
  /** Records buffered per partition before a write. */
  flushRecords: number;
  /** Name prefix of the temporary folder. */
  prefix: string;
}

export class PartitionedSpill {
  readonly partitions: number;
  private readonly dir: string;
  private files: number[];
  private readonly buffers: Uint32Array[];
  private readonly fill: Int32Array;
  private readonly shift: number;

  constructor(private readonly layout: SpillLayout) {
    this.partitions = 1 << layout.partitionBits;
    this.shift = 32 - layout.partitionBits;
    this.dir = mkdtempSync(join(tmpdir(), layout.prefix));
    this.files = Array.from({ length: this.partitions }, (_, p) => openSync(this.path(p), 'w'));
    this.buffers = Array.from({ length: this.partitions }, () => new Uint32Array(layout.flushRecords * RECORD_WORDS));
    this.fill = new Int32Array(this.partitions);
  }

  /** Appends a record to the partition of its key's top bits. */
  write(hi: number, lo: number, third: number, fourth: number): void {
    const p = hi >>> this.shift;
    const buffer = this.buffers[p];
    const at = this.fill[p] * RECORD_WORDS;
    buffer[at] = hi;
    buffer[at + 1] = lo;
    buffer[at + 2] = third;
    buffer[at + 3] = fourth;
    if (++this.fill[p] === this.layout.flushRecords) this.flush(p);
  }

  /** Writes what is buffered and closes the files; call once, before reading. */
  endWrites(): void {
    for (let p = 0; p < this.partitions; p++) {
      if (this.fill[p] > 0) this.flush(p);
      closeSync(this.files[p]);
    }
    this.files = [];
  }

  /**
   * Partition p's records in the order they were written, as (records, end) slices of one reused buffer: the words
   * [0, end) are whole records. `size` is the partition's byte size, for sizing a table before the first slice.
   */
  async readPartition(p: number, each: (records: Uint32Array, end: number, size: number) => void): Promise<void> {
    const records = new Uint32Array(READ_RECORDS * RECORD_WORDS);
    const bytes = new Uint8Array(records.buffer);
    const handle = await open(this.path(p), 'r');
    try {
      const { size } = await handle.stat();
      for (let position = 0; position < size;) {
        let filled = 0;
        while (filled < bytes.length && position + filled < size) {
          const { bytesRead } = await handle.read(
            bytes,
            filled,
            Math.min(bytes.length - filled, size - position - filled),
            position + filled,
          );
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        position += filled;
        const end = Math.floor(filled / RECORD_BYTES) * RECORD_WORDS;
        if (end === 0) break;
        each(records, end, size);
      }
    } finally {
      await handle.close();
    }
  }

  /** Closes any open file and removes the folder (after reading, or when the run stops early). */
  dispose(): void {
    for (const fd of this.files) closeSync(fd);
    this.files = [];
    rmSync(this.dir, { recursive: true, force: true });
  }

  private path(p: number): string {
    return join(this.dir, `partition-${p}.bin`);
  }

  private flush(p: number): void {
    const bytes = this.fill[p] * RECORD_BYTES;
    const buffer = this.buffers[p];
    for (let written = 0; written < bytes;)
      written += writeSync(this.files[p], new Uint8Array(buffer.buffer, buffer.byteOffset + written, bytes - written));
    this.fill[p] = 0;
  }
}
