// Where each record of a CSV/TSV file lies in its (decompressed) bytes, kept in typed arrays: collected by the CSV
// reader only when asked, so that quarantine copies the records' exact bytes without a scanner of its own, and the
// validation pass, which does not ask, pays nothing for it.

/** Byte ranges of consecutive records: record r is input[offsets[r], offsets[r] + lengths[r]). */
export interface RecordSpans {
  /** Where each record starts in the decompressed input (a byte order mark and the header row counted). */
  offsets: Float64Array;
  /** Each record's length in bytes, its line ending (LF or CRLF) included; the last record may have none. */
  lengths: Uint32Array;
}

const EMPTY: RecordSpans = { offsets: new Float64Array(0), lengths: new Uint32Array(0) };

/** Gathers spans row by row into arrays that double as they fill; take() hands them out and starts again. */
export class RecordSpanCollector {
  count = 0;
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);

  push(offset: number, length: number): void {
    if (this.count === this.offsets.length) this.grow();
    this.offsets[this.count] = offset;
    this.lengths[this.count] = length;
    this.count++;
  }

  /** The spans pushed since the last take, as arrays of their own. */
  take(): RecordSpans {
    if (this.count === 0) return EMPTY;
    const spans = { offsets: this.offsets.slice(0, this.count), lengths: this.lengths.slice(0, this.count) };
    this.count = 0;
    return spans;
  }

  private grow(): void {
    const offsets = new Float64Array(this.offsets.length * 2);
    offsets.set(this.offsets);
    this.offsets = offsets;
    const lengths = new Uint32Array(this.lengths.length * 2);
    lengths.set(this.lengths);
    this.lengths = lengths;
  }
}
