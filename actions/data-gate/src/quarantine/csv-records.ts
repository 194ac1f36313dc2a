// Splits a CSV or TSV file into its records as raw bytes, the way shared/src/data/csv-reader.ts counts rows (a
// quote opens a quoted field only at a field's start; blank lines, LF or CRLF, are not rows; a leading UTF-8 BOM
// is not data; gzip by magic bytes), streaming chunk by chunk so memory holds one chunk and one partial record.
import { DataError } from '#shared/errors.js';
import { scanFileChunks } from '#shared/data/file-source.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** How a record ended: '\n', '\r\n', or at the end of the file with neither. */
export type LineEnding = '\n' | '\r\n' | '';

export interface CsvRecord {
  /** The record's bytes without its line ending (valid only during the visit). */
  bytes: Buffer;
  ending: LineEnding;
  /** 1-based line where the record starts (as RecordBatch.lines counts it). */
  line: number;
}

export interface CsvRecordVisitor {
  /** The file's first record (its column names). */
  header(record: CsvRecord, hasBom: boolean): void;
  /** Each data record, in file order. */
  record(record: CsvRecord): void;
  /** Called after each chunk of the file has been scanned (for the caller to write out what it queued). */
  afterChunk(): Promise<void>;
}

/** Scanning state carried from chunk to chunk. */
class RecordScanner {
  line = 1;
  sawHeader = false;
  hasBom = false;
  private nextQuote = -1;

  constructor(
    private readonly delimiter: number,
    private readonly visitor: CsvRecordVisitor,
  ) {}

  /** Visits the complete records of buf; returns where the first incomplete one starts. */
  scan(buf: Buffer, final: boolean): number {
    const len = buf.length;
    let pos = 0;
    this.nextQuote = -1;
    while (pos < len) {
      const c = buf[pos];
      if (c === LF) {
        pos++;
        this.line++;
        continue; // a blank line
      }
      if (c === CR) {
        if (pos + 1 >= len && !final) break;
        if (pos + 1 < len && buf[pos + 1] === LF) {
          pos += 2;
          this.line++;
          continue;
        }
      }
      const found = this.recordEnd(buf, pos, final);
      if (found < 0) break;
      const end = found;
      let contentEnd = end;
      let ending: LineEnding = '';
      if (end < len) {
        ending = end > pos && buf[end - 1] === CR ? '\r\n' : '\n';
        if (ending === '\r\n') contentEnd--;
      } else if (buf[end - 1] === CR) contentEnd--; // the reader trims a CR left at the end of the file too
      const record: CsvRecord = { bytes: buf.subarray(pos, contentEnd), ending, line: this.line };
      this.line += countLineFeeds(buf, pos, end, this.nextQuote) + (end < len ? 1 : 0);
      if (this.sawHeader) this.visitor.record(record);
      else {
        this.sawHeader = true;
        this.visitor.header(record, this.hasBom);
      }
      pos = end < len ? end + 1 : len;
    }
    return pos;
  }

  /**
   * The index of the line feed that ends the record starting at pos (len when the file ends first), or -1 when
   * buf ends inside the record and more bytes are to come. Records without a quote take the fast path.
   */
  private recordEnd(buf: Buffer, pos: number, final: boolean): number {
    const len = buf.length;
    const lf = buf.indexOf(LF, pos);
    if (this.nextQuote !== -2 && this.nextQuote < pos) {
      this.nextQuote = buf.indexOf(QUOTE, pos);
      if (this.nextQuote === -1) this.nextQuote = -2; // no quote in the rest of buf
    }
    if (this.nextQuote === -2 || (lf >= 0 && this.nextQuote > lf)) return lf >= 0 ? lf : final ? len : -1;
    const delim = this.delimiter;
    let atFieldStart = true;
    let i = pos;
    while (i < len) {
      const c = buf[i];
      if (atFieldStart && c === QUOTE) {
        let j = i + 1;
        for (;;) {
          const q = buf.indexOf(QUOTE, j);
          if (q < 0) return final ? len : -1; // unterminated: the reader reports it; here it runs to the end
          if (q + 1 >= len) {
            if (!final) return -1; // a doubled quote may follow in the next chunk
            i = q + 1;
            break;
          }
          if (buf[q + 1] === QUOTE) {
            j = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        atFieldStart = false;
        continue;
      }
      if (c === delim) atFieldStart = true;
      else if (c === LF) return i;
      else atFieldStart = false;
      i++;
    }
    return final ? len : -1;
  }
}

/** Line feeds inside a record (only quoted fields can hold them). */
function countLineFeeds(buf: Buffer, start: number, end: number, nextQuote: number): number {
  if (nextQuote === -2 || nextQuote >= end) return 0;
  let count = 0;
  for (let i = buf.indexOf(LF, start); i >= 0 && i < end; i = buf.indexOf(LF, i + 1)) count++;
  return count;
}

/** Visits the header and every data record of a CSV/TSV file, chunk by chunk. */
export async function scanCsvRecords(file: string, delimiter: ',' | '\t', visitor: CsvRecordVisitor): Promise<void> {
  const scanner = new RecordScanner(delimiter.charCodeAt(0), visitor);
  const scan = (buf: Buffer, final: boolean) => scanner.scan(buf, final);
  for await (const _ of scanFileChunks(file, scan, { onBom: () => (scanner.hasBom = true) })) await visitor.afterChunk();
  if (!scanner.sawHeader) throw new DataError('the file is empty; expected a header row with column names', { file, line: 1 });
}

/**
 * A record's fields as raw byte ranges (quotes kept), for moving fields into another column order without
 * re-encoding them.
 */
export function splitRawFields(bytes: Buffer, delimiter: ',' | '\t'): Buffer[] {
  const delim = delimiter.charCodeAt(0);
  const fields: Buffer[] = [];
  let start = 0;
  let atFieldStart = true;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (atFieldStart && c === QUOTE) {
      let j = i + 1;
      for (;;) {
        const q = bytes.indexOf(QUOTE, j);
        if (q < 0 || q + 1 >= bytes.length || bytes[q + 1] !== QUOTE) {
          i = q < 0 ? bytes.length - 1 : q;
          break;
        }
        j = q + 2;
      }
      atFieldStart = false;
      continue;
    }
    if (c === delim) {
      fields.push(bytes.subarray(start, i));
      start = i + 1;
      atFieldStart = true;
    } else atFieldStart = false;
  }
  fields.push(bytes.subarray(start));
  return fields;
}

/** A raw field's text: quotes removed and doubled quotes undone, as the reader reads column names. */
export function fieldText(raw: Buffer): string {
  if (raw.length >= 2 && raw[0] === QUOTE && raw[raw.length - 1] === QUOTE) {
    return raw.toString('utf8', 1, raw.length - 1).replaceAll('""', '"');
  }
  return raw.toString('utf8');
}

/** A cell as CSV/TSV writes it: quoted (quotes doubled) when it holds the delimiter, a quote or a line break. */
export function csvCell(text: string, delimiter: ',' | '\t'): string {
  const needsQuotes = text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r') || text === '';
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text;
}
