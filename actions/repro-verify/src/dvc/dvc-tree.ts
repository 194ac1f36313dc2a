// A directory as DVC hashes it (dvc-data src/dvc_data/hashfile/build.py _build_tree, tree.py Tree.as_list /
// as_bytes / digest): every file under it (walked without following folder links, DVC's default ignores `.git`,
// `.hg` and `.dvc` skipped, a `.dvcignore` inside refused) hashed on its own, then the manifest
// json.dumps([{"md5": ..., "relpath": ...}, ...] sorted by relpath, sort_keys=True) is md5-hashed raw (digest()'s
// name is DEFAULT_ALGORITHM even for DVC 2 trees, whose entries are stored as {"md5": ...} too) and '.dir' appended.
// nfiles is the number of files, size their total bytes.
import { createHash } from 'node:crypto';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '#shared/errors.js';
import { checkReadablePath } from '#shared/paths/index.js';
import { checkRunPath } from '../runs/run-paths.js';
import { compareCodePoints, pythonJsonString } from './python-json.js';

/** DvcIgnoreFilter's default_ignore_patterns: '.hg/', '.git/', '.git', '.dvc/'. */
const DEFAULT_IGNORED = new Set(['.git', '.hg', '.dvc']);

export interface TreeFile {
  relpath: string;
  path: string;
  size: number;
}

/** Every file under `root` as DVC collects it, relpaths joined with '/'. */
export async function listTreeFiles(root: string, label: string, runDir?: string): Promise<TreeFile[]> {
  const files: TreeFile[] = [];
  const walk = async (dir: string, rel: string) => {
    const entries = await readdir(dir, { withFileTypes: true });
    if (entries.some((e) => e.name === '.dvcignore'))
      throw new UserError(`${label}: .dvcignore file should not be in collected dir path: '${dir}'`, { file: join(dir, '.dvcignore') });
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const relpath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!DEFAULT_IGNORED.has(entry.name)) await walk(path, relpath);
      } else if (entry.isSymbolicLink()) {
        // os.walk lists a link to a folder as a folder it does not enter; a link to a file is hashed as that file.
        const real = runDir ? await checkRunPath(path, runDir, label) : await checkReadablePath(path, label);
        const target = await lstat(real).catch(() => undefined);
        if (target?.isFile()) files.push({ relpath, path: real, size: target.size });
      } else if (entry.isFile()) files.push({ relpath, path, size: 0 });
    }
  };
  await walk(root, '');
  // Sizes balance the hashing threads; stat calls are cheap next to reading the bytes.
  await Promise.all(
    files.map(async (f) => {
      if (f.size === 0) f.size = (await stat(f.path)).size;
    }),
  );
  return files;
}

export interface DirHash {
  md5: string;
  nfiles: number;
  size: number;
}

/** The `.dir` hash of a tree from its files' md5s (hashed as the tree's algorithm asks) and sizes. */
export function dirHash(entries: { relpath: string; md5: string; size: number }[]): DirHash {
  const sorted = [...entries].sort((a, b) => compareCodePoints(a.relpath, b.relpath));
  const hasher = createHash('md5');
  hasher.update('[');
  sorted.forEach((e, i) => {
    hasher.update(`${i ? ', ' : ''}{"md5": ${pythonJsonString(e.md5)}, "relpath": ${pythonJsonString(e.relpath)}}`);
  });
  hasher.update(']');
  return { md5: `${hasher.digest('hex')}.dir`, nfiles: entries.length, size: entries.reduce((s, e) => s + e.size, 0) };
}
