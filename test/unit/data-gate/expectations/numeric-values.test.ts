// A column's values give numpy's quantiles for every interpolation, however often and in whatever order a rule asks,
// and keep exactly as many values as the memory budget holds before switching to the sketch.
import { NumericValues, type Interpolation } from '../../../../actions/data-gate/src/expectations/numeric-values.js';

function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

function valuesOf(list: ArrayLike<number>, budgetBytes = 64 << 20): NumericValues {
  const values = new NumericValues(budgetBytes);
  for (let i = 0; i < list.length; i++) values.add(list[i]);
  return values;
}

/** numpy.quantile(x, q, method) of ascending `x`: the answer read after a full sort, as before selection. */
function sortedQuantile(x: Float64Array, q: number, method: Interpolation): number {
  const h = (x.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(Math.ceil(h), x.length - 1);
  if (method === 'lower') return x[lo];
  if (method === 'higher') return x[hi];
  if (method === 'midpoint') return (x[lo] + x[hi]) / 2;
  if (method === 'nearest') return x[h - lo === 0.5 ? (lo % 2 === 0 ? lo : hi) : Math.round(h)];
  return x[lo] + (h - lo) * (x[hi] - x[lo]);
}

const METHODS: Interpolation[] = ['linear', 'lower', 'higher', 'midpoint', 'nearest'];

describe('exact quantiles of a column', () => {
  test('match numpy.quantile for every interpolation, halves of nearest to the even rank', () => {
    const column = [7.5, -2, 3, 3, 10, 0, -0, 42, 1e-3, 3, 8, -7.25, 15];
    const qs = [0, 0.1, 0.25, 0.5, 0.625, 0.9, 1];
    // np.quantile(column, qs, method=m), numpy 1.26
    const numpy: Record<Interpolation, number[]> = {
      linear: [-7.25, -1.5999999999999996, 0.0, 3.0, 5.25, 14.000000000000004, 42.0],
      lower: [-7.25, -2.0, -0.0, 3.0, 3.0, 10.0, 42.0],
      higher: [-7.25, 0.0, -0.0, 3.0, 7.5, 15.0, 42.0],
      midpoint: [-7.25, -1.0, 0.0, 3.0, 5.25, 12.5, 42.0],
      nearest: [-7.25, -2.0, -0.0, 3.0, 7.5, 15.0, 42.0],
    };
    for (const method of METHODS) {
      const observed = valuesOf(column).quantiles(qs, method);
      observed.forEach((v, i) => expect(v).toBeCloseTo(numpy[method][i], 12));
    }
  });

  test('a rule asking for five quantiles of 300k values gets what sorting them gives', () => {
    const random = lcg(3);
    const column = Float64Array.from({ length: 300_000 }, () => Math.round(Math.exp(3 * random()) * 100) / 100);
    const qs = [0.05, 0.25, 0.5, 0.75, 0.95];
    const sorted = Float64Array.from(column).sort();
    for (const method of METHODS) {
      expect(valuesOf(column).quantiles(qs, method)).toEqual(qs.map((q) => sortedQuantile(sorted, q, method)));
    }
  });

  test('asking again and again, for other quantiles and methods, stays right (select, select, ..., then sort)', () => {
    const random = lcg(4);
    const column = Float64Array.from({ length: 50_000 }, () => Math.floor(random() * 1000) - 500.5);
    const sorted = Float64Array.from(column).sort();
    const values = valuesOf(column);
    for (let call = 0; call < 8; call++) {
      const qs = [random(), random(), 0.5];
      const method = METHODS[call % METHODS.length];
      expect(values.quantiles(qs, method)).toEqual(qs.map((q) => sortedQuantile(sorted, q, method)));
      expect(values.quantile(qs[0], method)).toBe(sortedQuantile(sorted, qs[0], method));
    }
  });

  test('values added after quantiles were read count in the next answer', () => {
    const values = valuesOf([5, 1, 4]);
    expect(values.quantile(0.5)).toBe(4);
    values.add(2);
    values.add(3);
    expect(values.count).toBe(5);
    expect(values.quantiles([0, 0.5, 1], 'lower')).toEqual([1, 3, 5]);
    for (const v of [0, 0, 0, 0]) values.add(v);
    expect(values.quantiles([0.5], 'lower')).toEqual([1]);
  });

  test('no values give NaN for every quantile', () => {
    expect(new NumericValues(1 << 20).quantiles([0.1, 0.5], 'nearest')).toEqual([NaN, NaN]);
  });
});

describe('the memory budget', () => {
  test('holds exactly budget / 8 values; the next one turns the column into a sketch of them all', () => {
    // 3000 values: not a power of two, so a doubling array could not have used the whole budget.
    const full = valuesOf(
      Array.from({ length: 3000 }, (_, i) => i + 1),
      3000 * 8,
    );
    expect(full.exact).toBe(true);
    expect(full.quantile(0.5, 'lower')).toBe(1500);
    const values = valuesOf(
      Array.from({ length: 3000 }, (_, i) => i + 1),
      3000 * 8,
    );
    values.add(3001);
    expect(values.exact).toBe(false);
    expect(values.count).toBe(3001);
    const median = values.quantile(0.5);
    expect(Math.abs(median - 1501) / 1501).toBeLessThanOrEqual(0.01);
  });

  test('a column far past the budget is sketched within its relative error', () => {
    const random = lcg(6);
    const column = Float64Array.from({ length: 40_000 }, () => 1 + random() * 99);
    const values = valuesOf(column, 8 * 1024);
    expect(values.exact).toBe(false);
    expect(values.count).toBe(column.length);
    const sorted = Float64Array.from(column).sort();
    values.quantiles([0.1, 0.5, 0.9]).forEach((v, i) => {
      const exact = sortedQuantile(sorted, [0.1, 0.5, 0.9][i], 'lower');
      expect(Math.abs(v - exact) / exact).toBeLessThanOrEqual(0.011);
    });
  });
});
