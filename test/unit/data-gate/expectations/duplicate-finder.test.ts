import { describe, expect, test } from '@jest/globals';
import { DuplicateFinder } from '../../../../actions/data-gate/src/expectations/duplicate-finder.js';

/** Keys with a few planted repeats; rows far past 2^32 so the row's high word matters. */
function feed(finder: DuplicateFinder, firstRow: number): number[] {
  const repeated: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const row = firstRow + i;
    const key = i % 997 === 500 ? 7 : i; // every 997th row repeats key 7
    if (key === 7) repeated.push(row);
    finder.add(Math.imul(key, 0x9e3779b1) >>> 0, key, row);
  }
  return repeated;
}

describe('DuplicateFinder', () => {
  for (const [label, budgetBytes] of [
    ['in memory', 64 << 20],
    ['spilled to disk', 16 << 10],
  ] as const) {
    test(`finds every row of a repeated key, rows above 2^32 included (${label})`, async () => {
      const firstRow = 2 ** 33 + 5;
      const finder = new DuplicateFinder({ budgetBytes, collectRows: true });
      const repeated = feed(finder, firstRow);
      const rows = Array.from(await finder.duplicateRows());
      expect(rows).toEqual(repeated);
      expect(repeated).toHaveLength(21); // key 7 itself and its 20 repeats
      expect(finder.spilled).toBe(label === 'spilled to disk');
      await finder.dispose();
    });

    test(`counts distinct keys (${label})`, async () => {
      const finder = new DuplicateFinder({ budgetBytes, collectRows: false });
      feed(finder, 0);
      feed(finder, 1e6); // every key again
      expect(await finder.distinctCount()).toBe(20_000 - 20);
      await finder.dispose();
    });
  }
});

describe('DuplicateFinder memory', () => {
  test('keeps every row of one key repeated 1M times in under 2 MB (a list of rows took 8 MB), counting exactly', async () => {
    const finder = new DuplicateFinder({ budgetBytes: 1 << 20, collectRows: true });
    const before = process.memoryUsage().arrayBuffers;
    const rows = 1_000_000;
    for (let row = 0; row < rows; row++) finder.add(0x1234, 0x5678, row);
    const found = await finder.duplicateRows();
    expect(found.size).toBe(rows);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(2 << 20);
    let count = 0;
    let last = -1;
    for (const row of found) {
      if (row !== last + 1) throw new Error(`row ${row} after ${last}`);
      last = row;
      count++;
    }
    expect(count).toBe(rows);
    await finder.dispose();
  });

  test('reads a spilled partition of one heavy key back in slices', async () => {
    const finder = new DuplicateFinder({ budgetBytes: 16 << 10, collectRows: true });
    for (let key = 0; key < 5_000; key++) finder.add(key * 0x9e3779b1, key, key); // fills the table: spills
    expect(finder.spilled).toBe(true);
    for (let row = 5_000; row < 400_000; row++) finder.add(42 * 0x9e3779b1, 42, row);
    const found = await finder.duplicateRows();
    expect(found.size).toBe(400_000 - 5_000 + 1);
    expect(await finder.distinctCount()).toBe(5_000);
    await finder.dispose();
  });
});

describe('DuplicateFinder past its in-memory table (8 MiB, 393,216 keys at 3/4 load) whatever the budget', () => {
  /** `distinct` keys (hashes spread as value-hash.ts spreads them), then the first `repeats` of them again. */
  function feedDistinct(finder: DuplicateFinder, distinct: number, repeats: number): void {
    const key = (i: number): [number, number] => [Math.imul(i + 1, 0x9e3779b1) >>> 0, Math.imul(i ^ 0x5bd1e995, 0x85ebca6b) >>> 0];
    for (let i = 0; i < distinct; i++) finder.add(...key(i), i);
    for (let i = 0; i < repeats; i++) finder.add(...key(i), distinct + i);
  }

  test('keeps 300,000 distinct keys in memory under a 256 MiB budget', async () => {
    const finder = new DuplicateFinder({ budgetBytes: 256 << 20, collectRows: false });
    feedDistinct(finder, 300_000, 10);
    expect(await finder.distinctCount()).toBe(300_000);
    expect(finder.spilled).toBe(false);
    await finder.dispose();
  });

  test('partitions 600,000 distinct keys on disk under a 256 MiB budget, finding every repeated row', async () => {
    const finder = new DuplicateFinder({ budgetBytes: 256 << 20, collectRows: true });
    feedDistinct(finder, 600_000, 3);
    const rows = Array.from(await finder.duplicateRows());
    expect(finder.spilled).toBe(true);
    expect(finder.method).toMatch(/spilled to disk/);
    expect(rows).toEqual([0, 1, 2, 600_000, 600_001, 600_002]);
    await finder.dispose();
  });
});
