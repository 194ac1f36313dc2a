// Binned distances must equal Evidently's stattests and scipy, and the MMD test Evidently's statistic, so that
// thresholds users know from Evidently mean the same here.
import { readFileSync } from 'node:fs';
import {
  empiricalMmd,
  floorEmptyShares,
  hellingerDistance,
  jensenShannonDistance,
  klDivergence,
  psi,
  totalVariationDistance,
} from '#shared/stats/distances/index.js';

interface BinnedCase {
  name: string;
  reference: number[];
  current: number[];
  psi: number;
  klDivergence: number;
  jensenShannon: number;
  jensenShannonFloored: number;
  hellinger: number;
  totalVariation: number;
}
interface MmdCase {
  name: string;
  reference: number[];
  current: number[];
  statistic: number;
  sigma: number;
  pValue: number;
  permutations: number;
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/stats/distances/distances.json', import.meta.url), 'utf8')) as {
  binned: BinnedCase[];
  mmd: MmdCase[];
};

function expectClose(actual: number, expected: number, tolerance = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

describe('binned distances between reference and current', () => {
  const cases = fixture.binned.map((c) => [c.name, c] as const);

  it.each(cases)("PSI equals Evidently's psi stattest: %s", (_, c) => expectClose(psi(c.reference, c.current), c.psi));
  it.each(cases)("KL divergence equals Evidently's kl_div (scipy entropy): %s", (_, c) =>
    expectClose(klDivergence(c.reference, c.current), c.klDivergence),
  );
  it.each(cases)('Jensen-Shannon distance equals scipy jensenshannon: %s', (_, c) => {
    expectClose(jensenShannonDistance(c.reference, c.current), c.jensenShannon);
    expectClose(jensenShannonDistance(c.reference, c.current, 1e-4), c.jensenShannonFloored);
  });
  it.each(cases)("Hellinger distance equals Evidently's: %s", (_, c) =>
    expectClose(hellingerDistance(c.reference, c.current), c.hellinger),
  );
  it.each(cases)('total variation distance: %s', (_, c) => expectClose(totalVariationDistance(c.reference, c.current), c.totalVariation));

  it('gives zero for identical distributions and grows with a shift', () => {
    expect(psi([1, 2, 3], [2, 4, 6])).toBeCloseTo(0, 15);
    expect(psi([30, 40, 30], [20, 40, 40])).toBeLessThan(psi([30, 40, 30], [5, 40, 55]));
  });

  it('floors empty bins at 0.0001, or far below a share already that small', () => {
    expect(Array.from(floorEmptyShares(Float64Array.of(0.5, 0.5, 0)))).toEqual([0.5, 0.5, 1e-4]);
    expect(Array.from(floorEmptyShares(Float64Array.of(0.99995, 0.00005, 0)))).toEqual([0.99995, 0.00005, 0.00005 / 1e6]);
  });

  it('rejects vectors over different bins or with nothing in them', () => {
    expect(() => psi([1, 2], [1, 2, 3])).toThrow(/align them/);
    expect(() => klDivergence([0, 0], [1, 2])).toThrow(/reference distribution is empty/);
    expect(() => hellingerDistance([1, -1], [1, 2])).toThrow(/expected a finite count/);
  });
});

describe('empirical MMD test', () => {
  it.each(fixture.mmd.map((c) => [c.name, c] as const))("statistic and bandwidth equal Evidently's emperical_mmd: %s", (_, c) => {
    const result = empiricalMmd(Float64Array.from(c.reference), Float64Array.from(c.current));
    expectClose(result.statistic, c.statistic);
    expectClose(result.sigma, c.sigma);
  });

  it.each(fixture.mmd.map((c) => [c.name, c] as const))(
    "permutation p-value agrees with numpy's permutation distribution within sampling error: %s",
    (_, c) => {
      const permutations = 2000;
      const { pValue } = empiricalMmd(Float64Array.from(c.reference), Float64Array.from(c.current), { permutations, seed: 3 });
      // both are Monte Carlo estimates: allow four standard errors of their difference
      const se = Math.sqrt(Math.max(c.pValue * (1 - c.pValue), 0.002) * (1 / permutations + 1 / c.permutations));
      expect(Math.abs(pValue - c.pValue)).toBeLessThanOrEqual(4 * se + 1e-12);
    },
  );

  it('is deterministic for a seed and detects a clear shift', () => {
    const ref = Float64Array.from(fixture.mmd[1].reference);
    const cur = Float64Array.from(fixture.mmd[1].current);
    const first = empiricalMmd(ref, cur, { seed: 42 });
    expect(empiricalMmd(ref, cur, { seed: 42 })).toEqual(first);
    expect(first.pValue).toBeLessThan(0.05);
  });

  it('subsamples large samples to bound memory, reporting the sizes used', () => {
    const big = Float64Array.from({ length: 3000 }, (_, i) => Math.sin(i));
    const result = empiricalMmd(big, big.subarray(0, 500), { maxSampleSize: 400, permutations: 20 });
    expect([result.referenceSize, result.currentSize]).toEqual([400, 400]);
  });

  it('refuses samples too small for the unbiased estimate', () => {
    expect(() => empiricalMmd(Float64Array.of(1), Float64Array.of(1, 2))).toThrow(/at least two reference values/);
  });
});
