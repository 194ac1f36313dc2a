// An OSV export read offline: the per-ecosystem all.zip (osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip)
// read entry by entry, or a folder of OSV JSON records. Only records naming a package of the
// lock are kept, so memory follows the lock, not the database.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileSource } from '../models/byte-source.js';
import { findEndOfCentralDirectory, listZip, readEntry } from '../models/zip-entries.js';
import { DataError, UserError } from '#shared/errors.js';
import { normaliseName } from '../manifests/types.js';
import type { OsvRecord } from './affected.js';

/** No single OSV record comes near this; a bigger entry is not one. */
const ENTRY_BUDGET = 64 * 1024 * 1024;

function keysOf(record: OsvRecord): string[] {
  return (record.affected ?? [])
    .filter((a) => (a.package?.ecosystem ?? '').startsWith('PyPI'))
    .map((a) => normaliseName(a.package?.name ?? ''));
}

function parseRecord(text: string, file: string): OsvRecord {
  let record: OsvRecord;
  try {
    record = JSON.parse(text);
  } catch (error) {
    throw new DataError(`not a JSON OSV record: ${(error as Error).message}`, { file, line: 1 });
  }
  if (!record || typeof record.id !== 'string') throw new DataError("not an OSV record: no 'id'", { file, line: 1 });
  return record;
}

export async function loadOfflineDatabase(
  path: string,
  display: string,
  wanted: Set<string>,
  isFolder: boolean,
): Promise<Map<string, OsvRecord[]>> {
  const byKey = new Map<string, OsvRecord[]>();
  const keep = (record: OsvRecord) => {
    for (const key of new Set(keysOf(record))) if (wanted.has(key)) byKey.set(key, [...(byKey.get(key) ?? []), record]);
  };
  if (isFolder) {
    const files = (await readdir(path, { recursive: true })).filter((f) => f.endsWith('.json')).sort();
    for (const f of files) keep(parseRecord(await readFile(join(path, f), 'utf8'), join(display, f)));
    return byKey;
  }
  // Random access through the central directory (one entry inflated at a time) is ~10x faster than fflate's
  // streaming Unzip on the PyPI export's thousands of small entries.
  const src = new FileSource(path);
  let records = 0;
  try {
    if (
      src.size < 4 ||
      src
        .bytes(0, 4)
        .slice()
        .reduce((v, b, i) => v + b * 256 ** i, 0) !== 0x04034b50
    )
      throw new UserError(
        `Invalid value for input 'osv-db': '${display}' is not a zip archive. Expected an OSV export (all.zip) or a folder of OSV JSON records.`,
      );
    const eocd = findEndOfCentralDirectory(src);
    const listing = eocd >= 0 ? listZip(src, eocd) : undefined;
    if (!listing || listing.problems.length > 0)
      throw new UserError(`'${display}' is not a readable zip archive: ${listing?.problems[0] ?? 'no central directory'}.`);
    const decoder = new TextDecoder();
    for (const entry of listing.entries) {
      if (!entry.name.endsWith('.json')) continue;
      const data = readEntry(src, entry, ENTRY_BUDGET);
      if (!(data instanceof Uint8Array)) throw new UserError(`'${display}': ${data.error}.`);
      keep(parseRecord(decoder.decode(data), `${display}!${entry.name}`));
      records++;
    }
  } finally {
    src.close();
  }
  if (records === 0) throw new UserError(`Invalid value for input 'osv-db': '${display}' holds no OSV JSON records.`);
  return byKey;
}
