// Free-text columns drift through their descriptors: length, non-letter share and out-of-vocabulary words.
import { outOfVocabularyCounts, TextAccumulator } from '../../../actions/drift-check/src/profile/text-accumulator.js';
import { MemoryBudget } from '../../../shared/src/stats/sketches/memory-budget.js';
import { compareProfiles } from '../../../actions/drift-check/src/drift-engine.js';

const budget = () => new MemoryBudget(1 << 24);

function textProfile(texts: (string | null)[]) {
  const acc = new TextAccumulator(budget());
  acc.addBatch(texts);
  return { rows: texts.length, sources: [], columns: new Map([['review', acc]]) };
}

const reviews = (n: number, words: string[]) =>
  Array.from({ length: n }, (_, i) => `${words[i % words.length]} ${words[(i * 7) % words.length]} service was ${i % 3 ? 'good' : 'fine'}`);

test('out-of-vocabulary counts: Good-Turing for the reference, unseen words for the current data', () => {
  const reference = new TextAccumulator(budget());
  reference.addBatch(['the cat sat', 'the dog sat', 'a bird']);
  const current = new TextAccumulator(budget());
  current.addBatch(['the cat flew', 'zebra zebra']);
  const counts = outOfVocabularyCounts(reference, current);
  // reference words: the x2, sat x2, cat, dog, a, bird once each -> 4 hapax tokens of 8
  expect(Array.from(counts.reference)).toEqual([4, 4]);
  // current: flew, zebra, zebra unseen -> 3 of 5 tokens
  expect(Array.from(counts.current)).toEqual([3, 2]);
});

test('reviews written in a new vocabulary drift; the same kind of reviews do not', () => {
  const words = ['delivery', 'price', 'staff', 'quality', 'packaging', 'support'];
  const settings = {
    method: 'auto' as const,
    columnMethods: {},
    driftShare: 0.5,
    psiBins: 10,
    psiBinning: 'quantile' as const,
    performanceTolerance: 0.1,
  };
  const reference = textProfile(reviews(600, words));
  const same = compareProfiles(reference, textProfile(reviews(400, words)), settings);
  expect(same.columns[0].type).toBe('text');
  expect(same.columns[0].drifted).toBe(false);
  const foreign = ['lieferung', 'preis', 'personal', 'qualität', 'verpackung', 'kundendienst'];
  const shifted = compareProfiles(
    reference,
    textProfile(reviews(400, foreign).map((t) => t.replace('service was', 'der service war'))),
    settings,
  );
  const column = shifted.columns[0];
  expect(column.drifted).toBe(true);
  const oov = column.descriptors!.find((d) => d.descriptor === 'oov_share')!;
  expect(oov.drifted).toBe(true);
  expect(column.descriptors!.map((d) => d.descriptor)).toEqual(['length', 'non_letter_share', 'oov_share']);
});

test('missing texts are counted, not described', () => {
  const acc = new TextAccumulator(budget());
  acc.addBatch(['hello world', null, null, 'hi']);
  expect(acc.missing).toBe(2);
  expect(acc.length.count).toBe(2);
  expect(acc.length.mean).toBe((11 + 2) / 2);
});
