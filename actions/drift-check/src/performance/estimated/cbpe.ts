// Performance estimated without labels: confidence-based performance estimation (CBPE) as NannyML does it for a
// binary classifier. The reference (labels known) calibrates the scores into probabilities with isotonic regression;
// each current row's calibrated probability p then counts as p of a positive and 1 - p of a negative, which gives the
// expected confusion matrix and from it accuracy, precision, recall and F1 (macro over the two classes, like
// drift-check's realised metrics), and the expected ROC curve. Pure: score bins in, estimates out.
//
// Band: NannyML's sampling error, a standard error computed on the reference and scaled to the current row count
// (std / sqrt(n * share of the rows the metric looks at)), drawn at +-1.96 (95%; NannyML draws +-3). For ROC AUC the
// standard error keeps both Mann-Whitney terms (DeLong: the positives' placements among the negatives and the
// negatives' among the positives); NannyML's keeps the first only, and its band held the held-back truth in 62% of
// the generating script's 400 trials against 77% with both (accuracy, precision, recall, F1: 88-92%; the reference's
// error rates stand in for the current data's, which is where the shortfall comes from).
//
// NannyML fits the calibrator only when cross-validation shows it lowers the expected calibration error; that needs
// row-level resampling of the reference, so here the scores are always calibrated: on scores already calibrated the
// isotonic fit stays close to the identity.
//
// Approximation: scores come in bins (score-bins.ts). Scores with up to three decimals fall one value a bin and every
// number here equals sklearn and NannyML's formulas (the test holds it to 1e-9). Continuous scores sharing a bin count
// as tied at the bin's mean score: the calibration is fitted on those pooled ties and read at the bin mean, and the
// ROC curve is drawn through one point a bin (the chord across the bin instead of the steps inside it), which can
// only move the area by the rows of one bin: on 4,000 current rows of 12-decimal scores the estimates differ from the
// exact computation by at most 5.0e-5 (ROC AUC 1.1e-5; the test allows 1e-4: estimated-performance.test.ts).
import { calibrate, fitIsotonic, type IsotonicCalibration } from './isotonic-calibration.js';
import type { Confusion, ScoreBins } from './score-bins.js';

export const ESTIMATED_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'] as const;
export type EstimatedMetricName = (typeof ESTIMATED_METRICS)[number];

/** The normal quantile of a two-sided 95% band. */
const Z95 = 1.959963984540054;

export interface EstimatedMetric {
  metric: EstimatedMetricName;
  /** The reference's realised value (labels known). */
  reference: number;
  /** The estimate for the current data. */
  value: number;
  /** The 95% band around the estimate, clipped to [0, 1]. */
  lower: number;
  upper: number;
  sampling_error: number;
  /** Relative change from the reference in the bad direction (positive = worse). */
  degradation: number;
  degraded: boolean;
}

export interface EstimatedPerformance {
  method: 'cbpe';
  calibration: 'isotonic';
  /** Current rows with a score and a prediction, the n the band is scaled to. */
  rows: number;
  confidence: 0.95;
  metrics: EstimatedMetric[];
}

/** The estimate, or the reason there is none (no labelled reference scores, one class only, no current scores). */
export function estimatePerformance(
  reference: ScoreBins,
  current: ScoreBins,
  realisedReference: Partial<Record<string, number>>,
  tolerance: number,
): EstimatedPerformance | { unavailable: string } {
  const c = reference.confusion;
  const positives = c.truePositive + c.falseNegative;
  const negatives = c.falsePositive + c.trueNegative;
  if (positives === 0 || negatives === 0)
    return { unavailable: 'the reference needs labels of both classes beside its scores to calibrate them' };
  const rows = current.count;
  if (rows === 0) return { unavailable: 'the current data has no rows with both a score in [0, 1] and a prediction' };
  const calibration = referenceCalibration(reference);
  const estimates = estimateMetrics(calibration, current);
  const errors = samplingErrors(reference, rows);
  const metrics = ESTIMATED_METRICS.map((metric): EstimatedMetric => {
    const value = estimates[metric];
    const ref = realisedReference[metric] ?? NaN;
    const se = errors[metric];
    const degradation = ref === 0 ? (value < 0 ? Infinity : 0) : (ref - value) / Math.abs(ref);
    return {
      metric,
      reference: ref,
      value,
      lower: Math.max(0, value - Z95 * se),
      upper: Math.min(1, value + Z95 * se),
      sampling_error: se,
      degradation,
      degraded: degradation > tolerance,
    };
  });
  return { method: 'cbpe', calibration: 'isotonic', rows, confidence: 0.95, metrics };
}

/** Isotonic regression of the label on the score, over the reference's labelled bins. */
export function referenceCalibration(reference: ScoreBins): IsotonicCalibration {
  const bins = reference.occupied().filter((b) => b.labelled > 0);
  return fitIsotonic(
    bins.map((b) => b.score),
    bins.map((b) => b.positives / b.labelled),
    bins.map((b) => b.labelled),
  );
}

/** CBPE's estimates from the current bins and the calibration (NannyML's estimate_* functions, binned). */
export function estimateMetrics(calibration: IsotonicCalibration, current: ScoreBins): Record<EstimatedMetricName, number> {
  const bins = current.occupied();
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  const probabilities = bins.map((b) => calibrate(calibration, b.score));
  bins.forEach((b, i) => {
    const p = probabilities[i];
    const predictedNegative = b.rows - b.predictedPositive;
    tp += b.predictedPositive * p;
    fp += b.predictedPositive * (1 - p);
    fn += predictedNegative * p;
    tn += predictedNegative * (1 - p);
  });
  const n = tp + fp + fn + tn;
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  return {
    accuracy: (tp + tn) / n,
    precision: (ratio(tp, tp + fp) + ratio(tn, tn + fn)) / 2,
    recall: (ratio(tp, tp + fn) + ratio(tn, tn + fp)) / 2,
    f1: (ratio(tp, tp + 0.5 * (fp + fn)) + ratio(tn, tn + 0.5 * (fn + fp))) / 2,
    roc_auc: expectedRocAuc(bins, probabilities),
  };
}

/** NannyML's estimate_roc_auc: rows by score, highest first, each adding p to the true and 1 - p to the false
 *  positives; the trapezoidal area under the curve of their shares. One point a bin. */
function expectedRocAuc(bins: { rows: number }[], probabilities: number[]): number {
  let truePositives = 0;
  let falsePositives = 0;
  for (let i = 0; i < bins.length; i++) {
    truePositives += bins[i].rows * probabilities[i];
    falsePositives += bins[i].rows * (1 - probabilities[i]);
  }
  let area = 0;
  let tp = 0;
  let fp = 0;
  for (let i = bins.length - 1; i >= 0; i--) {
    const nextTp = tp + bins[i].rows * probabilities[i];
    const nextFp = fp + bins[i].rows * (1 - probabilities[i]);
    area += ((nextFp - fp) / falsePositives) * ((nextTp + tp) / 2 / truePositives);
    tp = nextTp;
    fp = nextFp;
  }
  return area;
}

/** Standard errors for n current rows from the reference's components (NannyML's sampling_error modules). */
export function samplingErrors(reference: ScoreBins, n: number): Record<EstimatedMetricName, number> {
  const { truePositive: tp, falsePositive: fp, falseNegative: fn, trueNegative: tn } = reference.confusion;
  const total = tp + fp + fn + tn;
  const bernoulli = (hits: number, of: number) => (of === 0 ? 0 : (hits / of) * (1 - hits / of));
  // Multiclass (one vs rest) form: each class's variance over n times its share, summed, rooted, over the classes.
  const macro = (classes: [hits: number, of: number][]) =>
    Math.sqrt(classes.reduce((sum, [hits, of]) => sum + (of === 0 ? 0 : bernoulli(hits, of) / (n * (of / total))), 0)) / classes.length;
  const accuracy = (tp + tn) / total;
  return {
    accuracy: Math.sqrt(accuracy * (1 - accuracy)) / Math.sqrt(n),
    precision: macro([
      [tp, tp + fp],
      [tn, tn + fn],
    ]),
    recall: macro([
      [tp, tp + fn],
      [tn, tn + fp],
    ]),
    f1: macro([
      [tp, tp + fp + fn],
      [tn, tn + fn + fp],
    ]),
    roc_auc: rocAucSamplingError(reference, n, confusionPositives(reference.confusion) / total),
  };
}

function confusionPositives(c: Confusion): number {
  return c.truePositive + c.falseNegative;
}

/** DeLong's variance of the AUC from the reference's placements (ties one half), scaled to n rows. */
function rocAucSamplingError(reference: ScoreBins, n: number, positiveShare: number): number {
  const bins = reference.occupied().filter((b) => b.labelled > 0);
  let positives = 0;
  let negatives = 0;
  for (const b of bins) {
    positives += b.positives;
    negatives += b.labelled - b.positives;
  }
  // Placement of a positive: the share of negatives scored below it; of a negative: the share of positives above it.
  const pos = moments();
  const neg = moments();
  let negativesBelow = 0;
  let positivesBelow = 0;
  for (const b of bins) {
    const binNegatives = b.labelled - b.positives;
    pos.add((negativesBelow + binNegatives / 2) / negatives, b.positives);
    neg.add((positives - positivesBelow - b.positives / 2) / positives, binNegatives);
    negativesBelow += binNegatives;
    positivesBelow += b.positives;
  }
  return Math.sqrt(pos.variance() / (n * positiveShare) + neg.variance() / (n * (1 - positiveShare)));
}

/** Weighted population variance, Welford's update. */
function moments() {
  let weight = 0;
  let mean = 0;
  let m2 = 0;
  return {
    add(x: number, w: number) {
      if (w === 0) return;
      weight += w;
      const delta = x - mean;
      mean += (delta * w) / weight;
      m2 += w * delta * (x - mean);
    },
    variance: () => (weight === 0 ? 0 : m2 / weight),
  };
}
