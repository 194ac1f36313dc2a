// How many bytes the exact values (and, once sketched, the samples) of every numerical column of a run may take
// together. Holders reserve before they allocate and give up exact storage when a reservation fails, so one budget
// shared by 10,000 columns bounds them all, not each.

export class MemoryBudget {
  private used = 0;
  constructor(readonly bytes: number) {}

  /** Bytes still free. */
  get available(): number {
    return Math.max(0, this.bytes - this.used);
  }

  get usedBytes(): number {
    return this.used;
  }

  /** Reserves `bytes` if they fit; false means the caller must make do without them. */
  reserve(bytes: number): boolean {
    if (this.used + bytes > this.bytes) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
