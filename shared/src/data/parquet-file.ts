// Random access to a Parquet file for hyparquet through one open file handle, and each file's parsed footer kept
// while the file is unchanged: opening a dataset reads a file's columns, types and sample, then scans it.
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AsyncBuffer, FileMetaData } from 'hyparquet';

export interface OpenParquetFile {
  buffer: AsyncBuffer;
  close: () => Promise<void>;
}

/**
 * The file as hyparquet's AsyncBuffer, each byte range read with one positioned read. hyparquet's own
 * asyncBufferFromFile opens a read stream per range (open, 64 KiB reads, a copy, close): a 3M-row file is read in
 * hundreds of ranges, and a worker reading it sat idle between them.
 */
export async function openParquetFile(path: string): Promise<OpenParquetFile> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const buffer: AsyncBuffer = {
      byteLength: size,
      async slice(start: number, end: number = size): Promise<ArrayBuffer> {
        const from = Math.min(Math.max(0, start), size);
        const bytes = new Uint8Array(Math.max(0, Math.min(end, size) - from));
        for (let done = 0; done < bytes.length;) {
          const { bytesRead } = await handle.read(bytes, done, bytes.length - done, from + done);
          if (bytesRead === 0) throw new Error(`file ended at byte ${from + done} of ${size}`);
          done += bytesRead;
        }
        return bytes.buffer;
      },
    };
    return { buffer, close: () => handle.close() };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Runs fn on the file opened with openParquetFile, and closes it after. */
export async function withParquetFile<T>(path: string, fn: (buffer: AsyncBuffer) => Promise<T>): Promise<T> {
  const file = await openParquetFile(path);
  try {
    return await fn(file.buffer);
  } finally {
    await file.close();
  }
}

/** Footers kept, the most recently read last; a few files' worth is all one run opens. */
const footers = new Map<string, FileMetaData>();
const MAX_FOOTERS = 8;

/**
 * The parsed footer of `file` (the path as given, gzipped or not): from the cache when the file is the same one
 * (path, inode, size and modification time), otherwise from `read`, then kept.
 */
export async function cachedFooter(file: string, read: () => Promise<FileMetaData>): Promise<FileMetaData> {
  const info = await stat(file, { bigint: true });
  const key = `${info.ino}:${info.size}:${info.mtimeNs}:${resolve(file)}`;
  const hit = footers.get(key);
  if (hit) return hit;
  const metadata = await read();
  footers.set(key, metadata);
  if (footers.size > MAX_FOOTERS) footers.delete(footers.keys().next().value as string);
  return metadata;
}
