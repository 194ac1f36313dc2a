// The single top-level error path: a user's mistake becomes a failed step with its message (and an annotation when
// it is about a file); a bug is reported as such, its stack kept to the debug log.
import { isUserError } from '../errors.js';
import type { ActionRuntime } from './action-runtime.js';

export type ActionMain = (runtime: ActionRuntime) => Promise<void>;

export async function runAction(main: ActionMain, runtime: ActionRuntime): Promise<boolean> {
  try {
    await main(runtime);
    return true;
  } catch (error) {
    if (isUserError(error)) {
      if (error.location) runtime.annotate('error', error.message, error.location);
      runtime.fail(error.message);
    } else {
      const err = error instanceof Error ? error : new Error(String(error));
      runtime.logger.debug(err.stack ?? err.message);
      runtime.fail(`Unexpected error (please report it): ${err.message}`);
    }
    return false;
  }
}
