// Beta-binomial comparison of two rates (errors, conversions, accuracy as correct/total): with a Beta(a0, b0) prior,
// each arm's rate is Beta(a0 + successes, b0 + failures). Probability that the canary's rate is the better one and
// the expected loss of choosing it, by one-dimensional quadrature of the exact posteriors:
//   P(pc > pb) = integral f_c(p) F_b(p) dp,
//   E[max(pb - pc, 0)] = integral f_c(p) E[max(pb - p, 0)] dp, with E[max(X - p, 0)] = mu_b (1 - I_p(a_b + 1, b_b)) - p (1 - I_p(a_b, b_b)).
// Checked against Evan Miller's closed form for P(B > A) and Chris Stucchio's for the loss (integer parameters) in
// test/unit/canary-promote/stats/beta-binomial.test.ts.
import betaCdf from '@stdlib/stats-base-dists-beta-cdf';
import betaln from '@stdlib/math-base-special-betaln';

export interface BetaPosterior {
  alpha: number;
  beta: number;
}

export interface RateComparison {
  /** P(canary's rate is better), "better" following `higherIsBetter`. */
  probabilityBetter: number;
  /** Expected loss of choosing the canary: E[max(better arm's rate - canary's rate, 0)] in rate units. */
  expectedLoss: number;
  baselineRate: number;
  canaryRate: number;
}

export function posterior(successes: number, trials: number, prior: BetaPosterior = { alpha: 1, beta: 1 }): BetaPosterior {
  return { alpha: prior.alpha + successes, beta: prior.beta + trials - successes };
}

export function compareRates(baseline: BetaPosterior, canary: BetaPosterior, higherIsBetter: boolean): RateComparison {
  const baselineRate = baseline.alpha / (baseline.alpha + baseline.beta);
  const canaryRate = canary.alpha / (canary.alpha + canary.beta);
  // "lower is better" (errors) is "higher is better" for the failure rates: swap alpha and beta.
  const b = higherIsBetter ? baseline : { alpha: baseline.beta, beta: baseline.alpha };
  const c = higherIsBetter ? canary : { alpha: canary.beta, beta: canary.alpha };
  return { probabilityBetter: probabilityGreater(c, b), expectedLoss: expectedShortfall(c, b), baselineRate, canaryRate };
}

/** P(X > Y) for X ~ Beta(x), Y ~ Beta(y). */
export function probabilityGreater(x: BetaPosterior, y: BetaPosterior): number {
  return integrate(x, (p) => betaCdf(p, y.alpha, y.beta));
}

/** E[max(Y - X, 0)] for X ~ Beta(x), Y ~ Beta(y): what choosing X loses against Y on average. */
export function expectedShortfall(x: BetaPosterior, y: BetaPosterior): number {
  const meanY = y.alpha / (y.alpha + y.beta);
  return integrate(x, (p) => meanY * (1 - betaCdf(p, y.alpha + 1, y.beta)) - p * (1 - betaCdf(p, y.alpha, y.beta)));
}

const NODES = 8192;

/** integral over p of pdf_x(p) g(p): composite Simpson over x's bulk (+-30 sd: beyond, a Beta with a = 1 still keeps mass ~1e-9 at 14 sd; g is smooth). */
function integrate(x: BetaPosterior, g: (p: number) => number): number {
  const bulk = (d: BetaPosterior) => {
    const s = d.alpha + d.beta;
    const mean = d.alpha / s;
    const sd = Math.sqrt((d.alpha * d.beta) / (s * s * (s + 1)));
    return [Math.max(0, mean - 30 * sd), Math.min(1, mean + 30 * sd)];
  };
  const [lo, hi] = bulk(x);
  if (!(hi > lo)) return g(lo);
  const lnB = betaln(x.alpha, x.beta);
  const pdf = (p: number) => {
    // at the ends the density is 0 unless the exponent is 0 (alpha or beta = 1: a flat prior with no data on a side)
    if (p <= 0) return x.alpha === 1 ? Math.exp(-lnB) : 0;
    if (p >= 1) return x.beta === 1 ? Math.exp(-lnB) : 0;
    return Math.exp((x.alpha - 1) * Math.log(p) + (x.beta - 1) * Math.log1p(-p) - lnB);
  };
  const h = (hi - lo) / NODES;
  let sum = 0;
  for (let i = 0; i <= NODES; i++) {
    const p = lo + i * h;
    const w = i === 0 || i === NODES ? 1 : i % 2 === 1 ? 4 : 2;
    sum += w * pdf(p) * g(p);
  }
  return Math.min(Math.max((sum * h) / 3, 0), 1);
}
