// Quarantine for CSV and TSV: copies each record's original bytes to the passed or failed file, the failed file
// with one more column naming the broken rules. The header is written once, from the first file; a later file
// whose columns come in another order has its fields moved (still byte for byte) into the first file's order.
import { DataError, UserError } from '#shared/errors.js';
import { csvCell, fieldText, scanCsvRecords, splitRawFields, type CsvRecord, type LineEnding } from './csv-records.js';
import type { OutputSink } from './output-sink.js';
import { RULE_SEPARATOR, type RowRouter } from './row-router.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface DelimitedQuarantine {
  files: readonly string[];
  delimiter: ',' | '\t';
  router: RowRouter;
  passed?: OutputSink;
  failed?: OutputSink;
  ruleColumn: string;
}

export async function quarantineDelimited(options: DelimitedQuarantine): Promise<void> {
  const { delimiter, router, passed, failed, ruleColumn } = options;
  const separator = Buffer.from(delimiter);
  let firstColumns: string[] | undefined;
  /** The line ending of the first file's header, used where a record has none (the last line of a file). */
  let defaultEnding: Buffer = Buffer.from('\n');

  for (const file of options.files) {
    /** For each column of the first file, its position in this file; undefined when the order is the same. */
    let order: number[] | undefined;
    const visitor = {
      header(record: CsvRecord, hasBom: boolean) {
        const columns = splitRawFields(record.bytes, delimiter).map(fieldText);
        if (firstColumns === undefined) {
          firstColumns = columns;
          if (columns.includes(ruleColumn)) {
            throw new UserError(
              `The data already has a column '${ruleColumn}', the column the failed file adds to name the broken rules. ` +
                'Rename or drop that column before quarantining.',
              { file, line: record.line },
            );
          }
          if (record.ending !== '') defaultEnding = Buffer.from(record.ending);
          const prefix = hasBom ? [BOM] : [];
          passed?.push(Buffer.concat([...prefix, record.bytes, defaultEnding]));
          const extra = Buffer.from(delimiter + csvCell(ruleColumn, delimiter));
          failed?.push(Buffer.concat([...prefix, record.bytes, extra, defaultEnding]));
          return;
        }
        order = columnOrder(firstColumns, columns, file, record.line);
      },
      record(record: CsvRecord) {
        const rules = router.route();
        const sink = rules.length === 0 ? passed : failed;
        if (!sink) return;
        const bytes = order ? reorder(record.bytes, delimiter, separator, order) : record.bytes;
        sink.push(bytes);
        if (rules.length > 0) sink.push(Buffer.from(delimiter + csvCell(rules.join(RULE_SEPARATOR), delimiter)));
        sink.push(record.ending === '' ? defaultEnding : ending(record.ending));
      },
      async afterChunk() {
        await passed?.flush();
        await failed?.flush();
      },
    };
    await scanCsvRecords(file, delimiter, visitor);
  }
}

const LF_BYTES = Buffer.from('\n');
const CRLF_BYTES = Buffer.from('\r\n');

function ending(kind: Exclude<LineEnding, ''>): Buffer {
  return kind === '\n' ? LF_BYTES : CRLF_BYTES;
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
