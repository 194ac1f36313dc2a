// 64-bit keys for values, as two 32-bit halves, so uniqueness and distinct counts over millions of values need no
// string per value in memory. Numbers are keyed by their exact IEEE-754 bits (no collisions); text and tuples by two
// 32-bit hashes of the UTF-8 bytes (two murmur3-style lanes), so two different values share a key with probability
// about 2^-64 per pair: for n values, fewer than n^2 / 2^65 false duplicates are expected (7e-7 at 5M rows).

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);

export interface Key64 {
  hi: number;
  lo: number;
}

/** The exact bits of a number (-0 folded into 0 so that equal numbers have equal keys). */
export function numberKey(value: number, out: Key64): Key64 {
  scratch[0] = value === 0 ? 0 : value;
  out.lo = scratchWords[0];
  out.hi = scratchWords[1];
  return out;
}

/**
 * A number's bits mixed over all 64 (0 and -0 alike), for sketches such as HyperLogLog that need every bit of a key
 * to look random; numberKey's raw bits are exact but far from uniform.
 */
export function mixedNumberKey(value: number, out: Key64): Key64 {
  numberKey(value, out);
  const a = out.lo;
  const b = out.hi;
  out.hi = fmix(Math.imul(a, 0x9e3779b1) ^ fmix(b)) >>> 0;
  out.lo = fmix(Math.imul(b ^ 0x7f4a7c15, 0x85ebca77) ^ a) >>> 0;
  return out;
}

/**
 * Two 32-bit hashes of the UTF-8 bytes data[start, end): how text cells read as bytes (Utf8Column) are keyed, with no
 * string built per cell. Both lanes read the bytes 4 at a time (murmur3's block step, each lane with its own
 * multipliers, rotations and seed) and are finished by murmur3's avalanche, so they behave as two independent hashes
 * on real data (not against crafted collisions: a key is a fingerprint for counting, not a security boundary).
 */
export function utf8Key(data: Uint8Array, start: number, end: number, out: Key64): Key64 {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  const blocksEnd = start + ((end - start) & ~3);
  let i = start;
  for (; i < blocksEnd; i += 4) {
    const k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    a = mixLaneA(a, k);
    a = (a << 13) | (a >>> 19);
    a = (Math.imul(a, 5) + 0xe6546b64) | 0;
    b = mixLaneB(b, k);
    b = (b << 15) | (b >>> 17);
    b = (Math.imul(b, 5) + 0x52dce729) | 0;
  }
  if (i < end) {
    let k = 0;
    for (let shift = 0; i < end; i++, shift += 8) k |= data[i] << shift;
    a = mixLaneA(a, k);
    b = mixLaneB(b, k);
  }
  const length = end - start;
  out.hi = fmix(a ^ length) >>> 0;
  out.lo = fmix(b ^ length) >>> 0;
  return out;
}

function mixLaneA(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  return h ^ Math.imul(k, 0x1b873593);
}

function mixLaneB(h: number, k: number): number {
  k = Math.imul(k, 0x87c37b91);
  k = (k << 17) | (k >>> 15);
  return h ^ Math.imul(k, 0x4cf5ad43);
}

let scratch8 = new Uint8Array(256);

/** The key of a string: utf8Key of its UTF-8 encoding, so a value has one key however it was read. */
export function stringKey(text: string, out: Key64): Key64 {
  if (text.length * 3 > scratch8.length) scratch8 = new Uint8Array(text.length * 3);
  const bytes = scratch8;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      bytes[n++] = c;
      continue;
    }
    if (c < 0x800) {
      bytes[n++] = 0xc0 | (c >> 6);
      bytes[n++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        bytes[n++] = 0xf0 | (c >> 18);
        bytes[n++] = 0x80 | ((c >> 12) & 0x3f);
        bytes[n++] = 0x80 | ((c >> 6) & 0x3f);
        bytes[n++] = 0x80 | (c & 0x3f);
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate encodes as U+FFFD, as Buffer.from does
    bytes[n++] = 0xe0 | (c >> 12);
    bytes[n++] = 0x80 | ((c >> 6) & 0x3f);
    bytes[n++] = 0x80 | (c & 0x3f);
  }
  return utf8Key(bytes, 0, n, out);
}

/** Folds `next` into `acc` (tuples of values: compound keys). Order matters: (a, b) and (b, a) differ. */
export function combineKeys(acc: Key64, next: Key64): Key64 {
  acc.hi = fmix((Math.imul(acc.hi, 0x9e3779b1) ^ next.hi) + 0x7f4a7c15) >>> 0;
  acc.lo = fmix((Math.imul(acc.lo, 0x85ebca77) ^ next.lo) + 0x165667b1) >>> 0;
  return acc;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
