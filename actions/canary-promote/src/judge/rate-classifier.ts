// Rate metrics (errors, conversions, accuracy as correct/total) judged the Bayesian way: beta-binomial posteriors
// (Beta(1, 1) prior), the probability that the canary's rate is worse and the expected loss of choosing it. The
// canary fails the metric (High for a rate that is bad going up, Low for one bad going down) when it is worse with
// probability >= `probability` and choosing it would lose more than `expectedLoss` (absolute rate); it passes when
// it is better or as good with that probability or its expected loss is under the tolerance.
import { compareRates, posterior, type RateComparison } from '#shared/stats/bayesian/index.js';
import type { MetricClassification } from './classification.js';

export interface RateCounts {
  successes: number;
  trials: number;
}

export interface RateSettings {
  /** increase: the rate is bad when it goes up (errors); decrease: bad when it goes down (accuracy). */
  direction: 'increase' | 'decrease';
  critical: boolean;
  mustHaveData: boolean;
  /** Probability of being worse at which the canary fails the metric (default 0.95). */
  probability: number;
  /** Expected loss (absolute rate) the canary may cost before it fails the metric (default 0.001). */
  expectedLoss: number;
}

export interface RateJudgement extends MetricClassification {
  comparison?: RateComparison;
}

export function classifyRate(baseline: RateCounts, canary: RateCounts, settings: RateSettings): RateJudgement {
  if (baseline.trials === 0 || canary.trials === 0) {
    const reason = `Missing data: ${canary.trials === 0 ? 'the canary' : 'the baseline'} has no trials`;
    if (settings.mustHaveData && !settings.critical) return { classification: 'NodataFailure', critical: false, reason };
    return { classification: 'Nodata', critical: settings.critical, reason };
  }
  // "better" for the canary: a lower rate when the rate is bad going up
  const comparison = compareRates(
    posterior(baseline.successes, baseline.trials),
    posterior(canary.successes, canary.trials),
    settings.direction === 'decrease',
  );
  const worse = 1 - comparison.probabilityBetter;
  if (worse >= settings.probability && comparison.expectedLoss > settings.expectedLoss) {
    const classification = settings.direction === 'increase' ? 'High' : 'Low';
    return {
      classification,
      critical: settings.critical,
      reason: `worse with probability ${worse.toFixed(3)} and an expected loss of ${comparison.expectedLoss.toPrecision(3)}`,
      comparison,
    };
  }
  return { classification: 'Pass', critical: false, comparison };
}
