// Selecting a few ranks of a Float64Array puts at each the value a full sort would, with nothing larger before it and
// nothing smaller after it, whatever the data's shape.
import { selectRanksInPlace } from '#shared/stats/sorting/select-float64.js';

function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** Selects `ranks` in a copy of `values` and checks every rank against a full sort of another copy. */
function expectSameAsSorting(values: Float64Array, ranks: number[]): void {
  const sorted = Float64Array.from(values).sort();
  const selected = Float64Array.from(values);
  const found = selectRanksInPlace(selected, ranks);
  // `+ 0` turns -0 into 0: the selection counts them equal, so either may land at a rank where the sort put the other.
  expect(found.map((v) => v + 0)).toEqual(ranks.map((rank) => sorted[rank] + 0));
  for (const rank of ranks) {
    // Compared with ===, so -0 and 0 count as equal, as the selection treats them.
    if (selected[rank] !== sorted[rank]) throw new Error(`rank ${rank}: ${selected[rank]} != ${sorted[rank]}`);
    for (let i = 0; i < rank; i++) if (selected[i] > selected[rank]) throw new Error(`index ${i} before rank ${rank} is larger`);
    for (let i = rank + 1; i < selected.length; i++)
      if (selected[i] < selected[rank]) throw new Error(`index ${i} after rank ${rank} is smaller`);
  }
  // Only moved, never changed: the same multiset of values.
  const after = Float64Array.from(selected).sort();
  for (let i = 0; i < after.length; i++) if (after[i] !== sorted[i]) throw new Error(`values changed at sorted index ${i}`);
}

function randomRanks(random: () => number, n: number, count: number): number[] {
  return Array.from({ length: count }, () => Math.floor(random() * n));
}

const shapes: Record<string, (n: number, random: () => number) => Float64Array> = {
  'log-normal': (n, random) =>
    Float64Array.from({ length: n }, () => Math.exp(Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()))),
  'many duplicates': (n, random) => Float64Array.from({ length: n }, () => Math.floor(random() * 7)),
  'already sorted': (n) => Float64Array.from({ length: n }, (_, i) => i / 3),
  reversed: (n) => Float64Array.from({ length: n }, (_, i) => n - i),
  'all equal': (n) => new Float64Array(n).fill(2.5),
  'both signs, zeros and infinities': (n, random) =>
    Float64Array.from({ length: n }, () => {
      const r = random();
      if (r < 0.02) return Infinity;
      if (r < 0.04) return -Infinity;
      if (r < 0.06) return r < 0.05 ? 0 : -0;
      return (random() - 0.5) * 10 ** Math.floor(random() * 20 - 10);
    }),
  'sawtooth (sorted runs)': (n) => Float64Array.from({ length: n }, (_, i) => i % 1000),
};

describe('selecting ranks gives what a full sort gives', () => {
  for (const [shape, make] of Object.entries(shapes)) {
    test(`${shape}: sizes 1, 2, small and 100k, random sets of ranks`, () => {
      const random = lcg(shape.length);
      for (const n of [1, 2, 3, 17, 100, 601, 5000]) {
        for (let trial = 0; trial < 20; trial++) {
          const values = make(n, random);
          expectSameAsSorting(values, randomRanks(random, n, 1 + Math.floor(random() * 6)));
        }
      }
      const large = make(100_000, random);
      expectSameAsSorting(large, randomRanks(random, large.length, 5));
      expectSameAsSorting(large, [0, large.length - 1]);
      expectSameAsSorting(large, [5000, 25_000, 50_000, 75_000, 95_000]);
    });
  }

  test('repeated, unordered and extreme ranks; many ranks at once', () => {
    const random = lcg(11);
    const values = shapes['log-normal'](20_000, random);
    expectSameAsSorting(values, [19_999, 0, 10_000, 10_000, 3]);
    expectSameAsSorting(
      values,
      Array.from({ length: 300 }, (_, i) => i * 66),
    );
  });

  test('no ranks leaves the values as they were; an empty array has none to select', () => {
    const values = Float64Array.of(3, 1, 2);
    expect(selectRanksInPlace(values, [])).toEqual([]);
    expect(Array.from(values)).toEqual([3, 1, 2]);
    expect(selectRanksInPlace(new Float64Array(0), [])).toEqual([]);
  });

  test('a rank outside the array is refused', () => {
    expect(() => selectRanksInPlace(Float64Array.of(1, 2), [2])).toThrow(/rank 2 is outside 0..1/);
    expect(() => selectRanksInPlace(Float64Array.of(1, 2), [0.5])).toThrow(RangeError);
    expect(() => selectRanksInPlace(new Float64Array(0), [0])).toThrow(RangeError);
  });

  test('patterns built against simple pivots (median-of-three killer, organ pipe) still give the sorted ranks', () => {
    const n = 60_000;
    const killer = new Float64Array(n);
    for (let i = 0; i < n / 2; i++) {
      killer[2 * i] = i % 2 === 0 ? i : n / 2 + i;
      killer[2 * i + 1] = i % 2 === 0 ? n / 2 + i : i;
    }
    const organPipe = Float64Array.from({ length: n }, (_, i) => Math.min(i, n - i));
    for (const values of [killer, organPipe]) expectSameAsSorting(values, [1, 3000, n / 2, n - 3000, n - 2]);
  });

  test('once its partitions run out, a range is sorted instead: the worst case stays n log n', () => {
    const random = lcg(5);
    const values = shapes['log-normal'](50_000, random);
    const noPartitions = Float64Array.from(values);
    selectRanksInPlace(noPartitions, [25_000], 0);
    expect(Array.from(noPartitions)).toEqual(Array.from(Float64Array.from(values).sort()));
    for (const allowed of [1, 2, 3]) {
      const some = Float64Array.from(values);
      const ranks = [10, 12_500, 25_000, 37_500, 49_990];
      expect(selectRanksInPlace(some, ranks, allowed)).toEqual(ranks.map((rank) => noPartitions[rank]));
    }
  });
});
