// A failure people can act on: each broken rule with its parameters, `mostly` against the share met (never "<0.1%"
// where the threshold is finer), the observed value and failing rows by file:line; rules that raised and skipped
// expectations listed.
import { gateSummaryMarkdown, gateVerdict, mostlyLine, preciseShare } from '../../../actions/data-gate/src/report/gate-summary.js';
import type { ExpectationResult, ValidationResult } from '../../../actions/data-gate/src/validate/validation-result.js';
import { csv, validate } from './gx-support.js';

function rowRule(over: Partial<ExpectationResult['meta']> & { kwargs?: Record<string, unknown> }): ExpectationResult {
  const { kwargs = {}, ...meta } = over;
  return {
    success: false,
    expectation_config: {
      type: 'expect_column_values_to_be_between',
      kwargs: { column: 'amount', min_value: 0, max_value: 5000, mostly: 0.9999, ...kwargs },
      meta: {},
    },
    result: { element_count: 508_239, unexpected_count: 53 },
    exception_info: { raised_exception: false, exception_message: null, exception_traceback: null },
    meta: {
      rule: 'amount in range',
      severity: 'error',
      kind: 'row',
      source: 'rules.yml:4',
      failing_rows: [{ row: 9, file: 'loans.csv', line: 11, values: { amount: 9000 } }],
      unexpected_count: 53,
      considered_count: 508_239,
      ...meta,
    },
  };
}

describe('the share of rows, as precise as the threshold', () => {
  it('says "99.99% required, 99.9896% met: 53 of 508,239 rows failed"', () => {
    expect(mostlyLine(rowRule({}))).toBe('99.99% required, 99.9896% met: 53 of 508,239 rows failed');
  });

  it('never rounds a small share to <0.1% or a big one to 100%', () => {
    expect(preciseShare(53 / 508_239)).toBe('0.01%');
    expect(preciseShare(1 / 10_000_000)).toBe('0.00001%');
    expect(preciseShare(0.999_999)).toBe('99.9999%');
    expect(preciseShare(0.25)).toBe('25%');
  });
});

describe('the summary', () => {
  const result: ValidationResult = {
    success: false,
    statistics: { evaluated_expectations: 2, successful_expectations: 0, unsuccessful_expectations: 2, success_percent: 0 },
    results: [
      rowRule({}),
      {
        ...rowRule({ rule: 'mean', source: 'rules.yml:9' }),
        result: {},
        exception_info: {
          raised_exception: true,
          exception_message: 'TypeError: could not convert string to float',
          exception_traceback: null,
        },
      },
    ],
    meta: {
      schema_version: '1.0',
      data_gate: {
        passed: false,
        fail_on: 'error',
        data: ['loans.csv'],
        rules_file: 'rules.yml',
        rows: 508_239,
        failed_rows: 53,
        failed_error_rules: ['amount in range', 'mean'],
        failed_warning_rules: [],
        raised_rules: ['mean'],
        skipped_expectations: [
          { type: 'expect_column_values_to_be_valid_iban', source: 'rules.yml:12', reason: 'data-gate does not know this expectation' },
        ],
        threads: 1,
        run_time: '2026-01-01T00:00:00.000Z',
      },
    },
  };
  const md = gateSummaryMarkdown(result);

  it('leads with the rules that raised', () => {
    expect(gateVerdict(result)).toMatch(/^❌ \*\*data-gate failed\*\*: 1 rule raised an error and could not be judged \('mean'\)/);
    expect(md).toContain('- **mean** (rules.yml:9): TypeError: could not convert string to float');
  });

  it('shows each broken rule with its parameters, the mostly line and rows by file:line', () => {
    expect(md).toContain('- Parameters: min_value: 0, max_value: 5000');
    expect(md).toContain('- 99.99% required, 99.9896% met: 53 of 508,239 rows failed');
    expect(md).toContain('| loans.csv:11 | 9000 |');
    expect(md).not.toContain('<0.1%');
  });

  it('lists the skipped expectations', () => {
    expect(md).toContain('- `expect_column_values_to_be_valid_iban` (rules.yml:12): data-gate does not know this expectation');
  });

  it('works from a real pass too', async () => {
    const real = await validate(csv('sum.csv', ['id,amount', '1,5', '2,-1', '3,7']), [
      { expectation: 'expect_column_values_to_be_between', column: 'amount', min_value: 0, mostly: 0.9 },
      { expectation: 'expect_column_values_to_be_in_set', column: 'id', value_set: [1, 2], result_format: 'BOOLEAN_ONLY' },
    ]);
    const text = gateSummaryMarkdown(real);
    expect(text).toContain('90% required, 66.7% met: 1 of 3 rows failed');
    expect(text).toContain('33.3%');
    // BOOLEAN_ONLY keeps no counts in the result; the summary still has them from the pass.
    expect(text).toMatch(/column_values_to_be_in_set\(id\) \| error \| ❌ fail \| 1 \| 33\.3%/);
  });
});
