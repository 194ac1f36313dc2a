// Whether the step fails: never, or on any counted vulnerability, policy violation or unsafe model (violation).
import type { LockCheckResult } from './lock-check.js';

export const FAIL_ON = ['never', 'violation'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export function failureReason(failOn: FailOn, result: Pick<LockCheckResult, 'counts' | 'severityThreshold'>): string | undefined {
  if (failOn === 'never') return undefined;
  const { vulnerabilities, violations, unsafeModels } = result.counts;
  const parts: string[] = [];
  if (vulnerabilities)
    parts.push(`${vulnerabilities} vulnerabilit${vulnerabilities === 1 ? 'y' : 'ies'} at or above ${result.severityThreshold}`);
  if (violations) parts.push(`${violations} policy violation${violations === 1 ? '' : 's'}`);
  if (unsafeModels) parts.push(`${unsafeModels} unsafe model file${unsafeModels === 1 ? '' : 's'}`);
  return parts.length ? `Dependency check failed: ${parts.join(', ')} (fail-on is 'violation').` : undefined;
}
