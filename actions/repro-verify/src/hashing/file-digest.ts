// Streamed file hashing: every file is read once, in 1 MiB chunks from a reused buffer, and hashed as it is read.
// Besides sha256 (outputs) it computes DVC's two md5 flavours, mirrored from dvc-data
// (src/dvc_data/hashfile/hash.py, istextfile.py at iterative/dvc-data b9ec41c):
// - 'md5': the raw md5 of the bytes (DVC 3, `hash: md5` in dvc.lock);
// - 'md5-dos2unix': DVC 2 (no `hash:` field): Dos2UnixHashStreamFile reads 1 MiB chunks (fobj_md5's chunk_size
//   2**20), looks at the first 512 bytes of EACH chunk with istextblock, and when they look like text replaces
//   b"\r\n" by b"\n" inside that chunk only (a CRLF split across two chunks is kept, exactly as DVC does).
// The first bytes of the file are kept (`head`) so callers can tell text from binary without reading it again.
// Cross-checked against test/fixtures/repro-verify/dvc_hash_reference.py in test/unit/repro-verify/dvc-hash.test.ts.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { mapBounded } from './bounded-map.js';

export type HashAlgorithm = 'sha256' | 'md5' | 'md5-dos2unix';

export interface FileDigest {
  hash: string;
  size: number;
  /** Up to HEAD_BYTES first bytes of the file. */
  head: Buffer;
}

/** dvc-data's fobj_md5 chunk size (2**20); the dos2unix heuristic is applied per chunk of exactly this size. */
export const CHUNK_BYTES = 1 << 20;
/** dvc-data's istextfile.DEFAULT_CHUNK_SIZE: how much of a chunk istextblock looks at. */
export const TEXT_BLOCK_BYTES = 512;
const HEAD_BYTES = 8192;

// TEXT_CHARS = bytes(range(32, 127)) + b"\n\r\t\f\b"
const TEXT_CHARS = new Uint8Array(256);
for (let b = 32; b < 127; b++) TEXT_CHARS[b] = 1;
for (const b of [0x0a, 0x0d, 0x09, 0x0c, 0x08]) TEXT_CHARS[b] = 1;

/** dvc-data's istextblock: empty is text; a NUL byte means binary; else at most 30% non-text bytes. */
export function isTextBlock(block: Uint8Array): boolean {
  if (block.length === 0) return true;
  let nontext = 0;
  for (let i = 0; i < block.length; i++) {
    const b = block[i];
    if (b === 0) return false;
    if (TEXT_CHARS[b] === 0) nontext++;
  }
  return nontext / block.length <= 0.3;
}

type Hasher = ReturnType<typeof createHash>;

/** Feeds one chunk to the hasher with b"\r\n" -> b"\n" (bytes.replace semantics: left to right, no overlap). */
function updateDos2Unix(hasher: Hasher, chunk: Buffer): void {
  if (!isTextBlock(chunk.subarray(0, TEXT_BLOCK_BYTES))) {
    hasher.update(chunk);
    return;
  }
  let start = 0;
  for (;;) {
    const crlf = chunk.indexOf('\r\n', start, 'latin1');
    if (crlf < 0) break;
    hasher.update(chunk.subarray(start, crlf));
    start = crlf + 1; // keep the \n, drop the \r
  }
  hasher.update(chunk.subarray(start));
}

export interface MultiDigest {
  /** One hex digest per algorithm asked for. */
  hashes: Partial<Record<HashAlgorithm, string>>;
  size: number;
  head: Buffer;
}

/** The hashers of one file: chunks in, one digest per algorithm out. */
class MultiHasher {
  private readonly hashers: { algorithm: HashAlgorithm; hasher: Hasher }[];
  size = 0;
  head: Buffer | undefined;
  constructor(algorithms: readonly HashAlgorithm[]) {
    this.hashers = algorithms.map((algorithm) => ({ algorithm, hasher: createHash(algorithm === 'sha256' ? 'sha256' : 'md5') }));
  }
  update(chunk: Buffer): void {
    this.head ??= Buffer.from(chunk.subarray(0, HEAD_BYTES));
    for (const { algorithm, hasher } of this.hashers) {
      if (algorithm === 'md5-dos2unix') updateDos2Unix(hasher, chunk);
      else hasher.update(chunk);
    }
    this.size += chunk.length;
  }
  digest(): MultiDigest {
    const hashes: MultiDigest['hashes'] = {};
    for (const { algorithm, hasher } of this.hashers) hashes[algorithm] = hasher.digest('hex');
    return { hashes, size: this.size, head: this.head ?? Buffer.alloc(0) };
  }
}

/**
 * Hashes one file in one pass under several algorithms at once (a DVC 2 and a DVC 3 entry naming the same folder
 * still read it once); `buffer` (CHUNK_BYTES) may be passed to reuse it across files. Every chunk but the last is
 * filled completely (a short read is not the end of the file) so chunk boundaries match DVC's.
 */
export async function hashFileMulti(
  path: string,
  algorithms: readonly HashAlgorithm[],
  buffer: Buffer = Buffer.allocUnsafe(CHUNK_BYTES),
): Promise<MultiDigest> {
  const hasher = new MultiHasher(algorithms);
  const handle = await open(path, 'r');
  try {
    for (;;) {
      let filled = 0;
      while (filled < CHUNK_BYTES) {
        const { bytesRead } = await handle.read(buffer, filled, CHUNK_BYTES - filled, null);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled > 0) hasher.update(buffer.subarray(0, filled));
      if (filled < CHUNK_BYTES) break;
    }
  } finally {
    await handle.close();
  }
  return hasher.digest();
}

export async function hashFile(path: string, algorithm: HashAlgorithm, buffer?: Buffer): Promise<FileDigest> {
  const { hashes, size, head } = await hashFileMulti(path, [algorithm], buffer);
  return { hash: hashes[algorithm]!, size, head };
}

/**
 * Hashes many files with `concurrency` in flight (one buffer each): while one file's chunk is hashed, the others'
 * reads proceed in the thread pool. Results are in the order of `jobs`.
 */
export async function hashFilesMulti(
  jobs: readonly { path: string; algorithms: readonly HashAlgorithm[] }[],
  concurrency = 8,
): Promise<MultiDigest[]> {
  const buffers: Buffer[] = [];
  return mapBounded(jobs, concurrency, async ({ path, algorithms }) => {
    const buffer = buffers.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
    try {
      return await hashFileMulti(path, algorithms, buffer);
    } finally {
      buffers.push(buffer);
    }
  });
}

export async function hashFiles(jobs: readonly { path: string; algorithm: HashAlgorithm }[], concurrency = 8): Promise<FileDigest[]> {
  const digests = await hashFilesMulti(
    jobs.map((j) => ({ path: j.path, algorithms: [j.algorithm] })),
    concurrency,
  );
  return digests.map((d, i) => ({ hash: d.hashes[jobs[i].algorithm]!, size: d.size, head: d.head }));
}
