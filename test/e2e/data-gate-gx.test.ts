// A Great Expectations user's suite through the built dist/index.js, as the runner starts it: a suite saved by
// Python's json (bare Infinity, -Infinity) with row_conditions in GX and pandas syntax, unknown expectations skipped
// under unknown-expectations: warn, every config mistake in one run, and a rule GX raises on failing the step.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runBuiltAction, type ActionRunResult } from '../support/run-built-action.js';
import { expectCleanFailure } from '../support/action-assertions.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'data-gate', 'gx');
const work = mkdtempSync(join(tmpdir(), 'data-gate-gx-e2e-'));
copyFileSync(join(FIXTURES, 'flights.csv'), join(work, 'flights.csv'));
copyFileSync(join(FIXTURES, 'flights.gx-1.x.json'), join(work, 'flights.gx-1.x.json'));

function dataGate(inputs: Record<string, string>): Promise<ActionRunResult> {
  return runBuiltAction({ action: 'data-gate', inputs: { data: 'flights.csv', ...inputs }, cwd: work });
}

type Results = {
  results: { success: boolean; result: Record<string, unknown>; exception_info: { raised_exception: boolean }; meta: { rule: string } }[];
  meta: { data_gate: Record<string, unknown> };
};
const resultOf = (run: ActionRunResult): Results => JSON.parse(readFileSync(run.outputs['result-json'], 'utf8'));

describe('a GX-saved suite with Infinity and row_condition', () => {
  test('loads, judges each conditional rule on its rows and fails on the delayed flight', async () => {
    const run = await dataGate({ suite: 'flights.gx-1.x.json', 'report-dir': 'r1' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.passed).toBe('false');
    const gx = resultOf(run);
    // KL divergence over bins [-inf, 1000, 2000, inf]: observed [3/8, 1/8, 4/8] against [1/4, 1/4, 1/2] (scipy: 0.0654).
    expect(gx.results[0].success).toBe(true);
    expect(gx.results[0].result.observed_value as number).toBeCloseTo(0.375 * Math.log(1.5) + 0.125 * Math.log(0.5), 12);
    // col("status") != "cancelled" keeps 7 of 8 rows; dep_delay 2000 (row 6, line 8) is above 180.
    expect(gx.results[1].result).toMatchObject({
      element_count: 7,
      unexpected_count: 1,
      partial_unexpected_list: [2000],
      partial_unexpected_index_list: [6],
    });
    // carrier == "DL" (pandas syntax) keeps 3 rows, all in the set.
    expect(gx.results[2]).toMatchObject({ success: true, result: { element_count: 3, unexpected_count: 0 } });
    // max_value: Infinity holds any mean.
    expect(gx.results[3].success).toBe(true);
    expect(run.summary).toContain('180');
    expect(run.summary).toMatch(/flights\.csv:8 \| 2000 \|/);
  });
});

describe('unknown-expectations', () => {
  const suite = (extra: unknown[]) =>
    JSON.stringify(
      {
        name: 's',
        meta: { great_expectations_version: '1.3.0' },
        expectations: [{ type: 'expect_column_values_to_not_be_null', kwargs: { column: 'carrier' } }, ...extra],
      },
      null,
      2,
    );

  test('warn: runs the rest and lists the skipped expectation in the summary and the result', async () => {
    writeFileSync(
      join(work, 'unknown.json'),
      suite([{ type: 'expect_column_values_to_be_valid_iata_code', kwargs: { column: 'origin' } }]),
    );
    const run = await dataGate({ suite: 'unknown.json', 'unknown-expectations': 'warn', 'report-dir': 'r2' });
    expect(run.exitCode).toBe(0);
    expect(run.summary).toContain('`expect_column_values_to_be_valid_iata_code` (unknown.json:14)');
    expect(resultOf(run).meta.data_gate.skipped_expectations).toEqual([
      { type: 'expect_column_values_to_be_valid_iata_code', source: 'unknown.json:14', reason: 'data-gate does not know this expectation' },
    ]);
  });

  test('fail (the default) refuses the suite, naming the expectation and its line', async () => {
    expectCleanFailure(
      await dataGate({ suite: 'unknown.json' }),
      /unknown\.json:14.*unknown expectation 'expect_column_values_to_be_valid_iata_code'/,
    );
  });

  test('a wrong value is a clear input error', async () => {
    expectCleanFailure(
      await dataGate({ suite: 'unknown.json', 'unknown-expectations': 'ignore' }),
      /Invalid value for input 'unknown-expectations': 'ignore'/,
    );
  });
});

describe('config errors and raised rules', () => {
  test('every mistake of a rules file in one run, each with file:line', async () => {
    writeFileSync(
      join(work, 'two-mistakes.yml'),
      'version: 1\nrules:\n  - expectation: column_values_to_be_in_set\n    column: carrier\n  - expectation: column_values_to_not_be_null\n    column: dest\n    mostly: 3\n',
    );
    const run = await dataGate({ rules: 'two-mistakes.yml' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/2 problems in two-mistakes\.yml/);
    expect(run.stdout + run.stderr).toMatch(/two-mistakes\.yml:3: rule 1/);
    expect(run.stdout + run.stderr).toMatch(/two-mistakes\.yml:7: rule 2/);
  });

  test('a rule GX raises on fails the step with its exception', async () => {
    writeFileSync(
      join(work, 'raises.yml'),
      'version: 1\nrules:\n  - expectation: column_mean_to_be_between\n    column: carrier\n    min_value: 0\n    severity: warning\n',
    );
    const run = await dataGate({ rules: 'raises.yml', 'report-dir': 'r3' });
    expect(run.exitCode).toBe(1);
    expect(resultOf(run).results[0].exception_info.raised_exception).toBe(true);
    expect(run.summary).toMatch(/1 rule raised an error and could not be judged/);
    expect(run.summary).toContain('TypeError: could not convert string to float');
  });
});
