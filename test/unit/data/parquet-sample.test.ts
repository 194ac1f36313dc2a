// The type sample of Parquet string columns taken through the flat decoder equals the one hyparquet gives.
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { parquetFastPath, sampleParquet, parquetDeclaredTypes, parquetColumns } from '#shared/data/parquet-reader.js';
import { tempFolder } from './temp-files.js';

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

test("a sample of the first rows of large pages, with and without missing values, equals hyparquet's", async () => {
  const folder = tempFolder();
  try {
    const rows = 20000;
    const words = ['north', 'south', 'east', 'west', 'NA'];
    const columnData = [
      { name: 'dense', type: 'STRING' as const, data: Array.from({ length: rows }, (_, i) => words[(i * 7) % 5]) },
      { name: 'gappy', type: 'STRING' as const, data: Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? null : `w${i % 300}`)) },
      {
        name: 'plain',
        type: 'STRING' as const,
        encoding: 'PLAIN' as const,
        data: Array.from({ length: rows }, (_, i) => (i % 5 === 1 ? null : `p${i}`)),
      },
    ];
    const file = folder.write('pages.parquet', Buffer.from(parquetWriteBuffer({ columnData, pageSize: 1 << 20 })));
    const names = columnData.map((c) => c.name);
    for (const limit of [1, 7, 1000, 25000]) {
      const fast = await sampleParquet(file, names, limit);
      parquetFastPath.enabled = false;
      try {
        expect(fast).toEqual(await sampleParquet(file, names, limit));
      } finally {
        parquetFastPath.enabled = true;
      }
      expect(fast.get('gappy')!.slice(0, 3)).toEqual([null, 'w1', 'w2'].slice(0, limit));
      expect(fast.get('dense')!.length).toBe(Math.min(limit, rows));
    }
  } finally {
    folder.remove();
  }
});
