// The log-bucketed histogram that stands in for a column's values past the memory budget: its quantiles are within
// alpha (relative) of the exact lower quantile, and reading many quantiles at once gives what reading them one by one
// gives (the chart's 400-point grid reads them at once).
import { LogHistogram } from '../../../shared/src/stats/sketches/log-histogram.js';

/** numpy.quantile(values, q, method='lower'): the value at floor(q * (n - 1)) of the sorted values. */
function lowerQuantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))];
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('LogHistogram quantiles', () => {
  const random = seeded(7);
  // Log-normal-ish values of both signs, and zeros: every branch of the bucket order.
  const values = Array.from({ length: 5000 }, (_, i) => (i % 50 === 0 ? 0 : (random() < 0.3 ? -1 : 1) * Math.exp(4 * random() - 2)));
  const histogram = new LogHistogram(0.01);
  for (const v of values) histogram.add(v);
  const sorted = [...values].sort((a, b) => a - b);
  const grid = Array.from({ length: 401 }, (_, i) => i / 400);

  test('each quantile lies within alpha of the exact lower quantile', () => {
    for (const q of grid) {
      const exact = lowerQuantile(sorted, q);
      const estimate = histogram.quantile(q);
      expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(0.0101 * Math.abs(exact));
    }
  });

  test('many quantiles read at once equal the same quantiles read one by one, in any order', () => {
    const shuffled = [...grid].reverse();
    expect(histogram.quantiles(shuffled)).toEqual(shuffled.map((q) => histogram.quantile(q)));
  });

  test('an empty histogram gives NaN for every quantile', () => {
    expect(new LogHistogram(0.01).quantiles([0, 0.5, 1])).toEqual([NaN, NaN, NaN]);
  });
});
