// Always-valid inference for repeated looks (each workflow run is a look), as GrowthBook documents its sequential
// testing (docs.growthbook.io/statistics/sequential): the asymptotic confidence sequence of Waudby-Smith et al.
// (2023, eq. 9), with mixture tuning rho = sqrt((-2 ln a + ln(-2 ln a + 1)) / N*), N* the sample size it is tuned
// for (GrowthBook's default 5000), and the matching mixture-SPRT e-value whose inverse is the always-valid p-value.
//   half-width = sqrt(s2 * 2 (N rho^2 + 1) / (N^2 rho^2) * ln(sqrt(N rho^2 + 1) / alpha)),  s2 = N * Var(estimate)
//   E = exp(rho^2 S / (2 (N rho^2 + 1))) / sqrt(N rho^2 + 1),  S = (estimate - null)^2 N / Var(estimate) ... p = min(1, 1/E)
// The two agree: the interval excludes the null exactly when p < alpha (tested).

export interface SequentialInput {
  /** The effect estimate (difference of means or of rates, canary - baseline). */
  estimate: number;
  /** Its variance (squared standard error). */
  variance: number;
  /** Total units over both arms. */
  n: number;
  alpha: number;
  /** The sample size the mixture is tuned for (GrowthBook: 5000). */
  tuning?: number;
  nullValue?: number;
}

export interface SequentialResult {
  pValue: number;
  lower: number;
  upper: number;
}

export const DEFAULT_SEQUENTIAL_TUNING = 5000;

export function mixtureRho(alpha: number, tuning = DEFAULT_SEQUENTIAL_TUNING): number {
  return Math.sqrt((-2 * Math.log(alpha) + Math.log(-2 * Math.log(alpha) + 1)) / tuning);
}

export function sequentialTest(input: SequentialInput): SequentialResult {
  const { estimate, variance, n, alpha } = input;
  const rho = mixtureRho(alpha, input.tuning);
  const nullValue = input.nullValue ?? 0;
  if (!(variance > 0) || !(n > 0)) return { pValue: estimate === nullValue ? 1 : 0, lower: estimate, upper: estimate };
  const nr2 = n * rho * rho;
  const s2 = variance * n;
  const half = Math.sqrt(((s2 * 2 * (nr2 + 1)) / (n * n * rho * rho)) * Math.log(Math.sqrt(nr2 + 1) / alpha));
  const st2 = ((estimate - nullValue) ** 2 * n) / variance;
  const logE = (rho * rho * st2) / (2 * (nr2 + 1)) - 0.5 * Math.log(nr2 + 1);
  return { pValue: Math.min(1, Math.exp(-logE)), lower: estimate - half, upper: estimate + half };
}
