// The type sample of Parquet string columns taken through the flat decoder equals the one hyparquet gives.
import { join } from 'node:path';
import { parquetFastPath, sampleParquet, parquetDeclaredTypes, parquetColumns } from '../../../shared/src/data/parquet-reader.js';

const fixture = join(new URL('../../fixtures/data/', import.meta.url).pathname, 'orders.parquet');

test('string columns sample the same values with and without the flat decoder', async () => {
  const declared = await parquetDeclaredTypes(fixture);
  const strings = (await parquetColumns(fixture)).filter((name) => !declared.has(name));
  expect(strings.length).toBeGreaterThan(0);
  for (const limit of [1, 7, 1000]) {
    const fast = await sampleParquet(fixture, strings, limit);
    parquetFastPath.enabled = false;
    try {
      const slow = await sampleParquet(fixture, strings, limit);
      expect(fast).toEqual(slow);
      expect(fast.get(strings[0])!.length).toBe(Math.min(limit, 25));
    } finally {
      parquetFastPath.enabled = true;
    }
  }
});
