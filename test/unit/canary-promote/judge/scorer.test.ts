// Kayenta's ScorerSuite (spinnaker/kayenta kayenta-judge/src/test/scala/com/netflix/kayenta/judge/ScorerSuite.scala)
// and ThresholdScoreClassifier, case for case.
import { classifyScore, scoreMetrics, type ScoredMetric } from '../../../../actions/canary-promote/src/judge/scorer.js';

const metric = (
  name: string,
  classification: ScoredMetric['classification'],
  groups = ['test-group'],
  extra: Partial<ScoredMetric> = {},
): ScoredMetric => ({
  name,
  classification,
  critical: false,
  groups,
  ...extra,
});

describe("Kayenta's weighted sum scorer (ScorerSuite)", () => {
  test('Single Metric Pass', () => expect(scoreMetrics([metric('test-metric-pass', 'Pass')], {}).score).toBe(100));
  test('Single Metric Fail', () => expect(scoreMetrics([metric('test-metric-high', 'High')], {}).score).toBe(0));
  test('One Group, Two Metrics', () => expect(scoreMetrics([metric('p', 'Pass'), metric('h', 'High')], {}).score).toBe(50));
  test('One Group, Three Metrics', () =>
    expect(scoreMetrics([metric('p', 'Pass'), metric('h', 'High'), metric('l', 'Low')], {}).score).toBeCloseTo(33.33, 2));
  test('Two Groups, Three Metrics', () =>
    expect(
      scoreMetrics([metric('p1', 'Pass', ['group-1']), metric('p2', 'Pass', ['group-1']), metric('f', 'High', ['group-2'])], {
        'group-1': 75,
        'group-2': 25,
      }).score,
    ).toBe(75));
  test('Two Groups, Three Metrics (Equal Weight)', () =>
    expect(
      scoreMetrics([metric('p', 'Pass', ['group-1']), metric('f1', 'High', ['group-1']), metric('f2', 'High', ['group-2'])], {
        'group-1': 50,
        'group-2': 50,
      }).score,
    ).toBe(25));
  test('No Data', () => expect(scoreMetrics([metric('n', 'Nodata')], {}).score).toBe(0));
  test('Two metrics, one good (normal), one fail (critical)', () =>
    expect(scoreMetrics([metric('p', 'Pass'), metric('h', 'High', ['test-group'], { critical: true })], {}).score).toBe(0));
  test('Two metrics, one low (normal), one good (critical)', () =>
    expect(scoreMetrics([metric('l', 'Low'), metric('p2', 'Pass', ['test-group'], { critical: false })], {}).score).toBe(50));
  test('Two metrics, one good (normal), one fail (report-only)', () =>
    expect(scoreMetrics([metric('p', 'Pass'), metric('h', 'High', ['test-group'], { reportOnly: true })], {}).score).toBe(100));
  test('groups without a weight share what the weighted ones leave of 100', () =>
    expect(scoreMetrics([metric('a', 'Pass', ['w']), metric('b', 'High', ['x']), metric('c', 'Pass', ['y'])], { w: 50 }).score).toBe(75));
});

describe('ThresholdScoreClassifier', () => {
  test.each([
    [95, 'Pass'],
    [94.9, 'Marginal'],
    [75, 'Marginal'],
    [74.9, 'Fail'],
  ])('score %d is %s with pass 95, marginal 75', (score, expected) =>
    expect(classifyScore(score, { pass: 95, marginal: 75 })).toBe(expected),
  );
});
