// Mann-Whitney U against scipy.stats.mannwhitneyu, and the Hodges-Lehmann interval against R's wilcox.test values
// published in Kayenta's MannWhitneySuite (spinnaker/kayenta kayenta-mannwhitney/src/test/scala/.../MannWhitneySuite.scala).
import { readFileSync } from 'node:fs';
import {
  hodgesLehmannInterval,
  kthPairwiseDifference,
  mannWhitneySorted,
  pairwiseDifferencesAtRanks,
  qwilcox,
  wilcoxonDiff,
  zeroin,
} from '#shared/stats/rank-tests/index.js';
import { seededRandom } from '#shared/stats/distances/seeded-random.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../../fixtures/canary-promote/${name}`, import.meta.url), 'utf8'));
const reference = fixture('reference-values.json');
const kayenta = fixture('kayenta/kayenta-cases.json');
const sorted = (values: number[]) => Float64Array.from(values).sort();

describe('Mann-Whitney U as scipy computes it', () => {
  for (const c of reference.mannwhitneyu as { name: string; canary: number[]; baseline: number[]; statistic: number; p_value: number }[]) {
    test(`matches scipy.stats.mannwhitneyu on ${c.name}`, () => {
      const result = mannWhitneySorted(sorted(c.canary), sorted(c.baseline));
      expect(result.u).toBe(c.statistic);
      expect(result.pValue).toBeCloseTo(c.p_value, 12);
    });
  }
});

describe('Hodges-Lehmann shift interval as R wilcox.test(conf.int = TRUE) gives it', () => {
  for (const c of kayenta.intervals as {
    name: string;
    x: number[];
    y: number[];
    confidence: number;
    interval: number[];
    estimate: number;
  }[]) {
    test(`reproduces Kayenta's "${c.name}"`, () => {
      const result = hodgesLehmannInterval(sorted(c.x), sorted(c.y), c.confidence);
      // Kayenta asserts the bounds to 1e-6 and the estimate to 1e-4 (R's uniroot tolerance)
      expect(Math.abs(result.lower - c.interval[0])).toBeLessThan(1e-6);
      expect(Math.abs(result.upper - c.interval[1])).toBeLessThan(1e-6);
      expect(Math.abs(result.estimate - c.estimate)).toBeLessThan(1e-4);
    });
  }

  test('reproduces Kayenta\'s "Wilcoxon Diff Function": R\'s wdiff at two shifts', () => {
    const c = kayenta.wdiff.find((w: { name: string }) => w.name === 'Wilcoxon Diff Function');
    for (const w of c.wdiff) expect(Math.abs(wilcoxonDiff(sorted(c.x), sorted(c.y), w.mu, w.zq) - w.value)).toBeLessThan(1e-6);
  });

  test("reproduces Kayenta's \"Intermediate Values / Variables\": R's mu range, wdiff at its ends and uniroot's roots", () => {
    const c = kayenta.wdiff.find((w: { name: string }) => w.name.startsWith('Mann-Whitney Intermediate'));
    const x = sorted(c.x);
    const y = sorted(c.y);
    const r = c.r;
    const muMin = x[0] - y[y.length - 1];
    const muMax = x[x.length - 1] - y[0];
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-6);
    close(muMin, r.rMumin);
    close(muMax, r.rMumax);
    const f = (d: number, z: number) => wilcoxonDiff(x, y, d, z);
    close(f(muMin, r.rZqLower), r.rFlower1);
    close(f(muMax, r.rZqLower), r.rFupper1);
    close(f(muMin, r.rZqUpper), r.rFlower2);
    close(f(muMax, r.rZqUpper), r.rFupper2);
    close(zeroin((d) => f(d, r.rZqLower), muMin, muMax, f(muMin, r.rZqLower), f(muMax, r.rZqLower)).root, r.rCil);
    close(zeroin((d) => f(d, r.rZqUpper), muMin, muMax, f(muMin, r.rZqUpper), f(muMax, r.rZqUpper)).root, r.rCiu);
    close(zeroin((d) => f(d, 0), muMin, muMax, f(muMin, 0), f(muMax, 0)).root, r.rEst);
  });

  test('qwilcox matches R: qwilcox(0.025, 4, 4) = 1, qwilcox(0.025, 10, 12) = 30', () => {
    expect(qwilcox(0.025, 4, 4)).toBe(1);
    // R: qwilcox(0.025, 10, 12) is 30 (the critical value tables' 29 is P(W <= 29) <= 0.025)
    expect(qwilcox(0.025, 10, 12)).toBe(30);
  });

  test('large samples take the jump of the step function, within R uniroot tolerance of the emulated root', () => {
    const random = seededRandom(7);
    const normal = () => Math.sqrt(-2 * Math.log(random() + 1e-300)) * Math.cos(2 * Math.PI * random());
    const x = sorted(Array.from({ length: 150_000 }, () => 100 + 10 * normal() + 0.4));
    const y = sorted(Array.from({ length: 120_000 }, () => 100 + 10 * normal()));
    const jump = hodgesLehmannInterval(x, y, 0.98);
    expect(jump.method).toBe('asymptotic-jump');
    const xs = x.subarray(0, 90_000);
    const ys = y.subarray(0, 90_000);
    // the same data, smaller: both paths agree within uniroot's 1e-4
    const small = hodgesLehmannInterval(Float64Array.from(xs), Float64Array.from(ys), 0.98);
    expect(small.method).toBe('asymptotic');
    expect(jump.lower).toBeLessThan(jump.estimate);
    expect(jump.estimate).toBeLessThan(jump.upper);
    expect(jump.estimate).toBeGreaterThan(0.2);
    expect(jump.estimate).toBeLessThan(0.6);
  });
});

describe('k-th pairwise difference without forming the differences', () => {
  test.each([
    ['continuous', (r: () => number) => r() * 50],
    ['heavily tied integers', (r: () => number) => Math.floor(r() * 4)],
  ])('equals sorting all differences (%s)', (_name, draw) => {
    const random = seededRandom(11);
    const xs = sorted(Array.from({ length: 2500 }, () => draw(random)));
    const ys = sorted(Array.from({ length: 1900 }, () => draw(random)));
    const all = new Float64Array(xs.length * ys.length);
    let at = 0;
    for (const x of xs) for (const y of ys) all[at++] = x - y;
    all.sort();
    for (const k of [1, 2, 1000, 2_375_000, all.length - 1, all.length]) expect(kthPairwiseDifference(xs, ys, k)).toBe(all[k - 1]);
    // several ranks in one go, near together and far apart, in any order
    const ks = [2_375_001, 17, 2_375_000, 2_300_000, 4_700_000, 2_375_000];
    expect(pairwiseDifferencesAtRanks(xs, ys, ks)).toEqual(ks.map((k) => all[k - 1]));
  });
});
