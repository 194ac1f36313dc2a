import { gzipSync } from 'node:zlib';
import { DataError } from '#shared/errors.js';
import { openDataset } from '#shared/data/index.js';
import { readColumns, rejection, tempFolder } from './temp-files.js';

const folder = tempFolder();
afterAll(() => folder.remove());
const openAndRead = async (file: string, sampleRows?: number) => readColumns(await openDataset(file, { sampleRows }));

describe('reading JSON Lines', () => {
  const lines = [
    '{"id": 1, "price": 9.5, "tags": ["a"], "sold": true, "at": "2024-05-01T08:00:00Z", "shop": "north"}',
    '',
    '{"id": 2, "price": null, "sold": false, "at": "2024-05-02", "shop": "south"}',
  ].join('\n');

  it('reads typed values; absent and null fields are missing; blank lines are skipped', async () => {
    for (const name of ['sales.jsonl', 'sales.ndjson']) {
      const dataset = await openDataset(folder.write(name, lines));
      expect(dataset.schema).toEqual([
        { name: 'id', type: 'numerical' },
        { name: 'price', type: 'numerical' },
        { name: 'tags', type: 'categorical' },
        { name: 'sold', type: 'boolean' },
        { name: 'at', type: 'datetime' },
        { name: 'shop', type: 'categorical' },
      ]);
      const { columns, lines: rowLines } = await readColumns(dataset);
      expect(columns).toEqual({
        id: [1, 2],
        price: [9.5, null],
        tags: ['["a"]', null],
        sold: [1, 0],
        at: [Date.UTC(2024, 4, 1, 8), Date.UTC(2024, 4, 2)],
        shop: ['north', 'south'],
      });
      expect(rowLines).toEqual([1, 3]);
    }
  });

  it('reads gzipped JSON Lines', async () => {
    const { columns } = await openAndRead(folder.write('sales.jsonl.gz', gzipSync(lines)));
    expect(columns.id).toEqual([1, 2]);
  });

  it('names file and line of a line that is not valid JSON', async () => {
    const file = folder.write('broken.jsonl', '{"a": 1}\n{"a": 2,\n');
    const error = await rejection(openAndRead(file));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(new RegExp(`^${file}:2: invalid JSON`));
  });

  it('names file, line and column of a value that does not fit', async () => {
    const file = folder.write('clash.jsonl', '{"a": 1}\n{"a": 2}\n{"a": "lots"}\n');
    const error = await rejection(openAndRead(file, 2));
    expect(error.message).toBe(`${file}:3 (column 'a'): expected a number, found 'lots'`);
  });

  it('refuses a field not seen in the first rows rather than dropping it', async () => {
    const file = folder.write('late-field.jsonl', '{"a": 1}\n{"a": 2, "b": 3}\n');
    const error = await rejection(openAndRead(file, 1));
    expect(error.message).toMatch(new RegExp(`^${file}:2: unexpected field 'b'`));
  });
});
