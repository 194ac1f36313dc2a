// The one numeric holder both actions keep their numbers in: exact values while a budget shared by every column
// holds them, then a sketch; running moments equal to numpy's whatever the path; shards merge.
import { MemoryBudget } from '../../../shared/src/stats/sketches/memory-budget.js';
import { NumericValues } from '../../../shared/src/stats/sketches/numeric-values.js';
import { ReservoirSample } from '../../../shared/src/stats/sketches/reservoir-sample.js';
import { RunningMoments } from '../../../shared/src/stats/sketches/running-moments.js';
import { NumericAccumulator } from '../../../actions/drift-check/src/profile/numeric-accumulator.js';

function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const column = (n: number, seed: number) => {
  const random = lcg(seed);
  return Float64Array.from({ length: n }, () => Math.round((10 + 5 * random()) * 1000) / 1000);
};

describe('running moments', () => {
  // numpy: x = [2.5, -1, 4, 4, 10.25, 0]; x.mean(), x.var(), x.var(ddof=1)
  const x = [2.5, -1, 4, 4, 10.25, 0];
  test('equal numpy mean, var and var(ddof=1)', () => {
    const m = new RunningMoments();
    for (const v of x) m.add(v);
    expect(m.mean).toBeCloseTo(3.2916666666666665, 14);
    expect(m.variance).toBeCloseTo(13.217013888888888, 12);
    expect(m.sampleVariance).toBeCloseTo(15.860416666666666, 12);
    expect([m.count, m.min, m.max, m.sum]).toEqual([6, -1, 10.25, 19.75]);
  });

  test('merged shards (Chan) give the moments of the whole', () => {
    const whole = new RunningMoments();
    const parts = [new RunningMoments(), new RunningMoments(), new RunningMoments()];
    x.forEach((v, i) => {
      whole.add(v);
      parts[i % 3].add(v);
    });
    parts[0].merge(parts[1]);
    parts[0].merge(parts[2]);
    parts[0].merge(new RunningMoments());
    expect(parts[0].variance).toBeCloseTo(whole.variance, 12);
    expect(parts[0].mean).toBeCloseTo(whole.mean, 14);
    expect([parts[0].count, parts[0].min, parts[0].max]).toEqual([6, -1, 10.25]);
    const restored = RunningMoments.fromJSON(JSON.parse(JSON.stringify(parts[0].toJSON())));
    expect(restored.variance).toBeCloseTo(whole.variance, 12);
  });
});

describe('one budget for every column', () => {
  test('10,000 short columns all stay exact in a budget that holds their values', () => {
    const budget = new MemoryBudget(10_000 * 200 * 8 * 2);
    const columns = Array.from({ length: 10_000 }, () => new NumericValues({ budget, sampleSize: 50_000 }));
    const values = column(200, 1);
    for (const c of columns) for (const v of values) c.add(v);
    expect(columns.every((c) => c.exact)).toBe(true);
    expect(budget.usedBytes).toBeLessThanOrEqual(budget.bytes);
    // 200 values take one 256-value chunk: no column holds more than 2 KB.
    expect(budget.usedBytes).toBe(10_000 * 256 * 8);
  });

  test('columns past the shared budget turn into sketches, and the budget is never exceeded', () => {
    const budget = new MemoryBudget(256 << 10);
    const columns = Array.from({ length: 100 }, () => new NumericValues({ budget, sampleSize: 50_000 }));
    const values = column(2000, 2);
    for (let i = 0; i < values.length; i += 100) {
      for (const c of columns) for (let j = i; j < i + 100; j++) c.add(values[j]);
      expect(budget.usedBytes).toBeLessThanOrEqual(budget.bytes);
    }
    // 100 x 2000 values = 1.6 MB: at most a sixth fit exactly; the rest are sketched, samples included in the budget.
    const exact = columns.filter((c) => c.exact).length;
    expect(exact).toBeLessThan(17);
    expect(exact + columns.filter((c) => !c.exact).length).toBe(100);
    for (const c of columns) {
      expect(c.count).toBe(2000);
      expect(c.moments.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
    }
    const sketched = columns.find((c) => !c.exact)!;
    expect(sketched.exactValues()).toBeNull();
    expect(sketched.sketches().histogram.count).toBe(2000);
    expect(sketched.sketches().sample.length).toBeGreaterThan(0);
    const median = sketched.quantile(0.5);
    const sorted = Float64Array.from(values).sort();
    expect(Math.abs(median - sorted[999]) / sorted[999]).toBeLessThanOrEqual(0.011);
  });

  test('a released column gives its bytes back for the others', () => {
    const budget = new MemoryBudget(64 << 10);
    const a = new NumericValues({ budget });
    for (const v of column(4000, 3)) a.add(v);
    const used = budget.usedBytes;
    expect(used).toBeGreaterThan(0);
    a.release();
    expect(budget.usedBytes).toBe(0);
  });

  test('a sample grows with its values and stops where the budget ends, staying a sample of all of them', () => {
    const small = new ReservoirSample(50_000);
    for (let i = 0; i < 200; i++) small.add(i);
    expect(small.length).toBe(200);
    const budget = new MemoryBudget(4096);
    const capped = new ReservoirSample(50_000, 42, budget);
    for (let i = 0; i < 10_000; i++) capped.add(i);
    expect(capped.capacity).toBeLessThanOrEqual(512);
    expect(capped.seen).toBe(10_000);
    expect(budget.usedBytes).toBeLessThanOrEqual(4096);
    const values = capped.values();
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(Math.abs(mean - 5000)).toBeLessThan(1000);
  });
});

describe('shards and saved states', () => {
  test('exact shards merge into the exact whole, sorted values equal to a sort', () => {
    const budget = new MemoryBudget(1 << 20);
    const values = column(3000, 4);
    const whole = new NumericValues({ budget });
    const parts = [new NumericValues({ budget }), new NumericValues({ budget })];
    values.forEach((v, i) => {
      whole.add(v);
      parts[i < 1234 ? 0 : 1].add(v);
    });
    parts[0].merge(parts[1]);
    expect(parts[0].exact).toBe(true);
    expect(Array.from(parts[0].sortedValues()!)).toEqual(Array.from(Float64Array.from(values).sort()));
    expect(parts[0].moments.variance).toBeCloseTo(whole.moments.variance, 10);
    expect(parts[0].quantiles([0.1, 0.5], 'nearest')).toEqual(whole.quantiles([0.1, 0.5], 'nearest'));
  });

  test('a sketched shard makes the merge a sketch of both', () => {
    const values = column(6000, 5);
    const exact = new NumericValues({ budget: new MemoryBudget(1 << 20), sampleSize: 1000 });
    const sketched = new NumericValues({ budget: new MemoryBudget(8 << 10), sampleSize: 1000 });
    values.forEach((v, i) => (i % 2 ? exact : sketched).add(v));
    expect(sketched.exact).toBe(false);
    exact.merge(sketched);
    expect(exact.exact).toBe(false);
    expect(exact.count).toBe(6000);
    expect(exact.sketches().histogram.count).toBe(6000);
    expect(exact.sketches().sample.seen).toBe(6000);
  });

  test("drift-check's column profile survives a file round trip (exact and sketched) and a typed hand-over", () => {
    const values = column(2000, 6);
    for (const budgetBytes of [1 << 20, 4096]) {
      const acc = new NumericAccumulator(new MemoryBudget(budgetBytes));
      acc.addBatch(values, new Uint8Array(values.length));
      const state = JSON.parse(JSON.stringify(acc.toJSON(100_000)));
      const back = NumericAccumulator.fromJSON(state, new MemoryBudget(1 << 20));
      expect([back.count, back.min, back.max]).toEqual([acc.count, acc.min, acc.max]);
      expect(back.variance).toBeCloseTo(acc.variance, 10);
      expect(back.exactValues() === null).toBe(acc.exactValues() === null);
      expect(back.sketches().histogram.count).toBe(2000);
    }
    const acc = new NumericAccumulator(new MemoryBudget(1 << 20));
    acc.addBatch(values);
    const typed = acc.toJSON(Infinity, true);
    expect(typed.values).toBeInstanceOf(Float64Array);
    expect(typed.histogram).toBeUndefined();
    // A receiver whose budget cannot take the values builds the sketches from them instead.
    const poor = NumericAccumulator.fromJSON(typed, new MemoryBudget(1024));
    expect(poor.exactValues()).toBeNull();
    expect(poor.sketches().histogram.count).toBe(2000);
  });
});
