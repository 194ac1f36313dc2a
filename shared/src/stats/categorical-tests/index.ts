// Drift tests for categorical features on aligned reference/current count vectors over the union of categories.
export type { TestResult } from './test-result.js';
export { chiSquareContingency, gTest } from './chi-square-tests.js';
export { zTestTwoProportions } from './z-test-two-proportions.js';
export { fisherExact2x2 } from './fisher-exact.js';
export { chiSquareSurvival } from './chi-square-survival.js';
export { contingencyTable, yatesCorrected, type ContingencyTable } from './contingency-table.js';
