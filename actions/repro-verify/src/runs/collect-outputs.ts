// After a run: the files its `outputs` globs match, each checked to stay inside the allowed places (a symlink
// out of the workspace is refused, not followed) and hashed once with sha256, streamed, several at a time.
import { relative } from 'node:path';
import { glob } from 'tinyglobby';
import { checkRunPath } from './run-paths.js';
import { hashFiles, type FileDigest } from '../hashing/file-digest.js';

export interface CollectedOutput extends FileDigest {
  /** Relative to the run folder, '/'-separated. */
  path: string;
  absolute: string;
}

export async function collectOutputs(runDir: string, patterns: string[], concurrency = 8): Promise<CollectedOutput[]> {
  if (patterns.length === 0) return [];
  const matches = (await glob(patterns, { cwd: runDir, dot: true, onlyFiles: true, absolute: true, followSymbolicLinks: true })).sort();
  const real = await Promise.all(matches.map((m) => checkRunPath(m, runDir, `output '${relative(runDir, m)}'`)));
  const digests = await hashFiles(
    real.map((path) => ({ path, algorithm: 'sha256' as const })),
    concurrency,
  );
  return matches.map((m, i) => ({ ...digests[i], path: relative(runDir, m).split('\\').join('/'), absolute: real[i] }));
}
