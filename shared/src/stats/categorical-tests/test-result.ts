// The shape every categorical drift test returns.

export interface TestResult {
  /** The test statistic (chi-square, G, z, or for Fisher's test the sample odds ratio). */
  statistic: number;
  /** Two-sided p-value in [0, 1]. */
  pValue: number;
}
