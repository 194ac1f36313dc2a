// Paths inside a run's own copy: the action made that folder itself (under RUNNER_TEMP, or the system temp folder
// in the CLI, which the CLI's path rules do not list), so a file there is read when its real path stays inside the
// copy; anything resolving elsewhere (a link the command made) falls back to the workspace rules and their message.
import { realpath } from 'node:fs/promises';
import { checkReadablePath, isInside } from '#shared/paths/index.js';

export async function checkRunPath(path: string, runDir: string, label: string): Promise<string> {
  const [real, root] = await Promise.all([realpath(path).catch(() => undefined), realpath(runDir).catch(() => runDir)]);
  if (real !== undefined && isInside(real, root)) return real;
  return checkReadablePath(path, label);
}
