// The judgement of a canary: every metric classified (continuous: Kayenta's Mann-Whitney classifier; rate:
// beta-binomial; optionally always-valid for repeated looks), then scored as Kayenta scores. Pure: samples in,
// verdicts out.
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { sequentialTest } from '#shared/stats/sequential/index.js';
import type { CanaryConfig } from '../config/metrics-config.js';
import type { LoadedMetric } from '../metrics/load-metrics.js';
import type { Classification, Direction } from './classification.js';
import { classifyContinuous } from './continuous-classifier.js';
import { classifyRate, type RateCounts } from './rate-classifier.js';
import { summariseRate, summariseSorted, type ContinuousSummary, type RateSummary } from './sample-summary.js';
import { scoreMetrics, type ScoreResult } from './scorer.js';

export interface MetricVerdict {
  name: string;
  kind: 'continuous' | 'rate';
  classification: Classification;
  /** The metric is marked critical in the config. */
  critical: boolean;
  /** It failed critically: rollback whatever the score. */
  criticalFailure: boolean;
  direction: Direction;
  groups: string[];
  baseline: ContinuousSummary | RateSummary | { count: 0 };
  canary: ContinuousSummary | RateSummary | { count: 0 };
  /** Hodges-Lehmann shift canary - baseline (continuous) or rate difference (rate). */
  estimate?: number;
  interval?: [number, number];
  pValue?: number;
  probabilityBetter?: number;
  expectedLoss?: number;
  /** Mean ratio canary / baseline. */
  ratio?: number;
  /** Always-valid p-value of no difference (sequential looks). */
  sequentialPValue?: number;
  /** Fewer samples (trials) than the metric's min-samples on a side. */
  tooFewSamples: boolean;
  reason?: string;
}

export interface Judgement {
  metrics: MetricVerdict[];
  score: ScoreResult;
}

export function judgeCanary(loaded: LoadedMetric[], config: CanaryConfig, confidence: number): Judgement {
  const metrics = loaded.map((m) => judgeMetric(m, config, confidence));
  const score = scoreMetrics(
    metrics.map((m) => ({
      name: m.name,
      classification: m.classification,
      critical: m.criticalFailure,
      groups: m.groups,
      reportOnly: loaded.find((l) => l.config.name === m.name)!.config.reportOnly,
    })),
    config.groupWeights,
  );
  return { metrics, score };
}

function judgeMetric({ config: metric, samples, nan }: LoadedMetric, config: CanaryConfig, confidence: number): MetricVerdict {
  const common = { name: metric.name, kind: metric.kind, critical: metric.critical, direction: metric.direction, groups: metric.groups };
  if (samples.kind === 'rate' && metric.kind === 'rate') {
    const r = classifyRate(samples.baseline, samples.canary, {
      direction: metric.direction,
      critical: metric.critical,
      mustHaveData: metric.mustHaveData,
      probability: metric.probability,
      expectedLoss: metric.expectedLoss,
    });
    const b = summariseRate(samples.baseline);
    const c = summariseRate(samples.canary);
    const verdict: MetricVerdict = {
      ...common,
      classification: r.classification,
      criticalFailure: r.critical && r.classification !== 'Pass',
      baseline: b,
      canary: c,
      estimate: c.rate - b.rate,
      interval: b.trials > 0 && c.trials > 0 ? rateDifferenceInterval(samples.baseline, samples.canary, confidence) : undefined,
      probabilityBetter: r.comparison?.probabilityBetter,
      expectedLoss: r.comparison?.expectedLoss,
      tooFewSamples: Math.min(samples.baseline.trials, samples.canary.trials) < metric.minSamples,
      reason: r.reason,
    };
    if (config.sequential && b.trials > 0 && c.trials > 0) {
      const variance = (b.rate * (1 - b.rate)) / b.trials + (c.rate * (1 - c.rate)) / c.trials;
      const s = sequentialTest({
        estimate: c.rate - b.rate,
        variance,
        n: b.trials + c.trials,
        alpha: 1 - confidence,
        tuning: config.sequential.tuning,
      });
      verdict.sequentialPValue = s.pValue;
      verdict.interval = [s.lower, s.upper];
      // a failure must also hold up under repeated looks
      if (verdict.classification !== 'Pass' && s.pValue >= 1 - confidence) holdBack(verdict, s.pValue, confidence);
    }
    return verdict;
  }
  if (samples.kind !== 'continuous' || metric.kind !== 'continuous')
    throw new Error(`metric ${metric.name}: samples do not match its kind`);
  const baseline = samples.baseline;
  const canary = samples.canary;
  const k = classifyContinuous(baseline, canary, {
    direction: metric.direction,
    critical: metric.critical,
    mustHaveData: metric.mustHaveData,
    nanStrategy: metric.nanStrategy,
    confidence,
    tolerance: config.tolerance,
    effectSize: metric.effectSize,
  });
  // classifyContinuous sorted both samples in place
  const verdict: MetricVerdict = {
    ...common,
    classification: k.classification,
    criticalFailure: k.critical && k.classification !== 'Pass',
    baseline: summariseSorted(baseline, nan.baseline),
    canary: summariseSorted(canary, nan.canary),
    estimate: k.interval?.estimate,
    interval: k.interval ? [k.interval.lower, k.interval.upper] : undefined,
    pValue: k.pValue,
    ratio: k.ratio,
    tooFewSamples: Math.min(baseline.length, canary.length) < metric.minSamples,
    reason: samples.sampled
      ? `${k.reason ? `${k.reason}; ` : ''}judged on a uniform random sample of the values (more than memory-budget-mb holds)`
      : k.reason,
  };
  if (config.sequential && baseline.length > 1 && canary.length > 1) {
    const b = verdict.baseline as ContinuousSummary;
    const c = verdict.canary as ContinuousSummary;
    const variance = sampleVariance(baseline, b.mean) / baseline.length + sampleVariance(canary, c.mean) / canary.length;
    const s = sequentialTest({
      estimate: c.mean - b.mean,
      variance,
      n: baseline.length + canary.length,
      alpha: 1 - confidence,
      tuning: config.sequential.tuning,
    });
    verdict.sequentialPValue = s.pValue;
    if (verdict.classification !== 'Pass' && s.pValue >= 1 - confidence) holdBack(verdict, s.pValue, confidence);
  }
  return verdict;
}

/**
 * Sequential mode: a difference the fixed-horizon test sees but the always-valid test does not yet is no verdict:
 * the metric waits (Inconclusive: neither promotes nor fails the canary) for the next look.
 */
function holdBack(verdict: MetricVerdict, pValue: number, confidence: number): void {
  verdict.reason = `${verdict.classification} at this look, but not yet under repeated looks (always-valid p = ${pValue.toPrecision(3)} >= ${(1 - confidence).toPrecision(2)})`;
  verdict.classification = 'Inconclusive';
  verdict.criticalFailure = false;
}

/**
 * Credible interval of the rate difference canary - baseline under the Beta(1, 1) posteriors, by the normal
 * approximation of the difference of two Betas (mean and variance exact).
 */
function rateDifferenceInterval(baseline: RateCounts, canary: RateCounts, confidence: number): [number, number] {
  const moments = ({ successes, trials }: RateCounts) => {
    const a = successes + 1;
    const b = trials - successes + 1;
    return { mean: a / (a + b), variance: (a * b) / ((a + b) ** 2 * (a + b + 1)) };
  };
  const mb = moments(baseline);
  const mc = moments(canary);
  const half = normalQuantile(1 - (1 - confidence) / 2, 0, 1) * Math.sqrt(mb.variance + mc.variance);
  return [mc.mean - mb.mean - half, mc.mean - mb.mean + half];
}

function sampleVariance(values: Float64Array, mean: number): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i] - mean) ** 2;
  return s / (values.length - 1);
}
