// A column's numbers for the aggregate rules: the shared holder (exact values while they fit the rule's share of the
// memory budget, then a relative-error sketch; exact running moments throughout), under the names the rules use.
export { NumericValues, SKETCH_RELATIVE_ERROR, type Interpolation } from '#shared/stats/sketches/numeric-values.js';
/** Exact count, min, max, sum, mean and sample standard deviation of a column's numbers, in one pass. */
export { RunningMoments as Moments } from '#shared/stats/sketches/running-moments.js';
