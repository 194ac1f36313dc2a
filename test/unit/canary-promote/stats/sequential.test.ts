// The always-valid test GrowthBook documents (docs.growthbook.io/statistics/sequential): interval and p-value agree,
// and peeking at every look does not inflate false positives the way a fixed-horizon z-test does.
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { mixtureRho, sequentialTest } from '#shared/stats/sequential/index.js';
import { seededRandom } from '#shared/stats/distances/seeded-random.js';

describe('mixture SPRT / asymptotic confidence sequence', () => {
  test('rho follows the documented formula for alpha 0.05 and N* 5000', () => {
    const a = 0.05;
    expect(mixtureRho(a, 5000)).toBeCloseTo(Math.sqrt((-2 * Math.log(a) + Math.log(-2 * Math.log(a) + 1)) / 5000), 15);
  });

  test('the interval excludes 0 exactly when the always-valid p-value is below alpha', () => {
    for (const estimate of [0.001, 0.01, 0.02, 0.05]) {
      const r = sequentialTest({ estimate, variance: 1e-4, n: 20_000, alpha: 0.05 });
      expect(r.lower > 0).toBe(r.pValue < 0.05);
    }
  });

  test('is wider than the fixed-horizon interval', () => {
    const r = sequentialTest({ estimate: 0.1, variance: 0.0025, n: 5000, alpha: 0.05 });
    expect(r.upper - 0.1).toBeGreaterThan(1.96 * 0.05);
  });

  test('twenty looks keep the false-positive rate under alpha where naive peeking does not', () => {
    const random = seededRandom(3);
    const normal = () => Math.sqrt(-2 * Math.log(random() + 1e-300)) * Math.cos(2 * Math.PI * random());
    let sequentialFalse = 0;
    let naiveFalse = 0;
    const runs = 400;
    for (let run = 0; run < runs; run++) {
      let sumA = 0;
      let sumB = 0;
      let n = 0;
      let seqHit = false;
      let naiveHit = false;
      for (let look = 1; look <= 20; look++) {
        for (let i = 0; i < 250; i++) {
          sumA += normal();
          sumB += normal();
        }
        n += 250;
        const estimate = sumB / n - sumA / n;
        const variance = 2 / n;
        if (sequentialTest({ estimate, variance, n: 2 * n, alpha: 0.05 }).pValue < 0.05) seqHit = true;
        if (2 * normalCdf(-Math.abs(estimate) / Math.sqrt(variance), 0, 1) < 0.05) naiveHit = true;
      }
      if (seqHit) sequentialFalse++;
      if (naiveHit) naiveFalse++;
    }
    expect(sequentialFalse / runs).toBeLessThan(0.05);
    expect(naiveFalse / runs).toBeGreaterThan(0.1);
  });
});
