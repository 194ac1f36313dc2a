// Counts lines holding NUL bytes or bytes that are not UTF-8, so that a reader reports them (a warning with the file,
// the first line and the counts) instead of passing on text silently changed: a decoder turns bad bytes into U+FFFD
// and a NUL ends a string in many tools. One native pass (simdutf's isUtf8 and memchr) per chunk; lines are only
// walked in a chunk that has such bytes.
import { isUtf8 } from 'node:buffer';
import type { DataWarning } from './types.js';

const LF = 10;

export class TextCheck {
  nulLines = 0;
  invalidLines = 0;
  firstNulLine = 0;
  firstInvalidLine = 0;

  constructor(private readonly file: string) {}

  /** Checks buf[start, end), whole lines that begin on line `firstLine`. */
  check(buf: Uint8Array, start: number, end: number, firstLine: number): void {
    if (end <= start) return;
    const region = buf.subarray(start, end);
    if (region.indexOf(0) < 0 && isUtf8(region)) return;
    let line = firstLine;
    let from = 0;
    while (from < region.length) {
      let lf = region.indexOf(LF, from);
      if (lf < 0) lf = region.length;
      const text = region.subarray(from, lf);
      if (text.indexOf(0) >= 0) {
        if (this.nulLines++ === 0) this.firstNulLine = line;
      }
      if (!isUtf8(text)) {
        if (this.invalidLines++ === 0) this.firstInvalidLine = line;
      }
      from = lf + 1;
      line++;
    }
  }

  /** One warning per kind of problem found, naming the first line and how many lines had it. */
  warnings(): DataWarning[] {
    const found: DataWarning[] = [];
    if (this.nulLines > 0)
      found.push({
        kind: 'nul-bytes',
        file: this.file,
        line: this.firstNulLine,
        count: this.nulLines,
        message: `${this.nulLines.toLocaleString('en-US')} line(s) hold NUL bytes (\\0), the first on line ${this.firstNulLine}; their cells are read with the NUL bytes kept`,
      });
    if (this.invalidLines > 0)
      found.push({
        kind: 'invalid-utf8',
        file: this.file,
        line: this.firstInvalidLine,
        count: this.invalidLines,
        message: `${this.invalidLines.toLocaleString('en-US')} line(s) are not valid UTF-8, the first on line ${this.firstInvalidLine}; their text cells show each bad byte as U+FFFD (is the file in another encoding?)`,
      });
    return found;
  }
}
