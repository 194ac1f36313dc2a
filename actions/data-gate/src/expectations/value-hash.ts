// 64-bit keys for values, as two 32-bit halves, so uniqueness and distinct counts over millions of values need no
// string per value in memory. Numbers are keyed by their exact IEEE-754 bits (no collisions); strings and tuples by
// two independent 32-bit hashes (FNV-1a and a murmur3-style mix), so two different values share a key with
// probability 2^-64 per pair: for n values, fewer than n^2 / 2^65 false duplicates are expected (7e-7 at 5M rows).

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

/** Two independent 32-bit hashes of a string's UTF-16 code units. */
export function stringKey(text: string, out: Key64): Key64 {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    let k = Math.imul(c, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    b ^= Math.imul(k, 0x1b873593);
    b = (b << 13) | (b >>> 19);
    b = (Math.imul(b, 5) + 0xe6546b64) | 0;
  }
  out.hi = fmix(a) >>> 0;
  out.lo = fmix(b ^ text.length) >>> 0;
  return out;
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
