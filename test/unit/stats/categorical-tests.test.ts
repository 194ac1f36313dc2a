// The categorical drift tests must give scipy's statistics and p-values (and Evidently's for the z-test), with new
// categories in the current data counted rather than dropped.
import { readFileSync } from 'node:fs';
import {
  chiSquareContingency,
  chiSquareSurvival,
  fisherExact2x2,
  gTest,
  zTestTwoProportions,
  type TestResult,
} from '#shared/stats/categorical-tests/index.js';

interface Expected {
  statistic: number;
  pValue: number;
}
interface MultiCase {
  name: string;
  reference: number[];
  current: number[];
  chiSquare: Expected & { dof: number };
  gTest: Expected & { dof: number };
}
interface BinaryCase {
  name: string;
  reference: number[];
  current: number[];
  fisher: { statistic: number | string | null; pValue: number };
  z: Expected & { pValueSf?: number };
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/stats/categorical/categorical.json', import.meta.url), 'utf8')) as {
  multi: MultiCase[];
  binary: BinaryCase[];
};

function expectStatistic(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}
function expectPValue(actual: number, expected: number): void {
  if (expected === 0) expect(actual).toBeLessThan(1e-300);
  else expect(Math.abs(actual - expected) / expected).toBeLessThanOrEqual(1e-6);
}
function expectResult(actual: TestResult, expected: Expected): void {
  expectStatistic(actual.statistic, expected.statistic);
  expectPValue(actual.pValue, expected.pValue);
}

describe('chi-square and G tests on category counts', () => {
  const cases = fixture.multi.map((c) => [c.name, c] as const);
  it.each(cases)('chi-square equals scipy chi2_contingency: %s', (_, c) =>
    expectResult(chiSquareContingency(c.reference, c.current), c.chiSquare),
  );
  it.each(cases)("G-test equals chi2_contingency(lambda_='log-likelihood'): %s", (_, c) =>
    expectResult(gTest(c.reference, c.current), c.gTest),
  );

  it('counts a category that only appears in the current data', () => {
    const withNew = chiSquareContingency([60, 40, 0], [50, 30, 20]);
    const dropped = chiSquareContingency([60, 40], [50, 30]);
    expect(withNew.pValue).toBeLessThan(0.001);
    expect(dropped.pValue).toBeGreaterThan(0.5);
  });

  it('refuses an empty sample instead of returning a meaningless p-value', () => {
    expect(() => chiSquareContingency([0, 0], [3, 4])).toThrow(/reference sample has no values/);
    expect(() => gTest([1, 2], [1])).toThrow(/align them/);
  });

  it('keeps precision for p-values far below 1e-16', () => {
    expect(chiSquareSurvival(400, 3)).toBeGreaterThan(0);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });
});

describe('two-category tests', () => {
  const cases = fixture.binary.map((c) => [c.name, c] as const);

  it.each(cases)('Fisher exact p-value and odds ratio equal scipy fisher_exact: %s', (_, c) => {
    const result = fisherExact2x2(c.reference, c.current);
    expectPValue(result.pValue, c.fisher.pValue);
    if (c.fisher.statistic === null) expect(result.statistic).toBeNaN();
    else if (c.fisher.statistic === 'Infinity') expect(result.statistic).toBe(Infinity);
    else expectStatistic(result.statistic, c.fisher.statistic as number);
  });

  it.each(cases)("z-test equals Evidently's proportions_diff_z_test: %s", (_, c) => {
    const result = zTestTwoProportions(c.reference, c.current);
    expectStatistic(result.statistic, c.z.statistic);
    // Evidently's 2 * (1 - cdf) loses digits below ~1e-8; ours is the exact tail 2 * sf, which equals it above
    expectPValue(result.pValue, c.z.pValueSf ?? c.z.pValue);
    if (c.z.pValue > 1e-8) expectPValue(result.pValue, c.z.pValue);
  });

  it('Fisher exact needs exactly two categories of whole counts', () => {
    expect(() => fisherExact2x2([1, 2, 3], [1, 2, 3])).toThrow(/exactly two categories/);
    expect(() => fisherExact2x2([1.5, 2], [1, 2])).toThrow(/whole counts/);
  });
});
