// Predicted probabilities of one dataset in a fixed grid of bins, for confidence-based performance estimation (CBPE):
// bounded memory whatever the row count, merged exactly across batches, shards and threads.
//
// The grid is 65,536 bins equal in log-odds over [-16, 16] (scores below sigmoid(-16) ~ 1e-7 share the first bin,
// scores above 1 - 1e-7 the last): a bin is 0.00049 wide in log-odds, so 0.00012 wide in probability at 0.5 and
// 1.2e-7 wide at 0.001; fraud-like scores crowded near 0 keep their resolution. Each bin keeps its rows' score sum,
// so scores with three decimals (or any grid coarser than the bins) land one value a bin and everything computed
// from the bins is exact; continuous scores are treated as tied at their bin's mean score (see cbpe.ts for what
// that costs). Five Float64Arrays of 65,536: 2.6 MB a dataset, allocated on the first score.

export const SCORE_BIN_COUNT = 1 << 16;
const LOGIT_RANGE = 16;

/** The bin of a probability in [0, 1]. */
export function scoreBin(score: number): number {
  if (score <= 0) return 0;
  if (score >= 1) return SCORE_BIN_COUNT - 1;
  const logit = Math.log(score / (1 - score));
  const bin = Math.floor(((logit + LOGIT_RANGE) / (2 * LOGIT_RANGE)) * SCORE_BIN_COUNT);
  return Math.min(SCORE_BIN_COUNT - 1, Math.max(0, bin));
}

/** Reference counts of rows with a label, by label and prediction: the sampling errors' components come from these. */
export interface Confusion {
  truePositive: number;
  falsePositive: number;
  falseNegative: number;
  trueNegative: number;
}

/** Serialised state: only the bins that hold rows. */
export interface ScoreBinsState {
  kind: 'score-bins';
  bins: number[];
  rows: number[];
  score_sums: number[];
  predicted_positive: number[];
  labelled: number[];
  positives: number[];
  confusion: Confusion;
  /** Rows whose score was outside [0, 1] (not a probability), left out. */
  out_of_range: number;
}

export class ScoreBins {
  /** Per bin: rows with a score and a prediction, their score sum, how many were predicted positive. */
  private rows?: Float64Array;
  private scoreSums?: Float64Array;
  private predictedPositive?: Float64Array;
  /** Per bin: rows that also have a label, and how many of them are positive. */
  private labelled?: Float64Array;
  private positives?: Float64Array;
  readonly confusion: Confusion = { truePositive: 0, falsePositive: 0, falseNegative: 0, trueNegative: 0 };
  outOfRange = 0;

  /** One row: its score, whether the model predicted the positive class, its label (null when unknown). */
  add(score: number, predictedPositive: boolean, positive: boolean | null): void {
    if (!(score >= 0 && score <= 1)) {
      this.outOfRange++;
      return;
    }
    const bin = scoreBin(score);
    if (!this.rows) this.allocate();
    this.rows![bin]++;
    this.scoreSums![bin] += score;
    if (predictedPositive) this.predictedPositive![bin]++;
    if (positive === null) return;
    this.labelled![bin]++;
    if (positive) this.positives![bin]++;
    const c = this.confusion;
    if (positive && predictedPositive) c.truePositive++;
    else if (positive) c.falseNegative++;
    else if (predictedPositive) c.falsePositive++;
    else c.trueNegative++;
  }

  merge(other: ScoreBins): void {
    if (other.rows) {
      if (!this.rows) this.allocate();
      for (const key of ['rows', 'scoreSums', 'predictedPositive', 'labelled', 'positives'] as const) {
        const into = this[key]!;
        const from = other[key]!;
        for (let i = 0; i < SCORE_BIN_COUNT; i++) into[i] += from[i];
      }
    }
    for (const key of Object.keys(this.confusion) as (keyof Confusion)[]) this.confusion[key] += other.confusion[key];
    this.outOfRange += other.outOfRange;
  }

  /** Rows with a score and a prediction. */
  get count(): number {
    let n = 0;
    if (this.rows) for (let i = 0; i < SCORE_BIN_COUNT; i++) n += this.rows[i];
    return n;
  }

  /** Rows that also have a label. */
  get labelledCount(): number {
    const c = this.confusion;
    return c.truePositive + c.falsePositive + c.falseNegative + c.trueNegative;
  }

  /** The bins that hold rows, ascending by score: mean score, rows, predicted positive, labelled, positive. */
  occupied(): { score: number; rows: number; predictedPositive: number; labelled: number; positives: number }[] {
    const bins = [];
    if (!this.rows) return [];
    for (let i = 0; i < SCORE_BIN_COUNT; i++) {
      if (this.rows[i] === 0) continue;
      bins.push({
        score: this.scoreSums![i] / this.rows[i],
        rows: this.rows[i],
        predictedPositive: this.predictedPositive![i],
        labelled: this.labelled![i],
        positives: this.positives![i],
      });
    }
    return bins;
  }

  toJSON(): ScoreBinsState {
    const state: ScoreBinsState = {
      kind: 'score-bins',
      bins: [],
      rows: [],
      score_sums: [],
      predicted_positive: [],
      labelled: [],
      positives: [],
      confusion: { ...this.confusion },
      out_of_range: this.outOfRange,
    };
    if (this.rows)
      for (let i = 0; i < SCORE_BIN_COUNT; i++) {
        if (this.rows[i] === 0) continue;
        state.bins.push(i);
        state.rows.push(this.rows[i]);
        state.score_sums.push(this.scoreSums![i]);
        state.predicted_positive.push(this.predictedPositive![i]);
        state.labelled.push(this.labelled![i]);
        state.positives.push(this.positives![i]);
      }
    return state;
  }

  static fromJSON(state: unknown): ScoreBins {
    const s = state as Partial<ScoreBinsState> | null;
    const lists = [s?.bins, s?.rows, s?.score_sums, s?.predicted_positive, s?.labelled, s?.positives];
    if (!s || s.kind !== 'score-bins' || !lists.every((l) => Array.isArray(l) && l.length === s.bins!.length) || !s.confusion)
      throw new TypeError('not saved score bins (expected kind "score-bins" with bins, rows, score_sums, ... of one length)');
    const bins = new ScoreBins();
    if (s.bins!.length) bins.allocate();
    s.bins!.forEach((bin, j) => {
      if (!Number.isInteger(bin) || bin < 0 || bin >= SCORE_BIN_COUNT) throw new TypeError(`score bin ${bin} is outside the grid`);
      bins.rows![bin] = s.rows![j];
      bins.scoreSums![bin] = s.score_sums![j];
      bins.predictedPositive![bin] = s.predicted_positive![j];
      bins.labelled![bin] = s.labelled![j];
      bins.positives![bin] = s.positives![j];
    });
    Object.assign(bins.confusion, s.confusion);
    bins.outOfRange = s.out_of_range ?? 0;
    return bins;
  }

  private allocate(): void {
    this.rows = new Float64Array(SCORE_BIN_COUNT);
    this.scoreSums = new Float64Array(SCORE_BIN_COUNT);
    this.predictedPositive = new Float64Array(SCORE_BIN_COUNT);
    this.labelled = new Float64Array(SCORE_BIN_COUNT);
    this.positives = new Float64Array(SCORE_BIN_COUNT);
  }
}
