// From a judgement to what happens to the rollout: promote, continue (the next traffic step, or hold where it is)
// or roll back, with the traffic weight that follows. Pure and ordered: a critical failure rolls back at once; too
// little data never promotes (hold, or roll back once the step has waited max-wait); then the score decides.
import type { Judgement } from '../judge/judge-canary.js';
import { classifyScore, type ScoreClass } from '../judge/scorer.js';

export type DecisionName = 'promote' | 'continue' | 'rollback';
export type StepTaken = 'advance' | 'hold' | 'promote' | 'rollback';

export interface DecisionSettings {
  steps: number[];
  currentWeight: number;
  pass: number;
  marginal: number;
  /** Seconds a step may wait for enough data before the canary is rolled back; undefined: wait for ever. */
  maxWaitSeconds?: number;
  /** Seconds since the current step began (the manifest's last commit, or step-started-at); undefined: unknown. */
  stepAgeSeconds?: number;
}

export interface Decision {
  decision: DecisionName;
  step: StepTaken;
  reason: string;
  currentWeight: number;
  nextWeight: number;
  scoreClass: ScoreClass;
}

export function decide(judgement: Judgement, s: DecisionSettings): Decision {
  const scoreClass = classifyScore(judgement.score.score, s);
  const at = (decision: DecisionName, step: StepTaken, nextWeight: number, reason: string): Decision => ({
    decision,
    step,
    reason,
    currentWeight: s.currentWeight,
    nextWeight,
    scoreClass,
  });

  const critical = judgement.metrics.filter((m) => m.criticalFailure);
  if (critical.length > 0)
    return at(
      'rollback',
      'rollback',
      0,
      `Critical metric${critical.length > 1 ? 's' : ''} failed: ${critical.map((m) => `${m.name} (${m.classification})`).join(', ')}.`,
    );

  const waiting = judgement.metrics.filter((m) => m.tooFewSamples || m.classification === 'Nodata' || m.classification === 'Inconclusive');
  if (waiting.length > 0) {
    const what = waiting
      .map((m) => `${m.name} (${m.classification === 'Inconclusive' ? 'inconclusive' : m.tooFewSamples ? 'too few samples' : 'no data'})`)
      .join(', ');
    if (s.maxWaitSeconds !== undefined && s.stepAgeSeconds !== undefined && s.stepAgeSeconds >= s.maxWaitSeconds)
      return at(
        'rollback',
        'rollback',
        0,
        `Not enough data after max-wait (${formatSeconds(s.stepAgeSeconds)} at ${s.currentWeight}%): ${what}.`,
      );
    const age =
      s.stepAgeSeconds !== undefined && s.maxWaitSeconds !== undefined
        ? ` (${formatSeconds(s.stepAgeSeconds)} of max-wait ${formatSeconds(s.maxWaitSeconds)})`
        : '';
    return at('continue', 'hold', s.currentWeight, `Not enough data yet${age}; holding at ${s.currentWeight}%: ${what}.`);
  }

  const score = judgement.score.score.toFixed(1);
  if (scoreClass === 'Fail') return at('rollback', 'rollback', 0, `Score ${score} is below marginal (${s.marginal}).`);
  if (scoreClass === 'Marginal')
    return at(
      'continue',
      'hold',
      s.currentWeight,
      `Score ${score} is marginal (${s.marginal} <= score < ${s.pass}); holding at ${s.currentWeight}%.`,
    );
  const next = s.steps.find((w) => w > s.currentWeight);
  if (next === undefined || next >= 100)
    return at(
      'promote',
      'promote',
      100,
      `Score ${score} passes (>= ${s.pass}) at ${s.currentWeight}%${next === undefined ? ', the last step' : ''}: promoting.`,
    );
  return at('continue', 'advance', next, `Score ${score} passes (>= ${s.pass}); stepping traffic from ${s.currentWeight}% to ${next}%.`);
}

export function formatSeconds(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds >= 60) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds)}s`;
}
