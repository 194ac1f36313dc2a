// Quarantine for JSON Lines: copies each passing line verbatim; a failing line gets the rule key inserted as text
// just before its closing brace, so every other byte (number spellings, key order, spacing) stays as it was.
import { DataError } from '#shared/errors.js';
import { endsWithCr, scanJsonlRecords, type JsonlRecord } from './jsonl-records.js';
import type { OutputSink } from './output-sink.js';
import type { RowRouter } from './row-router.js';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

export interface JsonlQuarantine {
  files: readonly string[];
  router: RowRouter;
  passed?: OutputSink;
  failed?: OutputSink;
  ruleColumn: string;
}

export async function quarantineJsonl(options: JsonlQuarantine): Promise<void> {
  const { router, passed, failed, ruleColumn } = options;
  for (const file of options.files) {
    /** CRLF files keep CRLF on a last line that had no line ending. */
    let lastEnding: Buffer | undefined;
    const visitor = {
      record(record: JsonlRecord) {
        if (lastEnding === undefined && record.ending !== '') lastEnding = endsWithCr(record.bytes) ? CRLF : LF;
        const rules = router.route();
        const sink = rules.length === 0 ? passed : failed;
        if (!sink) return;
        sink.push(rules.length === 0 ? record.bytes : withRuleKey(record, ruleColumn, rules, file));
        sink.push(record.ending === '' && lastEnding === CRLF && !endsWithCr(record.bytes) ? CRLF : LF);
      },
      async afterChunk() {
        await passed?.flush();
        await failed?.flush();
      },
    };
    await scanJsonlRecords(file, visitor);
  }
}

const LF = Buffer.from('\n');
const CRLF = Buffer.from('\r\n');

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** The line with `"key":[rules]` added as the object's last member. */
export function withRuleKey(record: JsonlRecord, ruleColumn: string, rules: readonly string[], file: string): Buffer {
  const { bytes } = record;
  const key = JSON.stringify(ruleColumn);
  let open = 0;
  while (open < bytes.length && isJsonSpace(bytes[open])) open++;
  let close = bytes.length - 1;
  while (close > open && isJsonSpace(bytes[close])) close--;
  if (bytes[open] !== OPEN_BRACE || bytes[close] !== CLOSE_BRACE) {
    throw new DataError('expected a JSON object on each line', { file, line: record.line });
  }
  const existing = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  if (Object.hasOwn(existing, ruleColumn)) {
    throw new DataError(
      `the object already has the key ${key}, the key the failed file adds to name the broken rules. Rename or drop it before quarantining.`,
      { file, line: record.line },
    );
  }
  let inner = open + 1;
  while (inner < close && isJsonSpace(bytes[inner])) inner++;
  const member = `${inner < close ? ',' : ''}${key}:${JSON.stringify(rules)}`;
  return Buffer.concat([bytes.subarray(0, close), Buffer.from(member), bytes.subarray(close)]);
}
