// Regression quality from sums that merge across batches and shards: MAE, RMSE, MAPE and R^2 equal to sklearn's
// mean_absolute_error, mean_squared_error(squared=False), mean_absolute_percentage_error and r2_score.
// The target's spread for R^2 is kept as a mean and sum of squared deviations merged with Chan's formula, which
// stays accurate where a plain sum of squares would cancel.
import { isCount } from './classification-accumulator.js';

export interface RegressionMetrics {
  mae: number;
  rmse: number;
  /** Mean of |y - y_hat| / max(|y|, machine epsilon), as a fraction (not a percentage), like sklearn. */
  mape: number;
  r2: number;
  count: number;
  skipped: number;
}

export interface RegressionState {
  kind: 'regression';
  count: number;
  sumAbsoluteError: number;
  sumSquaredError: number;
  sumAbsolutePercentageError: number;
  targetMean: number;
  targetSquaredDeviations: number;
  skipped: number;
}

const EPSILON = 2.220446049250313e-16; // np.finfo(np.float64).eps, sklearn's MAPE guard against y = 0

export class RegressionAccumulator {
  private state: RegressionState = {
    kind: 'regression',
    count: 0,
    sumAbsoluteError: 0,
    sumSquaredError: 0,
    sumAbsolutePercentageError: 0,
    targetMean: 0,
    targetSquaredDeviations: 0,
    skipped: 0,
  };

  /** Rows where the target or the prediction is not finite (NaN for missing) are skipped and counted. */
  add(targets: ArrayLike<number>, predictions: ArrayLike<number>): void {
    if (targets.length !== predictions.length) {
      throw new RangeError(`got ${targets.length} targets but ${predictions.length} predictions; they must be row-aligned`);
    }
    const batch: RegressionState = { ...this.emptyState() };
    let sumTargets = 0;
    for (let i = 0; i < targets.length; i++) {
      const y = targets[i];
      const yHat = predictions[i];
      if (!Number.isFinite(y) || !Number.isFinite(yHat)) {
        batch.skipped++;
        continue;
      }
      const error = Math.abs(y - yHat);
      batch.count++;
      batch.sumAbsoluteError += error;
      batch.sumSquaredError += error * error;
      batch.sumAbsolutePercentageError += error / Math.max(Math.abs(y), EPSILON);
      sumTargets += y;
    }
    if (batch.count > 0) {
      // two passes within the batch for the mean and squared deviations, then a merge
      batch.targetMean = sumTargets / batch.count;
      let deviations = 0;
      for (let i = 0; i < targets.length; i++) {
        if (!Number.isFinite(targets[i]) || !Number.isFinite(predictions[i])) continue;
        deviations += (targets[i] - batch.targetMean) ** 2;
      }
      batch.targetSquaredDeviations = deviations;
    }
    this.state = combine(this.state, batch);
  }

  merge(other: RegressionAccumulator): void {
    this.state = combine(this.state, other.state);
  }

  result(): RegressionMetrics {
    const s = this.state;
    const n = s.count;
    let r2 = NaN; // sklearn: R^2 is not defined for fewer than two samples
    if (n >= 2) {
      // sklearn's force_finite: a constant target gives 1 for perfect predictions, else 0
      if (s.targetSquaredDeviations === 0) r2 = s.sumSquaredError === 0 ? 1 : 0;
      else r2 = 1 - s.sumSquaredError / s.targetSquaredDeviations;
    }
    return {
      mae: n ? s.sumAbsoluteError / n : NaN,
      rmse: n ? Math.sqrt(s.sumSquaredError / n) : NaN,
      mape: n ? s.sumAbsolutePercentageError / n : NaN,
      r2,
      count: n,
      skipped: s.skipped,
    };
  }

  toJSON(): RegressionState {
    return { ...this.state };
  }

  static fromJSON(state: unknown): RegressionAccumulator {
    const s = state as Partial<RegressionState> | null;
    const sums = [s?.sumAbsoluteError, s?.sumSquaredError, s?.sumAbsolutePercentageError, s?.targetMean, s?.targetSquaredDeviations];
    if (
      !s ||
      s.kind !== 'regression' ||
      !isCount(s.count) ||
      !isCount(s.skipped) ||
      !sums.every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      throw new TypeError('not a saved regression accumulator (expected kind "regression" with counts and finite sums)');
    }
    const acc = new RegressionAccumulator();
    acc.state = { ...(s as RegressionState) };
    return acc;
  }

  private emptyState(): RegressionState {
    return {
      kind: 'regression',
      count: 0,
      sumAbsoluteError: 0,
      sumSquaredError: 0,
      sumAbsolutePercentageError: 0,
      targetMean: 0,
      targetSquaredDeviations: 0,
      skipped: 0,
    };
  }
}

/** Chan et al.'s pairwise merge of counts, sums, means and squared deviations. */
function combine(a: RegressionState, b: RegressionState): RegressionState {
  const count = a.count + b.count;
  const delta = b.targetMean - a.targetMean;
  return {
    kind: 'regression',
    count,
    sumAbsoluteError: a.sumAbsoluteError + b.sumAbsoluteError,
    sumSquaredError: a.sumSquaredError + b.sumSquaredError,
    sumAbsolutePercentageError: a.sumAbsolutePercentageError + b.sumAbsolutePercentageError,
    targetMean: count ? a.targetMean + (delta * b.count) / count : 0,
    targetSquaredDeviations: count
      ? a.targetSquaredDeviations + b.targetSquaredDeviations + (delta * delta * a.count * b.count) / count
      : 0,
    skipped: a.skipped + b.skipped,
  };
}
