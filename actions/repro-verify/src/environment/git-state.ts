// Commit, branch and dirty files through the real git CLI, read-only.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { GitState } from './manifest.js';

const run = promisify(execFile);

/** `git status --porcelain=v1 -z`: "XY path\0", renames followed by their old path as another field. */
export function parsePorcelainZ(text: string): string[] {
  const fields = text.split('\0');
  const files: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field.length < 4) continue;
    files.push(field.slice(3));
    if (field[0] === 'R' || field[0] === 'C') i++; // skip the rename/copy source
  }
  return files;
}

export async function readGitState(cwd: string): Promise<GitState | null> {
  const git = async (...args: string[]) => (await run('git', args, { cwd, maxBuffer: 16 << 20 })).stdout;
  try {
    const commit = (await git('rev-parse', 'HEAD')).trim();
    const branch = (await git('rev-parse', '--abbrev-ref', 'HEAD')).trim();
    const status = await git('status', '--porcelain=v1', '-z', '--untracked-files=all', '--', '.');
    return { commit, branch: branch === 'HEAD' ? null : branch, dirty_files: parsePorcelainZ(status) };
  } catch {
    return null; // not a git checkout, or git missing: the manifest says so with null
  }
}
