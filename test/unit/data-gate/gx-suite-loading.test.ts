// A team moves its Great Expectations suite over unchanged: suites saved by Python's json (bare Infinity, -Infinity,
// NaN), YAML .inf/.nan, every config mistake in one run with file:line, and unknown expectations skipped on request.
// GX references: GX saves suites with json.dumps (great_expectations/core/expectation_suite.py, to_json_dict), whose
// allow_nan=True default writes float('inf') as Infinity (https://docs.python.org/3/library/json.html#basic-usage).
import { readFileSync } from 'node:fs';
import { ConfigProblems } from '../../../actions/data-gate/src/rules/config-problems.js';
import { parseGxSuite } from '../../../actions/data-gate/src/rules/parse-gx-suite.js';
import { parseRulesFile } from '../../../actions/data-gate/src/rules/parse-rules-file.js';
import { parsePythonJson, replaceBareNonFinite } from '../../../actions/data-gate/src/rules/python-json.js';
import { DataError, UserError } from '#shared/errors.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/data-gate/gx/${name}`, import.meta.url), 'utf8');

function problem(load: () => unknown): UserError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected the rules to be refused');
}

describe('a suite saved by Python json', () => {
  it('reads bare Infinity, -Infinity and NaN as the floats Python wrote', () => {
    expect(parsePythonJson('{"a": [-Infinity, Infinity, NaN, 1.5], "b": "Infinity"}')).toEqual({
      a: [-Infinity, Infinity, NaN, 1.5],
      b: 'Infinity',
    });
  });

  it('never touches the words inside strings, escaped quotes included', () => {
    const text = '{"s": "NaN \\" Infinity -Infinity", "t": NaN}';
    expect(parsePythonJson(text)).toEqual({ s: 'NaN " Infinity -Infinity', t: NaN });
    expect(replaceBareNonFinite('{"x": "Infinity"}', 'M:')).toBeUndefined();
  });

  it('still refuses JSON that is wrong for another reason, with the line', () => {
    // The line where JSON.parse gives a position (Node 20 does not for every complaint); never data-gate's markers.
    const message = problem(() => parseGxSuite('{\n "name": "s",\n "expectations": [Infinity,,]\n}', 's.json')).message;
    expect(message).toMatch(/^s\.json(:3)?: not valid JSON/);
    expect(message).not.toContain('non-finite');
    expect(problem(() => parseGxSuite('{"x": Infinityy}', 's.json')).message).toMatch(/^s\.json(:1)?: not valid JSON/);
  });

  it('loads the GX-saved flights suite: infinite KL bins and bounds, with their lines', () => {
    const set = parseGxSuite(fixture('flights.gx-1.x.json'), 'flights.gx-1.x.json');
    expect(set.format).toBe('gx-suite-1.x');
    expect(set.rules.map((r) => r.expectation.type)).toEqual([
      'expect_column_kl_divergence_to_be_less_than',
      'expect_column_values_to_be_between',
      'expect_column_values_to_be_in_set',
      'expect_column_mean_to_be_between',
    ]);
    expect((set.rules[0].expectation.kwargs.partition_object as { bins: number[] }).bins).toEqual([-Infinity, 1000, 2000, Infinity]);
    expect(set.rules[1].expectation.kwargs.min_value).toBe(-Infinity);
    expect(set.rules[3].expectation.kwargs.max_value).toBe(Infinity);
    expect(set.rules.map((r) => r.source.line)).toEqual([9, 31, 43, 58]);
  });

  it('names Infinity as itself in a message, not as null', () => {
    const text =
      '{"name": "s", "expectations": [{"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "a", "value_set": Infinity}}]}';
    expect(problem(() => parseGxSuite(text, 's.json')).message).toContain('got Infinity');
  });
});

describe('a YAML rules file with .inf and .nan', () => {
  it('takes them as GX takes float("inf"), also where the kwarg is a whole number', () => {
    const set = parseRulesFile(
      'version: 1\nrules:\n  - expectation: table_row_count_to_be_between\n    min_value: 0\n    max_value: .inf\n  - expectation: column_values_to_be_between\n    column: a\n    min_value: -.inf\n    max_value: .nan\n',
      'rules.yml',
    );
    expect(set.rules[0].expectation.kwargs.max_value).toBe(Infinity);
    expect(set.rules[1].expectation.kwargs.min_value).toBe(-Infinity);
    expect(set.rules[1].expectation.kwargs.max_value).toBeNaN();
  });

  it('still applies a minimum: -.inf rows is refused, shown as -Infinity', () => {
    expect(
      problem(() =>
        parseRulesFile('version: 1\nrules:\n  - expectation: table_row_count_to_be_between\n    min_value: -.inf\n', 'rules.yml'),
      ).message,
    ).toBe(
      "rules.yml:4: rule 1 (expect_table_row_count_to_be_between): 'min_value' must be a whole number (0 or more) or null, got -Infinity",
    );
  });
});

describe('config errors come all at once', () => {
  it('reports every broken rule of a rules file, each with file:line', () => {
    const text = [
      'version: 1',
      'rules:',
      '  - expectation: column_values_to_be_in_set',
      '    column: a',
      '  - expectation: column_values_to_not_be_null',
      '    column: b',
      '  - expectation: column_values_to_be_uniqe',
      '    column: c',
      '  - expectation: column_values_to_not_be_null',
      '    column: d',
      '    mostly: 2',
      '',
    ].join('\n');
    const error = problem(() => parseRulesFile(text, 'rules.yml'));
    expect(error).toBeInstanceOf(ConfigProblems);
    expect((error as ConfigProblems).problems.map((p) => p.message.split(': ')[0])).toEqual(['rules.yml:3', 'rules.yml:7', 'rules.yml:11']);
    expect(error.message).toMatch(/^3 problems in rules\.yml:\n- rules\.yml:3: rule 1 .*'value_set' is required/);
    expect(error.message).toContain("- rules.yml:7: rule 3 (column_values_to_be_uniqe): unknown expectation 'column_values_to_be_uniqe'");
    expect(error.location).toEqual({ file: 'rules.yml', line: 3 });
  });

  it('reports every broken expectation of a suite', () => {
    const suite = {
      name: 's',
      meta: { great_expectations_version: '1.3.0' },
      expectations: [
        { type: 'expect_column_values_to_be_between', kwargs: { column: 'a', min_value: 'x' } },
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'b' } },
        { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'c', value_set: 3 } },
      ],
    };
    const error = problem(() => parseGxSuite(JSON.stringify(suite, null, 2), 'suite.json')) as ConfigProblems;
    expect(error.problems).toHaveLength(2);
    expect(error.problems.every((p) => p instanceof DataError && p.location?.line !== undefined)).toBe(true);
  });

  it('keeps a single mistake as it was: one DataError with its line', () => {
    const error = problem(() =>
      parseRulesFile('version: 1\nrules:\n  - expectation: column_values_to_be_in_set\n    column: a\n', 'rules.yml'),
    );
    expect(error).toBeInstanceOf(DataError);
    expect(error).not.toBeInstanceOf(ConfigProblems);
  });
});

describe('unknown-expectations', () => {
  const suite = JSON.stringify(
    {
      name: 's',
      meta: { great_expectations_version: '1.3.0' },
      expectations: [
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'a' } },
        { type: 'expect_column_values_to_be_valid_iban', kwargs: { column: 'iban' } },
      ],
    },
    null,
    2,
  );

  it('fails by default, naming the expectation', () => {
    expect(problem(() => parseGxSuite(suite, 'suite.json')).message).toMatch(/unknown expectation 'expect_column_values_to_be_valid_iban'/);
  });

  it('warn: runs the rest and lists the skipped ones with where they are', () => {
    const set = parseGxSuite(suite, 'suite.json', { unknownExpectations: 'warn' });
    expect(set.rules.map((r) => r.expectation.type)).toEqual(['expect_column_values_to_not_be_null']);
    expect(set.skipped).toEqual([
      { type: 'expect_column_values_to_be_valid_iban', source: 'suite.json:14', reason: 'data-gate does not know this expectation' },
    ]);
    const yaml = parseRulesFile(
      'version: 1\nrules:\n  - expectation: column_values_to_be_valid_iban\n    column: a\n  - expectation: column_values_to_not_be_null\n    column: a\n',
      'r.yml',
      {
        unknownExpectations: 'warn',
      },
    );
    expect(yaml.skipped).toEqual([
      { type: 'column_values_to_be_valid_iban', source: 'r.yml:3', reason: 'data-gate does not know this expectation' },
    ]);
  });

  it('warn still reports real mistakes in known expectations', () => {
    const broken = suite.replace('"column": "a"', '"column": 5');
    expect(problem(() => parseGxSuite(broken, 'suite.json', { unknownExpectations: 'warn' })).message).toMatch(
      /'column' must be a non-empty string, got 5/,
    );
  });
});
