// GX on pandas judges type, length and date-format rules by the dtype pandas gives the column: read_csv's inference
// for a CSV (int64, float64, bool, object) and pyarrow's mapping for Parquet (TIMESTAMP -> datetime64[ns], DATE ->
// object of datetime.date). Expected values: test/fixtures/data-gate/gx-dtypes/expected.json, computed by
// make_dtypes.py with pandas from GX 1.2.0's own code, which it quotes:
// - of_type / in_type_list: expect_column_values_to_be_of_type.py and expect_column_values_to_be_in_type_list.py
//   (_validate, _validate_pandas; the map version on object columns in metrics/column_map_metrics/column_values_of_type.py
//   and column_values_in_type_list.py);
// - lengths: metrics/column_map_metrics/column_value_lengths.py, _pandas_function = column.astype(str).str.len(): an
//   integer is measured by its digits, it does not raise (the "object of type 'int' has no len()" in GX's
//   tests/test_definitions/.../expect_column_value_lengths_to_be_between.json is an "error" key its runner never reads);
// - strftime / dateutil: metrics/column_map_metrics/column_values_match_strftime_format.py and
//   column_values_dateutil_parseable.py, _pandas: a value that is not a string raises TypeError;
// - min / max: column_max.py (column.max()) then expectation.py, _validate_metric_value_between; between:
//   column_values_between.py, _pandas.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { openDataset } from '#shared/data/index.js';
import { suggestRules } from '../../../actions/data-gate/src/suggest/suggest-rules.js';
import { one, validate } from './gx-support.js';
import type { ExpectationResult } from '../../../actions/data-gate/src/validate/validation-result.js';

const fixtures = join(process.cwd(), 'test/fixtures/data-gate/gx-dtypes');
interface Outcome {
  success?: boolean;
  observed_value?: string;
  unexpected_index_list?: number[];
  raised?: string;
}
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as Record<string, Record<string, unknown>> & {
  of_type: Record<string, Record<string, Outcome>>;
  in_type_list: Record<string, Record<string, Outcome>>;
  lengths: Record<string, Outcome>;
  strftime: Record<string, Outcome>;
  dateutil: Record<string, Outcome>;
};

const dir = mkdtempSync(join(tmpdir(), 'gx-dtypes-'));
const csvPath = join(dir, 'dtypes.csv');
copyFileSync(join(fixtures, 'dtypes.csv'), csvPath);

// The Parquet columns make_dtypes.py builds as pandas reads them.
const parquetPath = join(dir, 'dtypes.parquet');
const ms = [978307260000, 978393600000, 978480000500, null, 978652800000];
const day = (d: number | null) => (d === null ? null : new Date(Date.UTC(2001, 0, d)));
const columns = [
  { element: { name: 'ts', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' }, data: ms.map((v) => (v === null ? null : new Date(v))) },
  { element: { name: 'day', type: 'INT32', converted_type: 'DATE' }, data: [1, 2, 3, null, 5].map(day) },
  { element: { name: 'n_int', type: 'INT64' }, data: [1n, null, 22n, 333n, 4n] },
  { element: { name: 'n_int_full', type: 'INT64' }, data: [1n, 22n, 333n, 4n, 5n] },
  { element: { name: 'day_full', type: 'INT32', converted_type: 'DATE' }, data: [1, 2, 3, 4, 5].map(day) },
  { element: { name: 'label', type: 'BYTE_ARRAY', converted_type: 'UTF8' }, data: ['a', 'bb', null, 'dddd', 'eeeee'] },
] as const;
writeFileSync(
  parquetPath,
  Buffer.from(
    parquetWriteBuffer({
      columnData: columns.map((c) => ({ name: c.element.name, data: [...c.data] })),
      schema: [
        { name: 'root', num_children: columns.length },
        ...columns.map((c) => ({ ...c.element, repetition_type: 'OPTIONAL' as const })),
      ] as Parameters<typeof parquetWriteBuffer>[0]['schema'],
    }),
  ),
);

const fileOf = (key: string) => (key.startsWith('csv:') ? csvPath : parquetPath);
const columnOf = (key: string) => key.slice(key.indexOf(':') + 1);

/** GX's outcome against data-gate's result: raised with GX's message, or the verdict and the failing rows. */
function expectLike(result: ExpectationResult, outcome: Outcome): void {
  if (outcome.raised !== undefined) {
    expect(result.exception_info).toMatchObject({ raised_exception: true, exception_message: outcome.raised });
    return;
  }
  expect(result.exception_info.raised_exception).toBe(false);
  expect(result.success).toBe(outcome.success);
  const r = result.result as { observed_value?: unknown; unexpected_index_list?: number[] };
  if (outcome.observed_value !== undefined) expect(r.observed_value).toBe(outcome.observed_value);
  if (outcome.unexpected_index_list !== undefined) expect(r.unexpected_index_list).toEqual(outcome.unexpected_index_list);
}

describe('type rules judge the dtype pandas gives the column', () => {
  for (const [key, byName] of Object.entries(expected.of_type))
    it(`expect_column_values_to_be_of_type on ${key} (${Object.keys(byName).length} type names)`, async () => {
      for (const [type_, outcome] of Object.entries(byName)) {
        const result = await one(fileOf(key), {
          expectation: 'expect_column_values_to_be_of_type',
          column: columnOf(key),
          type_,
          result_format: 'COMPLETE',
        });
        try {
          expectLike(result, outcome);
        } catch (error) {
          throw new Error(`type_ ${type_}: ${(error as Error).message}`, { cause: error });
        }
      }
    });
  for (const [key, byList] of Object.entries(expected.in_type_list))
    it(`expect_column_values_to_be_in_type_list on ${key}`, async () => {
      for (const [list, outcome] of Object.entries(byList)) {
        const result = await one(fileOf(key), {
          expectation: 'expect_column_values_to_be_in_type_list',
          column: columnOf(key),
          type_list: list.split('|'),
          result_format: 'COMPLETE',
        });
        try {
          expectLike(result, outcome);
        } catch (error) {
          throw new Error(`type_list ${list}: ${(error as Error).message}`, { cause: error });
        }
      }
    });
});

describe('value lengths are those of str() under the column dtype, never raised', () => {
  for (const [key, outcome] of Object.entries(expected.lengths))
    it(`expect_column_value_lengths_to_be_between 1..3 on ${key}`, async () => {
      const result = await one(fileOf(key), {
        expectation: 'expect_column_value_lengths_to_be_between',
        column: columnOf(key),
        min_value: 1,
        max_value: 3,
        result_format: 'COMPLETE',
      });
      expectLike(result, outcome);
    });
});

describe('strftime and dateutil rules raise on values that are not strings', () => {
  for (const [key, outcome] of Object.entries(expected.strftime))
    it(`expect_column_values_to_match_strftime_format on ${key}`, async () => {
      const rule = { expectation: 'expect_column_values_to_match_strftime_format', column: columnOf(key), strftime_format: '%Y-%m-%d' };
      expectLike(await one(fileOf(key), { ...rule, result_format: 'COMPLETE' }), outcome);
    });
  for (const [key, outcome] of Object.entries(expected.dateutil))
    it(`expect_column_values_to_be_dateutil_parseable on ${key}`, async () => {
      const rule = { expectation: 'expect_column_values_to_be_dateutil_parseable', column: columnOf(key) };
      expectLike(await one(fileOf(key), { ...rule, result_format: 'COMPLETE' }), outcome);
    });
});

describe('min, max and between on Parquet timestamps and dates', () => {
  const max = (column: string, min_value: string | null, max_value: string | null) =>
    one(parquetPath, { expectation: 'expect_column_max_to_be_between', column, min_value, max_value });
  it('compares a timestamp column with dateutil-parsed bounds', async () => {
    expect((await max('ts', '2001-01-01', '2001-01-10')).success).toBe((expected.ts_max as Outcome).success);
    expect((await max('ts', '2001-01-01', '2001-01-03')).success).toBe((expected.ts_max_low as Outcome).success);
    const between = await one(parquetPath, {
      expectation: 'expect_column_values_to_be_between',
      column: 'ts',
      min_value: '2001-01-01 12:00',
      max_value: '2001-01-10',
      result_format: 'COMPLETE',
    });
    expectLike(between, expected.ts_between as Outcome);
  });
  it('raises on a DATE column (datetime.date objects) as pandas and GX do', async () => {
    expectLike(await max('day', '2001-01-01', '2001-01-10'), expected.day_max as Outcome);
    expectLike(await max('day', null, null), expected.day_max_unbounded as Outcome);
    expectLike(await max('day_full', '2001-01-01', '2001-01-10'), expected.day_full_max as Outcome);
    expect((await max('day_full', null, null)).success).toBe(true);
    const between = await one(parquetPath, {
      expectation: 'expect_column_values_to_be_between',
      column: 'day',
      min_value: '2001-01-01',
      max_value: '2001-01-10',
    });
    expectLike(between, expected.day_between as Outcome);
  });
});

describe('suggested type rules hold on the data they came from', () => {
  it('suggests str for the dates of a CSV, which pandas reads as text, and the CSV passes every suggested rule', async () => {
    const data = join(dir, 'suggest.csv');
    writeFileSync(data, 'id,day,ok,n\n1,2024-01-01,true,1.5\n2,2024-01-02,false,\n3,2024-01-03,true,2\n');
    const suggestions = await suggestRules(await openDataset([data], {}));
    const rules = suggestions.rules.map((r) => ({ expectation: r.expectation, ...r.kwargs }));
    expect(rules).toContainEqual({ expectation: 'expect_column_values_to_be_of_type', column: 'day', type_: 'str' });
    const result = await validate(data, rules);
    expect(result.results.filter((r) => !r.success).map((r) => r.expectation_config)).toEqual([]);
  });
});
