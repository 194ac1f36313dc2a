// Drift statistics for numerical columns must agree with scipy 1.10 (what Evidently reports): every reference value
// here comes from test/fixtures/stats/two-sample/generate.py run against scipy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  andersonKSamp,
  cdfCvmInf,
  cramerVonMises2samp,
  energyDistance,
  ks2samp,
  ks2sampSorted,
  ksAsymptoticPValue,
  ksStatisticSorted,
  kolmogorovSmirnovSf,
  mannWhitneyU,
  normedWasserstein,
  tTest,
  tTestFromMoments,
  wassersteinDistance,
  type TwoSampleResult,
} from '#shared/stats/two-sample-tests/index.js';

type SampleSpec =
  | { kind: 'values'; values: number[] }
  | {
      kind: 'modular';
      n: number;
      multiplier: number;
      offset: number;
      modulus: number;
      divisor: number;
      scale: number;
      shift: number;
    };
/** NaN and infinities are stored as the strings 'NaN', 'Infinity', '-Infinity' (JSON has no such numbers). */
type JsonNumber = number | string;
type Expected = { statistic: JsonNumber; pValue: JsonNumber | null } | { error: string };
interface Case {
  name: string;
  reference: SampleSpec;
  current: SampleSpec;
  expected: Record<string, Expected>;
}
interface Vectors {
  scipy: string;
  cases: Case[];
  kstwoSf: { n: number; x: number; sf: number }[];
  cvmInfCdf: { x: number; cdf: number }[];
}

const vectors = JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures/stats/two-sample/vectors.json'), 'utf8')) as Vectors;

/** Same arithmetic as generate.py's `modular`: integer product and remainder, then one division, multiply, add. */
function materialize(spec: SampleSpec): Float64Array {
  if (spec.kind === 'values') return Float64Array.from(spec.values);
  const out = new Float64Array(spec.n);
  for (let i = 0; i < spec.n; i++) {
    out[i] = (((i * spec.multiplier + spec.offset) % spec.modulus) / spec.divisor) * spec.scale + spec.shift;
  }
  return out;
}

function expectStatistic(actual: number, expected: number): void {
  if (Number.isNaN(expected)) return expect(actual).toBeNaN();
  if (!Number.isFinite(expected)) return expect(actual).toBe(expected);
  // 1e-9 absolute or relative, whichever is looser for large statistics
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

function expectPValue(actual: number, expected: number): void {
  if (Number.isNaN(expected)) return expect(actual).toBeNaN();
  if (expected <= 1e-300) return expect(actual).toBeLessThanOrEqual(1e-300);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-6 * expected);
}

const tests: Record<string, (r: Float64Array, c: Float64Array) => TwoSampleResult> = {
  ks: ks2samp,
  anderson: andersonKSamp,
  cvm: cramerVonMises2samp,
  mannWhitney: mannWhitneyU,
  tTest: (r, c) => tTest(r, c),
  welch: (r, c) => tTest(r, c, { equalVar: false }),
  energy: energyDistance,
  wasserstein: wassersteinDistance,
  normedWasserstein: (r, c) => normedWasserstein(r, c),
};

describe('two-sample tests agree with scipy ' + vectors.scipy, () => {
  for (const c of vectors.cases) {
    describe(c.name, () => {
      const reference = materialize(c.reference);
      const current = materialize(c.current);
      for (const [key, run] of Object.entries(tests)) {
        const expected = c.expected[key];
        if ('error' in expected) {
          it(`${key} refuses the input as scipy does (${expected.error})`, () => {
            expect(() => run(reference, current)).toThrow(Error);
          });
          continue;
        }
        it(`${key} gives scipy's statistic and p-value`, () => {
          const result = run(reference, current);
          expectStatistic(result.statistic, Number(expected.statistic));
          if (expected.pValue === null) expect(result.pValue).toBeNaN();
          else expectPValue(result.pValue, Number(expected.pValue));
        });
      }
    });
  }
});

describe('Kolmogorov distribution behind the asymptotic KS p-value (scipy kstwo.sf)', () => {
  it.each(vectors.kstwoSf.map((v) => [v.n, v.x, v.sf]))('n=%d x=%f', (n, x, sf) => {
    expectPValue(kolmogorovSmirnovSf(x, n), sf);
  });
});

describe('limiting Cramér-von Mises CDF (scipy _cdf_cvm_inf)', () => {
  it.each(vectors.cvmInfCdf.map((v) => [v.x, v.cdf]))('x=%f', (x, cdf) => {
    expect(Math.abs(cdfCvmInf(x) - cdf)).toBeLessThanOrEqual(1e-13);
  });
});

describe('edge cases a drift check meets', () => {
  const some = Float64Array.from([1, 2, 3]);
  const empty = new Float64Array(0);

  it('every test refuses an empty sample with a message naming the empty side', () => {
    for (const run of Object.values(tests)) {
      expect(() => run(empty, some)).toThrow(/reference sample is empty/);
      expect(() => run(some, empty)).toThrow(/current sample is empty/);
    }
  });

  it('the sorted KS variant gives the same answer as the unsorted one, from pre-sorted input', () => {
    const c = vectors.cases.find((x) => x.name.startsWith('heavy tail'))!;
    const r = materialize(c.reference);
    const k = materialize(c.current);
    const sortedR = Float64Array.from(r).sort();
    const sortedK = Float64Array.from(k).sort();
    expect(ks2sampSorted(sortedR, sortedK)).toEqual(ks2samp(r, k));
    expect(ksStatisticSorted(sortedR, sortedK)).toBeCloseTo(ks2samp(r, k).statistic, 12);
  });

  it('the KS asymptotic p-value for sketches is the one scipy uses beyond 10000 values', () => {
    const c = vectors.cases.find((x) => x.name.startsWith('large slight shift'))!;
    const expected = c.expected.ks as { statistic: number; pValue: number };
    expectPValue(ksAsymptoticPValue(expected.statistic, 12000, 11000), expected.pValue);
  });

  it('a t-test from moments matches the t-test on the values', () => {
    const c = vectors.cases.find((x) => x.name.startsWith('scale change 50'))!;
    const r = materialize(c.reference);
    const k = materialize(c.current);
    const moments = (x: Float64Array) => {
      const mean = x.reduce((s, v) => s + v, 0) / x.length;
      return { count: x.length, mean, variance: x.reduce((s, v) => s + (v - mean) ** 2, 0) / (x.length - 1) };
    };
    const welch = c.expected.welch as { statistic: number; pValue: number };
    const fromMoments = tTestFromMoments(moments(r), moments(k), { equalVar: false });
    expect(fromMoments.statistic).toBeCloseTo(welch.statistic, 10);
    expectPValue(fromMoments.pValue, welch.pValue);
  });

  it('normed Wasserstein divides by at least 0.001 when the reference is constant', () => {
    const constant = Float64Array.from([2, 2, 2]);
    const shifted = Float64Array.from([3, 3, 3]);
    expect(normedWasserstein(constant, shifted).statistic).toBeCloseTo(1 / 0.001, 9);
  });

  it('a 12000-value KS test runs in well under a second', () => {
    const c = vectors.cases.find((x) => x.name.startsWith('large scale change'))!;
    const r = materialize(c.reference);
    const k = materialize(c.current);
    const start = performance.now();
    ks2samp(r, k);
    energyDistance(r, k);
    wassersteinDistance(r, k);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
