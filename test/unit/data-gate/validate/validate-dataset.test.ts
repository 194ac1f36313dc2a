// The validation pass as a data engineer meets it: GX's counting rules (nulls out of `mostly`), failing rows with
// file and line, a bad value that fails its rule instead of crashing the run, uniqueness over every occurrence.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { parseRulesFile } from '../../../../actions/data-gate/src/rules/parse-rules-file.js';
import { validateDataset } from '../../../../actions/data-gate/src/validate/validate-dataset.js';
import type { ExpectationResult, ExpectationResultDetails } from '../../../../actions/data-gate/src/validate/validation-result.js';

const dir = mkdtempSync(join(tmpdir(), 'data-gate-validate-'));

function csv(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function validate(
  data: string,
  rules: Record<string, unknown>[],
  extra: { columns?: Record<string, string>; budgetBytes?: number } = {},
) {
  // COMPLETE: these tests read every unexpected value and row index (GX 1.x's default SUMMARY keeps 20 of them).
  const ruleSet = parseRulesFile(
    dump({ version: 1, result_format: 'COMPLETE', ...(extra.columns ? { columns: extra.columns } : {}), rules }),
    'rules.yml',
  );
  return validateDataset({ data: [data], ruleSet, failOn: 'error', budgetBytes: extra.budgetBytes ?? 64 << 20 });
}

const detailsOf = (r: ExpectationResult) => r.result as ExpectationResultDetails;

const loans = csv('loans.csv', [
  'loan_id,amount,grade,email,issued,paid',
  'L1,1000,A,a@x.io,2024-01-02,200',
  'L2,,B,b@x.io,2024-01-03,100',
  'L3,-50,Z,not-an-email,2024-01-04,300',
  'L4,250000,A,d@x.io,2024-01-05,400',
  'L2,700,C,,2024-01-06,800',
  'L6,900,B,f@x.io,2024-01-07,100',
]);

describe('row rules', () => {
  test('a range rule counts nulls as missing, not unexpected, and lists failing rows with their lines', async () => {
    const { result } = await validate(loans, [
      { expectation: 'expect_column_values_to_be_between', column: 'amount', min_value: 0, max_value: 100000 },
    ]);
    const r = detailsOf(result.results[0]);
    expect(r.element_count).toBe(6);
    expect(r.missing_count).toBe(1);
    expect(r.unexpected_count).toBe(2);
    expect(r.unexpected_percent).toBeCloseTo(40, 12);
    expect(r.unexpected_percent_total).toBeCloseTo((2 / 6) * 100, 12);
    expect(r.unexpected_index_list).toEqual([2, 3]);
    expect(r.partial_unexpected_list).toEqual([-50, 250000]);
    expect(result.results[0].meta.failing_rows.map((f) => [f.row, f.line])).toEqual([
      [2, 4],
      [3, 5],
    ]);
    expect(result.success).toBe(false);
    expect(result.meta.data_gate.passed).toBe(false);
  });

  test('mostly is the share of non-null values that must pass, as in GX; nulls_count_as_unexpected counts nulls too', async () => {
    const rule = { expectation: 'expect_column_values_to_match_regex', column: 'email', regex: '^[^@]+@[^@]+$' };
    const { result } = await validate(loans, [
      { ...rule, mostly: 0.8 },
      { ...rule, mostly: 0.8, nulls_count_as_unexpected: true, name: 'strict email' },
    ]);
    expect(detailsOf(result.results[0]).unexpected_count).toBe(1);
    expect(result.results[0].success).toBe(true); // 4 of 5 non-null values match: 0.8
    expect(detailsOf(result.results[1]).unexpected_count).toBe(2);
    expect(result.results[1].success).toBe(false); // 4 of 6
  });

  test('set, pair and null rules', async () => {
    const { result } = await validate(loans, [
      { expectation: 'expect_column_values_to_be_in_set', column: 'grade', value_set: ['A', 'B', 'C'] },
      { expectation: 'expect_column_pair_values_a_to_be_greater_than_b', column_A: 'amount', column_B: 'paid' },
      { expectation: 'expect_column_values_to_not_be_null', column: 'email' },
    ]);
    expect(detailsOf(result.results[0]).unexpected_index_list).toEqual([2]);
    // Row 1 has no amount: not both missing, so it is judged, and fails, as GX's default ignore_row_if does.
    expect(detailsOf(result.results[1]).unexpected_index_list).toEqual([1, 2, 4]);
    expect(detailsOf(result.results[2]).unexpected_index_list).toEqual([4]);
  });

  test('a word in a numerical column fails the rule for that row, naming file, line and column, and the run goes on', async () => {
    const data = csv('clash.csv', ['id,amount', ...Array.from({ length: 1500 }, (_, i) => `${i},${i === 1200 ? 'twelve' : i}`)]);
    const { result } = await validate(data, [
      { expectation: 'expect_column_values_to_be_between', column: 'amount', min_value: 0 },
      { expectation: 'expect_column_mean_to_be_between', column: 'amount', min_value: 0 },
    ]);
    const between = result.results[0];
    expect(detailsOf(between).unexpected_index_list).toEqual([1200]);
    expect(detailsOf(between).partial_unexpected_list).toEqual(['twelve']);
    expect(between.meta.failing_rows[0]).toMatchObject({ row: 1200, file: data, line: 1202, invalid: { amount: 'twelve' } });
    // pandas cannot average a column holding a word: GX's column.mean raises, and so does the rule here.
    expect(result.results[1].exception_info.raised_exception).toBe(true);
    expect(result.results[1].exception_info.exception_message).toMatch(/^TypeError: could not convert string to float/);
  });

  test('uniqueness flags every occurrence of a repeated value, with values read back for the report', async () => {
    const { result, brokenRules } = await validate(loans, [{ expectation: 'expect_column_values_to_be_unique', column: 'loan_id' }]);
    const r = detailsOf(result.results[0]);
    expect(r.unexpected_index_list).toEqual([1, 4]);
    expect(r.unexpected_list).toEqual(['L2', 'L2']);
    expect(result.results[0].meta.failing_rows.map((f) => f.line)).toEqual([3, 6]);
    expect(brokenRules(1)).toEqual(['column_values_to_be_unique(loan_id)']);
    expect(brokenRules(0)).toBeUndefined();
  });

  test('only error-level row rules send rows to the failed side', async () => {
    const outcome = await validate(loans, [
      { expectation: 'expect_column_values_to_be_in_set', column: 'grade', value_set: ['A', 'B', 'C'], name: 'grade known' },
      { expectation: 'expect_column_values_to_not_be_null', column: 'email', severity: 'warning', name: 'email present' },
    ]);
    expect(outcome.brokenRules(2)).toEqual(['grade known']);
    expect(outcome.brokenRules(4)).toBeUndefined();
    expect(outcome.result.meta.data_gate.failed_rows).toBe(1);
    expect(outcome.result.meta.data_gate.failed_warning_rules).toEqual(['email present']);
  });
});

describe('uniqueness past the memory budget', () => {
  test('spilling to disk finds exactly the duplicates the in-memory table finds', async () => {
    const rows = 20000;
    const ids = Array.from({ length: rows }, (_, i) => (i % 997 === 0 && i > 0 ? `id-${i - 500}` : `id-${i}`));
    const data = csv('ids.csv', ['id,n', ...ids.map((id, i) => `${id},${i % 1000 === 0 && i > 0 ? i - 1 : i}`)]);
    const rules = [
      { expectation: 'expect_column_values_to_be_unique', column: 'id' },
      { expectation: 'expect_column_values_to_be_unique', column: 'n' },
      { expectation: 'expect_column_unique_value_count_to_be_between', column: 'id', min_value: 0 },
      { expectation: 'expect_compound_columns_to_be_unique', column_list: ['id', 'n'] },
    ];
    const inMemory = await validate(data, rules);
    const spilled = await validate(data, rules, { budgetBytes: 64 * 1024 });
    expect(String(detailsOf(spilled.result.results[0]).details?.uniqueness)).toMatch(/spilled/);
    expect(String(detailsOf(inMemory.result.results[0]).details?.uniqueness)).toMatch(/in memory/);
    for (let k = 0; k < rules.length; k++) {
      const a = inMemory.result.results[k].result as ExpectationResultDetails;
      const b = spilled.result.results[k].result as ExpectationResultDetails;
      expect(b.unexpected_index_list).toEqual(a.unexpected_index_list);
      expect(b.observed_value).toEqual(a.observed_value);
    }
    const firstRow = new Map<string, number>();
    const expectedDuplicates = new Set<number>();
    ids.forEach((id, i) => {
      const first = firstRow.get(id);
      if (first === undefined) firstRow.set(id, i);
      else expectedDuplicates.add(i).add(first);
    });
    expect(detailsOf(inMemory.result.results[0]).unexpected_index_list).toEqual([...expectedDuplicates].sort((x, y) => x - y));
    expect(detailsOf(inMemory.result.results[2]).observed_value).toBe(new Set(ids).size);
  });
});

describe('table rules and a rule on a missing column', () => {
  test('row count and columns', async () => {
    const { result } = await validate(loans, [
      { expectation: 'expect_table_row_count_to_be_between', min_value: 10 },
      { expectation: 'expect_table_columns_to_match_ordered_list', column_list: ['loan_id', 'amount', 'grade', 'email', 'issued', 'paid'] },
      { expectation: 'expect_column_to_exist', column: 'score' },
    ]);
    expect(result.results.map((r) => r.success)).toEqual([false, true, false]);
    expect(detailsOf(result.results[0]).observed_value).toBe(6);
  });

  test('a column rule on a column the data lacks is a clear error naming the rule and its line', async () => {
    await expect(validate(loans, [{ expectation: 'expect_column_values_to_not_be_null', column: 'score' }])).rejects.toThrow(
      /rule 1 'column_values_to_not_be_null\(score\)' \(rules\.yml:\d+\): column 'score' is not in the data .*Columns there: loan_id, amount/,
    );
  });
});

describe('RE2 regexes', () => {
  test('a catastrophic backtracking pattern runs in linear time', async () => {
    const data = csv('evil.csv', ['s', ...Array.from({ length: 50 }, () => `${'a'.repeat(3000)}b`)]);
    const { result } = await validate(data, [{ expectation: 'expect_column_values_to_match_regex', column: 's', regex: '^(a+)+$' }]);
    expect(detailsOf(result.results[0]).unexpected_count).toBe(50);
  });
});

describe('rules split over two passes', () => {
  test('a row with a field too many or too few at its end fails with file:line, though the passes skip row tails', async () => {
    const rules = [
      { expectation: 'expect_column_values_to_be_unique', column: 'loan_id' },
      { expectation: 'expect_column_values_to_be_between', column: 'amount', min_value: 0 },
    ];
    // Both groups read columns at the start of the row: only the one reaching furthest right walks the tails.
    const ruleSet = parseRulesFile(dump({ version: 1, rules }), 'rules.yml');
    for (const bad of ['L3,-50,Z,x@y.io,2024-01-04,300,extra', 'L3,-50,Z,x@y.io,2024-01-04']) {
      const data = csv('ragged.csv', [
        'loan_id,amount,grade,email,issued,paid',
        'L1,1000,A,a@x.io,2024-01-02,200',
        bad,
        'L4,7,A,d@x.io,2024-01-05,1',
      ]);
      await expect(validateDataset({ data: [data], ruleSet, failOn: 'error', budgetBytes: 64 << 20, threads: 2 })).rejects.toThrow(
        /ragged\.csv:3: expected 6 fields as in the header, found/,
      );
    }
  });

  test('give the same result, the same failing rows and the same quarantine verdicts as one pass', async () => {
    const rules = [
      { expectation: 'expect_table_row_count_to_be_between', min_value: 1 },
      { expectation: 'expect_column_values_to_be_unique', column: 'loan_id' },
      { expectation: 'expect_column_values_to_be_between', column: 'amount', min_value: 0, max_value: 100000 },
      { expectation: 'expect_column_values_to_be_in_set', column: 'grade', value_set: ['A', 'B', 'C'] },
      { expectation: 'expect_column_values_to_match_regex', column: 'email', regex: '@', severity: 'warning' },
      { expectation: 'expect_column_pair_values_a_to_be_greater_than_b', column_A: 'amount', column_B: 'paid' },
      { expectation: 'expect_column_mean_to_be_between', column: 'paid', min_value: 0 },
    ];
    const ruleSet = parseRulesFile(dump({ version: 1, rules }), 'rules.yml');
    const now = new Date('2026-11-23T00:00:00Z');
    const one = await validateDataset({ data: [loans], ruleSet, failOn: 'error', budgetBytes: 64 << 20, threads: 1, now });
    const two = await validateDataset({ data: [loans], ruleSet, failOn: 'error', budgetBytes: 64 << 20, threads: 2, now });
    expect(two.result.meta.data_gate.threads).toBe(2);
    expect({ ...two.result, meta: { ...two.result.meta, data_gate: { ...two.result.meta.data_gate, threads: 1 } } }).toEqual(one.result);
    for (let row = 0; row < 6; row++) expect(two.brokenRules(row)).toEqual(one.brokenRules(row));
  });
});
