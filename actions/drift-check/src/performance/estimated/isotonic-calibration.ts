// Isotonic calibration of scores into probabilities, as scikit-learn's IsotonicRegression(out_of_bounds='clip',
// increasing=True) fits and predicts it (NannyML's default calibrator for CBPE): tied scores pooled into their
// weighted mean label, pool-adjacent-violators over the distinct scores, and predictions interpolated linearly
// between the fitted points (np.interp), clipped to the end values outside them. Checked against sklearn 1.2 by
// test/unit/drift-check/estimated-performance.test.ts (test/fixtures/drift-check/cbpe/generate.py).

export interface IsotonicCalibration {
  /** Distinct scores, ascending. */
  scores: Float64Array;
  /** The fitted, non-decreasing probability at each score. */
  probabilities: Float64Array;
}

/** Fits on distinct scores (ascending) with the share of positives at each and its weight (rows). */
export function fitIsotonic(scores: ArrayLike<number>, positiveShares: ArrayLike<number>, weights: ArrayLike<number>): IsotonicCalibration {
  const n = scores.length;
  // Pool adjacent violators: a stack of blocks, each with its weighted mean and weight and the points it covers.
  const means = new Float64Array(n);
  const blockWeights = new Float64Array(n);
  const sizes = new Int32Array(n);
  let blocks = 0;
  for (let i = 0; i < n; i++) {
    means[blocks] = positiveShares[i];
    blockWeights[blocks] = weights[i];
    sizes[blocks] = 1;
    blocks++;
    while (blocks > 1 && means[blocks - 2] >= means[blocks - 1]) {
      const w = blockWeights[blocks - 2] + blockWeights[blocks - 1];
      means[blocks - 2] = (means[blocks - 2] * blockWeights[blocks - 2] + means[blocks - 1] * blockWeights[blocks - 1]) / w;
      blockWeights[blocks - 2] = w;
      sizes[blocks - 2] += sizes[blocks - 1];
      blocks--;
    }
  }
  const probabilities = new Float64Array(n);
  for (let b = 0, i = 0; b < blocks; b++) for (let k = 0; k < sizes[b]; k++) probabilities[i++] = means[b];
  return { scores: Float64Array.from(scores), probabilities };
}

/** The calibrated probability of a score: np.interp over the fitted points. */
export function calibrate(calibration: IsotonicCalibration, score: number): number {
  const { scores: xs, probabilities: ys } = calibration;
  const n = xs.length;
  if (n === 0) return NaN;
  if (score <= xs[0]) return ys[0];
  if (score >= xs[n - 1]) return ys[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= score) lo = mid;
    else hi = mid;
  }
  if (xs[lo] === score) return ys[lo];
  const t = (score - xs[lo]) / (xs[hi] - xs[lo]);
  return ys[lo] + t * (ys[hi] - ys[lo]);
}
