// Where a dataset's bytes come from: resolves a spec (paths, globs, lists of both) to files inside the workspace,
// tells the format by extension, and streams each file's bytes, gunzipping when the file starts with the gzip magic
// bytes. Every file is checked by its real path (a symlink to /proc/self/environ or out of the checkout is refused),
// and a row longer than the line limit stops the read with file:line instead of growing one buffer without end.
import { createReadStream } from 'node:fs';
import { access, constants, open, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { createGunzip } from 'node:zlib';
import { glob, isDynamicPattern } from 'tinyglobby';
import { DataError, UserError } from '../errors.js';
import { checkReadablePath } from '../paths/index.js';
import { quote } from './quote.js';
import { TextCheck } from './text-check.js';
import type { DataWarning, ReadProgress } from './types.js';

export { formatOf, SUPPORTED_EXTENSIONS } from './formats.js';

/** Default longest line (or row, or cell) a reader accepts: input max-line-mb. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

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
      const matches = await globFiles(entry);
      if (matches.length === 0) throw new UserError(`${prefix}no files match ${quote(entry)}.`);
      files.push(...matches);
    } else {
      files.push(entry);
    }
  }
  const unique = [...new Set(files)];
  for (const file of unique) await checkReadable(file, label);
  return unique;
}

/**
 * The files a glob matches, sorted. Links are neither walked nor matched (a link may lead out of the workspace:
 * tinyglobby's followSymbolicLinks: false); name a linked file explicitly to read it, and it is checked like any other.
 */
async function globFiles(pattern: string): Promise<string[]> {
  const matches = await glob(pattern, {
    onlyFiles: true,
    expandDirectories: false,
    absolute: isAbsolute(pattern),
    followSymbolicLinks: false,
  });
  return matches.sort();
}

/** A data file that exists, is a regular file, can be read, and lies (symlinks followed) inside the workspace. */
async function checkReadable(file: string, label: string | undefined): Promise<void> {
  const prefix = labelPrefix(label);
  const real = await checkReadablePath(file, label);
  let info;
  try {
    info = await stat(real);
  } catch {
    throw new UserError(`${prefix}data file ${quote(file)} does not exist.`, { file });
  }
  if (!info.isFile()) throw new UserError(`${prefix}${quote(file)} is not a file.`, { file });
  try {
    await access(real, constants.R_OK);
  } catch {
    throw new UserError(`${prefix}data file ${quote(file)} cannot be read (permission denied).`, { file });
  }
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
  /** The longest row accepted (default DEFAULT_MAX_LINE_BYTES). */
  maxLineBytes?: number;
  /** The line of the first byte `scan` has not consumed (for messages and warnings). */
  lineAt?: () => number;
  /** Told of lines with NUL bytes or invalid UTF-8 once the file is read (needs lineAt). */
  onWarning?: (warning: DataWarning) => void;
}

/** The DataError for a line past the limit. */
export function lineTooLong(file: string, line: number | undefined, maxLineBytes: number, what = 'row'): DataError {
  const mb = Math.round((maxLineBytes / (1024 * 1024)) * 100) / 100;
  return new DataError(
    `a ${what} longer than ${mb} MB (the max-line-mb limit): the file may lack line feeds, hold an unterminated quote or not be text; raise max-line-mb if rows this long are expected`,
    { file, line },
  );
}

/**
 * Feeds a row-oriented text file (CSV, TSV) to `scan` chunk by chunk: each call gets the bytes from where the last
 * one stopped, a row cut by a chunk's end joined to the next chunk, and returns how many bytes it consumed (its
 * complete rows); the last call has `final`, its buffer ending where the file ends. `offset` is buf[0]'s place in the
 * file, null in a gzip file; `position` its place in the decompressed bytes (the same as offset in a plain file).
 * Yields after each call, so the caller can flush what the scan produced.
 *
 * A row longer than a chunk is not scanned again on every chunk: chunks are gathered until they at least double it
 * (linear time on a long row, where joining each chunk to it took minutes on a 512 MB row), and past maxLineBytes
 * the read stops with a DataError at the row's line.
 */
export async function* scanFileChunks(
  file: string,
  scan: (buf: Buffer, final: boolean, offset: number | null, position: number) => number,
  options: ScanFileOptions = {},
): AsyncGenerator<void> {
  const startByte = options.startByte ?? 0;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const check = options.onWarning && options.lineAt ? new TextCheck(file) : undefined;
  const lineAt = options.lineAt ?? (() => 0);
  let rest: Buffer | null = null;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lookForBom = startByte === 0;
  let offset: number | null = (await isGzipFile(file)) ? null : startByte;
  let position = startByte;
  const dropBom = (buf: Buffer): Buffer => {
    lookForBom = false;
    if (!(buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)) return buf;
    options.onBom?.();
    if (offset !== null) offset += 3;
    position += 3;
    return buf.subarray(3);
  };
  const tooLong = () => lineTooLong(file, options.lineAt?.(), maxLineBytes);
  const joined = (last: Buffer | null): Buffer => {
    const parts = rest && rest.length > 0 ? [rest, ...pending] : pending;
    if (last) parts.push(last);
    pending = [];
    pendingBytes = 0;
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  };
  const chunks = readFileChunks(file, options.onProgress, options.chunkBytes, startByte);
  try {
    for await (const chunk of chunks) {
      if (rest && rest.length > chunk.length && pendingBytes + chunk.length < rest.length) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (rest.length + pendingBytes > maxLineBytes) throw tooLong();
        continue;
      }
      let buf: Buffer = joined(chunk);
      if (lookForBom) {
        if (buf.length < 3) {
          rest = buf;
          continue;
        }
        buf = dropBom(buf);
      }
      const firstLine = lineAt();
      const consumed = scan(buf, false, offset, position);
      check?.check(buf, 0, consumed, firstLine);
      if (offset !== null) offset += consumed;
      position += consumed;
      rest = consumed < buf.length ? buf.subarray(consumed) : null;
      if (rest && rest.length > maxLineBytes) throw tooLong();
      yield;
      if (options.done?.()) return;
    }
    if (pendingBytes > 0) rest = joined(null);
    if (rest && lookForBom) rest = dropBom(rest);
    if (rest && rest.length > 0 && !options.done?.()) {
      const firstLine = lineAt();
      scan(rest, true, offset, position);
      check?.check(rest, 0, rest.length, firstLine);
    }
    yield;
    if (check) for (const warning of check.warnings()) options.onWarning?.(warning);
  } finally {
    await chunks.return(undefined);
  }
}
