// Upper tail of the chi-square distribution, scipy.stats.chi2.sf(x, dof): the regularised upper incomplete gamma
// Q(dof / 2, x / 2). Taken from @stdlib's gammainc in its upper form, which keeps relative precision for tiny
// p-values where 1 - cdf would round to 0.
import gammainc from '@stdlib/math-base-special-gammainc';

export function chiSquareSurvival(x: number, dof: number): number {
  if (x <= 0) return 1;
  return gammainc(x / 2, dof / 2, true, true);
}
