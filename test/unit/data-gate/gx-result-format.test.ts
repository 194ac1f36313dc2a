// result_format exactly as GX 1.x's _format_map_output builds it (great_expectations/expectations/expectation.py):
// BOOLEAN_ONLY no result; BASIC counts and partial_unexpected_list; SUMMARY (GX 1.x's default, core/result_format.py)
// adds partial_unexpected_counts and partial_unexpected_index_list; COMPLETE adds unexpected_list and
// unexpected_index_list. partial_unexpected_count defaults to 20 (expectation_configuration.py, parse_result_format).
// Multicolumn rules list one object per failing row with every listed column; pair rules [A, B] pairs.
import { csv, one, validate } from './gx-support.js';

const many = csv('many.csv', ['code', ...Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? 'ok' : `bad${i % 3}`))]);
const rule = { expectation: 'expect_column_values_to_be_in_set', column: 'code', value_set: ['ok'] };

describe('result_format', () => {
  it('SUMMARY by default: 20 partial values, their counts sorted by (-count, value), their row indices', async () => {
    const r = await one(many, rule);
    expect(Object.keys(r.result).sort()).toEqual(
      [
        'element_count',
        'missing_count',
        'missing_percent',
        'partial_unexpected_counts',
        'partial_unexpected_index_list',
        'partial_unexpected_list',
        'unexpected_count',
        'unexpected_percent',
        'unexpected_percent_nonmissing',
        'unexpected_percent_total',
      ].sort(),
    );
    expect(r.result.unexpected_count).toBe(40);
    expect(r.result.partial_unexpected_list).toHaveLength(20);
    expect(r.result.partial_unexpected_index_list).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14, 16, 17, 18, 19, 21, 22, 23, 24]);
    // Counter(first 20 values).most_common(20), sorted by (-count, value): checked with Python's collections.Counter.
    expect(r.result.partial_unexpected_counts).toEqual([
      { value: 'bad0', count: 7 },
      { value: 'bad1', count: 7 },
      { value: 'bad2', count: 6 },
    ]);
  });

  it('BASIC: counts and at most 20 values, no index lists (the 2,572-value list of the issue is cut to 20)', async () => {
    const r = await one(many, { ...rule, result_format: 'BASIC' });
    expect(r.result.partial_unexpected_list).toHaveLength(20);
    expect(r.result).not.toHaveProperty('partial_unexpected_counts');
    expect(r.result).not.toHaveProperty('unexpected_list');
    expect(r.result).not.toHaveProperty('unexpected_index_list');
  });

  it('COMPLETE: every value and index', async () => {
    const r = await one(many, { ...rule, result_format: 'COMPLETE' });
    expect(r.result.unexpected_list).toHaveLength(40);
    expect(r.result.unexpected_index_list).toHaveLength(40);
  });

  it('BOOLEAN_ONLY: success only', async () => {
    const r = await one(many, { ...rule, result_format: 'BOOLEAN_ONLY' });
    expect(r.success).toBe(false);
    expect(r.result).toEqual({});
  });

  it('the object form sets partial_unexpected_count; 0 leaves out the counts', async () => {
    const r = await one(many, { ...rule, result_format: { result_format: 'SUMMARY', partial_unexpected_count: 3 } });
    expect(r.result.partial_unexpected_list).toEqual(['bad1', 'bad2', 'bad0']);
    expect(r.result.partial_unexpected_counts).toEqual([
      { value: 'bad0', count: 1 },
      { value: 'bad1', count: 1 },
      { value: 'bad2', count: 1 },
    ]);
    expect(r.result.partial_unexpected_index_list).toEqual([1, 2, 3]);
    const none = await one(many, { ...rule, result_format: { result_format: 'SUMMARY', partial_unexpected_count: 0 } });
    expect(none.result.partial_unexpected_list).toEqual([]);
    expect(none.result).not.toHaveProperty('partial_unexpected_counts');
  });

  it('a rules file sets a result_format for all its rules; a rule sets its own', async () => {
    const result = await validate(many, [rule, { ...rule, result_format: 'COMPLETE' }], { result_format: 'BOOLEAN_ONLY' });
    expect(result.results[0].result).toEqual({});
    expect(result.results[1].result.unexpected_list).toHaveLength(40);
  });

  it('not_be_null counts every row: GX passes nonnull_count=None, so no missing keys (expect_column_values_to_not_be_null.py)', async () => {
    const data = csv('nulls.csv', ['id,a', '1,1', '2,', '3,3', '4,']);
    const r = await one(data, { expectation: 'expect_column_values_to_not_be_null', column: 'a', result_format: 'BASIC' });
    expect(r.result).toEqual({ element_count: 4, unexpected_count: 2, unexpected_percent: 50, partial_unexpected_list: [null, null] });
  });

  it('aggregate rules give observed_value (and details), as their GX _validate does', async () => {
    const r = await one(csv('agg.csv', ['x', '1', '2', '3']), {
      expectation: 'expect_column_mean_to_be_between',
      column: 'x',
      min_value: 0,
    });
    expect(r.result).toEqual({ observed_value: 2 });
    expect(r.meta.element_count).toBe(3);
  });
});

describe('multi-column result shapes', () => {
  const data = csv('multi.csv', ['a,b,c', '1,2,3', '4,5,1', '4,6,1', '7,7,8', '9,1,0']);

  it('compound columns: one object per failing row with every listed column (GX unexpected_list of dicts)', async () => {
    const r = await one(data, { expectation: 'expect_compound_columns_to_be_unique', column_list: ['a', 'c'], result_format: 'COMPLETE' });
    expect(r.result.unexpected_list).toEqual([
      { a: 4, c: 1 },
      { a: 4, c: 1 },
    ]);
    expect(r.result.unexpected_index_list).toEqual([1, 2]);
    // SUMMARY counts dicts as tuples of their values (_format_map_output flattens them).
    expect(r.result.partial_unexpected_counts).toEqual([{ value: [4, 1], count: 2 }]);
  });

  it('multicolumn sum and unique within record: records of every listed column', async () => {
    const sum = await one(data, {
      expectation: 'expect_multicolumn_sum_to_equal',
      column_list: ['a', 'b', 'c'],
      sum_total: 10,
      result_format: 'COMPLETE',
    });
    expect(sum.result.unexpected_list).toEqual([
      { a: 1, b: 2, c: 3 },
      { a: 4, b: 6, c: 1 },
      { a: 7, b: 7, c: 8 },
    ]);
    const within = await one(data, {
      expectation: 'expect_select_column_values_to_be_unique_within_record',
      column_list: ['a', 'b'],
      result_format: 'COMPLETE',
    });
    expect(within.result.unexpected_list).toEqual([{ a: 7, b: 7 }]);
  });

  it('column pairs: [A, B] pairs', async () => {
    const r = await one(data, {
      expectation: 'expect_column_pair_values_a_to_be_greater_than_b',
      column_A: 'a',
      column_B: 'b',
      result_format: 'COMPLETE',
    });
    expect(r.result.unexpected_list).toEqual([
      [1, 2],
      [4, 5],
      [4, 6],
      [7, 7],
    ]);
  });
});

describe('include_unexpected_rows: whole failing rows', () => {
  // _format_map_output: with result_format.include_unexpected_rows, result.unexpected_rows holds the first
  // partial_unexpected_count failing rows with every column (GX: unexpected_rows.head(partial_unexpected_count)).
  const data = csv('whole.csv', ['id,amount,note', '1,5,fine', '2,-1,refund', '3,7,', '4,-9,chargeback']);

  it('lists every column of the failing rows, in the result and the summary rows', async () => {
    const r = await one(data, {
      expectation: 'expect_column_values_to_be_between',
      column: 'amount',
      min_value: 0,
      result_format: { result_format: 'SUMMARY', include_unexpected_rows: true, partial_unexpected_count: 1 },
    });
    expect(r.result.unexpected_rows).toEqual([{ id: '2', amount: '-1', note: 'refund' }]);
    expect(r.meta.failing_rows.map((row) => row.whole_row)).toEqual([{ id: '2', amount: '-1', note: 'refund' }, undefined]);
  });
});
