// Each run gets its own copy of the working directory, so no run can read what another wrote. Files the runs are
// declared to write (outputs, metrics) are removed from the copy first: a stale committed output must not pass for
// one the command wrote.
import { cp, mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { glob } from 'tinyglobby';

/** Never copied: version control internals and virtual environments are not the experiment's inputs. */
const SKIPPED = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv']);

export async function freshCopy(source: string, target: string, declaredOutputs: string[]): Promise<string> {
  await rm(target, { recursive: true, force: true });
  // The action's own folder under RUNNER_TEMP (or the system temp folder), never a path the user gave.
  await mkdir(target, { recursive: true });
  const dir = target;
  await cp(source, dir, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (path) => !SKIPPED.has(basename(path)) || path === source,
  });
  const stale = declaredOutputs.length
    ? await glob(declaredOutputs, { cwd: dir, dot: true, onlyFiles: true, followSymbolicLinks: false })
    : [];
  await Promise.all(stale.map((f) => rm(join(dir, f), { force: true })));
  return dir;
}
