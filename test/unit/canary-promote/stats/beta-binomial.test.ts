// Beta-binomial probability-better and expected loss against the closed forms (Evan Miller's sum for P(B > A),
// Chris Stucchio's expected loss), values written by test/fixtures/canary-promote/generate_reference.py.
import { readFileSync } from 'node:fs';
import { compareRates, expectedShortfall, posterior, probabilityGreater } from '#shared/stats/bayesian/index.js';

const reference = JSON.parse(readFileSync(new URL('../../../fixtures/canary-promote/reference-values.json', import.meta.url), 'utf8'));

describe('beta-binomial comparison of two rates', () => {
  for (const c of reference.beta_binomial as {
    a: { alpha: number; beta: number };
    b: { alpha: number; beta: number };
    prob_b_beats_a: number;
    loss_choosing_a: number;
    loss_choosing_b: number;
  }[]) {
    test(`P(B > A) and expected losses for A=Beta(${c.a.alpha},${c.a.beta}) B=Beta(${c.b.alpha},${c.b.beta})`, () => {
      expect(probabilityGreater(c.b, c.a)).toBeCloseTo(c.prob_b_beats_a, 9);
      expect(expectedShortfall(c.a, c.b)).toBeCloseTo(c.loss_choosing_a, 10);
      expect(expectedShortfall(c.b, c.a)).toBeCloseTo(c.loss_choosing_b, 10);
    });
  }

  test('an error rate that went down is better when lower is better', () => {
    const baseline = posterior(50, 10_000);
    const canary = posterior(20, 10_000);
    const errors = compareRates(baseline, canary, false);
    expect(errors.probabilityBetter).toBeGreaterThan(0.999);
    expect(errors.expectedLoss).toBeLessThan(1e-5);
    const accuracy = compareRates(baseline, canary, true);
    expect(accuracy.probabilityBetter).toBeCloseTo(1 - errors.probabilityBetter, 9);
  });

  test('a million trials a side stays finite and sensible', () => {
    const result = compareRates(posterior(950_000, 1_000_000), posterior(950_500, 1_000_000), true);
    expect(result.probabilityBetter).toBeGreaterThan(0.9);
    expect(result.probabilityBetter).toBeLessThan(1);
  });
});
