// 64-bit fingerprints of cell values (two 32-bit halves), so distinctness can be tracked without keeping the values
// themselves: 8 bytes a value instead of a string, and the same bits feed the HyperLogLog estimate.

/** A 64-bit fingerprint as two unsigned 32-bit halves. */
export interface Fingerprint {
  high: number;
  low: number;
}

const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);

/** murmur3's finalizer: spreads every input bit over the whole word. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Fingerprint of a number; -0 and 0 are the same value (as they are in pandas), so they get the same bits. */
export function numberFingerprint(value: number, out: Fingerprint): Fingerprint {
  float[0] = value === 0 ? 0 : value;
  const a = words[0];
  const b = words[1];
  out.high = mix(Math.imul(a, 0x9e3779b1) ^ mix(b));
  out.low = mix(Math.imul(b ^ 0x7f4a7c15, 0x85ebca77) ^ a);
  return out;
}

/** Fingerprint of a string: two independently seeded multiplicative hashes over its UTF-16 code units. */
export function stringFingerprint(value: string, out: Fingerprint): Fingerprint {
  let h1 = 0x811c9dc5;
  let h2 = 0x3c6ef372 ^ value.length;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  out.high = mix(h1);
  out.low = mix(h2 ^ h1);
  return out;
}
