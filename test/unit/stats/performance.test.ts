// Model performance accumulated in batches and merged across shards must equal sklearn on all rows at once, and
// survive a save/restore inside a dataset profile.
import { readFileSync } from 'node:fs';
import { ClassificationAccumulator, RegressionAccumulator, RocAucAccumulator } from '#shared/stats/performance/index.js';
import { MAX_DISTINCT_SCORES, truncateMantissa } from '#shared/stats/performance/roc-auc-accumulator.js';
import { seededRandom } from '#shared/stats/distances/seeded-random.js';

interface ClassificationCase {
  name: string;
  labels: string[];
  predictions: string[];
  accuracy: number;
  precisionMacro: number;
  recallMacro: number;
  f1Macro: number;
}
interface RocAucCase {
  name: string;
  labels: number[];
  scores: number[];
  rocAuc: number;
}
interface RegressionCase {
  name: string;
  targets: number[];
  predictions: number[];
  mae: number;
  rmse: number;
  mape: number;
  r2: number;
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/stats/performance/performance.json', import.meta.url), 'utf8')) as {
  classification: ClassificationCase[];
  rocAuc: RocAucCase[];
  regression: RegressionCase[];
};

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

/** Split rows into uneven batches spread over two shards; merge the shards and round-trip them through JSON. */
function accumulateInShards<A extends { merge(other: A): void; toJSON(): unknown }>(
  create: () => A,
  restore: (state: unknown) => A,
  rows: number,
  add: (acc: A, from: number, to: number) => void,
): A {
  const shards = [create(), create()];
  let from = 0;
  for (let batch = 0; from < rows; batch++) {
    const to = Math.min(rows, from + 1 + ((batch * 37) % 113));
    add(shards[batch % 2], from, to);
    from = to;
  }
  const merged = restore(JSON.parse(JSON.stringify(shards[0].toJSON())));
  merged.merge(restore(JSON.parse(JSON.stringify(shards[1].toJSON()))));
  return merged;
}

describe('classification metrics', () => {
  it.each(fixture.classification.map((c) => [c.name, c] as const))('equal sklearn macro scores: %s', (_, c) => {
    const acc = accumulateInShards(
      () => new ClassificationAccumulator(),
      (s) => ClassificationAccumulator.fromJSON(s),
      c.labels.length,
      (a, from, to) => a.add(c.labels.slice(from, to), c.predictions.slice(from, to)),
    );
    const result = acc.result();
    expectClose(result.accuracy, c.accuracy);
    expectClose(result.precisionMacro, c.precisionMacro);
    expectClose(result.recallMacro, c.recallMacro);
    expectClose(result.f1Macro, c.f1Macro);
    expect(result.count).toBe(c.labels.length);
  });

  it('skips rows with a missing label or prediction and says how many', () => {
    const acc = new ClassificationAccumulator();
    acc.add(['a', null, 'b', 'b'], ['a', 'a', null, 'b']);
    expect(acc.result()).toMatchObject({ accuracy: 1, count: 2, skipped: 2 });
  });

  it('rejects a saved state that is not a classification accumulator', () => {
    expect(() => ClassificationAccumulator.fromJSON({ kind: 'regression' })).toThrow(/not a saved classification/);
    expect(() => ClassificationAccumulator.fromJSON({ kind: 'classification', cells: [['a', 'b', -1]], skipped: 0 })).toThrow(/cell/);
  });
});

describe('ROC AUC', () => {
  it.each(fixture.rocAuc.map((c) => [c.name, c] as const))('equals sklearn roc_auc_score: %s', (_, c) => {
    const acc = accumulateInShards(
      () => new RocAucAccumulator(),
      (s) => RocAucAccumulator.fromJSON(s),
      c.labels.length,
      (a, from, to) => a.add(c.labels.slice(from, to), c.scores.slice(from, to)),
    );
    expectClose(acc.result(), c.rocAuc);
  });

  it('is undefined (NaN) when only one class has been seen', () => {
    const acc = new RocAucAccumulator();
    acc.add([1, 1], [0.2, 0.9]);
    expect(acc.result()).toBeNaN();
  });

  it('skips rows without a usable score', () => {
    const acc = new RocAucAccumulator();
    acc.add([1, 0, 1, 0], [0.9, NaN, 0.8, 0.1]);
    expect(acc.result()).toBe(1);
    expect(acc.skippedRows).toBe(1);
  });
});

describe('ROC AUC with more distinct scores than it keeps', () => {
  /** The average-rank Mann-Whitney AUC over all rows (scipy.stats.rankdata's 'average' ranks), written independently. */
  function rankAuc(labels: number[], scores: number[]): number {
    const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
    const ranks = new Float64Array(scores.length);
    for (let i = 0; i < order.length;) {
      let j = i;
      while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
      for (let k = i; k <= j; k++) ranks[order[k]] = (i + j) / 2 + 1;
      i = j + 1;
    }
    const positives = labels.filter((l) => l === 1).length;
    const negatives = labels.length - positives;
    const rankSum = labels.reduce((sum, l, i) => sum + (l === 1 ? ranks[i] : 0), 0);
    return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
  }

  // mulberry32, seeded: 2^32 distinct values, so the scores below are as many as the rows.
  const random = seededRandom(11);
  // 300,000 rows of continuous scores (about as many distinct), positives shifted up: AUC ~0.76.
  const labels = Array.from({ length: 300_000 }, () => (random() < 0.3 ? 1 : 0));
  const scores = labels.map((l) => 1 / (1 + Math.exp(-(random() * 4 - 2 + l * 1.4))));

  it('keeps at most MAX_DISTINCT_SCORES entries and lands within 1e-5 of the exact AUC', () => {
    const acc = new RocAucAccumulator();
    for (let i = 0; i < labels.length; i += 10_000) acc.add(labels.slice(i, i + 10_000), scores.slice(i, i + 10_000));
    expect(acc.exact).toBe(false);
    expect(acc.toJSON().scores.length).toBeLessThanOrEqual(MAX_DISTINCT_SCORES);
    expect(Math.abs(acc.result() - rankAuc(labels, scores))).toBeLessThan(1e-5);
  });

  it('merges a truncated shard into an exact one, and round-trips through JSON', () => {
    const a = new RocAucAccumulator();
    const b = new RocAucAccumulator();
    a.add(labels.slice(0, 1000), scores.slice(0, 1000));
    b.add(labels.slice(1000), scores.slice(1000));
    a.merge(RocAucAccumulator.fromJSON(JSON.parse(JSON.stringify(b.toJSON()))));
    expect(a.exact).toBe(false);
    expect(Math.abs(a.result() - rankAuc(labels, scores))).toBeLessThan(1e-5);
  });

  it('truncation keeps the order of scores (it only adds ties)', () => {
    for (const bits of [20, 16, 8, 0]) {
      const sorted = [...scores.slice(0, 2000), -0.75, -3, 0, 1e-300, 12345.678].sort((x, y) => x - y);
      const cut = sorted.map((v) => truncateMantissa(v, bits));
      for (let i = 1; i < cut.length; i++) expect(cut[i]).toBeGreaterThanOrEqual(cut[i - 1]);
      for (let i = 0; i < cut.length; i++) expect(Math.abs(cut[i] - sorted[i])).toBeLessThanOrEqual(Math.abs(sorted[i]) * 2 ** -bits);
    }
  });

  it('is exact while the scores are few', () => {
    const acc = new RocAucAccumulator();
    acc.add(labels.slice(0, 5000), scores.slice(0, 5000));
    expect(acc.exact).toBe(true);
    expect(acc.result()).toBeCloseTo(rankAuc(labels.slice(0, 5000), scores.slice(0, 5000)), 12);
  });
});

describe('regression metrics', () => {
  it.each(fixture.regression.map((c) => [c.name, c] as const))('equal sklearn MAE, RMSE, MAPE and R^2: %s', (_, c) => {
    const acc = accumulateInShards(
      () => new RegressionAccumulator(),
      (s) => RegressionAccumulator.fromJSON(s),
      c.targets.length,
      (a, from, to) => a.add(c.targets.slice(from, to), c.predictions.slice(from, to)),
    );
    const result = acc.result();
    expectClose(result.mae, c.mae);
    expectClose(result.rmse, c.rmse);
    expectClose(result.mape, c.mape);
    expectClose(result.r2, c.r2);
  });

  it('skips rows where the target or prediction is missing', () => {
    const acc = new RegressionAccumulator();
    acc.add(Float64Array.of(1, NaN, 3), Float64Array.of(1, 2, NaN));
    expect(acc.result()).toMatchObject({ count: 1, skipped: 2, mae: 0 });
  });

  it('rejects a damaged saved state', () => {
    expect(() => RegressionAccumulator.fromJSON({ kind: 'regression', count: 1 })).toThrow(/not a saved regression/);
  });
});
