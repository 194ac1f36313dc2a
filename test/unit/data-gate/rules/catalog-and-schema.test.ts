import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { dump } from 'js-yaml';
import { EXPECTATION_KINDS, EXPECTATIONS, findExpectation, kwargsOf } from '../../../../actions/data-gate/src/rules/expectation-catalog.js';
import { parseRulesFile } from '../../../../actions/data-gate/src/rules/parse-rules-file.js';
import { COLUMN_TYPES } from '#shared/data/types.js';

const repo = process.cwd();
const schema = JSON.parse(readFileSync(join(repo, 'actions/data-gate/rules.schema.json'), 'utf8')) as {
  properties: { columns: { additionalProperties: { enum: string[] } } };
  definitions: Record<string, { properties: Record<string, Record<string, unknown>>; required: string[] }>;
};
const validateFile = new Ajv({ allErrors: true }).compile(schema);
const asRulesFile = (rules: unknown[]) => ({ version: 1, rules });

describe('the expectation catalog, the rules schema and the docs agree', () => {
  it('covers every expectation the issue asks for, each with a kind and a description', () => {
    for (const type of [
      'expect_table_row_count_to_be_between',
      'expect_table_row_count_to_equal',
      'expect_table_column_count_to_equal',
      'expect_column_to_exist',
      'expect_table_columns_to_match_set',
      'expect_table_columns_to_match_ordered_list',
      'expect_compound_columns_to_be_unique',
      'expect_column_values_to_not_be_null',
      'expect_column_values_to_be_null',
      'expect_column_values_to_be_unique',
      'expect_column_values_to_be_in_set',
      'expect_column_values_to_not_be_in_set',
      'expect_column_values_to_be_between',
      'expect_column_values_to_match_regex',
      'expect_column_values_to_not_match_regex',
      'expect_column_value_lengths_to_be_between',
      'expect_column_value_lengths_to_equal',
      'expect_column_values_to_be_of_type',
      'expect_column_values_to_be_in_type_list',
      'expect_column_values_to_be_dateutil_parseable',
      'expect_column_values_to_match_strftime_format',
      'expect_column_values_to_be_json_parseable',
      'expect_column_values_to_be_increasing',
      'expect_column_values_to_be_decreasing',
      'expect_column_min_to_be_between',
      'expect_column_max_to_be_between',
      'expect_column_mean_to_be_between',
      'expect_column_median_to_be_between',
      'expect_column_stdev_to_be_between',
      'expect_column_sum_to_be_between',
      'expect_column_quantile_values_to_be_between',
      'expect_column_unique_value_count_to_be_between',
      'expect_column_proportion_of_unique_values_to_be_between',
      'expect_column_distinct_values_to_be_in_set',
      'expect_column_distinct_values_to_equal_set',
      'expect_column_distinct_values_to_contain_set',
      'expect_column_most_common_value_to_be_in_set',
      'expect_column_kl_divergence_to_be_less_than',
      'expect_column_pair_values_a_to_be_greater_than_b',
      'expect_column_pair_values_to_be_equal',
      'expect_multicolumn_sum_to_equal',
      'expect_column_max_timestamp_to_be_recent',
    ]) {
      const spec = findExpectation(type);
      expect(spec).toBeDefined();
      expect(EXPECTATION_KINDS).toContain(spec?.kind);
      expect(spec?.description.length).toBeGreaterThan(10);
    }
    expect(findExpectation('column_values_to_be_unique')?.type).toBe('expect_column_values_to_be_unique');
    expect(findExpectation('expect_nothing')).toBeUndefined();
  });

  it('has rules.schema.json generated from the current catalog (npm run docs -- --check passes)', () => {
    const check = spawnSync(process.execPath, [join(repo, 'scripts/action-docs.mjs'), '--check'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('has one schema branch per expectation with exactly its kwargs, their schemas and required flags', () => {
    for (const spec of EXPECTATIONS) {
      const branch = schema.definitions[spec.type];
      const kwargs = kwargsOf(spec).filter((kwarg) => kwarg.name !== 'meta');
      expect(Object.keys(branch.properties).sort()).toEqual(
        ['description', 'expectation', 'meta', 'name', 'severity', ...kwargs.map((kwarg) => kwarg.name)].sort(),
      );
      for (const kwarg of kwargs) expect(branch.properties[kwarg.name]).toMatchObject(kwarg.schema);
      expect(branch.required.sort()).toEqual(
        ['expectation', ...spec.kwargs.filter((kwarg) => kwarg.required).map((kwarg) => kwarg.name)].sort(),
      );
    }
    expect(schema.properties.columns.additionalProperties.enum).toEqual([...COLUMN_TYPES]);
  });

  it.each(EXPECTATIONS.map((spec) => [spec.type, spec.example] as const))(
    '%s: its example passes the schema and the parser',
    (type, example) => {
      expect(example.expectation).toBe(type);
      expect(validateFile(asRulesFile([example]))).toBe(true);
      expect(validateFile(asRulesFile([{ ...example, expectation: type.replace(/^expect_/, '') }]))).toBe(true);
      const set = parseRulesFile(dump(asRulesFile([example])), 'example.yml');
      const { expectation, ...kwargs } = example;
      expect(set.rules[0].expectation).toEqual({ type: expectation, kwargs });
    },
  );

  it('lets the schema catch what the parser catches: unknown kwargs, missing required ones, wrong types', () => {
    expect(validateFile(asRulesFile([{ expectation: 'expect_column_values_to_be_between', column: 'a', min_vale: 1 }]))).toBe(false);
    expect(validateFile(asRulesFile([{ expectation: 'expect_column_values_to_be_in_set', column: 'a' }]))).toBe(false);
    expect(validateFile(asRulesFile([{ expectation: 'expect_column_values_to_be_between', column: 'a', min_value: 'abc' }]))).toBe(false);
    expect(validateFile(asRulesFile([{ expectation: 'expect_column_mean_to_be_between', column: 'a', min_value: 1, mostly: 0.5 }]))).toBe(
      false,
    );
    expect(validateFile(asRulesFile([{ expectation: 'expect_unknown', column: 'a' }]))).toBe(false);
  });

  it('documents every expectation with its kwargs and example on the generated page', () => {
    const page = readFileSync(join(repo, 'action-docs/data-gate-expectations.md'), 'utf8');
    for (const spec of EXPECTATIONS) {
      const section = page.split(`\n### ${spec.type}\n`)[1]?.split('\n### ')[0] ?? '';
      expect(section).toContain(spec.description);
      for (const kwarg of spec.kwargs) expect(section).toContain(`| \`${kwarg.name}\` |`);
      expect(section).toContain(`- expectation: ${spec.type}`);
    }
    for (const heading of ['## Severity', '## mostly and nulls', '## result_format', '## Great Expectations suites'])
      expect(page).toContain(heading);
  });
});
