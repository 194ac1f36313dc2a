// A policy violation: what rule, about which package, where (file:line), and how to fix it; exceptions from the
// policy file turn a violation into an accepted one while they last.
import type { SourceLine } from '../manifests/types.js';
import { isExpired, type Policy, type PolicyRule } from './policy-file.js';

export interface Violation {
  rule: PolicyRule | 'exception-expired';
  package?: string;
  message: string;
  fix: string;
  location: SourceLine;
  /** Set when a live exception accepts it: reported, not counted. */
  accepted?: { reason: string; expires: string };
}

/** Applies the policy's exceptions; adds one violation per expired exception (an expired exception fails). */
export function applyExceptions(violations: Violation[], policy: Policy, today: Date): Violation[] {
  const out: Violation[] = [];
  for (const v of violations) {
    const exception = policy.exceptions.find(
      (e) => v.package !== undefined && e.target === v.package && v.rule !== 'exception-expired' && e.rules.includes(v.rule as PolicyRule),
    );
    if (exception && !isExpired(exception.expires, today))
      out.push({ ...v, accepted: { reason: exception.reason, expires: exception.expires } });
    else out.push(v);
  }
  for (const e of policy.exceptions)
    if (isExpired(e.expires, today))
      out.push({
        rule: 'exception-expired',
        package: e.target,
        message: `the exception for '${e.target}' (${e.rules.join(', ')}) expired on ${e.expires}: ${e.reason}`,
        fix: `fix what it excused, or renew it with a new 'expires' date and reason`,
        location: { file: policy.file ?? 'policy', line: e.line },
      });
  return out;
}
