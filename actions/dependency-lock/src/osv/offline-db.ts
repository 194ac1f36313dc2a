// An OSV export read offline: the per-ecosystem all.zip (osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip)
// streamed entry by entry with fflate, or a folder of OSV JSON records. Only records naming a package of the
// lock are kept, so memory follows the lock, not the database.
import { open, readdir, readFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import { DataError, UserError } from '#shared/errors.js';
import { normaliseName } from '../manifests/types.js';
import type { OsvRecord } from './affected.js';

function keysOf(record: OsvRecord): string[] {
  return (record.affected ?? []).filter((a) => (a.package?.ecosystem ?? '').startsWith('PyPI')).map((a) => normaliseName(a.package?.name ?? ''));
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

export async function loadOfflineDatabase(path: string, display: string, wanted: Set<string>, isFolder: boolean): Promise<Map<string, OsvRecord[]>> {
  const byKey = new Map<string, OsvRecord[]>();
  const keep = (record: OsvRecord) => {
    for (const key of new Set(keysOf(record))) if (wanted.has(key)) byKey.set(key, [...(byKey.get(key) ?? []), record]);
  };
  if (isFolder) {
    const files = (await readdir(path, { recursive: true })).filter((f) => f.endsWith('.json')).sort();
    for (const f of files) keep(parseRecord(await readFile(join(path, f), 'utf8'), join(display, f)));
    return byKey;
  }
  const head = Buffer.alloc(4);
  const handle = await open(path, 'r');
  await handle.read(head, 0, 4, 0).finally(() => handle.close());
  if (head.readUInt32LE(0) !== 0x04034b50) throw new UserError(`Invalid value for input 'osv-db': '${display}' is not a zip archive. Expected an OSV export (all.zip) or a folder of OSV JSON records.`);
  let records = 0;
  await new Promise<void>((resolve, reject) => {
    const unzip = new Unzip();
    unzip.register(UnzipInflate);
    unzip.register(UnzipPassThrough);
    let failed = false;
    const fail = (e: Error) => {
      if (!failed) (failed = true), reject(e);
    };
    unzip.onfile = (file) => {
      if (!file.name.endsWith('.json')) return;
      const chunks: Uint8Array[] = [];
      file.ondata = (err, data, final) => {
        if (err) return fail(new UserError(`'${display}': entry '${file.name}' does not inflate: ${err.message}`));
        chunks.push(data);
        if (final) {
          try {
            keep(parseRecord(Buffer.concat(chunks).toString('utf8'), `${display}!${file.name}`));
            records++;
          } catch (e) {
            fail(e as Error);
          }
        }
      };
      file.start();
    };
    const stream = createReadStream(path);
    stream.on('data', (chunk) => {
      try {
        unzip.push(chunk as Uint8Array);
      } catch (e) {
        stream.destroy();
        fail(new UserError(`'${display}' is not an OSV zip export (all.zip): ${(e as Error).message}`));
      }
    });
    stream.on('end', () => {
      try {
        unzip.push(new Uint8Array(), true);
      } catch (e) {
        return fail(new UserError(`'${display}' is not an OSV zip export (all.zip): ${(e as Error).message}`));
      }
      if (!failed) resolve();
    });
    stream.on('error', (e) => fail(new UserError(`Cannot read the OSV database '${display}': ${e.message}`)));
  });
  if (records === 0) throw new UserError(`Invalid value for input 'osv-db': '${display}' holds no OSV JSON records.`);
  return byKey;
}
