// Kayenta's own classifier cases (spinnaker/kayenta kayenta-judge/src/test/scala/com/netflix/kayenta/judge/
// ClassifierSuite.scala), extracted with their data by test/fixtures/canary-promote/kayenta/extract_kayenta_cases.py.
import { readFileSync } from 'node:fs';
import { classifyContinuous, type ContinuousSettings } from '../../../../actions/canary-promote/src/judge/continuous-classifier.js';
import { applyNanStrategy } from '../../../../actions/canary-promote/src/metrics/metric-samples.js';

interface KayentaCase {
  name: string;
  canary: number[];
  baseline: number[];
  params: {
    tolerance: number;
    confidence: number;
    effectSize: [number, number];
    critical: [number, number];
    measure: 'meanRatio' | 'cles';
  };
  direction: 'increase' | 'decrease' | 'either';
  nanStrategy: 'remove' | 'replace';
  criticalMetric: boolean;
  expect: { classification?: string; critical?: boolean; ratio?: number | null; reason?: boolean };
}

const cases: KayentaCase[] = JSON.parse(
  readFileSync(new URL('../../../fixtures/canary-promote/kayenta/kayenta-cases.json', import.meta.url), 'utf8'),
).classifier;

describe("Kayenta's Mann-Whitney classifier (ClassifierSuite)", () => {
  test('covers every Mann-Whitney case of the suite', () => expect(cases.length).toBe(34));
  for (const c of cases) {
    test(c.name, () => {
      const settings: ContinuousSettings = {
        direction: c.direction,
        critical: c.criticalMetric,
        mustHaveData: false,
        nanStrategy: c.nanStrategy,
        confidence: c.params.confidence,
        tolerance: c.params.tolerance,
        effectSize: {
          measure: c.params.measure === 'cles' ? 'cles' : 'mean-ratio',
          allowedDecrease: c.params.effectSize[0],
          allowedIncrease: c.params.effectSize[1],
          criticalDecrease: c.params.critical[0],
          criticalIncrease: c.params.critical[1],
        },
      };
      const baseline = applyNanStrategy(Float64Array.from(c.baseline), c.nanStrategy).values;
      const canary = applyNanStrategy(Float64Array.from(c.canary), c.nanStrategy).values;
      const result = classifyContinuous(baseline, canary, settings);
      if (c.expect.classification) expect(result.classification).toBe(c.expect.classification);
      if (c.expect.critical !== undefined) expect(result.critical).toBe(c.expect.critical);
      if (c.expect.ratio === null) expect(result.ratio).toBeNaN();
      else if (c.expect.ratio !== undefined) expect(result.ratio).toBe(c.expect.ratio);
      if (c.expect.reason) expect(result.reason).toBeTruthy();
    });
  }
});
