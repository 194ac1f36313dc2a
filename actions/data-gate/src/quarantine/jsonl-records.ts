// Splits a JSON Lines file into its records as raw bytes, the way shared/src/data/jsonl-reader.ts counts rows
// (lines split at LF, a BOM on the first line dropped, lines that are blank after trimming skipped; gzip by magic
// bytes), streaming chunk by chunk.
import { readFileChunks } from '#shared/data/file-source.js';

/** How a line ended: '\n', '\r\n', or at the end of the file with neither. */
export type LineEnding = '\n' | '\r\n' | '';

const LF = 10;
const CR = 13;

export interface JsonlRecord {
  /** The line's bytes without its line feed (a CR before it stays, as the reader keeps it); BOM removed. */
  bytes: Buffer;
  /** '\n' when a line feed ended the line, '' at the end of the file. */
  ending: LineEnding;
  /** 1-based line number in the file. */
  line: number;
}

export interface JsonlRecordVisitor {
  record(record: JsonlRecord): void;
  afterChunk(): Promise<void>;
}

/** Whether JavaScript's trim() would leave nothing of the line (the reader skips such lines). */
function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) continue;
    if (c < 0x80) return false;
    return buf.toString('utf8', i, end).trim() === ''; // Unicode spaces (NBSP, U+2028, ...) count as blank too
  }
  return true;
}

/** Visits every non-blank line of a JSON Lines file, in order. */
export async function scanJsonlRecords(file: string, visitor: JsonlRecordVisitor): Promise<void> {
  let rest: Buffer | null = null;
  let line = 1;
  let first = true;
  const visit = (buf: Buffer, start: number, end: number, ending: LineEnding) => {
    if (first) {
      first = false;
      if (end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    }
    const at = line++;
    if (!isBlank(buf, start, end)) visitor.record({ bytes: buf.subarray(start, end), ending, line: at });
  };
  for await (const chunk of readFileChunks(file)) {
    const buf: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let end = buf.indexOf(LF, start); end >= 0; end = buf.indexOf(LF, start)) {
      visit(buf, start, end, '\n');
      start = end + 1;
    }
    rest = start < buf.length ? buf.subarray(start) : null;
    await visitor.afterChunk();
  }
  if (rest) visit(rest, 0, rest.length, '');
  await visitor.afterChunk();
}

/** Whether a line's bytes end with a carriage return (the file uses CRLF line endings). */
export function endsWithCr(bytes: Buffer): boolean {
  return bytes.length > 0 && bytes[bytes.length - 1] === CR;
}
