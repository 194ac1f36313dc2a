// The history data file is JSON Lines: one record per line, appended to, so each run adds one line to git's diff.

import { DataError } from '../errors.js';

/** Parses every non-blank line; a line that is not a JSON value fails with a DataError naming file:line. */
export function parseJsonLines<R>(text: string, file: string): R[] {
  const records: R[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as R);
    } catch (error) {
      const reason = (error as { message?: string }).message ?? String(error);
      throw new DataError(`not a JSON record (${reason}). Each line of a history file must hold one JSON object.`, {
        file,
        line: index + 1,
      });
    }
  }
  return records;
}

/** Appends one record as a line, keeping the existing bytes as they are (a missing final newline is added). */
export function appendJsonLine(text: string, record: unknown): string {
  const line = JSON.stringify(record);
  if (line === undefined) throw new TypeError('A history record must be JSON-serialisable.');
  const prefix = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return `${prefix}${line}\n`;
}
