// Splitting rules between two worker threads: rules on a shared column stay together, so no column is parsed twice.
import { dump } from 'js-yaml';
import { columnsOf } from '../../../../actions/data-gate/src/expectations/registry.js';
import { parseRulesFile } from '../../../../actions/data-gate/src/rules/parse-rules-file.js';
import { ruleGroups } from '../../../../actions/data-gate/src/validate/rule-groups.js';

const rules = parseRulesFile(
  dump({
    version: 1,
    rules: [
      { expectation: 'expect_table_row_count_to_be_between', min_value: 1 },
      { expectation: 'expect_column_values_to_be_unique', column: 'id' },
      { expectation: 'expect_column_values_to_match_regex', column: 'email', regex: '@' },
      { expectation: 'expect_column_values_to_not_be_null', column: 'id' },
      { expectation: 'expect_column_pair_values_a_to_be_greater_than_b', column_A: 'paid', column_B: 'due' },
      { expectation: 'expect_column_mean_to_be_between', column: 'due', min_value: 0 },
      { expectation: 'expect_column_values_to_be_in_set', column: 'grade', value_set: ['A'] },
    ],
  }),
  'rules.yml',
).rules;

const header = ['id', 'email', 'paid', 'due', 'grade'];

function columnsOfGroup(group: number[]): Set<string> {
  return new Set(group.flatMap((i) => columnsOf(rules[i].expectation.type, rules[i].expectation.kwargs)));
}

test('every rule lands in exactly one group and no column is read by two groups', () => {
  const groups = ruleGroups(rules, 2, header);
  expect(groups).toHaveLength(2);
  expect(groups.flatMap((g) => g.rules).sort((a, b) => a - b)).toEqual(rules.map((_, i) => i));
  const [first, second] = groups.map((g) => columnsOfGroup(g.rules));
  for (const column of first) expect(second.has(column)).toBe(false);
  // The rules on 'paid' and 'due' are linked through the pair rule.
  expect(groups.find((g) => g.rules.includes(4))!.rules).toEqual(expect.arrayContaining([4, 5]));
});

test('exactly one group checks the rows: the one whose columns reach furthest right', () => {
  const groups = ruleGroups(rules, 2, header);
  expect(groups.filter((g) => g.checksRowShape)).toHaveLength(1);
  const checker = groups.find((g) => g.checksRowShape)!;
  const last = (g: { rules: number[] }) => Math.max(...[...columnsOfGroup(g.rules)].map((c) => header.indexOf(c)));
  for (const other of groups) expect(last(checker)).toBeGreaterThanOrEqual(last(other));
});

test('the costliest rules are spread: uniqueness on one column and a regex plus a distinct count on others', () => {
  const heavy = parseRulesFile(
    dump({
      version: 1,
      rules: [
        { expectation: 'expect_column_values_to_be_unique', column: 'a' },
        { expectation: 'expect_column_unique_value_count_to_be_between', column: 'b', min_value: 1 },
        { expectation: 'expect_column_values_to_match_regex', column: 'c', regex: '@' },
        { expectation: 'expect_column_values_to_be_unique', column: 'd' },
      ],
    }),
    'rules.yml',
  ).rules;
  const groups = ruleGroups(heavy, 2, ['a', 'b', 'c', 'd']);
  const withUniqueness = groups.map((g) => g.rules.filter((i) => heavy[i].expectation.type === 'expect_column_values_to_be_unique').length);
  expect(withUniqueness.sort()).toEqual([1, 1]);
});

test('rules that all share one column make one group, which checks the rows', () => {
  const shared = rules.filter((r) => r.expectation.kwargs.column === 'id');
  expect(ruleGroups(shared, 2, header)).toEqual([{ rules: [0, 1], checksRowShape: true }]);
});

test('table rules alone make one group', () => {
  const table = rules.filter((r) => r.expectation.type.startsWith('expect_table'));
  expect(ruleGroups(table, 2, header)).toEqual([{ rules: [0], checksRowShape: true }]);
});
