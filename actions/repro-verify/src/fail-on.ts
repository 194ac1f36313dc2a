// Whether the step fails: `never`; `differs` (default): anything did not reproduce; `findings`: also when the
// source scan found a likely cause of nondeterminism, even if this time the runs agreed.
export type FailOn = 'never' | 'differs' | 'findings';

export interface FailOnResult {
  reproducible: boolean;
  score: number;
  findings: unknown[];
}

export function failureReason(failOn: FailOn, result: FailOnResult): string | undefined {
  if (failOn === 'never') return undefined;
  if (!result.reproducible)
    return `The runs did not reproduce (score ${result.score}); see the report for what differs and the likely causes.`;
  if (failOn === 'findings' && result.findings.length > 0)
    return `The runs reproduced, but the sources have ${result.findings.length} likely cause(s) of nondeterminism (fail-on: findings).`;
  return undefined;
}
