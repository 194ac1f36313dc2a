// The GX 1.x core expectations data-gate added, each judged as GX's metric judges it (file cited per test), and the
// rules GX raises on, reported as raised (exception_info.raised_exception: true) with the gate failing.
import { likeToRegex } from '../../../actions/data-gate/src/expectations/column-map-expectations.js';
import { csv, one, validate } from './gx-support.js';

describe('expect_column_value_z_scores_to_be_less_than', () => {
  // metrics/column_map_metrics/column_values_z_score.py: (column - column.mean) / column.standard_deviation (pandas
  // std, ddof=1); double_sided: |z| < |threshold|, else z < threshold. pandas on [1, 2, 3, 4, 100]: z of 100 is 1.788.
  const data = csv('z.csv', ['id,x', '1,1', '2,2', '3,3', '4,4', '5,100', '6,']);

  it('flags the value whose |z| reaches the threshold; nulls are left out', async () => {
    const r = await one(data, {
      expectation: 'expect_column_value_z_scores_to_be_less_than',
      column: 'x',
      threshold: 1.5,
      double_sided: true,
      result_format: 'COMPLETE',
    });
    expect(r.result).toMatchObject({
      element_count: 6,
      missing_count: 1,
      unexpected_count: 1,
      unexpected_index_list: [4],
      unexpected_list: [100],
    });
    const below = await one(data, {
      expectation: 'expect_column_value_z_scores_to_be_less_than',
      column: 'x',
      threshold: 1.79,
      double_sided: true,
    });
    expect(below.success).toBe(true);
  });

  it('one-sided: z < threshold', async () => {
    const r = await one(data, {
      expectation: 'expect_column_value_z_scores_to_be_less_than',
      column: 'x',
      threshold: 0,
      double_sided: false,
      result_format: 'COMPLETE',
    });
    expect(r.result.unexpected_index_list).toEqual([4]);
  });

  it('raises on text: "Cannot complete Z-score calculations on a non-numerical column."', async () => {
    const r = await one(csv('zt.csv', ['x', '1', 'two', '3']), {
      expectation: 'expect_column_value_z_scores_to_be_less_than',
      column: 'x',
      threshold: 3,
      double_sided: true,
    });
    expect(r.exception_info.exception_message).toBe('TypeError: Cannot complete Z-score calculations on a non-numerical column.');
  });
});

describe('expect_column_pair_values_to_be_in_set', () => {
  // metrics/column_pair_map_metrics/column_pair_values_in_set.py: (A, B) with NaN as None must be in value_pairs_set;
  // None set: vacuously true; ignore_row_if both_values_are_missing by default.
  const data = csv('pairs.csv', ['country,currency', 'FR,EUR', 'US,USD', 'FR,USD', ',', 'DE,']);

  it('lists the failing pairs as [A, B]', async () => {
    const r = await one(data, {
      expectation: 'expect_column_pair_values_to_be_in_set',
      column_A: 'country',
      column_B: 'currency',
      value_pairs_set: [
        ['FR', 'EUR'],
        ['US', 'USD'],
        ['DE', null],
      ],
      result_format: 'COMPLETE',
    });
    expect(r.result).toMatchObject({ element_count: 5, missing_count: 1, unexpected_count: 1, unexpected_list: [['FR', 'USD']] });
  });

  it('a null set holds', async () => {
    expect(
      (
        await one(data, {
          expectation: 'expect_column_pair_values_to_be_in_set',
          column_A: 'country',
          column_B: 'currency',
          value_pairs_set: null,
        })
      ).success,
    ).toBe(true);
  });
});

describe('expect_column_values_to_match_json_schema', () => {
  // metrics/column_map_metrics/column_values_match_json_schema.py: json.loads, then jsonschema.validate; a
  // ValidationError is an unexpected value, anything else (text that is not JSON) is raised.
  const schema = { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } };

  it('judges each value against the schema with ajv', async () => {
    const data = csv('json.csv', ['payload', '"{""id"": 1}"', '"{""id"": ""x""}"', '"{}"']);
    const r = await one(data, {
      expectation: 'expect_column_values_to_match_json_schema',
      column: 'payload',
      json_schema: schema,
      result_format: 'COMPLETE',
    });
    expect(r.result).toMatchObject({ unexpected_count: 2, unexpected_index_list: [1, 2] });
  });

  it('raises on a value that is not JSON', async () => {
    const r = await one(csv('notjson.csv', ['payload', '"{""id"": 1}"', 'nope']), {
      expectation: 'expect_column_values_to_match_json_schema',
      column: 'payload',
      json_schema: schema,
    });
    expect(r.exception_info.raised_exception).toBe(true);
    expect(r.exception_info.exception_message).toMatch(/^JSONDecodeError: /);
  });
});

describe('the SQL LIKE family', () => {
  // GX runs these on SQL engines only (metrics/column_map_metrics/column_values_match_like_pattern.py:
  // get_dialect_like_pattern_expression); data-gate applies SQL LIKE: % any run, _ one character, case-sensitive.
  const data = csv('like.csv', ['sku', 'AB-1', 'AB-22', 'ab-3', 'CD-4', 'A%B']);

  it('turns a pattern into an anchored regex', () => {
    expect(likeToRegex('AB-%')).toBe('(?s)^AB-.*$');
    expect(likeToRegex('a_c.d\\%')).toBe('(?s)^a.c\\.d%$');
  });

  it('match, not match, lists with match_on', async () => {
    const result = await validate(data, [
      { expectation: 'expect_column_values_to_match_like_pattern', column: 'sku', like_pattern: 'AB-%', result_format: 'COMPLETE' },
      { expectation: 'expect_column_values_to_not_match_like_pattern', column: 'sku', like_pattern: '__-_', result_format: 'COMPLETE' },
      {
        expectation: 'expect_column_values_to_match_like_pattern_list',
        column: 'sku',
        like_pattern_list: ['AB-%', 'CD-%'],
        result_format: 'COMPLETE',
      },
      {
        expectation: 'expect_column_values_to_match_like_pattern_list',
        column: 'sku',
        like_pattern_list: ['A%', '%B%'],
        match_on: 'all',
        result_format: 'COMPLETE',
      },
      {
        expectation: 'expect_column_values_to_not_match_like_pattern_list',
        column: 'sku',
        like_pattern_list: ['%\\%%'],
        result_format: 'COMPLETE',
      },
    ]);
    expect(result.results.map((r) => r.result.unexpected_list)).toEqual([
      ['ab-3', 'CD-4', 'A%B'],
      ['AB-1', 'ab-3', 'CD-4'],
      ['ab-3', 'A%B'],
      ['ab-3', 'CD-4'],
      ['A%B'],
    ]);
  });
});

describe('expect_table_row_count_to_equal_other_table', () => {
  // expectations/core/expect_table_row_count_to_equal_other_table.py: observed_value {self, other}.
  it('compares with another data file', async () => {
    const data = csv('self.csv', ['a', '1', '2', '3']);
    const other = csv('other.csv', ['b', 'x', 'y']);
    const r = await one(data, { expectation: 'expect_table_row_count_to_equal_other_table', other_table_name: other });
    expect(r.success).toBe(false);
    expect(r.result).toEqual({ observed_value: { self: 3, other: 2 } });
  });
});

describe('what GX raises, data-gate reports as raised', () => {
  it('a mean over text: pandas cannot average strings, so GX raises; the gate fails', async () => {
    const result = await validate(csv('text.csv', ['x', '1', 'two', '3']), [
      { expectation: 'expect_column_mean_to_be_between', column: 'x', min_value: 0, severity: 'warning' },
    ]);
    expect(result.results[0].exception_info.raised_exception).toBe(true);
    expect(result.results[0].success).toBe(false);
    expect(result.meta.data_gate.raised_rules).toEqual(['column_mean_to_be_between(x)']);
    // A raised rule fails the gate whatever its severity: GX could not judge it.
    expect(result.meta.data_gate.passed).toBe(false);
  });

  it('GX 0.x name expect_multicolumn_values_to_be_unique still runs (expectations/core/__init__.py registers it)', async () => {
    const r = await one(csv('mv.csv', ['a,b', '1,1', '1,2']), {
      expectation: 'expect_multicolumn_values_to_be_unique',
      column_list: ['a', 'b'],
      result_format: 'COMPLETE',
    });
    expect(r.result.unexpected_list).toEqual([{ a: 1, b: 1 }]);
  });
});

describe('type names as GX users write them (numpy and pandas spellings, expect_column_values_to_be_of_type.py)', () => {
  // read_csv makes n int64 and s object. GX resolves a name with np.dtype(name), else getattr(pd, name), plus Python's
  // own types (_validate_pandas, _native_type_type_map): a module prefix such as "np." resolves to nothing, so it
  // matches no dtype, and on an object column (judged value by value) GX raises "Unrecognized numpy/python type".
  // More names and dtypes against pandas itself: gx-dtypes.test.ts.
  const data = csv('types.csv', ['n,s', '1,a', '2,b']);

  it.each([
    ['n', 'int64', true],
    ['n', 'int_', true],
    ['n', 'np.int64', false],
    ['n', 'numpy.float64', false],
    ['n', 'str_', false],
    ['s', 'object_', true],
    ['s', 'O', true],
    ['s', 'str', true],
  ])('column %s of type %s: %s', async (column, type_, success) => {
    const r = await one(data, { expectation: 'expect_column_values_to_be_of_type', column, type_ });
    expect(r.exception_info.raised_exception).toBe(false);
    expect(r.success).toBe(success);
  });

  it('raises on an object column for a name numpy, pandas and Python do not know', async () => {
    const r = await one(data, { expectation: 'expect_column_values_to_be_of_type', column: 's', type_: 'pd.StringDtype' });
    expect(r.exception_info).toMatchObject({
      raised_exception: true,
      exception_message: 'ValueError: Unrecognized numpy/python type: pd.StringDtype',
    });
  });

  it('in_type_list compares the dtype with each name it recognizes', async () => {
    const list = (type_list: string[]) => one(data, { expectation: 'expect_column_values_to_be_in_type_list', column: 'n', type_list });
    expect((await list(['float32', 'int64'])).success).toBe(true);
    expect((await list(['np.float32', 'pd.Int64Dtype'])).success).toBe(false);
  });
});
