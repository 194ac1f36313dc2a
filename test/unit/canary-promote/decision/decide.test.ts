// The decision rules, from a judgement to promote / continue / rollback and the next traffic weight.
import { decide, type DecisionSettings } from '../../../../actions/canary-promote/src/decision/decide.js';
import { failureReason, FAIL_ON } from '../../../../actions/canary-promote/src/fail-on.js';
import type { Judgement, MetricVerdict } from '../../../../actions/canary-promote/src/judge/judge-canary.js';

const metric = (name: string, extra: Partial<MetricVerdict> = {}): MetricVerdict => ({
  name,
  kind: 'continuous',
  classification: 'Pass',
  critical: false,
  criticalFailure: false,
  direction: 'increase',
  groups: [name],
  baseline: { count: 0 },
  canary: { count: 0 },
  tooFewSamples: false,
  ...extra,
});
const judgement = (score: number, metrics: MetricVerdict[] = [metric('latency')]): Judgement => ({
  metrics,
  score: { score, groups: [], criticalFailures: [] },
});
const settings = (extra: Partial<DecisionSettings> = {}): DecisionSettings => ({
  steps: [10, 25, 50, 100],
  currentWeight: 10,
  pass: 95,
  marginal: 75,
  ...extra,
});

describe('the decision', () => {
  test.each([
    [0, 10, 'continue', 10],
    [10, 25, 'continue', 25],
    [25, 50, 'continue', 50],
    [50, 100, 'promote', 100],
    [100, 100, 'promote', 100],
  ])('a passing canary at %d%% goes to %d%%', (current, next, decision, nextWeight) => {
    void next;
    const d = decide(judgement(100), settings({ currentWeight: current }));
    expect(d).toMatchObject({ decision, nextWeight, currentWeight: current });
  });

  test('steps that stop short of 100 promote after the last one', () => {
    expect(decide(judgement(100), settings({ steps: [5, 20], currentWeight: 20 }))).toMatchObject({ decision: 'promote', nextWeight: 100 });
    expect(decide(judgement(100), settings({ steps: [5, 20], currentWeight: 5 }))).toMatchObject({
      decision: 'continue',
      nextWeight: 20,
      step: 'advance',
    });
  });

  test('a marginal score holds the traffic where it is', () => {
    expect(decide(judgement(80), settings({ currentWeight: 25 }))).toMatchObject({
      decision: 'continue',
      step: 'hold',
      nextWeight: 25,
      scoreClass: 'Marginal',
    });
  });

  test('a failing score rolls back to 0%', () => {
    expect(decide(judgement(60), settings())).toMatchObject({ decision: 'rollback', nextWeight: 0, scoreClass: 'Fail' });
  });

  test('a critical failure rolls back even when data is short', () => {
    const d = decide(
      judgement(0, [
        metric('latency', { classification: 'High', critical: true, criticalFailure: true }),
        metric('errors', { tooFewSamples: true }),
      ]),
      settings(),
    );
    expect(d.decision).toBe('rollback');
    expect(d.reason).toBe('Critical metric failed: latency (High).');
  });

  test('too few samples never promote: hold, and roll back only once max-wait has passed', () => {
    const short = judgement(100, [metric('latency', { tooFewSamples: true })]);
    expect(decide(short, settings({ currentWeight: 50 }))).toMatchObject({ decision: 'continue', step: 'hold', nextWeight: 50 });
    expect(decide(short, settings({ currentWeight: 50, maxWaitSeconds: 3600, stepAgeSeconds: 1800 })).reason).toMatch(
      /\(30m of max-wait 1h\)/,
    );
    expect(decide(short, settings({ currentWeight: 50, maxWaitSeconds: 3600, stepAgeSeconds: 3600 }))).toMatchObject({
      decision: 'rollback',
      nextWeight: 0,
    });
  });

  test('no data and inconclusive sequential looks also wait', () => {
    expect(decide(judgement(100, [metric('a', { classification: 'Nodata' })]), settings()).step).toBe('hold');
    expect(decide(judgement(100, [metric('a', { classification: 'Inconclusive' })]), settings()).step).toBe('hold');
  });
});

describe('fail-on', () => {
  test('covers never and rollback', () => expect([...FAIL_ON]).toEqual(['never', 'rollback']));
  test.each([
    ['never', 'promote', undefined],
    ['never', 'continue', undefined],
    ['never', 'rollback', undefined],
    ['rollback', 'promote', undefined],
    ['rollback', 'continue', undefined],
    ['rollback', 'rollback', "Canary rolled back: Score 10.0 is below marginal (75). Failing because fail-on is 'rollback'."],
  ] as const)('fail-on %s with decision %s', (failOn, decision, expected) => {
    expect(failureReason(failOn, { decision, reason: 'Score 10.0 is below marginal (75).' })).toBe(expected);
  });
});
