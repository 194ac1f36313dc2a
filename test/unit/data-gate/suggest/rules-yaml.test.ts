import { load } from 'js-yaml';
import { suggestionsToYaml } from '../../../../actions/data-gate/src/suggest/rules-yaml.js';
import type { Suggestions } from '../../../../actions/data-gate/src/suggest/suggest-rules.js';

const meta = { source: ['data/loans.csv.gz'], generatedAt: '2024-05-01T12:00:00Z' };

const suggestions: Suggestions = {
  rows: 1234,
  columnTypes: { loan_id: 'categorical', amount: 'numerical', yes: 'boolean', 'rate: pct': 'numerical' },
  rules: [
    {
      expectation: 'expect_table_row_count_to_be_between',
      kwargs: { min_value: 617, max_value: 2468 },
      severity: 'warning',
      why: 'profiled 1,234 rows',
    },
    { expectation: 'expect_column_values_to_not_be_null', kwargs: { column: 'loan_id' }, severity: 'error', why: 'no value was missing' },
    {
      expectation: 'expect_column_values_to_not_be_null',
      kwargs: { column: 'rate: pct', mostly: 0.95 },
      severity: 'warning',
      why: 'a why\nover two lines',
    },
    {
      expectation: 'expect_column_values_to_be_in_set',
      kwargs: { column: 'loan_id', value_set: ['true', 'null', '1.5', '#tag', 'x, y', "it's", '- dash', ''] },
      severity: 'warning',
      why: 'labels that YAML would read as other things',
    },
    {
      expectation: 'expect_column_values_to_be_between',
      kwargs: { column: 'amount', min_value: -0.001, max_value: 1e21 },
      severity: 'warning',
      why: 'range',
    },
    {
      expectation: 'expect_column_values_to_be_in_set',
      kwargs: { column: 'yes', value_set: [false] },
      severity: 'warning',
      why: 'always false',
    },
  ],
};

type ParsedRulesFile = { version: number; name?: string; columns: Record<string, string>; rules: Record<string, unknown>[] };

describe('writing suggestions as a rules file', () => {
  const text = suggestionsToYaml(suggestions, meta);
  const parsed = load(text) as ParsedRulesFile;

  it('has the design shape: version 1, a name, the profiled column types, then the rules', () => {
    expect(Object.keys(parsed)).toEqual(['version', 'name', 'columns', 'rules']);
    expect(parsed.version).toBe(1);
    expect(parsed.name).toBe('loans');
    expect(parsed.columns).toEqual(suggestions.columnTypes);
  });

  it('writes each rule as its expectation, its GX kwargs at the top level and its severity, values unchanged', () => {
    expect(parsed.rules).toEqual(
      suggestions.rules.map((rule) => ({ expectation: rule.expectation, ...rule.kwargs, severity: rule.severity })),
    );
  });

  it('puts a one-line # why comment above every rule', () => {
    const lines = text.split('\n');
    const whys = lines.filter((line) => line.startsWith('  # why: '));
    expect(whys).toHaveLength(suggestions.rules.length);
    expect(whys).toContain('  # why: a why over two lines');
    lines.forEach((line, i) => {
      if (line.startsWith('  - expectation:')) expect(lines[i - 1]).toMatch(/^ {2}# why: /);
    });
  });

  it('says where the rules came from in a header comment', () => {
    expect(text.split('\n')[0]).toBe(
      '# Starter data-gate rules suggested (mode: suggest) from 1,234 rows of data/loans.csv.gz at 2024-05-01T12:00:00Z.',
    );
  });

  it('writes short lists inline and long ones one item a line, both parsing back', () => {
    const values = Array.from({ length: 30 }, (_, i) => `v${i}`);
    const long: Suggestions = {
      rows: 60,
      columnTypes: { v: 'categorical' },
      rules: [
        { expectation: 'expect_column_values_to_be_in_set', kwargs: { column: 'v', value_set: values }, severity: 'warning', why: 'w' },
      ],
    };
    const written = suggestionsToYaml(long, meta);
    expect(written).toContain('    value_set:\n      - v0\n      - v1\n');
    expect((load(written) as ParsedRulesFile).rules[0].value_set).toEqual(values);
    expect(text).toContain('value_set: [false]');
  });

  it('leaves the name out when the source is a glob or missing', () => {
    expect((load(suggestionsToYaml(suggestions, { ...meta, source: ['data/*.csv'] })) as ParsedRulesFile).name).toBeUndefined();
    const none = suggestionsToYaml({ rows: 1, columnTypes: {}, rules: [] }, { source: [], generatedAt: 'now' });
    expect(load(none)).toEqual({ version: 1, rules: [] });
  });
});
