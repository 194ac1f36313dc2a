// How many bytes the exact (uncompressed) numerical values of all columns may take together. Columns that would
// exceed it fall back to their sketch, and the report says which.

export class MemoryBudget {
  private used = 0;
  constructor(readonly bytes: number) {}

  /** Reserves `bytes` if they fit; false means the caller must give up exact storage. */
  reserve(bytes: number): boolean {
    if (this.used + bytes > this.bytes) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
