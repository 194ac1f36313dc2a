// GX's conditional expectations (docs: docs/docusaurus/docs/core/customize_expectations/expectation_row_conditions.md;
// parser: great_expectations/expectations/row_conditions.py; pandas: PandasExecutionEngine.get_domain_records runs
// DataFrame.query(row_condition)). The rule sees only the rows where the condition holds: element_count counts those,
// row indices stay the dataset's. Expected counts were computed with pandas' DataFrame.query on the same CSV.
import { readFileSync } from 'node:fs';
import { parseGxSuite } from '../../../actions/data-gate/src/rules/parse-gx-suite.js';
import { parseRowCondition, RowConditionError } from '../../../actions/data-gate/src/rules/row-condition.js';
import { validateDataset } from '../../../actions/data-gate/src/validate/validate-dataset.js';
import { csv, one, validate } from './gx-support.js';

const flightsCsv = new URL('../../fixtures/data-gate/gx/flights.csv', import.meta.url).pathname;
const data = csv('cond.csv', [
  'carrier,dep_delay,status,dest',
  'AA,5,on_time,LAX',
  'AA,125,delayed,SFO',
  'DL,-3,on_time,JFK',
  'DL,,cancelled,LAX',
  'UA,40,delayed,JFK',
  'UA,0,,SFO',
  'AA,2000,delayed,JFK',
  'DL,12,on_time,ATL',
]);

describe('parsing', () => {
  it('reads GX syntax: col("x") comparisons, notnull, isin, joined with & | ~', () => {
    expect(parseRowCondition('col("a") > 5', 'great_expectations')).toEqual({ kind: 'compare', column: 'a', op: '>', value: 5 });
    expect(parseRowCondition('col("d") <= date("2023-03-13")', 'great_expectations')).toEqual({
      kind: 'compare',
      column: 'd',
      op: '<=',
      value: { date: '2023-03-13' },
    });
    expect(parseRowCondition('col("a").notnull() & ~(col("b") == "x" | col("c").isin([1, 2]))', 'great_expectations')).toEqual({
      kind: 'and',
      left: { kind: 'null', column: 'a', isNull: false },
      right: {
        kind: 'not',
        operand: {
          kind: 'or',
          left: { kind: 'compare', column: 'b', op: '==', value: 'x' },
          right: { kind: 'in', column: 'c', values: [1, 2], negated: false },
        },
      },
    });
  });

  it('reads the pandas query subset: names, `quoted names`, in / not in, and / or / not', () => {
    expect(parseRowCondition('`foo foo`=="bar bar" and x not in ["a", "b"] or not y.isnull()', 'pandas')).toEqual({
      kind: 'or',
      left: {
        kind: 'and',
        left: { kind: 'compare', column: 'foo foo', op: '==', value: 'bar bar' },
        right: { kind: 'in', column: 'x', values: ['a', 'b'], negated: true },
      },
      right: { kind: 'not', operand: { kind: 'null', column: 'y', isNull: true } },
    });
  });

  it.each([
    ['foo==@bar', 'pandas', /@variables are not supported/],
    ['a + 1 > 2', 'pandas', /'\+ 1'|'\+'|not part of the supported syntax|expected a comparison/],
    ['1 < a < 3', 'pandas', /expected a column name|comparing two columns/],
    ['a > b', 'pandas', /comparing two columns is not supported/],
    ['col("a").str.len() > 1', 'great_expectations', /the method is not supported/],
    ['a > 1', 'great_expectations', /expected col\("column"\)/],
  ] as const)('refuses %s, naming the construct', (text, parser, reason) => {
    expect(() => parseRowCondition(text, parser)).toThrow(RowConditionError);
    expect(() => parseRowCondition(text, parser)).toThrow(reason);
  });

  it('names the rule and the construct when the rules load', () => {
    const suite = {
      name: 's',
      expectations: [
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'a', row_condition: 'b > @x', condition_parser: 'pandas' } },
      ],
    };
    expect(() => parseGxSuite(JSON.stringify(suite), 's.json')).toThrow(
      /expectation 1 \(expect_column_values_to_not_be_null\): 'row_condition' 'b > @x' \(pandas syntax\) is not supported: .*@variables/,
    );
  });
});

describe('evaluation in the streaming pass', () => {
  it('a map rule judges only the rows the condition keeps; indices are the dataset rows', async () => {
    // pandas: df.query('status != "cancelled"') keeps 7 rows (NaN != "cancelled" is True); dep_delay <= 180 fails row 6.
    const r = await one(data, {
      expectation: 'expect_column_values_to_be_between',
      column: 'dep_delay',
      max_value: 180,
      min_value: null,
      row_condition: 'col("status") != "cancelled"',
      condition_parser: 'great_expectations',
      result_format: 'COMPLETE',
    });
    expect(r.result).toMatchObject({
      element_count: 7,
      missing_count: 0,
      unexpected_count: 1,
      unexpected_index_list: [6],
      unexpected_list: [2000],
    });
    expect(r.meta.failing_rows[0]).toMatchObject({ row: 6, line: 8 });
  });

  it('pandas syntax with in, and, notnull', async () => {
    // df.query('carrier in ["AA", "UA"] and status.notnull()') keeps rows 0, 1, 4, 6 (row 5's status is NaN).
    const r = await one(data, {
      expectation: 'expect_column_values_to_be_in_set',
      column: 'dest',
      value_set: ['LAX', 'JFK'],
      row_condition: 'carrier in ["AA", "UA"] and status.notnull()',
      condition_parser: 'pandas',
      result_format: 'COMPLETE',
    });
    expect(r.result).toMatchObject({ element_count: 4, unexpected_count: 1, unexpected_index_list: [1], unexpected_list: ['SFO'] });
  });

  it('aggregates and table rules see the kept rows too', async () => {
    const result = await validate(data, [
      { expectation: 'expect_column_mean_to_be_between', column: 'dep_delay', min_value: 0, row_condition: 'carrier == "DL"' },
      { expectation: 'expect_table_row_count_to_equal', value: 3, row_condition: 'col("carrier") == "AA"' },
      {
        expectation: 'expect_column_values_to_be_unique',
        column: 'dest',
        row_condition: 'col("status") == "delayed"',
        result_format: 'COMPLETE',
      },
    ]);
    // DL rows: -3, NaN, 12: mean 4.5.
    expect(result.results[0].result.observed_value).toBe(4.5);
    expect(result.results[1].success).toBe(true);
    expect(result.results[1].result.observed_value).toBe(3);
    // delayed rows 1, 4, 6: SFO, JFK, JFK: the two JFKs are duplicates.
    expect(result.results[2].result).toMatchObject({ element_count: 3, unexpected_index_list: [4, 6], unexpected_list: ['JFK', 'JFK'] });
  });

  it('numbers compare as numbers; a null is never equal, less or greater (only != holds)', async () => {
    const r = await one(data, {
      expectation: 'expect_column_values_to_not_be_null',
      column: 'status',
      row_condition: 'dep_delay >= 0',
      result_format: 'COMPLETE',
    });
    // rows with dep_delay >= 0: 0, 1, 4, 5, 6, 7 (row 3 is NaN, row 2 is -3); row 5's status is null.
    expect(r.result).toMatchObject({ element_count: 6, unexpected_count: 1, unexpected_index_list: [5] });
  });

  it('runs the GX-saved flights suite with Infinity and row_condition', async () => {
    const file = new URL('../../fixtures/data-gate/gx/flights.gx-1.x.json', import.meta.url).pathname;
    const ruleSet = parseGxSuite(readFileSync(file, 'utf8'), file);
    const { result } = await validateDataset({ data: [flightsCsv], ruleSet, failOn: 'error', budgetBytes: 64 << 20, threads: 1 });
    // status != "cancelled": 7 rows, dep_delay in [-inf, 180]: 2000 fails (row 6).
    expect(result.results[1].result).toMatchObject({ element_count: 7, unexpected_count: 1, partial_unexpected_index_list: [6] });
    // carrier == "DL": rows 2, 3, 7; dest JFK, LAX, ATL all in the set.
    expect(result.results[2].result).toMatchObject({ element_count: 3, unexpected_count: 0 });
    expect(result.results[3].success).toBe(true);
  });
});
