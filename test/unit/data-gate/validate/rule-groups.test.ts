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

test('every rule lands in exactly one group and no column is read by two groups', () => {
  const groups = ruleGroups(rules, 2);
  expect(groups).toHaveLength(2);
  expect(groups.flat().sort((a, b) => a - b)).toEqual(rules.map((_, i) => i));
  const columns = groups.map((g) => new Set(g.flatMap((i) => columnsOf(rules[i].expectation.type, rules[i].expectation.kwargs))));
  for (const column of columns[0]) expect(columns[1].has(column)).toBe(false);
  // The rules on 'paid' and 'due' are linked through the pair rule.
  expect(groups.find((g) => g.includes(4))).toEqual(expect.arrayContaining([4, 5]));
});

test('rules that all share one column make one group', () => {
  const shared = rules.filter((r) => r.expectation.kwargs.column === 'id');
  expect(ruleGroups(shared, 2)).toHaveLength(1);
});
