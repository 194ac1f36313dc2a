// Estimated performance without labels (CBPE) against the Python reference: a credit model whose scores are
// overconfident, 6,000 labelled reference rows and 4,000 current rows whose labels are held back
// (test/fixtures/drift-check/cbpe/generate.py: sklearn's IsotonicRegression and metrics, NannyML's formulas).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { estimatePerformance, referenceCalibration } from '../../../actions/drift-check/src/performance/estimated/cbpe.js';
import { calibrate } from '../../../actions/drift-check/src/performance/estimated/isotonic-calibration.js';
import { ScoreBins, scoreBin } from '../../../actions/drift-check/src/performance/estimated/score-bins.js';
import { estimatedPerformanceReport } from '../../../actions/drift-check/src/performance/estimated/estimated-report.js';
import { PerformanceAccumulator } from '../../../actions/drift-check/src/profile/performance-accumulator.js';
import { driftHeadline } from '../../../actions/drift-check/src/report/drift-summary.js';

const fixtures = join(process.cwd(), 'test/fixtures/drift-check/cbpe');
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8'));
type Metrics = Record<string, number>;

function rows(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(join(fixtures, file), 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
}

function bins(file: string, column: string, labelled: boolean): ScoreBins {
  const acc = new ScoreBins();
  for (const row of rows(file)) acc.add(Number(row[column]), row.approved === '1', labelled ? row.defaulted === '1' : null);
  return acc;
}

const METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'];

describe('CBPE on three-decimal scores (one score a bin): equal to the Python reference', () => {
  const variant = expected.variants.score;
  const reference = bins('reference.csv', 'score', true);
  const current = bins('current.csv', 'score', false);
  const estimate = estimatePerformance(reference, current, variant.reference, 0.1);
  if ('unavailable' in estimate) throw new Error(estimate.unavailable);
  const byMetric = Object.fromEntries(estimate.metrics.map((m) => [m.metric, m]));

  test("the isotonic calibration equals sklearn's IsotonicRegression.predict at 201 points", () => {
    const calibration = referenceCalibration(reference);
    variant.calibration.at.forEach((x: number, i: number) => expect(calibrate(calibration, x)).toBeCloseTo(variant.calibration.p[i], 12));
  });

  test('the estimates and their standard errors equal the reference to 1e-9', () => {
    expect(estimate.rows).toBe(4000);
    for (const metric of METRICS) {
      expect(Math.abs(byMetric[metric].value - variant.estimate[metric])).toBeLessThan(1e-9);
      expect(Math.abs(byMetric[metric].sampling_error - variant.sampling_error[metric])).toBeLessThan(1e-9);
      expect(byMetric[metric].lower).toBeCloseTo(variant.band[metric][0], 9);
      expect(byMetric[metric].upper).toBeCloseTo(variant.band[metric][1], 9);
    }
  });

  test('every estimate lands within its 95% band of the held-back truth', () => {
    for (const metric of METRICS) {
      const truth = (expected.truth as Metrics)[metric];
      expect([metric, byMetric[metric].lower <= truth && truth <= byMetric[metric].upper]).toEqual([metric, true]);
    }
  });

  test("flags the drop the held-back labels confirm: accuracy falls from the reference's by more than the tolerance", () => {
    expect(byMetric.accuracy.reference).toBeCloseTo(variant.reference.accuracy, 12);
    expect((variant.reference.accuracy - expected.truth.accuracy) / variant.reference.accuracy).toBeGreaterThan(0.1);
    expect(byMetric.accuracy.degraded).toBe(true);
    expect(byMetric.accuracy.degradation).toBeCloseTo(
      (variant.reference.accuracy - byMetric.accuracy.value) / variant.reference.accuracy,
      12,
    );
  });
});

describe('CBPE on continuous scores (several a bin): close to the exact computation', () => {
  const variant = expected.variants.score_fine;
  const reference = bins('reference.csv', 'score_fine', true);
  const current = bins('current.csv', 'score_fine', false);
  const estimate = estimatePerformance(reference, current, variant.reference, 0.1);
  if ('unavailable' in estimate) throw new Error(estimate.unavailable);

  test('bins are shared, and every estimate is within 1e-4 of sklearn and NannyML on the raw scores', () => {
    const distinct = new Set(rows('current.csv').map((r) => r.score_fine)).size;
    const used = new Set(rows('current.csv').map((r) => scoreBin(Number(r.score_fine)))).size;
    expect(used).toBeLessThan(distinct);
    for (const m of estimate.metrics) {
      expect([m.metric, Math.abs(m.value - variant.estimate[m.metric])]).toEqual([m.metric, expect.any(Number)]);
      expect(Math.abs(m.value - variant.estimate[m.metric])).toBeLessThan(1e-4);
      expect(Math.abs(m.sampling_error - variant.sampling_error[m.metric]) / variant.sampling_error[m.metric]).toBeLessThan(0.01);
    }
  });
});

describe('score bins', () => {
  test('merge exactly and survive a save and restore', () => {
    const whole = bins('reference.csv', 'score_fine', true);
    const parts = [new ScoreBins(), new ScoreBins()];
    rows('reference.csv').forEach((row, i) => parts[i % 2].add(Number(row.score_fine), row.approved === '1', row.defaulted === '1'));
    parts[0].merge(ScoreBins.fromJSON(JSON.parse(JSON.stringify(parts[1].toJSON()))));
    expect(parts[0].confusion).toEqual(whole.confusion);
    const a = parts[0].occupied();
    const b = whole.occupied();
    expect(a.length).toBe(b.length);
    a.forEach((bin, i) => {
      expect(bin.rows).toBe(b[i].rows);
      expect(bin.score).toBeCloseTo(b[i].score, 12);
    });
  });

  test('leave out scores that are not probabilities, and say there is nothing to estimate from one class', () => {
    const acc = new ScoreBins();
    acc.add(1.5, true, true);
    acc.add(-0.1, false, false);
    expect(acc.outOfRange).toBe(2);
    acc.add(0.9, true, true);
    expect(estimatePerformance(acc, acc, {}, 0.1)).toEqual({ unavailable: expect.stringMatching(/both classes/) });
  });
});

describe('the performance section without labels on either side', () => {
  test('says nothing could be estimated, and why, instead of a green light', () => {
    const columns = { target: 'defaulted', prediction: 'approved', score: 'score', labelsAbsent: true };
    const unlabelled = () => {
      const acc = new PerformanceAccumulator(columns);
      acc.scoreBins!.add(0.7, true, null);
      return acc;
    };
    const performance = estimatedPerformanceReport(unlabelled(), unlabelled(), 0.1);
    expect(performance.estimated).toBeUndefined();
    expect(performance.estimated_unavailable).toMatch(/no labels/);
    const headline = driftHeadline({ dataset_drift: false, performance } as Parameters<typeof driftHeadline>[0]);
    expect(headline).toMatch(/not measured: the current data has no labels/);
  });
});
