// Every drift method by its usual name: whether it is a test (drift when p < threshold) or a distance (drift when
// statistic >= threshold), which column kinds it applies to, and its customary threshold.

export type MethodName =
  | 'ks'
  | 'wasserstein'
  | 'psi'
  | 'kl_div'
  | 'jensenshannon'
  | 'hellinger'
  | 'anderson'
  | 'cramer_von_mises'
  | 'mannw'
  | 't_test'
  | 'energy_distance'
  | 'empirical_mmd'
  | 'chisquare'
  | 'z'
  | 'tvd'
  | 'fisher_exact'
  | 'g_test';

export interface MethodInfo {
  name: MethodName;
  kind: 'test' | 'distance';
  numerical: boolean;
  categorical: boolean;
  defaultThreshold: number;
  description: string;
}

const method = (
  name: MethodName,
  kind: MethodInfo['kind'],
  applies: 'numerical' | 'categorical' | 'both',
  defaultThreshold: number,
  description: string,
): MethodInfo => ({
  name,
  kind,
  numerical: applies !== 'categorical',
  categorical: applies !== 'numerical',
  defaultThreshold,
  description,
});

export const METHODS: Record<MethodName, MethodInfo> = {
  ks: method('ks', 'test', 'numerical', 0.05, 'two-sample Kolmogorov-Smirnov (scipy ks_2samp)'),
  wasserstein: method('wasserstein', 'distance', 'numerical', 0.1, 'Wasserstein distance normed by the reference std'),
  psi: method('psi', 'distance', 'both', 0.1, 'population stability index'),
  kl_div: method('kl_div', 'distance', 'both', 0.1, 'Kullback-Leibler divergence'),
  jensenshannon: method('jensenshannon', 'distance', 'both', 0.1, 'Jensen-Shannon distance (natural log)'),
  hellinger: method('hellinger', 'distance', 'both', 0.1, 'Hellinger distance'),
  anderson: method('anderson', 'test', 'numerical', 0.05, 'Anderson-Darling k-sample (scipy anderson_ksamp)'),
  cramer_von_mises: method('cramer_von_mises', 'test', 'numerical', 0.05, 'Cramér-von Mises two-sample'),
  mannw: method('mannw', 'test', 'numerical', 0.05, 'Mann-Whitney U'),
  t_test: method('t_test', 'test', 'numerical', 0.05, "Student's t-test (scipy ttest_ind, as Evidently)"),
  energy_distance: method('energy_distance', 'distance', 'numerical', 0.1, 'energy distance'),
  empirical_mmd: method('empirical_mmd', 'test', 'numerical', 0.05, 'maximum mean discrepancy, permutation test'),
  chisquare: method('chisquare', 'test', 'categorical', 0.05, 'chi-square test of the reference/current contingency'),
  z: method('z', 'test', 'categorical', 0.05, 'two-proportion Z-test (two categories)'),
  tvd: method('tvd', 'distance', 'categorical', 0.1, 'total variation distance'),
  fisher_exact: method('fisher_exact', 'test', 'categorical', 0.05, "Fisher's exact test (two categories)"),
  g_test: method('g_test', 'test', 'categorical', 0.05, 'G-test (log-likelihood ratio)'),
};

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(METHODS, name);
}

/** True when the statistic (or p-value) crosses the threshold. */
export function isDrift(info: MethodInfo, statistic: number, pValue: number | null, threshold: number): boolean {
  if (info.kind === 'test') return pValue !== null && pValue < threshold;
  return statistic >= threshold;
}

/** Sort key for reports: higher means more drift, comparable within one method. */
export function driftScore(info: MethodInfo, statistic: number, pValue: number | null): number {
  return info.kind === 'test' ? 1 - (pValue ?? 1) : statistic;
}
