import { readFileSync } from 'node:fs';
import { parseRulesFile } from '../../../../actions/data-gate/src/rules/parse-rules-file.js';
import type { RuleSet } from '../../../../actions/data-gate/src/rules/rule-types.js';
import { DataError } from '#shared/errors.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/data-gate/rules/${name}`, import.meta.url), 'utf8');

/** The message parseRulesFile throws for `text` (failing the test if it does not throw a DataError). */
function mistake(text: string): string {
  try {
    parseRulesFile(text, 'rules.yml');
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return (error as Error).message;
  }
  throw new Error('expected the rules file to be rejected');
}

const rule = (body: string) => `version: 1\nrules:\n  - ${body.trim().split('\n').join('\n    ')}\n`;

describe('a data engineer writes a rules file', () => {
  it('reads the loans rules into GX expectation configurations with severities, names and lines', () => {
    const expected: RuleSet = {
      format: 'rules-file',
      file: 'loans.rules.yml',
      name: 'loans',
      columnTypes: { application_date: 'datetime' },
      rules: [
        {
          name: 'column_values_to_not_be_null(loan_id)',
          severity: 'error',
          expectation: { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'loan_id' } },
          source: { file: 'loans.rules.yml', line: 7, index: 0 },
        },
        {
          name: 'column_values_to_be_unique(loan_id)',
          severity: 'error',
          expectation: { type: 'expect_column_values_to_be_unique', kwargs: { column: 'loan_id' } },
          source: { file: 'loans.rules.yml', line: 9, index: 1 },
        },
        {
          name: 'column_values_to_be_between(amount)',
          severity: 'warning',
          expectation: {
            type: 'expect_column_values_to_be_between',
            kwargs: { column: 'amount', min_value: 0, max_value: 50000, mostly: 0.99 },
          },
          source: { file: 'loans.rules.yml', line: 11, index: 2 },
        },
        {
          name: 'known status',
          severity: 'error',
          description: 'Status codes from the loan system.',
          expectation: {
            type: 'expect_column_values_to_be_in_set',
            kwargs: { column: 'status', value_set: ['approved', 'rejected', 'pending'] },
          },
          source: { file: 'loans.rules.yml', line: 17, index: 3 },
        },
        {
          name: 'table_row_count_to_be_between',
          severity: 'error',
          expectation: { type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 1 } },
          source: { file: 'loans.rules.yml', line: 22, index: 4 },
        },
        {
          name: 'column_values_to_be_between(amount) #2',
          severity: 'error',
          expectation: {
            type: 'expect_column_values_to_be_between',
            kwargs: { column: 'amount', min_value: 1, result_format: 'COMPLETE' },
          },
          source: { file: 'loans.rules.yml', line: 24, index: 5 },
        },
      ],
    };
    expect(parseRulesFile(fixture('loans.rules.yml'), 'loans.rules.yml')).toEqual(expected);
  });

  it('keeps rule metadata and ISO date bounds as written', () => {
    const set = parseRulesFile(
      rule('expectation: column_values_to_be_between\ncolumn: day\nmin_value: 2024-01-01\nmeta: {owner: risk}'),
      'r.yml',
    );
    expect(set.rules[0].expectation).toEqual({
      type: 'expect_column_values_to_be_between',
      kwargs: { column: 'day', min_value: '2024-01-01' },
      meta: { owner: 'risk' },
    });
  });

  it('names a wrong kwarg value with file, line, rule and what was expected', () => {
    const text =
      rule('expectation: column_values_to_not_be_null\ncolumn: a') +
      '  - expectation: expect_column_values_to_be_between\n    column: amount\n    min_value: abc\n';
    expect(mistake(text)).toBe(
      "rules.yml:7: rule 2 (expect_column_values_to_be_between): 'min_value' must be a number, an ISO date string or null, got 'abc'",
    );
  });

  it('suggests the closest expectation names for a misspelled one', () => {
    expect(mistake(rule('expectation: expect_column_values_to_be_betwen\ncolumn: a'))).toMatch(
      /^rules\.yml:3: rule 1 \(expect_column_values_to_be_betwen\): unknown expectation 'expect_column_values_to_be_betwen'\. Did you mean 'expect_column_values_to_be_between'/,
    );
  });

  it('suggests the closest kwarg for a misspelled one, at its line', () => {
    expect(mistake(rule('expectation: column_values_to_be_between\ncolumn: a\nmax_value: 3\nmin_vale: 1'))).toMatch(
      /^rules\.yml:6: rule 1 \(expect_column_values_to_be_between\): 'min_vale' is not a keyword argument of expect_column_values_to_be_between\. Did you mean 'min_value'\?/,
    );
  });

  it('reads row_condition and refuses a construct it cannot run, naming it (see gx-row-condition.test.ts)', () => {
    expect(mistake(rule("expectation: column_values_to_not_be_null\ncolumn: a\nrow_condition: 'b > @limit'"))).toMatch(
      /^rules\.yml:5: rule 1 \(expect_column_values_to_not_be_null\): 'row_condition' 'b > @limit' \(pandas syntax\) is not supported: .*@variables/,
    );
  });

  it('points a YAML syntax error at its line with the parser reason', () => {
    expect(mistake('version: 1\nrules:\n  - expectation: a\n   column: b\n')).toMatch(/^rules\.yml:4: not valid YAML: /);
  });

  it('says which required kwarg is missing and what it should be', () => {
    expect(mistake(rule('expectation: column_values_to_be_in_set\ncolumn: status'))).toBe(
      "rules.yml:3: rule 1 (expect_column_values_to_be_in_set): 'value_set' is required: a list of strings, numbers, booleans or nulls (null for no set: the rule holds)",
    );
  });

  it('names the wrong item of a list', () => {
    expect(mistake(rule('expectation: column_values_to_be_in_set\ncolumn: a\nvalue_set:\n  - x\n  - {y: 1}'))).toBe(
      'rules.yml:7: rule 1 (expect_column_values_to_be_in_set): \'value_set[1]\' must be a string, number, boolean or null, got {"y":1}',
    );
  });

  it('keeps mostly to row-by-row expectations', () => {
    expect(mistake(rule('expectation: column_mean_to_be_between\ncolumn: a\nmin_value: 0\nmostly: 0.9'))).toContain(
      "rules.yml:6: rule 1 (expect_column_mean_to_be_between): 'mostly' only applies to row-by-row expectations",
    );
  });

  it('checks mostly is a share and result_format a GX format', () => {
    expect(mistake(rule('expectation: column_values_to_not_be_null\ncolumn: a\nmostly: 95'))).toBe(
      "rules.yml:5: rule 1 (expect_column_values_to_not_be_null): 'mostly' must be a number between 0 and 1, got 95",
    );
    expect(mistake(rule('expectation: column_values_to_not_be_null\ncolumn: a\nresult_format: {result_format: FULL}'))).toBe(
      "rules.yml:5: rule 1 (expect_column_values_to_not_be_null): 'result_format.result_format' must be one of 'BOOLEAN_ONLY', 'BASIC', 'SUMMARY', 'COMPLETE', got 'FULL'",
    );
  });

  it('rejects a regex RE2 cannot run, naming the rule', () => {
    expect(mistake(rule('expectation: column_values_to_match_regex\nname: no lookahead\ncolumn: a\nregex: "(?=x)y"'))).toMatch(
      /^rules\.yml:6: rule 1 'no lookahead' \(expect_column_values_to_match_regex\): 'regex' is not a valid RE2 regular expression/,
    );
  });

  it('loads a range with no bound or reversed bounds: GX judges or raises on them while validating (gx-vacuous-truth.test.ts)', () => {
    expect(parseRulesFile(rule('expectation: column_values_to_be_between\ncolumn: a'), 'rules.yml').rules).toHaveLength(1);
    expect(
      parseRulesFile(rule('expectation: column_values_to_be_between\ncolumn: a\nmin_value: 5\nmax_value: 1'), 'rules.yml').rules,
    ).toHaveLength(1);
  });

  it('checks severity, version, top-level keys and column types', () => {
    expect(mistake(rule('expectation: column_values_to_not_be_null\ncolumn: a\nseverity: critical'))).toBe(
      "rules.yml:5: rule 1 (expect_column_values_to_not_be_null): 'severity' must be 'error' or 'warning', got 'critical'",
    );
    expect(mistake('version: 2\nrules: []\n')).toBe("rules.yml:1: 'version' must be 1 (the only rules file version), got 2");
    expect(mistake('version: 1\nrule:\n  - expectation: x\n')).toMatch(
      /^rules\.yml:2: unknown key 'rule' at the top of the rules file\. Did you mean 'rules'\?/,
    );
    expect(mistake('version: 1\ncolumns:\n  day: date\nrules: []\n')).toMatch(
      /^rules\.yml:3: column 'day': type must be one of numerical, categorical, text, boolean, datetime, got 'date'/,
    );
    expect(mistake('version: 1\nrules: []\n')).toBe("rules.yml:2: 'rules' must be a list of at least one rule, got []");
    expect(mistake('')).toBe("rules.yml: a rules file is a mapping with 'version: 1' and 'rules:', got an empty file");
  });

  it('rejects a duplicated key at its line', () => {
    expect(mistake(rule('expectation: column_values_to_not_be_null\ncolumn: a\ncolumn: b'))).toBe(
      'rules.yml:5: not valid YAML: duplicated mapping key',
    );
  });

  it('makes repeated names unique with #2, #3', () => {
    const text = `version: 1\nrules:\n${['a', 'a', 'a'].map((c) => `  - {expectation: column_values_to_not_be_null, column: ${c}}`).join('\n')}\n`;
    expect(parseRulesFile(text, 'r.yml').rules.map((r) => r.name)).toEqual([
      'column_values_to_not_be_null(a)',
      'column_values_to_not_be_null(a) #2',
      'column_values_to_not_be_null(a) #3',
    ]);
  });
});
