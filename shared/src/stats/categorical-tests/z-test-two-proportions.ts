// Two-proportion z-test for a two-category feature, as Evidently's z stattest (proportions_diff_z_stat_ind and
// proportions_diff_z_test): the share of "not the first category" in reference vs current, pooled variance.
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { checkCountVectors } from './contingency-table.js';
import type { TestResult } from './test-result.js';

/**
 * Counts are [first category, second category] (more entries are summed into the second, as Evidently codes every
 * value but the first sorted key as 1). Evidently uses the first category in sorted order; pass counts in that
 * order to get its sign of z. The p-value 2 * (1 - Phi(|z|)) is computed as 2 * Phi(-|z|), the same number
 * without cancellation for large |z|. When all values in both samples are one category, p is 1 (as in Evidently).
 */
export function zTestTwoProportions(referenceCounts: ArrayLike<number>, currentCounts: ArrayLike<number>): TestResult {
  checkCountVectors(referenceCounts, currentCounts);
  if (referenceCounts.length < 2) return { statistic: 0, pValue: 1 };
  const split = (counts: ArrayLike<number>): [number, number] => {
    let others = 0;
    for (let i = 1; i < counts.length; i++) others += counts[i];
    return [counts[0] + others, others];
  };
  const [n1, ones1] = split(referenceCounts);
  const [n2, ones2] = split(currentCounts);
  const p1 = ones1 / n1;
  const p2 = ones2 / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  if (pooled === 0 || pooled === 1) return { statistic: 0, pValue: 1 };
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
  return { statistic: z, pValue: 2 * normalCdf(-Math.abs(z), 0, 1) };
}
