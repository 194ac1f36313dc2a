// Vacuous truth and reversed bounds as Great Expectations 1.x has them; each case cites the GX code that decides it.
import { csv, one } from './gx-support.js';

const data = csv('vacuous.csv', ['id,amount,name,grade', '1,10,ann,A', '2,20,bo,B', '3,,cyd,A', '4,40,dee,C']);

const holds = async (rule: Record<string, unknown>) => {
  const r = await one(data, rule);
  expect(r.exception_info.raised_exception).toBe(false);
  return r;
};

describe('min_value and max_value both null', () => {
  // Expectation._validate_metric_value_between (great_expectations/expectations/expectation.py): a bound that is
  // None is no bound, so with neither the rule holds on any non-null observed value.
  it.each([
    'expect_column_mean_to_be_between',
    'expect_column_stdev_to_be_between',
    'expect_column_median_to_be_between',
    'expect_column_min_to_be_between',
    'expect_column_sum_to_be_between',
    'expect_column_unique_value_count_to_be_between',
    'expect_column_proportion_of_unique_values_to_be_between',
  ])('%s holds', async (expectation) => {
    const r = await holds({ expectation, column: 'amount', min_value: null, max_value: null });
    expect(r.success).toBe(true);
  });

  it.each(['expect_table_row_count_to_be_between', 'expect_table_column_count_to_be_between'])('%s holds', async (expectation) => {
    expect((await holds({ expectation, min_value: null, max_value: null })).success).toBe(true);
    expect((await holds({ expectation })).success).toBe(true);
  });

  it('expect_column_values_to_be_between raises as GX does while validating (metrics/column_map_metrics/column_values_between.py)', async () => {
    const r = await one(data, { expectation: 'expect_column_values_to_be_between', column: 'amount' });
    expect(r.success).toBe(false);
    expect(r.exception_info).toEqual({
      raised_exception: true,
      exception_message: 'ValueError: min_value and max_value cannot both be None',
      exception_traceback: null,
    });
    expect(r.result).toEqual({});
  });

  it('expect_column_value_lengths_to_be_between raises "Invalid configuration" (metrics/column_map_metrics/column_value_lengths.py, _pandas)', async () => {
    const r = await one(data, { expectation: 'expect_column_value_lengths_to_be_between', column: 'name', min_value: null });
    expect(r.exception_info.exception_message).toBe('ValueError: Invalid configuration');
  });
});

describe('min_value greater than max_value', () => {
  it('fails a length rule: every length is judged against the bounds as written (column_value_lengths.py, _pandas)', async () => {
    const r = await holds({ expectation: 'expect_column_value_lengths_to_be_between', column: 'name', min_value: 5, max_value: 1 });
    expect(r.success).toBe(false);
    expect(r.result.unexpected_count).toBe(4);
  });

  it('fails an aggregate rule (_validate_metric_value_between: min <= observed <= max is false)', async () => {
    const r = await holds({ expectation: 'expect_column_mean_to_be_between', column: 'amount', min_value: 50, max_value: 10 });
    expect(r.success).toBe(false);
    expect(r.result.observed_value).toBeCloseTo(70 / 3, 12);
  });

  it('raises for expect_column_values_to_be_between ("min_value cannot be greater than max_value")', async () => {
    const r = await one(data, { expectation: 'expect_column_values_to_be_between', column: 'amount', min_value: 50, max_value: 10 });
    expect(r.exception_info.exception_message).toBe('ValueError: min_value cannot be greater than max_value');
  });
});

describe('null sets and lists', () => {
  it('a null value_set holds: "if value_set is None: # Vacuously true" (metrics/column_map_metrics/column_values_in_set.py)', async () => {
    expect((await holds({ expectation: 'expect_column_values_to_be_in_set', column: 'grade', value_set: null })).success).toBe(true);
    expect((await holds({ expectation: 'expect_column_values_to_not_be_in_set', column: 'grade', value_set: null })).success).toBe(true);
    expect((await holds({ expectation: 'expect_column_distinct_values_to_be_in_set', column: 'grade', value_set: null })).success).toBe(
      true,
    );
    // to_be_in_set takes `value_set or []`; an empty set holds too (expect_column_distinct_values_to_be_in_set.py).
    expect((await holds({ expectation: 'expect_column_distinct_values_to_be_in_set', column: 'grade', value_set: [] })).success).toBe(true);
  });

  it('distinct values equal/contain a null set raise: set(None) (expect_column_distinct_values_to_equal_set.py)', async () => {
    const r = await one(data, { expectation: 'expect_column_distinct_values_to_equal_set', column: 'grade', value_set: null });
    expect(r.exception_info.exception_message).toBe("TypeError: 'NoneType' object is not iterable");
  });

  it('a null column_list holds; a null column_set is the empty set (expect_table_columns_to_match_*.py, _validate)', async () => {
    expect((await holds({ expectation: 'expect_table_columns_to_match_ordered_list', column_list: null })).success).toBe(true);
    expect((await holds({ expectation: 'expect_table_columns_to_match_set', column_set: null, exact_match: false })).success).toBe(true);
    const exact = await holds({ expectation: 'expect_table_columns_to_match_set', column_set: null });
    expect(exact.success).toBe(false);
    expect(exact.result).toEqual({
      observed_value: ['amount', 'grade', 'id', 'name'],
      details: { mismatched: { unexpected: ['amount', 'grade', 'id', 'name'] } },
    });
  });

  it('a null inside a value set is a value no cell equals: equal_set and contain_set fail, in_set holds', async () => {
    const set = ['A', 'B', 'C', null];
    expect((await holds({ expectation: 'expect_column_distinct_values_to_be_in_set', column: 'grade', value_set: set })).success).toBe(
      true,
    );
    expect((await holds({ expectation: 'expect_column_distinct_values_to_equal_set', column: 'grade', value_set: set })).success).toBe(
      false,
    );
    expect((await holds({ expectation: 'expect_column_distinct_values_to_contain_set', column: 'grade', value_set: set })).success).toBe(
      false,
    );
    expect((await holds({ expectation: 'expect_column_values_to_be_in_set', column: 'grade', value_set: set })).success).toBe(true);
  });
});

describe('regexes', () => {
  it('an empty regex matches every value: re.search("", s) always finds (metrics/column_map_metrics/column_values_match_regex.py)', async () => {
    const r = await holds({ expectation: 'expect_column_values_to_match_regex', column: 'name', regex: '' });
    expect(r.success).toBe(true);
    expect(r.result.unexpected_count).toBe(0);
    expect(
      (await holds({ expectation: 'expect_column_values_to_not_match_regex', column: 'name', regex: '' })).result.unexpected_count,
    ).toBe(4);
  });
});
