// Quarantine of Parquet: the passed and failed files hold the input's rows with the same values and column types,
// the failed file one more string column, written a row group at a time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { openDataset } from '#shared/data/index.js';
import { writeQuarantine, type QuarantineOptions } from '../../../../actions/data-gate/src/quarantine/write-quarantine.js';
import { WRITE_ROW_GROUP_ROWS } from '../../../../actions/data-gate/src/quarantine/parquet-quarantine.js';
import { readColumns, rejection, tempFolder } from '../../data/temp-files.js';

const folder = tempFolder();
afterAll(() => folder.remove());
const out = (name: string) => join(folder.dir, 'out', name);

function loansParquet(rows: number, rowGroupSize: number, offset = 0): Buffer {
  const ids = Array.from({ length: rows }, (_, i) => i + offset);
  return Buffer.from(
    parquetWriteBuffer({
      rowGroupSize,
      columnData: [
        { name: 'id', data: ids, type: 'INT32' },
        { name: 'big', data: ids.map((i) => BigInt(i) * 3_000_000_000n + 1n), type: 'INT64' },
        { name: 'amount', data: ids.map((i) => (i % 7 === 0 ? null : i / 3)), type: 'DOUBLE' },
        { name: 'city', data: ids.map((i) => (i % 11 === 0 ? null : ['Lyon', 'Oslo', 'Kyiv ✓'][i % 3])), type: 'STRING' },
        { name: 'active', data: ids.map((i) => i % 2 === 0), type: 'BOOLEAN' },
        { name: 'seen', data: ids.map((i) => new Date(Date.UTC(2024, 0, 1, 0, 0, 0, i))), type: 'TIMESTAMP' },
        { name: 'raw', data: ids.map((i) => new Uint8Array([i % 256, 0xff, 0xfe])), type: 'BYTE_ARRAY' },
      ],
    }),
  );
}

async function rowsOf(path: string): Promise<Record<string, unknown>[]> {
  const file = await asyncBufferFromFile(path);
  return parquetReadObjects({ file, utf8: false });
}

async function metadataOf(path: string) {
  return parquetMetadataAsync(await asyncBufferFromFile(path));
}

const brokenRules = (row: number): string[] | undefined =>
  row % 4 === 1 ? ['amount between'] : row % 10 === 3 ? ['id unique', 'city in set'] : undefined;

function options(paths: string[], rest: Partial<QuarantineOptions> & { expectedRows: number }): QuarantineOptions {
  return { inputs: paths.map((path) => ({ path, format: 'parquet' })), brokenRules, ...rest };
}

describe('quarantining Parquet', () => {
  it('splits rows across row groups into two files with the same values and types', async () => {
    const file = folder.write('loans.parquet', loansParquet(45, 10));
    const summary = await writeQuarantine(
      options([file], { passedPath: out('p.parquet'), failedPath: out('f.parquet'), expectedRows: 45 }),
    );
    const input = await rowsOf(file);
    const passed = await rowsOf(out('p.parquet'));
    const failed = await rowsOf(out('f.parquet'));
    expect(summary).toMatchObject({ passedRows: passed.length, failedRows: failed.length });
    expect(passed.length + failed.length).toBe(45);
    let p = 0;
    let f = 0;
    input.forEach((row, i) => {
      const rules = brokenRules(i);
      if (rules) expect(failed[f++]).toEqual({ ...row, data_gate_failed_rules: rules.join('; ') });
      else expect(passed[p++]).toEqual(row);
    });

    const inputSchema = parquetSchema(await metadataOf(file)).children.map((c) => c.element);
    const failedSchema = parquetSchema(await metadataOf(out('f.parquet'))).children.map((c) => c.element);
    expect(parquetSchema(await metadataOf(out('p.parquet'))).children.map((c) => c.element)).toEqual(inputSchema);
    expect(failedSchema.slice(0, -1)).toEqual(inputSchema);
    expect(failedSchema.at(-1)).toMatchObject({ name: 'data_gate_failed_rules', type: 'BYTE_ARRAY', converted_type: 'UTF8' });
  });

  it('reads back with openDataset as the input rows, for several files and gzip on both sides', async () => {
    const first = folder.write('part-1.parquet', loansParquet(12, 5));
    const second = folder.write('part-2.parquet.gz', gzipSync(loansParquet(9, 4, 12)));
    await writeQuarantine(
      options([first, second], { passedPath: out('parts-p.parquet.gz'), failedPath: out('parts-f.parquet'), expectedRows: 21 }),
    );
    expect(readFileSync(out('parts-p.parquet.gz')).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const original = (await readColumns(await openDataset([first, second]))).columns;
    const passed = (await readColumns(await openDataset(out('parts-p.parquet.gz')))).columns;
    const failed = (await readColumns(await openDataset(out('parts-f.parquet')))).columns;
    const merged = original.id.map((_, row) => {
      const source = brokenRules(row) ? failed : passed;
      const at = source.id.indexOf(original.id[row]);
      return Object.keys(original).map((name) => source[name][at]);
    });
    expect(merged).toEqual(original.id.map((_, row) => Object.keys(original).map((name) => original[name][row])));
  });

  it('writes row groups of bounded size and an empty but valid file when no row passes', async () => {
    const rows = WRITE_ROW_GROUP_ROWS + 1000;
    const file = folder.write('many.parquet', loansParquet(rows, 50000));
    await writeQuarantine({
      inputs: [{ path: file, format: 'parquet' }],
      passedPath: out('many-p.parquet'),
      failedPath: out('many-f.parquet'),
      brokenRules: () => ['r'],
      expectedRows: rows,
    });
    const failed = await metadataOf(out('many-f.parquet'));
    expect(failed.row_groups.map((group) => Number(group.num_rows))).toEqual([WRITE_ROW_GROUP_ROWS, 1000]);
    const passed = await metadataOf(out('many-p.parquet'));
    expect(Number(passed.num_rows)).toBe(0);
    expect(await rowsOf(out('many-p.parquet'))).toEqual([]);
  });

  it('fails on a row count other than the validated one, and on a path naming another format', async () => {
    const file = folder.write('few.parquet', loansParquet(5, 5));
    const error = await rejection(writeQuarantine(options([file], { passedPath: out('few.parquet'), expectedRows: 6 })));
    expect(error.message).toMatch(/read 5 rows but validation counted 6/);
    const wrong = await rejection(writeQuarantine(options([file], { passedPath: out('few.csv'), expectedRows: 5 })));
    expect(wrong.message).toMatch(/'passed-path'.*Expected a \.parquet path/);
  });
});
