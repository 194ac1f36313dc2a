// Rank tests on sorted samples: scipy's Mann-Whitney U and R's Hodges-Lehmann shift interval, for canary judges.
export { mannWhitneySorted, type MannWhitneyResult } from './mann-whitney-sorted.js';
export { hodgesLehmannInterval, qwilcox, wilcoxonDiff, R_EMULATION_LIMIT, type ShiftInterval } from './hodges-lehmann.js';
export { kthPairwiseDifference, pairwiseDifferencesAtRanks } from './pairwise-differences.js';
export { shiftedRankSum } from './wilcoxon-shift.js';
export { zeroin } from './r-zeroin.js';
