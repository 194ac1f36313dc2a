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
