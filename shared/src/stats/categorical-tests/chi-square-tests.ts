// Pearson's chi-square and the G (log-likelihood ratio) test of homogeneity between the reference and current
// category counts, equal to scipy.stats.chi2_contingency([ref, cur]) with its default Yates correction.
import { chiSquareSurvival } from './chi-square-survival.js';
import { contingencyTable, yatesCorrected } from './contingency-table.js';
import type { TestResult } from './test-result.js';

type Divergence = (observed: number, expected: number) => number;

const pearson: Divergence = (o, e) => (o - e) ** 2 / e;
/** scipy's 2 * xlogy(o, o / e): 0 when o is 0. */
const logLikelihood: Divergence = (o, e) => (o === 0 ? 0 : 2.0 * o * Math.log(o / e));

function powerDivergenceTest(referenceCounts: ArrayLike<number>, currentCounts: ArrayLike<number>, term: Divergence): TestResult {
  const table = contingencyTable(referenceCounts, currentCounts);
  // one category in all: observed equals expected, scipy's degenerate case
  if (table.dof === 0) return { statistic: 0, pValue: 1 };
  const observed = table.dof === 1 ? yatesCorrected(table) : table.observed;
  let statistic = 0;
  for (let r = 0; r < 2; r++) {
    for (let j = 0; j < observed[r].length; j++) statistic += term(observed[r][j], table.expected[r][j]);
  }
  return { statistic, pValue: chiSquareSurvival(statistic, table.dof) };
}

/** scipy.stats.chi2_contingency([ref, cur]): statistic and p-value; categories empty in both are dropped. */
export function chiSquareContingency(referenceCounts: ArrayLike<number>, currentCounts: ArrayLike<number>): TestResult {
  return powerDivergenceTest(referenceCounts, currentCounts, pearson);
}

/** scipy.stats.chi2_contingency([ref, cur], lambda_='log-likelihood'): the G-test. */
export function gTest(referenceCounts: ArrayLike<number>, currentCounts: ArrayLike<number>): TestResult {
  return powerDivergenceTest(referenceCounts, currentCounts, logLikelihood);
}
