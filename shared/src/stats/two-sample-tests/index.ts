// Two-sample hypothesis tests and distances for numerical drift checks, each a pure function matching scipy 1.10.

export type { TwoSampleResult } from './numpy-arithmetic.js';
export { ks2samp, ks2sampSorted, ksStatisticSorted, ksAsymptoticPValue, KS_MAX_EXACT_N } from './kolmogorov-smirnov.js';
export { kolmogorovSmirnovSf, smirnovSf } from './kolmogorov-distribution.js';
export { andersonKSamp, andersonSignificanceLevel, AD_CRITICAL_VALUES } from './anderson-darling.js';
export { cramerVonMises2samp, cdfCvmInf, CVM_MAX_EXACT_N } from './cramer-von-mises.js';
export { mannWhitneyU, MWU_EXACT_MAX_SMALLER_N } from './mann-whitney.js';
export { tTest, tTestFromMoments, type TTestOptions, type SampleMoments } from './t-test.js';
export { energyDistance, wassersteinDistance, normedWasserstein, type NormedWassersteinOptions } from './cdf-distances.js';
