// A dataset's column names without reading rows, and Parquet column types taken from the file's own schema.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetColumnNames, openDataset } from '#shared/data/index.js';
import { parquetDeclaredTypes } from '#shared/data/parquet-reader.js';

const fixtures = new URL('../../fixtures/data/', import.meta.url).pathname;

test('column names come from a CSV header and from Parquet metadata', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'names-'));
  const csv = join(dir, 'a.csv');
  writeFileSync(csv, 'id,amount,"odd, name"\n1,2,3\n');
  expect(await datasetColumnNames(csv)).toEqual(['id', 'amount', 'odd, name']);
  const parquet = join(fixtures, 'orders.parquet');
  expect(await datasetColumnNames(parquet)).toEqual((await openDataset(parquet)).schema.map((c) => c.name));
});

test('Parquet numbers, booleans and times are typed by the schema, strings by their sample', async () => {
  const parquet = join(fixtures, 'orders.parquet');
  const declared = await parquetDeclaredTypes(parquet);
  const schema = (await openDataset(parquet)).schema;
  expect(declared.size).toBeGreaterThan(0);
  for (const column of schema) {
    if (declared.has(column.name)) expect(column.type).toBe(declared.get(column.name));
    else expect(['categorical', 'text']).toContain(column.type);
  }
});
