// Quarantine for CSV and TSV: copies each record's original bytes to the passed or failed file, the failed file
// with one more column naming the broken rules. Records are cut by the shared reader (readCsvRecords), so rows are
// split exactly as validation counted them. The header is written once, from the first file; a later file whose
// columns come in another order has its fields moved (still byte for byte) into the first file's order.
import { DataError, UserError } from '#shared/errors.js';
import { readCsvRecords, type CsvHeaderRecord, type CsvRecordChunk } from '#shared/data/csv-reader.js';
import { csvCell, splitRawFields } from './csv-cells.js';
import type { OutputSink } from './output-sink.js';
import { RULE_SEPARATOR, type RowRouter } from './row-router.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const LF = 10;
const CR = 13;
const LF_BYTES = Buffer.from('\n');
const CRLF_BYTES = Buffer.from('\r\n');

export interface DelimitedQuarantine {
  files: readonly string[];
  delimiter: ',' | '\t';
  router: RowRouter;
  passed?: OutputSink;
  failed?: OutputSink;
  ruleColumn: string;
  /** The longest row the reader accepts (input max-line-mb). */
  maxLineBytes?: number;
}

/** A record's bytes without its line ending, and the ending (null when the file ends without one). */
interface RecordBytes {
  content: Buffer;
  ending: Buffer | null;
}

function splitEnding(bytes: Buffer, start: number, end: number): RecordBytes {
  if (end > start && bytes[end - 1] === LF) {
    const crlf = end - 2 >= start && bytes[end - 2] === CR;
    return { content: bytes.subarray(start, crlf ? end - 2 : end - 1), ending: crlf ? CRLF_BYTES : LF_BYTES };
  }
  // The reader trims a CR left at the end of the file, so the copy does too.
  return { content: bytes.subarray(start, end > start && bytes[end - 1] === CR ? end - 1 : end), ending: null };
}

export async function quarantineDelimited(options: DelimitedQuarantine): Promise<void> {
  const { delimiter, router, passed, failed, ruleColumn } = options;
  const separator = Buffer.from(delimiter);
  let firstColumns: string[] | undefined;
  /** The line ending of the first file's header, used where a record has none (the last line of a file). */
  let defaultEnding: Buffer = LF_BYTES;

  const writeHeader = (file: string, header: CsvHeaderRecord, bytes: Buffer, position: number): number[] | undefined => {
    if (firstColumns !== undefined) return columnOrder(firstColumns, header.names, file, header.line);
    firstColumns = header.names;
    if (firstColumns.includes(ruleColumn)) {
      throw new UserError(
        `The data already has a column '${ruleColumn}', the column the failed file adds to name the broken rules. ` +
          'Rename or drop that column before quarantining.',
        { file, line: header.line },
      );
    }
    const start = header.offset - position;
    const { content, ending } = splitEnding(bytes, start, start + header.length);
    if (ending) defaultEnding = ending;
    const prefix = header.bom ? [BOM] : [];
    passed?.push(Buffer.concat([...prefix, content, defaultEnding]));
    failed?.push(Buffer.concat([...prefix, content, Buffer.from(delimiter + csvCell(ruleColumn, delimiter)), defaultEnding]));
    return undefined;
  };

  /** Routes the chunk's records; runs of passing records that follow each other in the input go out as one slice. */
  const copyRecords = (chunk: CsvRecordChunk, order: number[] | undefined): void => {
    const { bytes, position } = chunk;
    const { offsets, lengths } = chunk.spans;
    let runStart = 0;
    let runEnd = -1;
    const endRun = () => {
      if (runEnd >= 0) passed!.push(bytes.subarray(runStart, runEnd));
      runEnd = -1;
    };
    for (let r = 0; r < offsets.length; r++) {
      const rules = router.route();
      const sink = rules.length === 0 ? passed : failed;
      if (!sink) continue;
      const start = offsets[r] - position;
      const end = start + lengths[r];
      const wholeCopy = rules.length === 0 && !order && end > start && bytes[end - 1] === LF;
      if (wholeCopy) {
        if (start !== runEnd) {
          endRun();
          runStart = start;
        }
        runEnd = end;
        continue;
      }
      if (sink === passed) endRun();
      const { content, ending } = splitEnding(bytes, start, end);
      sink.push(order ? reorder(content, delimiter, separator, order) : content);
      if (rules.length > 0) sink.push(Buffer.from(delimiter + csvCell(rules.join(RULE_SEPARATOR), delimiter)));
      sink.push(ending ?? defaultEnding);
    }
    endRun();
  };

  for (const file of options.files) {
    /** For each column of the first file, its position in this file; undefined when the order is the same. */
    let order: number[] | undefined;
    // Validation has checked every row's field count: rows are found by their line feeds wherever no quote lies.
    for await (const chunk of readCsvRecords(file, delimiter, { trustRowShape: true, maxLineBytes: options.maxLineBytes })) {
      if (chunk.header) order = writeHeader(file, chunk.header, chunk.bytes, chunk.position);
      copyRecords(chunk, order);
      await passed?.flush();
      await failed?.flush();
    }
  }
}

/** Where each of the first file's columns is in this file's header; undefined when in the same order. */
function columnOrder(first: readonly string[], columns: readonly string[], file: string, line: number): number[] | undefined {
  if (columns.length === first.length && columns.every((name, i) => name === first[i])) return undefined;
  const order = first.map((name) => columns.indexOf(name));
  if (columns.length !== first.length || order.includes(-1)) {
    throw new DataError(`columns differ from the first file's (${first.join(', ')}): ${columns.join(', ')}`, { file, line });
  }
  return order;
}

function reorder(bytes: Buffer, delimiter: ',' | '\t', separator: Buffer, order: readonly number[]): Buffer {
  const fields = splitRawFields(bytes, delimiter);
  const parts: Buffer[] = [];
  order.forEach((from, i) => {
    if (i > 0) parts.push(separator);
    parts.push(fields[from] ?? Buffer.alloc(0));
  });
  return Buffer.concat(parts);
}
