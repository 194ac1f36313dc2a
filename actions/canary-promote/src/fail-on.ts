// When the step fails: 'rollback' (default) fails it when the decision is to roll back, 'never' never does.
import type { DecisionName } from './decision/decide.js';

export const FAIL_ON = ['never', 'rollback'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export function failureReason(failOn: FailOn, result: { decision: DecisionName; reason: string }): string | undefined {
  if (failOn === 'rollback' && result.decision === 'rollback')
    return `Canary rolled back: ${result.reason} Failing because fail-on is 'rollback'.`;
  return undefined;
}
