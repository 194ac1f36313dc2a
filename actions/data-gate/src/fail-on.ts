// Whether the step fails: the gate's verdict already weighs warnings by fail-on ('warning' makes them fail the
// gate); 'never' keeps the step green whatever the data.
import type { FailOn } from './validate/validation-result.js';

/** Why the step fails, or undefined when it passes. */
export function failureReason(failOn: FailOn, gate: { passed: boolean }, verdict: string): string | undefined {
  if (gate.passed || failOn === 'never') return undefined;
  return verdict;
}
