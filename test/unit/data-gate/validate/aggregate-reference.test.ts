// Column aggregates against pandas/scipy reference values (test/fixtures/data-gate/aggregates/, from the committed
// generate_aggregate_vectors.py): the observed values GX users would see for the same data.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { dump } from 'js-yaml';
import { parseRulesFile } from '../../../../actions/data-gate/src/rules/parse-rules-file.js';
import { validateDataset } from '../../../../actions/data-gate/src/validate/validate-dataset.js';
import type { ExpectationResult } from '../../../../actions/data-gate/src/validate/validation-result.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '../../../fixtures/data-gate/aggregates');
const data = join(fixtures, 'aggregates.csv');
const reference = JSON.parse(readFileSync(join(fixtures, 'aggregates.json'), 'utf8'));

async function observe(rules: Record<string, unknown>[], budgetBytes = 64 << 20): Promise<ExpectationResult[]> {
  const ruleSet = parseRulesFile(dump({ version: 1, rules }), 'rules.yml');
  const { result } = await validateDataset({ data: [data], ruleSet, failOn: 'error', budgetBytes });
  return result.results;
}

function close(actual: unknown, expected: number, tolerance = 1e-9): void {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

describe('column aggregates match pandas and scipy', () => {
  for (const column of ['amount', 'score', 'small']) {
    test(`min, max, mean, sum, stdev, median, distinct counts of '${column}'`, async () => {
      const want = reference.columns[column];
      const names = ['min', 'max', 'mean', 'sum', 'stdev', 'median'] as const;
      const results = await observe([
        ...names.map((name) => ({ expectation: `expect_column_${name}_to_be_between`, column, min_value: -1e12, max_value: 1e12 })),
        { expectation: 'expect_column_unique_value_count_to_be_between', column, min_value: 0 },
        { expectation: 'expect_column_proportion_of_unique_values_to_be_between', column, min_value: 0 },
      ]);
      names.forEach((name, i) => close((results[i].result as { observed_value: unknown }).observed_value, want[name]));
      expect((results[6].result as { observed_value: unknown }).observed_value).toBe(want.unique_value_count);
      close((results[7].result as { observed_value: unknown }).observed_value, want.proportion_unique);
      expect(results.every((r) => r.success)).toBe(true);
    });

    test(`quantiles of '${column}' for every pandas interpolation`, async () => {
      const quantiles = [0.05, 0.25, 0.5, 0.9, 0.999];
      const methods = Object.keys(reference.columns[column].quantiles);
      const results = await observe(
        methods.map((method) => ({
          expectation: 'expect_column_quantile_values_to_be_between',
          column,
          quantile_ranges: { quantiles, value_ranges: quantiles.map(() => [null, null]) },
          allow_relative_error: method,
        })),
      );
      methods.forEach((method, i) => {
        const observed = (results[i].result as { observed_value: { values: number[] } }).observed_value.values;
        observed.forEach((v, k) => close(v, reference.columns[column].quantiles[method][k]));
      });
    });
  }

  test('KL divergence from a categorical and a binned partition equals scipy.stats.entropy', async () => {
    const [categorical, binned] = await observe([
      {
        expectation: 'expect_column_kl_divergence_to_be_less_than',
        column: 'grade',
        partition_object: { values: reference.kl_categorical.values, weights: reference.kl_categorical.weights },
        threshold: 0.1,
      },
      {
        expectation: 'expect_column_kl_divergence_to_be_less_than',
        column: 'score',
        partition_object: { bins: reference.kl_binned.bins, weights: reference.kl_binned.weights },
        threshold: 0.1,
      },
    ]);
    close((categorical.result as { observed_value: unknown }).observed_value, reference.kl_categorical.kl, 1e-12);
    close((binned.result as { observed_value: unknown }).observed_value, reference.kl_binned.kl, 1e-12);
    expect(categorical.success).toBe(reference.kl_categorical.kl <= 0.1);
  });

  test('the most common value is the pandas mode', async () => {
    const [result] = await observe([
      { expectation: 'expect_column_most_common_value_to_be_in_set', column: 'small', value_set: reference.most_common_small },
    ]);
    expect((result.result as { observed_value: unknown }).observed_value).toEqual(reference.most_common_small);
    expect(result.success).toBe(true);
  });

  test('past the memory budget, quantiles come from the sketch within its stated relative error', async () => {
    const quantiles = [0.25, 0.5, 0.9];
    const [result] = await observe(
      [
        {
          expectation: 'expect_column_quantile_values_to_be_between',
          column: 'amount',
          quantile_ranges: { quantiles, value_ranges: quantiles.map(() => [null, null]) },
        },
      ],
      16 * 1024,
    );
    const r = result.result as { observed_value: { values: number[] }; details?: Record<string, unknown> };
    expect(String(r.details?.estimate)).toMatch(/relative error 0.005/);
    r.observed_value.values.forEach((v, k) => {
      const exact = reference.columns.amount.quantiles.nearest[[1, 2, 3][k]];
      expect(Math.abs(v - exact) / exact).toBeLessThanOrEqual(0.0051 + 0.002);
    });
  });
});
