import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { asyncBufferFromFile, parquetMetadataAsync, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import { BatchBuilder, type BuilderColumn } from '#shared/data/batch-builder.js';
import { FlatColumnReader, isFlatDecodable } from '#shared/data/parquet-flat-decoder.js';
import { parquetFastPath, readParquetBatches } from '#shared/data/parquet-reader.js';
import type { ColumnType } from '#shared/data/types.js';
import { tempFolder } from './temp-files.js';
import { textCells } from '#shared/data/utf8-cells.js';

// Our flat-column decoder must give exactly what the hyparquet path gives: every file here is read both ways (the
// fast path switched off and on) and the batches compared cell by cell, for columns read as their natural type and
// as text (which shows the values as hyparquet would stringify them).

/** A small deterministic generator, so a failing file can be written again. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

type Column = { name: string; type: ColumnType };

async function readBoth(file: string, columns: Column[], batchRows = 1000): Promise<[unknown[], unknown[]]> {
  const read = async (enabled: boolean) => {
    parquetFastPath.enabled = enabled;
    const cells: unknown[] = [];
    try {
      const builder = new BatchBuilder(file, columns as BuilderColumn[], batchRows, 0);
      for await (const batch of readParquetBatches(
        file,
        columns.map((c) => c.name),
        builder,
        { sliceRows: 300 },
      )) {
        cells.push([...batch.lines]);
        for (const column of batch.columns) {
          cells.push(
            column.kind === 'number'
              ? [Array.from(column.values, (v) => (Object.is(v, -0) ? '-0' : v)), [...column.missing]]
              : textCells(column),
          );
        }
      }
    } finally {
      parquetFastPath.enabled = true;
    }
    return cells;
  };
  return [await read(false), await read(true)];
}

/** Every column chunk of the file that the decoder claims, decoded to the end without giving up. */
async function decodesWithoutFallback(file: string): Promise<number> {
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  let chunks = 0;
  for (const child of parquetSchema(metadata).children) {
    if (!isFlatDecodable(child.element, child.children.length)) continue;
    for (const group of metadata.row_groups) {
      const chunk = group.columns.find((c) => c.meta_data?.path_in_schema[0] === child.element.name);
      if (!chunk) continue;
      const reader = new FlatColumnReader(buffer, chunk, child.element, compressors);
      let rows = 0;
      for (let page = await reader.nextPage(); page; page = await reader.nextPage()) rows += page.rows;
      expect(rows).toBe(Number(group.num_rows));
      chunks++;
    }
  }
  return chunks;
}

function randomColumns(seed: number, rows: number, nullable: boolean) {
  const next = random(seed);
  const maybeNull = <T>(value: T): T | null => (nullable && next() < 0.2 ? null : value);
  const words = ['alpha', 'beta', 'gamma', 'δέλτα', '', 'NA', 'épsilon'];
  return [
    { name: 'd', type: 'DOUBLE' as const, data: Array.from({ length: rows }, () => maybeNull(next() < 0.05 ? NaN : (next() - 0.5) * 1e6)) },
    { name: 'f', type: 'FLOAT' as const, data: Array.from({ length: rows }, () => maybeNull(Math.fround((next() - 0.5) * 100))) },
    { name: 'i', type: 'INT32' as const, data: Array.from({ length: rows }, () => maybeNull(Math.floor((next() - 0.5) * 2 ** 32))) },
    { name: 'small', type: 'INT32' as const, data: Array.from({ length: rows }, () => maybeNull(Math.floor(next() * 5))) },
    {
      name: 'l',
      type: 'INT64' as const,
      data: Array.from({ length: rows }, () =>
        maybeNull(BigInt(Math.floor((next() - 0.5) * 2 ** 40)) * BigInt(1 + Math.floor(next() * 2 ** 22))),
      ),
    },
    { name: 'b', type: 'BOOLEAN' as const, data: Array.from({ length: rows }, () => maybeNull(next() < 0.5)) },
    {
      name: 't',
      type: 'TIMESTAMP' as const,
      data: Array.from({ length: rows }, () => maybeNull(new Date(Math.floor((next() - 0.3) * 4e12)))),
    },
    { name: 'cat', type: 'STRING' as const, data: Array.from({ length: rows }, () => maybeNull(words[Math.floor(next() * words.length)])) },
    { name: 'txt', type: 'STRING' as const, data: Array.from({ length: rows }, () => maybeNull(`row ${Math.floor(next() * 1e9)} ✓`)) },
  ].map((c) => ({ ...c, nullable }));
}

const natural: Column[] = [
  { name: 'd', type: 'numerical' },
  { name: 'f', type: 'numerical' },
  { name: 'i', type: 'numerical' },
  { name: 'small', type: 'numerical' },
  { name: 'l', type: 'numerical' },
  { name: 'b', type: 'boolean' },
  { name: 't', type: 'datetime' },
  { name: 'cat', type: 'categorical' },
  { name: 'txt', type: 'text' },
];
const asText: Column[] = natural.filter((c) => c.name !== 't').map((c) => ({ name: c.name, type: 'categorical' }));

describe('decoding flat Parquet columns ourselves', () => {
  const folder = tempFolder();
  afterAll(() => folder.remove());

  const cases = [
    { seed: 1, rows: 3000, nullable: true, rowGroupSize: 1000, pageSize: 2000, codec: 'SNAPPY' },
    { seed: 2, rows: 2500, nullable: false, rowGroupSize: 700, pageSize: 500, codec: 'UNCOMPRESSED' },
    { seed: 3, rows: 4000, nullable: true, rowGroupSize: 4000, pageSize: 1 << 20, codec: 'GZIP' },
    { seed: 4, rows: 1, nullable: true, rowGroupSize: 10, pageSize: 100, codec: 'SNAPPY' },
    { seed: 5, rows: 1500, nullable: true, rowGroupSize: [100, 900, 500], pageSize: 64, codec: 'SNAPPY' },
  ] as const;
  it.each(cases)(
    'gives the same cells as hyparquet for hyparquet-writer files (%o)',
    async ({ seed, rows, nullable, rowGroupSize, pageSize, codec }) => {
      const columnData: ColumnSource[] = randomColumns(seed, rows, nullable);
      // PLAIN strings too, next to the dictionary-encoded ones the writer picks by default
      columnData.push({ ...columnData[7], name: 'plain', encoding: 'PLAIN' });
      const file = folder.write(
        `random-${seed}.parquet`,
        Buffer.from(
          parquetWriteBuffer({
            columnData,
            rowGroupSize: typeof rowGroupSize === 'number' ? rowGroupSize : [...rowGroupSize],
            pageSize,
            codec,
            compressors: { GZIP: (input: Uint8Array) => gzipSync(input) },
          }),
        ),
      );
      expect(await decodesWithoutFallback(file)).toBeGreaterThan(0);
      const columns = [...natural, { name: 'plain', type: 'categorical' as const }];
      for (const [batchRows, schema] of [
        [1000, columns],
        [333, asText],
      ] as const) {
        const [slow, fast] = await readBoth(file, schema, batchRows);
        expect(fast).toEqual(slow);
      }
    },
  );

  it('gives the same cells for the committed fixtures', async () => {
    const file = join('test', 'fixtures', 'data', 'orders.parquet');
    const columns: Column[] = [
      { name: 'id', type: 'numerical' },
      { name: 'amount', type: 'numerical' },
      { name: 'big', type: 'numerical' },
      { name: 'city', type: 'categorical' },
      { name: 'active', type: 'boolean' },
      { name: 'seen', type: 'datetime' },
    ];
    expect(await decodesWithoutFallback(file)).toBeGreaterThan(0);
    const [slow, fast] = await readBoth(file, columns);
    expect(fast).toEqual(slow);
    const [slowText, fastText] = await readBoth(
      file,
      columns.map((c) => ({ ...c, type: c.type === 'datetime' ? 'datetime' : 'text' })),
    );
    expect(fastText).toEqual(slowText);
  });

  it('reads DuckDB files (data page v1, dates, decimals, microsecond timestamps) and falls back for lists', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const columns: Column[] = [
      { name: 'n', type: 'numerical' },
      { name: 'x', type: 'numerical' },
      { name: 'day', type: 'datetime' },
      { name: 'ts', type: 'datetime' },
      { name: 'price', type: 'numerical' },
      { name: 'amount', type: 'numerical' },
      { name: 'word', type: 'categorical' },
      { name: 'flag', type: 'boolean' },
      { name: 'items', type: 'text' },
      { name: 'ts_ns', type: 'datetime' },
    ];
    try {
      for (const codec of ['snappy', 'gzip', 'zstd', 'uncompressed']) {
        const file = join(folder.dir, `duck-${codec}.parquet`);
        await connection.run(`COPY (
          SELECT i::BIGINT AS n,
                 CASE WHEN i % 7 = 0 THEN NULL ELSE sin(i) * 1000 END AS x,
                 CASE WHEN i % 11 = 0 THEN NULL ELSE DATE '2020-01-01' + (i % 900)::INTEGER END AS day,
                 TIMESTAMP '2021-03-04 05:06:07.123456' + to_microseconds(i * 1234567) AS ts,
                 (i % 1000 / 100)::DECIMAL(6, 2) AS price,
                 CASE WHEN i % 5 = 0 THEN NULL ELSE (i * 12345)::DECIMAL(18, 3) END AS amount,
                 CASE WHEN i % 13 = 0 THEN NULL ELSE ['red', 'green', 'blue', 'NA'][i % 4 + 1] END AS word,
                 CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END AS flag,
                 [i, i + 1] AS items,
                 (TIMESTAMP '2021-03-04 05:06:07' + to_microseconds(i * 7))::TIMESTAMP_NS AS ts_ns
          FROM range(5000) t(i)) TO '${file}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 2048)`);
        expect(await decodesWithoutFallback(file)).toBeGreaterThan(0);
        const [slow, fast] = await readBoth(file, columns);
        expect(fast).toEqual(slow);
        const [slowText, fastText] = await readBoth(
          file,
          columns.map((c) => ({ ...c, type: c.type === 'datetime' ? c.type : 'categorical' })),
        );
        expect(fastText).toEqual(slowText);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('leaves columns it does not decode to hyparquet: delta and byte-stream-split encodings', async () => {
    const rows = 3000;
    const next = random(9);
    const columnData = [
      {
        name: 'delta',
        type: 'INT64' as const,
        encoding: 'DELTA_BINARY_PACKED' as const,
        data: Array.from({ length: rows }, (_, i) => BigInt(i * 3)),
      },
      {
        name: 'split',
        type: 'DOUBLE' as const,
        encoding: 'BYTE_STREAM_SPLIT' as const,
        data: Array.from({ length: rows }, () => (next() < 0.1 ? null : next())),
      },
      {
        name: 'words',
        type: 'STRING' as const,
        encoding: 'DELTA_BYTE_ARRAY' as const,
        data: Array.from({ length: rows }, (_, i) => `w${i % 17}`),
      },
      { name: 'ok', type: 'DOUBLE' as const, data: Array.from({ length: rows }, () => next()) },
    ];
    const file = folder.write('unsupported.parquet', Buffer.from(parquetWriteBuffer({ columnData, rowGroupSize: 1000, pageSize: 3000 })));
    const columns: Column[] = [
      { name: 'delta', type: 'numerical' },
      { name: 'split', type: 'numerical' },
      { name: 'words', type: 'categorical' },
      { name: 'ok', type: 'numerical' },
    ];
    const [slow, fast] = await readBoth(file, columns);
    expect(fast).toEqual(slow);
    expect((slow[1] as number[][])[0].slice(0, 3)).toEqual([0, 3, 6]);
  });
});
