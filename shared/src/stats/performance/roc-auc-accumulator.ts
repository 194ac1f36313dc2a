// ROC AUC for a binary classifier, accumulated batch by batch and merged across shards. The state is the number of
// positives and negatives at each distinct score, enough for the exact AUC with ties scored one half (the average-
// rank Mann-Whitney form, equal to sklearn's roc_auc_score). Its size grows with the number of distinct scores.
import { isCount } from './classification-accumulator.js';

/** Serialised state: scores ascending, with positive and negative counts at each. */
export interface RocAucState {
  kind: 'roc-auc';
  scores: number[];
  positives: number[];
  negatives: number[];
  skipped: number;
}

export class RocAucAccumulator {
  /** score -> [positives, negatives] */
  private readonly byScore = new Map<number, [number, number]>();
  private skipped = 0;

  /** `labels` are 1 (positive) or 0 (negative); rows with a non-finite score or another label are skipped and counted. */
  add(labels: ArrayLike<number>, scores: ArrayLike<number>): void {
    if (labels.length !== scores.length) {
      throw new RangeError(`got ${labels.length} labels but ${scores.length} scores; they must be row-aligned`);
    }
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i];
      const score = scores[i];
      if (!Number.isFinite(score) || (label !== 0 && label !== 1)) {
        this.skipped++;
        continue;
      }
      this.tally(score === 0 ? 0 : score, label === 1 ? 1 : 0, label === 1 ? 0 : 1);
    }
  }

  merge(other: RocAucAccumulator): void {
    for (const [score, [pos, neg]] of other.byScore) this.tally(score, pos, neg);
    this.skipped += other.skipped;
  }

  /** Area under the ROC curve; NaN when only one class has been seen (sklearn raises an error there). */
  result(): number {
    const scores = [...this.byScore.keys()].sort((a, b) => a - b);
    let positives = 0;
    let negatives = 0;
    for (const [pos, neg] of this.byScore.values()) {
      positives += pos;
      negatives += neg;
    }
    if (positives === 0 || negatives === 0) return NaN;
    // sum over positives of (negatives scored lower + half the negatives scored equal), in whole halves
    let negativesBelow = 0;
    let pairs = 0;
    for (const score of scores) {
      const [pos, neg] = this.byScore.get(score)!;
      pairs += pos * (2 * negativesBelow + neg);
      negativesBelow += neg;
    }
    return pairs / (2 * positives * negatives);
  }

  get skippedRows(): number {
    return this.skipped;
  }

  toJSON(): RocAucState {
    const scores = [...this.byScore.keys()].sort((a, b) => a - b);
    return {
      kind: 'roc-auc',
      scores,
      positives: scores.map((s) => this.byScore.get(s)![0]),
      negatives: scores.map((s) => this.byScore.get(s)![1]),
      skipped: this.skipped,
    };
  }

  static fromJSON(state: unknown): RocAucAccumulator {
    const s = state as Partial<RocAucState> | null;
    const ok =
      s?.kind === 'roc-auc' &&
      Array.isArray(s.scores) &&
      Array.isArray(s.positives) &&
      Array.isArray(s.negatives) &&
      s.scores.length === s.positives.length &&
      s.scores.length === s.negatives.length &&
      isCount(s.skipped);
    if (!ok) throw new TypeError('not a saved ROC AUC accumulator (expected kind "roc-auc" with aligned scores and counts)');
    const acc = new RocAucAccumulator();
    s.scores!.forEach((score, i) => {
      const pos = s.positives![i];
      const neg = s.negatives![i];
      if (typeof score !== 'number' || !Number.isFinite(score) || !isCount(pos) || !isCount(neg))
        throw new TypeError(`ROC AUC accumulator entry ${i} is not a score with two counts`);
      acc.tally(score, pos, neg);
    });
    acc.skipped = s.skipped!;
    return acc;
  }

  private tally(score: number, pos: number, neg: number): void {
    const entry = this.byScore.get(score);
    if (entry) {
      entry[0] += pos;
      entry[1] += neg;
    } else {
      this.byScore.set(score, [pos, neg]);
    }
  }
}
