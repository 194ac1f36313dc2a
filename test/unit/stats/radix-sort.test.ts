// The radix sort gives exactly the built-in Float64Array sort's order, values and signed zeros included.
import { sortFloat64InPlace } from '#shared/stats/sorting/radix-sort-float64.js';

function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

function expectSameAsBuiltIn(values: Float64Array): void {
  const expected = Float64Array.from(values).sort();
  const actual = sortFloat64InPlace(Float64Array.from(values));
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) throw new Error(`index ${i}: ${actual[i]} != ${expected[i]}`);
  }
}

test('random values of every sign and magnitude sort as the built-in sort does', () => {
  const random = lcg(1);
  const values = new Float64Array(200_000);
  for (let i = 0; i < values.length; i++) {
    const r = random();
    values[i] = r < 0.01 ? 0 : r < 0.02 ? -0 : (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
  }
  values[7] = Infinity;
  values[8] = -Infinity;
  values[9] = Number.MIN_VALUE;
  values[10] = -Number.MAX_VALUE;
  expectSameAsBuiltIn(values);
});

test('many ties, all-equal data and already sorted data', () => {
  const random = lcg(2);
  expectSameAsBuiltIn(Float64Array.from({ length: 100_000 }, () => Math.floor(random() * 5)));
  expectSameAsBuiltIn(new Float64Array(100_000).fill(3.25));
  expectSameAsBuiltIn(Float64Array.from({ length: 100_000 }, (_, i) => i - 50_000));
});

test('a sub-array view is sorted in place and its neighbours are left alone', () => {
  const random = lcg(3);
  const buffer = Float64Array.from({ length: 150_000 }, () => random() - 0.5);
  const before = buffer[0];
  const view = buffer.subarray(1, 140_001);
  const expected = Float64Array.from(view).sort();
  sortFloat64InPlace(view);
  expect(Array.from(view.subarray(0, 100))).toEqual(Array.from(expected.subarray(0, 100)));
  expect(view[view.length - 1]).toBe(expected[expected.length - 1]);
  expect(buffer[0]).toBe(before);
});
