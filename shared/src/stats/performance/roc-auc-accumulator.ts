// ROC AUC for a binary classifier, accumulated batch by batch and merged across shards. The state is the number of
// positives and negatives at each distinct score, enough for the exact AUC with ties scored one half (the average-
// rank Mann-Whitney form, equal to sklearn's roc_auc_score). Its size is bounded: past MAX_DISTINCT_SCORES distinct
// scores (continuous scores on 30M rows would be 30M entries, ~3 GB), scores are truncated to fewer mantissa bits.
// Truncation keeps the scores' order (it only makes close scores tie), so the AUC moves only by the pairs it ties,
// each counted one half: with 20 bits kept, scores closer than one part in a million.
import { isCount } from './classification-accumulator.js';

/** Serialised state: scores ascending, with positive and negative counts at each. */
export interface RocAucState {
  kind: 'roc-auc';
  scores: number[];
  positives: number[];
  negatives: number[];
  skipped: number;
  /** Mantissa bits kept of each score (52: exact); absent in states saved before scores were ever truncated. */
  mantissa_bits?: number;
}

/** Distinct scores kept (~7 MB of Map entries) before they are truncated to fewer mantissa bits. */
export const MAX_DISTINCT_SCORES = 1 << 16;
const EXACT_BITS = 52;
/** The mantissa bits tried in turn once the scores are too many: 20 first (~1e-6 relative), then coarser. */
const COARSER_BITS = [20, 16, 12, 8, 4, 0];

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
/** Little-endian hosts (every runner): the high word (sign, exponent, top 20 mantissa bits) is words[1]. */
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The score with its mantissa cut to `bits` bits (toward zero): order-preserving, so only ties are added. */
export function truncateMantissa(score: number, bits: number): number {
  if (bits >= EXACT_BITS) return score;
  scratch[0] = score;
  if (bits > 20) words[1 - HIGH] &= ~((1 << (EXACT_BITS - bits)) - 1) >>> 0;
  else {
    words[1 - HIGH] = 0;
    words[HIGH] &= ~((1 << (20 - bits)) - 1) >>> 0;
  }
  return scratch[0];
}

export class RocAucAccumulator {
  /** score -> [positives, negatives] */
  private byScore = new Map<number, [number, number]>();
  private skipped = 0;
  private bits = EXACT_BITS;

  /** False once scores have been truncated to stay within MAX_DISTINCT_SCORES (the AUC is then within ties of exact). */
  get exact(): boolean {
    return this.bits === EXACT_BITS;
  }

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
    if (other.bits < this.bits) this.rekey(other.bits);
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
      ...(this.exact ? {} : { mantissa_bits: this.bits }),
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
    if (s.mantissa_bits !== undefined) {
      if (!Number.isInteger(s.mantissa_bits) || s.mantissa_bits < 0 || s.mantissa_bits > EXACT_BITS)
        throw new TypeError(`ROC AUC accumulator mantissa_bits must be a whole number 0-${EXACT_BITS}`);
      acc.bits = s.mantissa_bits;
    }
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
    const key = truncateMantissa(score, this.bits);
    const entry = this.byScore.get(key);
    if (entry) {
      entry[0] += pos;
      entry[1] += neg;
      return;
    }
    this.byScore.set(key, [pos, neg]);
    if (this.byScore.size > MAX_DISTINCT_SCORES) this.coarsen();
  }

  /** Truncates every score to the next coarser step until the distinct scores fit. */
  private coarsen(): void {
    for (const bits of COARSER_BITS) {
      if (bits >= this.bits) continue;
      this.rekey(bits);
      if (this.byScore.size <= MAX_DISTINCT_SCORES / 2) return;
    }
  }

  private rekey(bits: number): void {
    const old = this.byScore;
    this.byScore = new Map();
    this.bits = bits;
    for (const [score, [pos, neg]] of old) {
      const key = truncateMantissa(score, bits);
      const entry = this.byScore.get(key);
      if (entry) {
        entry[0] += pos;
        entry[1] += neg;
      } else this.byScore.set(key, [pos, neg]);
    }
  }
}
