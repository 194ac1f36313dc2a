// A zip reader for model archives (PyTorch .pt/.pth/.bin, NumPy .npz) that trusts nothing: it reads the central
// directory from the end of the file and checks each entry's local header against it (names, methods, flags),
// so an entry hidden by a misleading name, an encryption flag or a duplicate name is reported rather than skipped.
// Only the entries to scan are decompressed (fflate), within a byte budget.
import { inflateSync } from 'fflate';
import { latin1, type ByteSource } from './byte-source.js';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** Offset of the entry's data (after its local header). */
  dataOffset: number;
}

export interface ZipListing {
  entries: ZipEntry[];
  problems: string[];
  /** Bytes before the first local header: a file that is also something else (a polyglot). */
  prefixBytes: number;
}

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;

/** The end-of-central-directory record's offset, searched in the last 64 KiB + 22 bytes; -1 when none. */
export function findEndOfCentralDirectory(src: ByteSource): number {
  const tail = Math.min(src.size, 65557);
  const from = src.size - tail;
  const b = src.bytes(from, tail).slice();
  for (let i = b.length - 22; i >= 0; i--) if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 5 && b[i + 3] === 6) return from + i;
  return -1;
}

export function listZip(src: ByteSource, eocd: number): ZipListing {
  const problems: string[] = [];
  const e = src.bytes(eocd, 22).slice();
  let count = u16(e, 10);
  let cdSize = u32(e, 12);
  let cdOffset = u32(e, 16);
  if (cdOffset === 0xffffffff || count === 0xffff) {
    // ZIP64: the locator sits just before the EOCD.
    const loc = src.bytes(eocd - 20, 20).slice();
    if (u32(loc, 0) === 0x07064b50) {
      const z = src.bytes(Number(readU64(loc, 8)), 56).slice();
      count = Number(readU64(z, 32));
      cdSize = Number(readU64(z, 40));
      cdOffset = Number(readU64(z, 48));
    }
  }
  // Bytes prepended to an archive shift every offset; readers (Python's zipfile too) correct by the difference.
  const shift = count !== 0xffff && cdOffset + cdSize < eocd ? eocd - cdSize - cdOffset : 0;
  cdOffset += shift;
  if (cdOffset + cdSize > src.size)
    return { entries: [], problems: ['the central directory lies past the end of the file (truncated archive)'], prefixBytes: 0 };
  const cd = src.bytes(cdOffset, cdSize).slice();
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || u32(cd, p) !== 0x02014b50) {
      problems.push(`central directory entry ${i + 1} is malformed`);
      break;
    }
    const flags = u16(cd, p + 8);
    const method = u16(cd, p + 10);
    let compressedSize = u32(cd, p + 20);
    let size = u32(cd, p + 24);
    const nameLength = u16(cd, p + 28);
    const extraLength = u16(cd, p + 30);
    const commentLength = u16(cd, p + 32);
    let localOffset = u32(cd, p + 42) + shift;
    const name = new TextDecoder().decode(cd.subarray(p + 46, p + 46 + nameLength));
    const extra = cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
    for (let x = 0; x + 4 <= extra.length;) {
      const id = u16(extra, x);
      const len = u16(extra, x + 2);
      if (id === 1) {
        let q = x + 4;
        if (size === 0xffffffff) {
          size = Number(readU64(extra, q));
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = Number(readU64(extra, q));
          q += 8;
        }
        if (localOffset === 0xffffffff) localOffset = Number(readU64(extra, q));
      }
      x += 4 + len;
    }
    p += 46 + nameLength + extraLength + commentLength;
    if (names.has(name)) problems.push(`the archive holds two entries named '${name}': loaders may read either`);
    names.add(name);
    if (flags & 1) problems.push(`entry '${name}' is encrypted and cannot be scanned`);
    if (method !== 0 && method !== 8) problems.push(`entry '${name}' uses compression method ${method}, which the scanner does not read`);
    const local = src.bytes(localOffset, 30).slice();
    if (local.length < 30 || u32(local, 0) !== 0x04034b50) {
      problems.push(`entry '${name}': no local header where the central directory points`);
      continue;
    }
    const localNameLength = u16(local, 26);
    const localName = new TextDecoder().decode(src.bytes(localOffset + 30, localNameLength));
    if (localName !== name) problems.push(`entry '${name}' is named '${localName}' in its local header: a misleading name`);
    if (u16(local, 8) !== method)
      problems.push(`entry '${name}': its local header and central directory disagree on the compression method`);
    const dataOffset = localOffset + 30 + localNameLength + u16(local, 28);
    if (dataOffset + compressedSize > src.size) problems.push(`entry '${name}' runs past the end of the file (truncated archive)`);
    entries.push({ name, method, flags, compressedSize, size, localOffset, dataOffset });
  }
  const first = entries.reduce((m, e2) => Math.min(m, e2.localOffset), Number.POSITIVE_INFINITY);
  return { entries, problems, prefixBytes: Number.isFinite(first) ? first : 0 };
}

function readU64(b: Uint8Array, o: number): bigint {
  return BigInt(u32(b, o)) + (BigInt(u32(b, o + 4)) << 32n);
}

/** The entry's bytes (stored or deflated), or an error when it is over the budget or does not inflate. */
export function readEntry(src: ByteSource, entry: ZipEntry, budgetBytes: number): Uint8Array | { error: string } {
  if (entry.size > budgetBytes || entry.compressedSize > budgetBytes)
    return { error: `entry '${entry.name}' is ${entry.size} bytes, over the memory budget for one scanned entry (${budgetBytes} bytes)` };
  const raw = src.bytes(entry.dataOffset, entry.compressedSize).slice();
  if (entry.method === 0) return raw;
  try {
    const out = inflateSync(raw, { out: new Uint8Array(entry.size) });
    return out;
  } catch (error) {
    return { error: `entry '${entry.name}' does not inflate: ${(error as Error).message}` };
  }
}

export function entryLooksLikePickle(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x80 && head[1] <= 5;
}

export { latin1 };
