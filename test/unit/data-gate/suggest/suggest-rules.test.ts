import { UserError } from '#shared/errors.js';
import { openDataset } from '#shared/data/index.js';
import {
  suggestRules,
  type SuggestOptions,
  type SuggestedRule,
  type Suggestions,
} from '../../../../actions/data-gate/src/suggest/suggest-rules.js';
import { rejection, tempFolder } from '../../data/temp-files.js';
import { readProfiledData, ruleFailure } from './self-check.js';

const folder = tempFolder();
afterAll(() => folder.remove());

/** A small deterministic random source, so generated data is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** 400 loan applications with a key, amounts, rates, grades, free-text notes, flags, dates and some gaps. */
function loansCsv(): string {
  const random = seeded(7);
  const lines = ['loan_id,amount,rate,balance,grade,note,approved,applied,branch_code,score,referrer'];
  const words = ['steady', 'income', 'renting', 'owns', 'home', 'second', 'car', 'student', 'debt', 'consolidation'];
  for (let i = 0; i < 400; i++) {
    const note = Array.from({ length: 3 + Math.floor(random() * 6) }, () => words[Math.floor(random() * words.length)]).join(' ');
    const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
    const month = String(1 + Math.floor(random() * 6)).padStart(2, '0');
    lines.push(
      [
        `L${String(i).padStart(5, '0')}`,
        1000 + Math.floor(random() * 49000),
        (0.02 + random() * 0.2).toFixed(4),
        (-500 + random() * 3000).toFixed(2),
        'ABCDE'[Math.floor(random() * 5)],
        i % 10 === 3 ? '' : `"${note}"`,
        random() < 0.7 ? 'true' : 'false',
        `2024-${month}-${day}`,
        `BR-${Math.floor(random() * 40)}`,
        i % 25 === 0 ? 'NA' : Math.floor(random() * 900),
        i % 2 === 0 ? '' : `agent ${i % 7}`,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

async function suggestFor(csv: string, options?: SuggestOptions, name = 'data.csv'): Promise<Suggestions> {
  return suggestRules(await openDataset(folder.write(name, csv)), options);
}

function rulesFor(suggestions: Suggestions, column: string): SuggestedRule[] {
  return suggestions.rules.filter((rule) => rule.kwargs.column === column);
}

function ruleOf(suggestions: Suggestions, column: string, expectation: string): SuggestedRule | undefined {
  return rulesFor(suggestions, column).find((rule) => rule.expectation === expectation);
}

describe('suggesting rules from a trusted dataset', () => {
  it.each<[string, SuggestOptions | undefined]>([
    ['the default options', undefined],
    ['small value sets and no range margin', { maxSetSize: 3, rangeMargin: 0 }],
    ['a wide margin and a tiny exact-distinct budget', { rangeMargin: 2, exactDistinctBudget: 50 }],
  ])('the profiled data passes every rule suggested from it, with %s', async (_, options) => {
    const dataset = await openDataset(folder.write('loans.csv', loansCsv()));
    const suggestions = await suggestRules(dataset, options);
    const data = await readProfiledData(dataset);
    expect(suggestions.rows).toBe(400);
    expect(suggestions.rules.length).toBeGreaterThan(20);
    const failures = suggestions.rules
      .map((rule) => [rule.expectation, rule.kwargs.column, ruleFailure(rule, data)])
      .filter(([, , why]) => why);
    expect(failures).toEqual([]);
  });

  it('the direct check used above does catch rules the data breaks', async () => {
    const dataset = await openDataset(folder.write('small.csv', 'id,amount,grade,note\n1,10.5,A,ab\n1,20,B,\n2,30,A,abcd\n'));
    const data = await readProfiledData(dataset);
    const broken: SuggestedRule[] = [
      { expectation: 'expect_table_row_count_to_be_between', kwargs: { min_value: 4, max_value: 8 } },
      { expectation: 'expect_table_columns_to_match_ordered_list', kwargs: { column_list: ['id', 'grade', 'amount', 'note'] } },
      { expectation: 'expect_column_values_to_not_be_null', kwargs: { column: 'note', mostly: 0.7 } },
      { expectation: 'expect_column_values_to_be_unique', kwargs: { column: 'id' } },
      { expectation: 'expect_column_values_to_be_in_set', kwargs: { column: 'grade', value_set: ['A'] } },
      { expectation: 'expect_column_values_to_be_between', kwargs: { column: 'amount', min_value: 11, max_value: 30 } },
      { expectation: 'expect_column_values_to_be_of_type', kwargs: { column: 'amount', type_: 'int64' } },
      { expectation: 'expect_column_values_to_be_in_type_list', kwargs: { column: 'grade', type_list: ['int64', 'bool'] } },
      { expectation: 'expect_column_value_lengths_to_be_between', kwargs: { column: 'note', min_value: 3, max_value: 4 } },
    ].map((rule) => ({ ...rule, severity: 'error', why: 'broken on purpose' }));
    for (const rule of broken) expect([rule.expectation, ruleFailure(rule, data)]).toEqual([rule.expectation, expect.any(String)]);
  });

  it('bounds the row count around what was profiled and pins the columns in their order', async () => {
    const suggestions = await suggestFor('a,b\n1,x\n2,y\n3,z\n');
    expect(suggestions.rules.slice(0, 2)).toEqual([
      expect.objectContaining({
        expectation: 'expect_table_row_count_to_be_between',
        kwargs: { min_value: 1, max_value: 6 },
        severity: 'warning',
      }),
      expect.objectContaining({
        expectation: 'expect_table_columns_to_match_ordered_list',
        kwargs: { column_list: ['a', 'b'] },
        severity: 'error',
      }),
    ]);
    expect(suggestions.rules[0].why).toMatch(/half and twice/);
    expect(suggestions.columnTypes).toEqual({ a: 'numerical', b: 'categorical' });
  });

  it('names pandas dtypes for each column type, allowing float64 for whole numbers with gaps', async () => {
    const csv = [
      'count,gappy_count,price,flag,gappy_flag,day,label',
      '1,1,1.5,true,true,2024-01-01,x',
      '2,,2.25,false,,2024-01-02,y',
      '3,3,3,true,false,2024-01-03,x',
    ].join('\n');
    const suggestions = await suggestFor(csv);
    const typeOf = (column: string) => {
      const rule = rulesFor(suggestions, column)[0];
      return [rule.expectation.replace('expect_column_values_to_be_', ''), rule.kwargs.type_ ?? rule.kwargs.type_list, rule.severity];
    };
    expect(typeOf('count')).toEqual(['of_type', 'int64', 'error']);
    expect(typeOf('gappy_count')).toEqual(['in_type_list', ['Int64', 'float64'], 'error']);
    expect(typeOf('price')).toEqual(['of_type', 'float64', 'error']);
    expect(typeOf('flag')).toEqual(['of_type', 'bool', 'error']);
    expect(typeOf('gappy_flag')).toEqual(['in_type_list', ['bool', 'boolean'], 'error']);
    // read_csv keeps dates as the strings written (object dtype), so GX checks each value is a str.
    expect(typeOf('day')).toEqual(['of_type', 'str', 'error']);
    expect(typeOf('label')).toEqual(['of_type', 'str', 'error']);
  });

  describe('completeness', () => {
    // A second, complete column keeps rows with an empty 'v' from being blank lines.
    const column = (present: number, rows: number) =>
      ['k,v', ...Array.from({ length: rows }, (_, i) => `${i},${i < present ? i : ''}`)].join('\n');
    const notNull = async (present: number, rows: number) =>
      ruleOf(await suggestFor(column(present, rows)), 'v', 'expect_column_values_to_not_be_null');

    it('requires values where none was missing, as an error', async () => {
      expect(await notNull(50, 50)).toEqual(expect.objectContaining({ kwargs: { column: 'v' }, severity: 'error' }));
    });

    it('keeps a nearly complete column nearly complete with mostly rounded down, as a warning', async () => {
      const rule = await notNull(29, 30); // 96.67% present
      expect(rule).toEqual(expect.objectContaining({ kwargs: { column: 'v', mostly: 0.966 }, severity: 'warning' }));
      expect(rule?.why).toMatch(/96\.66% of values were present \(29 of 30\)/);
      expect((await notNull(900, 1000))?.kwargs.mostly).toBe(0.9);
    });

    it('says nothing about gaps in a column less than 90% complete', async () => {
      expect(await notNull(89, 100)).toBeUndefined();
    });

    it('suggests nothing for a column that was always empty', async () => {
      const suggestions = await suggestFor('id,empty\n1,\n2,\n3,\n');
      expect(rulesFor(suggestions, 'empty')).toEqual([]);
    });
  });

  describe('ranges', () => {
    const between = async (values: (number | string)[], options?: SuggestOptions) =>
      ruleOf(await suggestFor(`v\n${values.join('\n')}\n`, options), 'v', 'expect_column_values_to_be_between')?.kwargs;

    it('widens whole numbers by 10% of the span into whole-number bounds', async () => {
      expect(await between([120, 150, 220])).toEqual({ column: 'v', min_value: 110, max_value: 230 });
    });

    it('never crosses 0 into negative numbers when no value was negative', async () => {
      const suggestions = await suggestFor('v\n0\n3\n100\n');
      const rule = ruleOf(suggestions, 'v', 'expect_column_values_to_be_between');
      expect(rule?.kwargs).toEqual({ column: 'v', min_value: 0, max_value: 110 });
      expect(rule?.why).toMatch(/NonNegativeNumbersRule/);
    });

    it('lets negative data extend below its minimum', async () => {
      expect(await between([-20, 0, 80])).toEqual({ column: 'v', min_value: -30, max_value: 90 });
    });

    it('rounds fractional bounds outward to the power of ten of the margin', async () => {
      expect(await between([1.0213, 1.1187, 1.2195])).toEqual({ column: 'v', min_value: 1, max_value: 1.24 });
      expect(await between([-3.14159, 2.71828])).toEqual({ column: 'v', min_value: -3.8, max_value: 3.4 });
    });

    it('uses the observed extremes exactly with no margin', async () => {
      expect(await between([0.0213, 0.1187, 0.2195], { rangeMargin: 0 })).toEqual({ column: 'v', min_value: 0.0213, max_value: 0.2195 });
    });

    it('gives datetime bounds as ISO dates, whole days when the margin is a day or more', async () => {
      expect(await between(['2024-01-11', '2024-03-01', '2024-04-20'])).toEqual({
        column: 'v',
        min_value: '2024-01-01',
        max_value: '2024-04-30',
      });
      expect(await between(['2024-01-11T10:00:00Z', '2024-01-11T12:00:00Z'])).toEqual({
        column: 'v',
        min_value: '2024-01-11T09:48:00.000Z',
        max_value: '2024-01-11T12:12:00.000Z',
      });
    });

    it('suggests no range when the data holds infinity', async () => {
      expect(await between([1, 'inf', 3])).toBeUndefined();
    });
  });

  describe('value sets', () => {
    const grades = (n: number, labels: string) => `grade\n${Array.from({ length: n }, (_, i) => labels[i % labels.length]).join('\n')}\n`;

    it('lists the values of a low-cardinality column, sorted, as a warning', async () => {
      const rule = ruleOf(await suggestFor(grades(40, 'CABED')), 'grade', 'expect_column_values_to_be_in_set');
      expect(rule).toEqual(
        expect.objectContaining({ kwargs: { column: 'grade', value_set: ['A', 'B', 'C', 'D', 'E'] }, severity: 'warning' }),
      );
      expect(rule?.why).toMatch(/5 distinct values in 40 .*CategoricalRangeRule/);
    });

    it('lists no values past maxSetSize', async () => {
      const suggestions = await suggestFor(grades(40, 'CABED'), { maxSetSize: 4 });
      expect(ruleOf(suggestions, 'grade', 'expect_column_values_to_be_in_set')).toBeUndefined();
      expect(ruleOf(suggestions, 'grade', 'expect_column_value_lengths_to_be_between')?.kwargs).toEqual({
        column: 'grade',
        min_value: 1,
        max_value: 1,
      });
    });

    it('lists no values that were mostly seen once', async () => {
      expect(ruleOf(await suggestFor(grades(6, 'ABCDE')), 'grade', 'expect_column_values_to_be_in_set')).toBeUndefined();
    });

    it('keeps a boolean column that was always false to false, but adds nothing when both values occur', async () => {
      const suggestions = await suggestFor('always_false,either\nfalse,true\nfalse,false\nfalse,true\n');
      expect(ruleOf(suggestions, 'always_false', 'expect_column_values_to_be_in_set')?.kwargs.value_set).toEqual([false]);
      expect(ruleOf(suggestions, 'either', 'expect_column_values_to_be_in_set')).toBeUndefined();
    });
  });

  describe('uniqueness', () => {
    const ids = (n: number, make: (i: number) => string | number) => Array.from({ length: n }, (_, i) => make(i));
    const csvOf = (columns: Record<string, (string | number)[]>) => {
      const names = Object.keys(columns);
      const n = columns[names[0]].length;
      return [names.join(','), ...Array.from({ length: n }, (_, i) => names.map((c) => columns[c][i]).join(','))].join('\n');
    };
    const unique = (s: Suggestions, column: string) => ruleOf(s, column, 'expect_column_values_to_be_unique');

    it('makes a key-like column unique, as an error, checked exactly', async () => {
      const suggestions = await suggestFor(
        csvOf({
          customer_id: ids(30, (i) => 1000 + i * 7),
          orderId: ids(30, (i) => `o-${i}`),
          email: ids(30, (i) => `user${i}@example.com`),
        }),
      );
      for (const column of ['customer_id', 'orderId', 'email']) {
        expect(unique(suggestions, column)).toEqual(expect.objectContaining({ severity: 'error' }));
        expect(unique(suggestions, column)?.why).toMatch(/checked exactly/);
      }
    });

    it('does not make distinct measurements, short unnamed label columns or repeated keys unique', async () => {
      const suggestions = await suggestFor(
        csvOf({
          amount: ids(30, (i) => 500 + i),
          price: ids(30, (i) => i + 0.5),
          label: ids(30, (i) => `x${i}`).map((v, i) => (i < 10 ? v : 'long enough')),
          loan_id: ids(30, (i) => `L${i % 29}`),
        }),
      );
      for (const column of ['amount', 'price', 'label', 'loan_id']) expect(unique(suggestions, column)).toBeUndefined();
      const few = await suggestFor(csvOf({ label: ids(10, (i) => `x${i}`) }));
      expect(unique(few, 'label')).toBeUndefined();
    });

    it('past the exact budget, estimates with HyperLogLog and says so, as a warning', async () => {
      const csv = csvOf({ loan_id: ids(5000, (i) => `L${i}`), repeated_id: ids(5000, (i) => `R${i % 4000}`) });
      const suggestions = await suggestFor(csv, { exactDistinctBudget: 1000 });
      const rule = unique(suggestions, 'loan_id');
      expect(rule?.severity).toBe('warning');
      expect(rule?.why).toMatch(/HyperLogLog estimate/);
      expect(unique(suggestions, 'repeated_id')).toBeUndefined();
    });
  });

  describe('value lengths', () => {
    it('bounds the length of free text with the margin, and fixed-length codes exactly', async () => {
      const notes = ['too short', 'a much longer note about this row', 'a medium length note'];
      const csv = `note,code\n${notes.map((n, i) => `"${n}",AB${i}`).join('\n')}\n`;
      const suggestions = await suggestFor(csv, undefined, 'notes.csv');
      expect(ruleOf(suggestions, 'note', 'expect_column_value_lengths_to_be_between')?.kwargs).toEqual({
        column: 'note',
        min_value: 6,
        max_value: 36,
      });
      expect(ruleOf(suggestions, 'code', 'expect_column_value_lengths_to_be_between')?.kwargs).toEqual({
        column: 'code',
        min_value: 3,
        max_value: 3,
      });
    });

    it('counts characters as Python does, an emoji once', async () => {
      const suggestions = await suggestFor('tag\n😀😀\nab\n', { rangeMargin: 0 });
      expect(ruleOf(suggestions, 'tag', 'expect_column_value_lengths_to_be_between')?.kwargs).toEqual({
        column: 'tag',
        min_value: 2,
        max_value: 2,
      });
    });
  });

  describe('mistakes', () => {
    it('refuses a dataset with no rows, naming it', async () => {
      const error = await rejection(suggestFor('a,b\n', undefined, 'empty.csv'));
      expect(error).toBeInstanceOf(UserError);
      expect(error.message).toMatch(/empty\.csv: it has no data rows/);
    });

    it.each<[SuggestOptions, RegExp]>([
      [{ maxSetSize: 0 }, /maxSetSize must be a positive whole number, got 0/],
      [{ rangeMargin: -0.1 }, /rangeMargin must be a number of 0 or more, got -0.1/],
      [{ exactDistinctBudget: 1.5 }, /exactDistinctBudget must be a positive whole number/],
    ])('refuses bad options %j', async (options, message) => {
      const error = await rejection(suggestFor('a\n1\n', options));
      expect(error).toBeInstanceOf(UserError);
      expect(error.message).toMatch(message);
    });
  });
});
