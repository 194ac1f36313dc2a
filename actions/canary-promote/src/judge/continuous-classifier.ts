// Kayenta's NetflixACAJudge classifier for a continuous metric (MannWhitneyClassifier in spinnaker/kayenta's
// kayenta-judge), reimplemented: the canary is High (Low) when the confidence interval of the location shift
// canary - baseline (Hodges-Lehmann, Mann-Whitney) lies above +tolerance * |estimate| (below -tolerance * |estimate|)
// in a direction that counts, and the effect size (mean ratio canary/baseline, or CLES) reaches the allowed
// increase (decrease); a critical metric fails critically only past its critical effect sizes. Kayenta's own
// ClassifierSuite cases are reproduced in test/unit/canary-promote/judge/continuous-classifier.test.ts.
import { hodgesLehmannInterval, mannWhitneySorted, type ShiftInterval } from '#shared/stats/rank-tests/index.js';
import { sortFloat64InPlace } from '#shared/stats/sorting/radix-sort-float64.js';
import type { Classification, Direction, MetricClassification, NanStrategy } from './classification.js';

export type EffectSizeMeasure = 'mean-ratio' | 'cles';

export interface EffectSizeTolerance {
  measure: EffectSizeMeasure;
  /** The canary may reach this effect size upwards before it counts as High (mean ratio 1.1 = 10% more). */
  allowedIncrease: number;
  allowedDecrease: number;
  /** A critical metric fails critically (rollback at once) only at or past these. */
  criticalIncrease: number;
  criticalDecrease: number;
}

export interface ContinuousSettings {
  direction: Direction;
  critical: boolean;
  /** Kayenta's isDataRequired: missing data fails the metric (NodataFailure) without failing the canary critically. */
  mustHaveData: boolean;
  nanStrategy: NanStrategy;
  confidence: number;
  /** Fraction of |estimate| the interval must clear (Kayenta's judge: 0.25). */
  tolerance: number;
  effectSize: EffectSizeTolerance;
}

export interface ContinuousJudgement extends MetricClassification {
  interval?: ShiftInterval;
  pValue?: number;
  /** Mean ratio canary / baseline (NaN when a mean is 0, as Kayenta reports it; 1 when identical). */
  ratio: number;
  effectSize: number;
}

export const DEFAULT_EFFECT_SIZE: EffectSizeTolerance = {
  measure: 'mean-ratio',
  allowedIncrease: 1,
  allowedDecrease: 1,
  criticalIncrease: 1,
  criticalDecrease: 1,
};

/** Sorts both samples in place (the caller's NaN handling already applied: they hold no NaN). */
export function classifyContinuous(baseline: Float64Array, canary: Float64Array, settings: ContinuousSettings): ContinuousJudgement {
  if (baseline.length === 0 || canary.length === 0) {
    if (settings.nanStrategy === 'replace') return { classification: 'Pass', critical: false, ratio: 1, effectSize: NaN };
    const reason = `Missing data: ${canary.length === 0 ? 'the canary' : 'the baseline'} has no values`;
    if (settings.mustHaveData && !settings.critical)
      return { classification: 'NodataFailure', critical: false, reason, ratio: 1, effectSize: NaN };
    return { classification: 'Nodata', critical: settings.critical, reason, ratio: 1, effectSize: NaN };
  }
  sortFloat64InPlace(baseline);
  sortFloat64InPlace(canary);
  if (sameValues(baseline, canary))
    return { classification: 'Pass', critical: false, reason: 'The canary and baseline data are identical', ratio: 1, effectSize: NaN };
  if (baseline[0] === baseline[baseline.length - 1] && canary[0] === canary[canary.length - 1] && baseline[0] === canary[0])
    return { classification: 'Pass', critical: false, ratio: 1, effectSize: NaN };

  const interval = shiftInterval(canary, baseline, settings.confidence);
  const pValue = mannWhitneySorted(canary, baseline).pValue;
  const ratio = meanRatio(baseline, canary);
  const effectSize = settings.effectSize.measure === 'cles' ? cles(baseline, canary) : ratio;
  const { direction, effectSize: es } = settings;
  const bound = settings.tolerance * Math.abs(interval.estimate);
  const high =
    (direction === 'increase' || direction === 'either') &&
    interval.lower > bound &&
    (Number.isNaN(effectSize) || effectSize >= es.allowedIncrease);
  const low =
    (direction === 'decrease' || direction === 'either') &&
    interval.upper < -bound &&
    (Number.isNaN(effectSize) || effectSize <= es.allowedDecrease);
  const classification: Classification = high ? 'High' : low ? 'Low' : 'Pass';
  const criticalFailure =
    settings.critical &&
    ((high && (Number.isNaN(effectSize) || effectSize >= es.criticalIncrease)) ||
      (low && (Number.isNaN(effectSize) || effectSize <= es.criticalDecrease)));
  const reason = classification === 'Pass' ? undefined : `classified as ${classification}${criticalFailure ? ' (critical)' : ''}`;
  return { classification, critical: criticalFailure, reason, interval, pValue, ratio, effectSize };
}

/**
 * The interval of canary - baseline. Two constant samples have no interval (every rank tied); Kayenta adds
 * Gaussian noise of relative size 1e-5 to them, which leaves the interval at the difference of the constants:
 * that difference is used directly.
 */
function shiftInterval(canary: Float64Array, baseline: Float64Array, confidence: number): ShiftInterval {
  if (canary[0] === canary[canary.length - 1] && baseline[0] === baseline[baseline.length - 1]) {
    const d = canary[0] - baseline[0];
    return { estimate: d, lower: d, upper: d, confidence, method: 'exact' };
  }
  return hodgesLehmannInterval(canary, baseline, confidence);
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** experiment mean / control mean; NaN when either mean is 0 (Kayenta's EffectSizes.meanRatio). */
export function meanRatio(baseline: Float64Array, canary: Float64Array): number {
  const b = mean(baseline);
  const c = mean(canary);
  return b === 0 || c === 0 ? NaN : c / b;
}

/** Common-language effect size: P(canary > baseline) + P(tie) / 2 (Vargha & Delaney), from the sorted samples. */
export function cles(baseline: Float64Array, canary: Float64Array): number {
  const { u } = mannWhitneySorted(canary, baseline);
  return u / (canary.length * baseline.length);
}
