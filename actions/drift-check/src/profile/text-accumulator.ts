// Free-text columns are compared through descriptors, as Evidently does: each row's length and share of non-letter
// characters (numerical), and the share of words outside the reference vocabulary. The vocabulary is kept as
// word counts so that profiles of shards merge exactly.
import type { MemoryBudget } from '#shared/stats/sketches/memory-budget.js';
import { NumericAccumulator, type NumericProfileState } from './numeric-accumulator.js';

/** Distinct words kept per column; beyond it new words are counted but not remembered (reported). */
export const MAX_VOCABULARY = 200_000;

export interface TextProfileState {
  type: 'text';
  rows: number;
  missing: number;
  length: NumericProfileState;
  non_letter_share: NumericProfileState;
  tokens: number;
  words: Record<string, number>;
  vocabulary_truncated: boolean;
}

const WORD = /\p{L}+/gu;
const LETTER = /\p{L}/u;

export class TextAccumulator {
  rows = 0;
  missing = 0;
  tokens = 0;
  vocabularyTruncated = false;
  readonly words = new Map<string, number>();
  readonly length: NumericAccumulator;
  readonly nonLetterShare: NumericAccumulator;

  constructor(budget: MemoryBudget) {
    this.length = new NumericAccumulator(budget);
    this.nonLetterShare = new NumericAccumulator(budget);
  }

  addBatch(values: (string | null)[]): void {
    const n = values.length;
    const lengths = new Float64Array(n);
    const shares = new Float64Array(n);
    const missing = new Uint8Array(n);
    this.rows += n;
    for (let i = 0; i < n; i++) {
      const text = values[i];
      if (text === null) {
        missing[i] = 1;
        this.missing++;
        continue;
      }
      const chars = [...text];
      let nonLetters = 0;
      for (const ch of chars) if (!LETTER.test(ch)) nonLetters++;
      lengths[i] = chars.length;
      shares[i] = chars.length ? nonLetters / chars.length : 0;
      for (const match of text.toLowerCase().matchAll(WORD)) this.countWord(match[0], 1);
    }
    this.length.addBatch(lengths, missing);
    this.nonLetterShare.addBatch(shares, missing);
  }

  private countWord(word: string, count: number): void {
    this.tokens += count;
    const seen = this.words.get(word);
    if (seen !== undefined) this.words.set(word, seen + count);
    else if (this.words.size < MAX_VOCABULARY) this.words.set(word, count);
    else this.vocabularyTruncated = true;
  }

  merge(other: TextAccumulator): void {
    this.rows += other.rows;
    this.missing += other.missing;
    this.length.merge(other.length);
    this.nonLetterShare.merge(other.nonLetterShare);
    const tokens = this.tokens + other.tokens;
    for (const [word, count] of other.words) this.countWord(word, count);
    this.tokens = tokens;
    this.vocabularyTruncated ||= other.vocabularyTruncated;
  }

  toJSON(maxExactValues: number, typed = false): TextProfileState {
    return {
      type: 'text',
      rows: this.rows,
      missing: this.missing,
      length: this.length.toJSON(maxExactValues, typed),
      non_letter_share: this.nonLetterShare.toJSON(maxExactValues, typed),
      tokens: this.tokens,
      words: Object.fromEntries(this.words),
      vocabulary_truncated: this.vocabularyTruncated,
    };
  }

  static fromJSON(state: TextProfileState, budget: MemoryBudget): TextAccumulator {
    const acc = new TextAccumulator(budget);
    acc.rows = state.rows;
    acc.missing = state.missing;
    acc.tokens = state.tokens;
    acc.vocabularyTruncated = state.vocabulary_truncated;
    for (const [word, count] of Object.entries(state.words)) acc.words.set(word, count);
    Object.assign(acc, {
      length: NumericAccumulator.fromJSON(state.length, budget),
      nonLetterShare: NumericAccumulator.fromJSON(state.non_letter_share, budget),
    });
    return acc;
  }
}

/**
 * Out-of-vocabulary token counts: for the reference, the Good-Turing estimate of the mass of unseen words (tokens of
 * words seen once); for the current data, tokens whose word the reference never used. Returned as [oov, in-vocabulary].
 */
export function outOfVocabularyCounts(
  reference: TextAccumulator,
  current: TextAccumulator,
): {
  reference: Float64Array;
  current: Float64Array;
} {
  let hapax = 0;
  for (const count of reference.words.values()) if (count === 1) hapax++;
  let unseen = 0;
  for (const [word, count] of current.words) if (!reference.words.has(word)) unseen += count;
  return {
    reference: Float64Array.of(hapax, reference.tokens - hapax),
    current: Float64Array.of(unseen, current.tokens - unseen),
  };
}
