// Where a dataset's bytes come from: resolves a spec (paths, globs, lists of both) to files, tells the format by
// extension, and streams each file's bytes, gunzipping when the file starts with the gzip magic bytes.
import { createReadStream } from 'node:fs';
import { access, constants, open, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { createGunzip } from 'node:zlib';
import { glob, isDynamicPattern } from 'tinyglobby';
import { DataError, UserError } from '../errors.js';
import type { DataFormat, ReadProgress } from './types.js';

const EXTENSIONS: Record<string, DataFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.parquet': 'parquet',
};

export const SUPPORTED_EXTENSIONS = Object.keys(EXTENSIONS);

const READ_CHUNK_BYTES = 1 << 20;

/** "input 'x': " before a message, or nothing. */
export function labelPrefix(label: string | undefined): string {
  return label ? `${label}: ` : '';
}

/**
 * The files a spec names, in the order given (each glob's matches sorted), without duplicates. Fails with a
 * UserError naming the glob that matched nothing or the file that is missing or unreadable.
 */
export async function resolveFiles(spec: string | string[], label?: string): Promise<string[]> {
  const entries = (Array.isArray(spec) ? spec : [spec]).map((s) => s.trim()).filter((s) => s !== '');
  const prefix = labelPrefix(label);
  if (entries.length === 0) throw new UserError(`${prefix}no data file given. Expected a path, a glob or a list of them.`);
  const files: string[] = [];
  for (const entry of entries) {
    if (isDynamicPattern(entry)) {
      const matches = (await glob(entry, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(entry) })).sort();
      if (matches.length === 0) throw new UserError(`${prefix}no files match '${entry}'.`);
      files.push(...matches);
    } else {
      files.push(entry);
    }
  }
  const unique = [...new Set(files)];
  for (const file of unique) await checkReadable(file, prefix);
  return unique;
}

async function checkReadable(file: string, prefix: string): Promise<void> {
  let info;
  try {
    info = await stat(file);
  } catch {
    throw new UserError(`${prefix}data file '${file}' does not exist.`, { file });
  }
  if (!info.isFile()) throw new UserError(`${prefix}'${file}' is not a file.`, { file });
  try {
    await access(file, constants.R_OK);
  } catch {
    throw new UserError(`${prefix}data file '${file}' cannot be read (permission denied).`, { file });
  }
}

/** The format by extension, ignoring a trailing .gz. */
export function formatOf(file: string): DataFormat {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  const dot = name.lastIndexOf('.');
  const format = dot >= 0 ? EXTENSIONS[name.slice(dot)] : undefined;
  if (!format) {
    throw new DataError(`unsupported file type. Expected one of ${SUPPORTED_EXTENSIONS.join(', ')} (optionally .gz).`, { file });
  }
  return format;
}

/** True when the file starts with the gzip magic bytes 1f 8b (the name does not matter). */
export async function isGzipFile(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * The file's bytes (decompressed when gzip) in chunks of about 1 MiB (chunkBytes read from disk, for tests),
 * reporting progress in bytes of the file on disk. Stops reading when the consumer stops iterating.
 */
export async function* readFileChunks(
  file: string,
  onProgress?: (progress: ReadProgress) => void,
  chunkBytes = READ_CHUNK_BYTES,
  /** Start here (a plain file's byte offset; gzip files are read from the start). */
  startByte = 0,
): AsyncGenerator<Buffer> {
  const totalBytes = (await stat(file)).size;
  const gzip = await isGzipFile(file);
  if (gzip && startByte > 0) throw new Error(`cannot start reading gzip file '${file}' at byte ${startByte}`);
  const raw = createReadStream(file, { highWaterMark: chunkBytes, start: startByte });
  let bytesRead = startByte;
  if (onProgress) {
    raw.on('data', (chunk) => {
      bytesRead += chunk.length;
      onProgress({ file, bytesRead, totalBytes });
    });
  }
  let source: AsyncIterable<Buffer> = raw;
  if (gzip) {
    const gunzip = createGunzip({ chunkSize: 256 * 1024 });
    raw.on('error', (error) => gunzip.destroy(error));
    source = raw.pipe(gunzip);
  }
  try {
    for await (const chunk of source) yield chunk as Buffer;
  } catch (error) {
    if (error instanceof UserError) throw error;
    const reason = (error as Error).message;
    throw new DataError(gzip ? `cannot decompress gzip data (${reason})` : `cannot read file (${reason})`, { file });
  } finally {
    raw.destroy();
  }
}

export interface ScanFileOptions {
  onProgress?: (progress: ReadProgress) => void;
  /** Bytes per read from disk (tests force small chunks). */
  chunkBytes?: number;
  /** Start at this byte of a plain file (no byte order mark is looked for then). */
  startByte?: number;
  /** Told when the file starts with a UTF-8 byte order mark (which `scan` never sees). */
  onBom?: () => void;
  /** Asked after each scan: true stops reading. */
  done?: () => boolean;
}

/**
 * Feeds a row-oriented text file (CSV, TSV) to `scan` chunk by chunk: each call gets the bytes from where the last
 * one stopped, a row cut by a chunk's end joined to the next chunk, and returns how many bytes it consumed (its
 * complete rows); the last call has `final`, its buffer ending where the file ends. `offset` is buf[0]'s place in the
 * file, null in a gzip file. Yields after each call, so the caller can flush what the scan produced.
 */
export async function* scanFileChunks(
  file: string,
  scan: (buf: Buffer, final: boolean, offset: number | null) => number,
  options: ScanFileOptions = {},
): AsyncGenerator<void> {
  const startByte = options.startByte ?? 0;
  let rest: Buffer | null = null;
  let lookForBom = startByte === 0;
  let offset: number | null = (await isGzipFile(file)) ? null : startByte;
  const dropBom = (buf: Buffer): Buffer => {
    lookForBom = false;
    if (!(buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)) return buf;
    options.onBom?.();
    if (offset !== null) offset += 3;
    return buf.subarray(3);
  };
  const chunks = readFileChunks(file, options.onProgress, options.chunkBytes, startByte);
  try {
    for await (const chunk of chunks) {
      let buf: Buffer = rest && rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      if (lookForBom) {
        if (buf.length < 3) {
          rest = buf;
          continue;
        }
        buf = dropBom(buf);
      }
      const consumed = scan(buf, false, offset);
      if (offset !== null) offset += consumed;
      rest = consumed < buf.length ? buf.subarray(consumed) : null;
      yield;
      if (options.done?.()) return;
    }
    if (rest && lookForBom) rest = dropBom(rest);
    if (rest && rest.length > 0 && !options.done?.()) scan(rest, true, offset);
    yield;
  } finally {
    await chunks.return(undefined);
  }
}
