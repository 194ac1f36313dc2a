import { readFileSync } from 'node:fs';
import { parseGxSuite } from '../../../../actions/data-gate/src/rules/parse-gx-suite.js';
import { parseRulesFile } from '../../../../actions/data-gate/src/rules/parse-rules-file.js';
import type { Rule } from '../../../../actions/data-gate/src/rules/rule-types.js';
import { DataError } from '#shared/errors.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/data-gate/rules/${name}`, import.meta.url), 'utf8');

/** What a rule checks, whichever file it came from (GX writes "no bound" as an explicit null). */
const checks = (rule: Rule) => ({
  type: rule.expectation.type,
  kwargs: Object.fromEntries(Object.entries(rule.expectation.kwargs).filter(([, value]) => value !== null)),
  severity: rule.severity,
});

function mistake(suite: unknown, file = 'suite.json'): string {
  try {
    parseGxSuite(typeof suite === 'string' ? suite : JSON.stringify(suite, null, 2), file);
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return (error as Error).message;
  }
  throw new Error('expected the suite to be rejected');
}

const suite1 = (expectations: unknown[]) => ({ name: 's', expectations, meta: { great_expectations_version: '1.3.0' } });

describe('a Great Expectations user brings a suite', () => {
  const yaml = parseRulesFile(fixture('loans.rules.yml'), 'loans.rules.yml');

  it('reads a GX 0.18 suite into the same rules as the equivalent rules file', () => {
    const set = parseGxSuite(fixture('loans.gx-0.18.json'), 'loans.gx-0.18.json');
    expect(set.format).toBe('gx-suite-0.x');
    expect(set.name).toBe('loans');
    expect(set.rules.map(checks)).toEqual(yaml.rules.map(checks));
    expect(set.rules[2].source).toEqual({ file: 'loans.gx-0.18.json', line: 19, index: 2 });
    expect(set.rules[3].expectation.meta).toEqual({ notes: { format: 'markdown', content: 'Status codes from the loan system.' } });
  });

  it('reads a GX 1.x suite, severity field included, into the same rules', () => {
    const set = parseGxSuite(fixture('loans.gx-1.x.json'), 'loans.gx-1.x.json');
    expect(set.format).toBe('gx-suite-1.x');
    expect(set.name).toBe('loans');
    expect(set.rules.map(checks)).toEqual(yaml.rules.map(checks));
    expect(set.rules[3].description).toBe('Status codes from the loan system.');
    expect(set.rules.map((rule) => rule.name)).toEqual([
      'column_values_to_not_be_null(loan_id)',
      'column_values_to_be_unique(loan_id)',
      'column_values_to_be_between(amount)',
      'column_values_to_be_in_set(status)',
      'table_row_count_to_be_between',
      'column_values_to_be_between(amount) #2',
    ]);
    expect(set.columnTypes).toEqual({});
  });

  it('maps severities: 1.x field first (critical blocks, warning and info report), then meta.severity, else error', () => {
    const rule = (extra: object) => ({ type: 'expect_column_values_to_not_be_null', kwargs: { column: 'a' }, ...extra });
    const set = parseGxSuite(
      JSON.stringify(
        suite1([
          rule({ severity: 'critical' }),
          rule({ severity: 'warning' }),
          rule({ severity: 'info' }),
          rule({ meta: { severity: 'warning' } }),
          rule({ meta: { severity: 'critical' } }),
          rule({}),
          rule({ severity: 'critical', meta: { severity: 'warning' } }),
        ]),
      ),
      's.json',
    );
    expect(set.rules.map((r) => r.severity)).toEqual(['error', 'warning', 'warning', 'warning', 'error', 'error', 'error']);
  });

  it('checks kwargs as in a rules file, naming the suite file, line and expectation', () => {
    const text = JSON.stringify(
      suite1([
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'a' } },
        { type: 'expect_column_values_to_be_between', kwargs: { column: 'amount', min_value: 'abc' } },
      ]),
      null,
      2,
    );
    expect(mistake(text)).toBe(
      "suite.json:14: expectation 2 (expect_column_values_to_be_between): 'min_value' must be a number, an ISO date string or null, got 'abc'",
    );
  });

  it('suggests close names for an unknown expectation and refuses a row_condition it cannot run', () => {
    expect(mistake(suite1([{ type: 'expect_column_values_to_be_uniqe', kwargs: { column: 'a' } }]))).toMatch(
      /^suite\.json:5: expectation 1 \(expect_column_values_to_be_uniqe\): unknown expectation .* Did you mean 'expect_column_values_to_be_unique'/,
    );
    expect(
      mistake(
        suite1([{ type: 'expect_column_values_to_not_be_null', kwargs: { column: 'a', row_condition: 'b>1', condition_parser: 'spark' } }]),
      ),
    ).toMatch(/^suite\.json:9: expectation 1 \(expect_column_values_to_not_be_null\): 'condition_parser' 'spark' is not supported/);
  });

  it('accepts a null row_condition and drops it', () => {
    const set = parseGxSuite(
      JSON.stringify(
        suite1([{ type: 'expect_column_values_to_not_be_null', kwargs: { column: 'a', row_condition: null, condition_parser: null } }]),
      ),
      's.json',
    );
    expect(set.rules[0].expectation.kwargs).toEqual({ column: 'a' });
  });

  it('rejects unsupported GX versions and files that are not suites, saying why', () => {
    expect(mistake({ name: 's', expectations: [], meta: { great_expectations_version: '2.0.1' } })).toMatch(
      /^suite\.json:\d+: suites from Great Expectations 2\.0\.1 are not supported/,
    );
    expect(mistake({ expectation_suite_name: 's', expectations: [], meta: { great_expectations_version: '0.12.10' } })).toMatch(
      /Great Expectations 0\.12\.10 are not supported/,
    );
    expect(mistake({ results: [] })).toMatch(
      /^suite\.json:1: not a Great Expectations suite: expected a JSON object with an 'expectations' list/,
    );
    expect(mistake(suite1([]))).toMatch(/the suite has no expectations/);
    expect(mistake(suite1([{ type: 'expect_column_values_to_not_be_null', kwargs: { column: 'a' }, severity: 'fatal' }]))).toMatch(
      /'severity' must be 'critical', 'warning' or 'info', got 'fatal'/,
    );
  });

  it('points a JSON syntax error at its line', () => {
    expect(mistake('{\n  "name": "s",\n  "expectations": [\n    {"type": "x",}\n  ]\n}\n')).toMatch(/^suite\.json:4: not valid JSON: /);
  });

  it('rejects GX evaluation parameters, which data-gate cannot resolve', () => {
    expect(mistake(suite1([{ type: 'expect_table_row_count_to_equal', kwargs: { value: { $PARAMETER: 'upstream_row_count' } } }]))).toMatch(
      /'value' uses a GX evaluation parameter \(\$PARAMETER\), which is not supported/,
    );
  });
});

describe('kwargs older GX suites carry', () => {
  test('batch_id, parse_strings_as_datetimes and allow_cross_type_comparisons are accepted and left out', () => {
    const suite = JSON.stringify({
      expectation_suite_name: 'legacy',
      meta: { great_expectations_version: '0.15.50' },
      expectations: [
        {
          expectation_type: 'expect_column_values_to_be_between',
          kwargs: {
            column: 'issued',
            min_value: '2020-01-01',
            max_value: '2030-01-01',
            parse_strings_as_datetimes: true,
            allow_cross_type_comparisons: false,
            batch_id: 'b1',
          },
        },
      ],
    });
    const ruleSet = parseGxSuite(suite, 'legacy.json');
    expect(ruleSet.rules[0].expectation.kwargs).toEqual({ column: 'issued', min_value: '2020-01-01', max_value: '2030-01-01' });
  });
});
