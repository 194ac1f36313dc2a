// Wiring only: inputs -> drift engine -> outputs, reports and notifications.
import type { ActionRuntime } from '../../../shared/src/runtime/action-runtime.js';
import { githubRuntime } from '../../../shared/src/runtime/github-runtime.js';
import { runAction } from '../../../shared/src/runtime/run-action.js';

export async function driftCheck(runtime: ActionRuntime): Promise<void> {
  runtime.logger.info(`drift-check: reference ${runtime.getInput('reference')}`);
}

export async function run(): Promise<boolean> {
  return runAction(driftCheck, githubRuntime());
}
