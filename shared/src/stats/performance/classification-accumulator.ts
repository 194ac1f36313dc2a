// Classification quality from a confusion table built batch by batch and merged across shards: accuracy and
// macro precision, recall and F1 equal to sklearn's (average='macro', zero_division=0, labels = the union of true
// and predicted labels).

export interface ClassificationMetrics {
  accuracy: number;
  precisionMacro: number;
  recallMacro: number;
  f1Macro: number;
  /** Rows compared (rows with a missing label or prediction are skipped). */
  count: number;
  /** Rows skipped because the label or the prediction was missing. */
  skipped: number;
}

/** Serialised state: one [true label, predicted label, count] entry per cell of the confusion table. */
export interface ClassificationState {
  kind: 'classification';
  cells: [string, string, number][];
  skipped: number;
}

export class ClassificationAccumulator {
  /** true label -> predicted label -> count */
  private readonly cells = new Map<string, Map<string, number>>();
  private skipped = 0;

  add(labels: readonly (string | null)[], predictions: readonly (string | null)[]): void {
    if (labels.length !== predictions.length) {
      throw new RangeError(`got ${labels.length} labels but ${predictions.length} predictions; they must be row-aligned`);
    }
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i];
      const prediction = predictions[i];
      if (label === null || prediction === null) this.skipped++;
      else this.count(label, prediction, 1);
    }
  }

  merge(other: ClassificationAccumulator): void {
    for (const [label, row] of other.cells) for (const [prediction, n] of row) this.count(label, prediction, n);
    this.skipped += other.skipped;
  }

  result(): ClassificationMetrics {
    const labels = new Set<string>();
    const truePositives = new Map<string, number>();
    const actual = new Map<string, number>();
    const predicted = new Map<string, number>();
    let correct = 0;
    let total = 0;
    for (const [label, row] of this.cells) {
      for (const [prediction, n] of row) {
        labels.add(label);
        labels.add(prediction);
        total += n;
        actual.set(label, (actual.get(label) ?? 0) + n);
        predicted.set(prediction, (predicted.get(prediction) ?? 0) + n);
        if (label === prediction) {
          correct += n;
          truePositives.set(label, n);
        }
      }
    }
    let precisionSum = 0;
    let recallSum = 0;
    let f1Sum = 0;
    for (const label of labels) {
      const tp = truePositives.get(label) ?? 0;
      const p = predicted.get(label) ? tp / predicted.get(label)! : 0;
      const r = actual.get(label) ? tp / actual.get(label)! : 0;
      precisionSum += p;
      recallSum += r;
      // sklearn 1.2: (1 + beta^2) p r / (beta^2 p + r), with a zero denominator replaced by 1
      f1Sum += (2 * p * r) / (p + r === 0 ? 1 : p + r);
    }
    const k = labels.size;
    return {
      accuracy: total ? correct / total : NaN,
      precisionMacro: k ? precisionSum / k : NaN,
      recallMacro: k ? recallSum / k : NaN,
      f1Macro: k ? f1Sum / k : NaN,
      count: total,
      skipped: this.skipped,
    };
  }

  toJSON(): ClassificationState {
    const cells: [string, string, number][] = [];
    for (const [label, row] of this.cells) for (const [prediction, n] of row) cells.push([label, prediction, n]);
    return { kind: 'classification', cells, skipped: this.skipped };
  }

  static fromJSON(state: unknown): ClassificationAccumulator {
    const s = state as Partial<ClassificationState> | null;
    if (!s || s.kind !== 'classification' || !Array.isArray(s.cells) || !isCount(s.skipped)) {
      throw new TypeError('not a saved classification accumulator (expected kind "classification", cells and skipped)');
    }
    const acc = new ClassificationAccumulator();
    for (const cell of s.cells) {
      if (!Array.isArray(cell) || typeof cell[0] !== 'string' || typeof cell[1] !== 'string' || !isCount(cell[2])) {
        throw new TypeError('a classification accumulator cell must be [label, prediction, count]');
      }
      acc.count(cell[0], cell[1], cell[2]);
    }
    acc.skipped = s.skipped;
    return acc;
  }

  private count(label: string, prediction: string, n: number): void {
    let row = this.cells.get(label);
    if (!row) this.cells.set(label, (row = new Map()));
    row.set(prediction, (row.get(prediction) ?? 0) + n);
  }
}

export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
