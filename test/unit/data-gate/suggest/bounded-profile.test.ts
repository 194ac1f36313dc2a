import { ColumnProfiler } from '../../../../actions/data-gate/src/suggest/column-profile.js';
import { HYPERLOGLOG_STANDARD_ERROR, HyperLogLog } from '../../../../actions/data-gate/src/suggest/hyperloglog.js';
import { UniquenessTracker } from '../../../../actions/data-gate/src/suggest/uniqueness-tracker.js';
import { mixedNumberKey, stringKey } from '../../../../actions/data-gate/src/expectations/value-hash.js';
import { widenDatetimeBounds, widenNumberBounds } from '../../../../actions/data-gate/src/suggest/widen-bounds.js';

const fingerprintOf = (value: string) => stringKey(value, { hi: 0, lo: 0 });
const strings = (values: (string | null)[]) => ({ kind: 'string' as const, values });

describe('profiling in bounded memory', () => {
  it('keeps at most maxSetSize distinct values, and drops the map for good past that', () => {
    const profiler = new ColumnProfiler('label', 'categorical', { maxSetSize: 10, trackUniqueness: false, exactDistinctBudget: 100 });
    profiler.add(strings(Array.from({ length: 50 }, (_, i) => `v${i % 10}`)), 50);
    expect(profiler.finish().valueCounts?.size).toBe(10);
    expect(profiler.finish().valueCounts?.get('v3')).toBe(5);
    profiler.add(strings(['v10']), 1);
    expect(profiler.finish().valueCounts).toBeNull();
    profiler.add(strings(['v1', 'v2']), 2);
    expect(profiler.finish().valueCounts).toBeNull();
    expect(profiler.finish().present).toBe(53);
  });

  it('stops fingerprinting a column once a value repeats', () => {
    const tracker = new UniquenessTracker(1000);
    for (const value of ['a', 'b', 'a', 'c']) tracker.add(fingerprintOf(value));
    expect(tracker.tracking).toBe(false);
    expect(tracker.result()).toEqual({ values: 3, method: 'exact', allDistinct: false });
  });

  it('answers exactly within its budget and by a HyperLogLog estimate past it', () => {
    const exact = new UniquenessTracker(50_000);
    const sketched = new UniquenessTracker(1_000);
    for (let i = 0; i < 50_000; i++) {
      exact.add(fingerprintOf(`id-${i}`));
      sketched.add(fingerprintOf(`id-${i}`));
    }
    expect(exact.result()).toEqual({ values: 50_000, method: 'exact', allDistinct: true, distinct: 50_000 });
    const estimate = sketched.result();
    expect(estimate.method).toBe('estimated');
    expect(estimate.allDistinct).toBe(true);
    expect(Math.abs((estimate.distinct ?? 0) / 50_000 - 1)).toBeLessThan(3 * HYPERLOGLOG_STANDARD_ERROR);
  });

  it('sees through the estimate when a quarter of the values repeat', () => {
    const tracker = new UniquenessTracker(1_000);
    for (let i = 0; i < 40_000; i++) tracker.add(fingerprintOf(`id-${i % 30_000}`));
    expect(tracker.result()).toEqual(expect.objectContaining({ method: 'estimated', allDistinct: false }));
  });

  it.each([100, 10_000, 200_000])('estimates %i distinct numbers within three standard errors', (n) => {
    const sketch = new HyperLogLog();
    const fingerprint = { hi: 0, lo: 0 };
    for (let i = 0; i < n; i++) {
      mixedNumberKey(i * 1.5, fingerprint);
      sketch.add(fingerprint.hi, fingerprint.lo);
    }
    expect(Math.abs(sketch.estimate() / n - 1)).toBeLessThan(3 * HYPERLOGLOG_STANDARD_ERROR);
  });

  it('treats 0 and -0 as the same value, as pandas does', () => {
    const a = mixedNumberKey(0, { hi: 0, lo: 0 });
    expect(mixedNumberKey(-0, { hi: 0, lo: 0 })).toEqual(a);
  });
});

describe('widened bounds always hold the observed range', () => {
  it('for random ranges of every magnitude, sign and margin', () => {
    let state = 12345;
    const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (let trial = 0; trial < 5000; trial++) {
      const scale = 10 ** Math.floor(random() * 24 - 12);
      const whole = random() < 0.3;
      let a = (random() * 2 - (random() < 0.5 ? 0 : 1)) * scale;
      let b = a + random() * scale * (random() < 0.1 ? 0 : 1);
      if (whole) [a, b] = [Math.round(a * 1e6), Math.round(b * 1e6)];
      const margin = [0, 0.01, 0.1, 1][trial % 4];
      const { min, max } = widenNumberBounds(a, b, margin, whole);
      expect(min <= a && max >= b).toBe(true);
      if (whole) expect(Number.isInteger(min) && Number.isInteger(max)).toBe(true);
      if (a >= 0) expect(min).toBeGreaterThanOrEqual(0);
    }
  });

  it('for datetimes, to the second or to the day', () => {
    const min = Date.UTC(2024, 0, 5, 10, 30, 15, 250);
    const max = Date.UTC(2024, 0, 5, 10, 30, 59, 999);
    expect(widenDatetimeBounds(min, max, 0)).toEqual({ min: Date.UTC(2024, 0, 5, 10, 30, 15), max: Date.UTC(2024, 0, 5, 10, 31) });
  });
});
