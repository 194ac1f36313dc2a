// Our RLE / bit-packed hybrid reader (dictionary indices, definition levels, booleans) gives what hyparquet's gives,
// for every bit width, runs of both kinds, and outputs shorter than the runs (a sample of a page's first rows).
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { readHybrid } from '#shared/data/parquet-flat-decoder.js';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function varint(value: number, out: number[]): void {
  while (value >= 0x80) {
    out.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
}

/** Runs as a Parquet writer lays them out, and the values they hold. */
function encode(width: number, seed: number): { bytes: Uint8Array; values: number[] } {
  const next = random(seed);
  const max = 2 ** width;
  const bytes: number[] = [];
  const values: number[] = [];
  for (let run = 0; run < 40; run++) {
    if (next() < 0.5) {
      const count = 1 + Math.floor(next() * 300);
      const value = Math.floor(next() * max);
      varint(count << 1, bytes);
      for (let b = 0; b < (width + 7) >> 3; b++) bytes.push(Math.floor(value / 2 ** (8 * b)) & 0xff);
      for (let i = 0; i < count; i++) values.push(value);
    } else {
      const groups = 1 + Math.floor(next() * 20);
      varint((groups << 1) | 1, bytes);
      let bits = 0n;
      let used = 0n;
      for (let i = 0; i < groups * 8; i++) {
        const value = Math.floor(next() * max);
        values.push(value);
        bits |= BigInt(value) << used;
        used += BigInt(width);
      }
      for (let b = 0; b < groups * width; b++) bytes.push(Number((bits >> BigInt(8 * b)) & 0xffn));
    }
  }
  return { bytes: Uint8Array.from(bytes), values };
}

test.each(Array.from({ length: 25 }, (_, width) => width))('bit width %i decodes as hyparquet does, in full and cut short', (width) => {
  const { bytes, values } = encode(width, 100 + width);
  // Placed after a few bytes of something else, as in a page
  const page = new Uint8Array(bytes.length + 3);
  page.set(bytes, 3);
  for (const length of [values.length, Math.floor(values.length / 3), 7, 1]) {
    const ours = new Int32Array(length);
    readHybrid(page, 3, page.length, width, ours);
    expect([...ours]).toEqual(values.slice(0, length));
    // (hyparquet takes a byte per bit-packed run of width 0, which holds none; readers skip width 0 anyway)
    if (width === 0) continue;
    const theirs = new Int32Array(length);
    readRleBitPackedHybrid({ view: new DataView(page.buffer), offset: 3 }, width, theirs, bytes.length);
    expect([...ours]).toEqual([...theirs]);
  }
});

test('runs that end before their values fail the page instead of reading what follows', () => {
  const { bytes, values } = encode(5, 7);
  const cut = bytes.subarray(0, bytes.length - 4);
  expect(() => readHybrid(cut, 0, cut.length, 5, new Int32Array(values.length))).toThrow(/past the end|end before/);
});
