// What every e2e test asks of a failed step: exit code 1, the expected message among the error annotations, and no
// stack trace anywhere in the output (a user's mistake is a message, never a trace).
import type { ActionRunResult } from './run-built-action.js';

export function expectCleanFailure(result: ActionRunResult, message: RegExp): void {
  expect(result.exitCode).toBe(1);
  const errors = result.annotations
    .filter((a) => a.level === 'error')
    .map((a) => a.message)
    .join('\n');
  expect(errors).toMatch(message);
  expect(result.stdout + result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}
