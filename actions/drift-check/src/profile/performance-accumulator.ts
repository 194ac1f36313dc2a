// Model performance on a dataset with a target and a prediction column, accumulated batch by batch (and shard by
// shard) with the mergeable metric accumulators of the statistics library.
import type { RecordBatch, ColumnValues } from '#shared/data/index.js';
import { textCells } from '#shared/data/utf8-cells.js';
import { ClassificationAccumulator, RegressionAccumulator, RocAucAccumulator } from '#shared/stats/performance/index.js';
import { ScoreBins } from '../performance/estimated/score-bins.js';

export type Task = 'classification' | 'regression';

export interface PerformanceColumns {
  target: string;
  prediction: string;
  /** Probability of the positive class, for ROC AUC. */
  score?: string;
  /** Undefined: decided from the target's values (see resolvedTask). */
  task?: Task;
  /** This dataset has no target column (labels arrive later): only the scores are kept, for estimated performance. */
  labelsAbsent?: boolean;
}

/** A numerical target with whole values and at most this many distinct ones is taken for class labels. */
const MAX_INFERRED_CLASSES = 20;

/** Labels that count as the positive class for ROC AUC. */
const POSITIVE_LABELS = new Set(['1', '1.0', 'true', 'yes', 'positive', 'pos']);

export type PerformanceMetrics = Record<string, number>;

export class PerformanceAccumulator {
  private readonly classification = new ClassificationAccumulator();
  private readonly auc = new RocAucAccumulator();
  private readonly regression = new RegressionAccumulator();
  private hasScore = false;
  /** What the target looked like, for inferring the task: text labels, or whole numbers and how many. */
  private targetIsText = false;
  private targetWhole = true;
  private readonly targetValues = new Set<number>();
  /** With a score column: the scores in bins, with predictions and labels, for estimated performance (CBPE). */
  readonly scoreBins?: ScoreBins;

  constructor(readonly columns: PerformanceColumns) {
    if (columns.score && columns.task !== 'regression') this.scoreBins = new ScoreBins();
  }

  /** Whether any row had a label: false when the target column is absent or entirely missing. */
  get hasLabels(): boolean {
    return !this.columns.labelsAbsent && this.classification.result().count + this.regression.result().count > 0;
  }

  /** The task given, else classification for text or few whole-number labels, regression otherwise. */
  get resolvedTask(): Task {
    if (this.columns.task) return this.columns.task;
    return this.targetIsText || (this.targetWhole && this.targetValues.size <= MAX_INFERRED_CLASSES) ? 'classification' : 'regression';
  }

  addBatch(batch: RecordBatch, index: Map<string, number>): void {
    this.addScores(batch, index);
    if (this.columns.labelsAbsent) return;
    const target = batch.columns[index.get(this.columns.target)!];
    const prediction = batch.columns[index.get(this.columns.prediction)!];
    if (target.kind !== 'number') this.targetIsText = true;
    else if (this.targetWhole)
      for (let i = 0; i < target.values.length; i++) {
        const v = target.values[i];
        if (target.missing[i] || Number.isNaN(v)) continue;
        if (!Number.isInteger(v)) this.targetWhole = false;
        else if (this.targetValues.size <= MAX_INFERRED_CLASSES) this.targetValues.add(v);
      }
    // Without a given task both kinds of metric are accumulated; resolvedTask picks one at the end.
    if (this.columns.task !== 'regression') {
      const labels = asLabels(target);
      this.classification.add(labels, asLabels(prediction));
      if (this.columns.score) {
        const score = batch.columns[index.get(this.columns.score)!];
        if (score.kind !== 'number') return;
        const binary: number[] = [];
        const scores: number[] = [];
        for (let i = 0; i < labels.length; i++) {
          const label = labels[i];
          if (label === null || score.missing[i] || !Number.isFinite(score.values[i])) continue;
          binary.push(isPositive(label) ? 1 : 0);
          scores.push(score.values[i]);
        }
        this.auc.add(binary, scores);
        this.hasScore = true;
      }
    }
    if (this.columns.task !== 'classification' && target.kind === 'number' && prediction.kind === 'number') {
      const truth: number[] = [];
      const predicted: number[] = [];
      for (let i = 0; i < target.values.length; i++) {
        if (target.missing[i] || prediction.missing[i]) continue;
        if (!Number.isFinite(target.values[i]) || !Number.isFinite(prediction.values[i])) continue;
        truth.push(target.values[i]);
        predicted.push(prediction.values[i]);
      }
      this.regression.add(truth, predicted);
    }
  }

  /** Score, prediction and label (when known) of each row with a score, into the score bins. */
  private addScores(batch: RecordBatch, index: Map<string, number>): void {
    if (!this.scoreBins) return;
    const score = batch.columns[index.get(this.columns.score!)!];
    if (score.kind !== 'number') return;
    const predictions = asLabels(batch.columns[index.get(this.columns.prediction)!]);
    const labels = this.columns.labelsAbsent ? undefined : asLabels(batch.columns[index.get(this.columns.target)!]);
    for (let i = 0; i < predictions.length; i++) {
      const prediction = predictions[i];
      if (prediction === null || score.missing[i] || !Number.isFinite(score.values[i])) continue;
      const label = labels?.[i] ?? null;
      this.scoreBins.add(score.values[i], isPositive(prediction), label === null ? null : isPositive(label));
    }
  }

  merge(other: PerformanceAccumulator): void {
    if (this.scoreBins && other.scoreBins) this.scoreBins.merge(other.scoreBins);
    this.classification.merge(other.classification);
    this.auc.merge(other.auc);
    this.regression.merge(other.regression);
    this.hasScore ||= other.hasScore;
    this.targetIsText ||= other.targetIsText;
    this.targetWhole &&= other.targetWhole;
    for (const v of other.targetValues) if (this.targetValues.size <= MAX_INFERRED_CLASSES) this.targetValues.add(v);
  }

  metrics(): PerformanceMetrics {
    if (this.resolvedTask === 'regression') {
      const r = this.regression.result();
      return { mae: r.mae, rmse: r.rmse, mape: r.mape, r2: r.r2 };
    }
    const c = this.classification.result();
    const metrics: PerformanceMetrics = {
      accuracy: c.accuracy,
      precision: c.precisionMacro,
      recall: c.recallMacro,
      f1: c.f1Macro,
    };
    if (this.hasScore) metrics.roc_auc = this.auc.result();
    return metrics;
  }

  toJSON(): object {
    return {
      columns: this.columns,
      has_score: this.hasScore,
      target_is_text: this.targetIsText,
      target_whole: this.targetWhole,
      target_values: [...this.targetValues],
      classification: this.classification.toJSON(),
      auc: this.auc.toJSON(),
      regression: this.regression.toJSON(),
      ...(this.scoreBins ? { score_bins: this.scoreBins.toJSON() } : {}),
    };
  }

  static fromJSON(state: any): PerformanceAccumulator {
    const acc = new PerformanceAccumulator(state.columns);
    Object.assign(acc, {
      hasScore: state.has_score,
      targetIsText: state.target_is_text,
      targetWhole: state.target_whole,
      targetValues: new Set(state.target_values),
      classification: ClassificationAccumulator.fromJSON(state.classification),
      auc: RocAucAccumulator.fromJSON(state.auc),
      regression: RegressionAccumulator.fromJSON(state.regression),
    });
    if (state.score_bins && acc.scoreBins) acc.scoreBins.merge(ScoreBins.fromJSON(state.score_bins));
    return acc;
  }
}

function isPositive(label: string): boolean {
  return POSITIVE_LABELS.has(label.toLowerCase());
}

function asLabels(values: ColumnValues): (string | null)[] {
  if (values.kind !== 'number') return textCells(values);
  const labels: (string | null)[] = new Array(values.values.length);
  for (let i = 0; i < values.values.length; i++)
    labels[i] = values.missing[i] || Number.isNaN(values.values[i]) ? null : String(values.values[i]);
  return labels;
}

/** Higher is better for these; lower is better for the error metrics. */
export const HIGHER_IS_BETTER = new Set(['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'r2']);
