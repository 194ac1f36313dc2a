// Where an action may read and write: a fork's pull request controls every file in its checkout, symlinks
// included, so every path an action opens is resolved (symlinks followed) and must lie inside the workspace or
// RUNNER_TEMP (the CLI: the current directory, plus places the user allows). Writes never follow a symlink.
import { constants, realpathSync } from 'node:fs';
import { lstat, mkdir, open, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';

export interface PathPolicy {
  /** Real paths of the folders an action may read and write in. */
  roots: string[];
  /** How the roots are named in messages ("the workspace (/ws) or RUNNER_TEMP (/tmp/r)"). */
  description: string;
}

let policy: PathPolicy | undefined;

/** The runner's places: GITHUB_WORKSPACE and RUNNER_TEMP; the CLI's: the current directory and --allow-path. */
export function setPathPolicy(roots: { path: string; name: string }[]): void {
  const kept = roots.filter((r) => r.path);
  policy = {
    roots: kept.map((r) => realOrResolved(r.path)),
    description: kept.map((r) => `${r.name} (${r.path})`).join(' or '),
  };
}

/** Before a runtime sets one (library use, unit tests): the current directory and the system's temp folder. */
export function pathPolicy(): PathPolicy {
  policy ??= {
    roots: [realOrResolved(process.cwd()), realOrResolved(tmpdir())],
    description: `the current directory (${process.cwd()}) or the temp folder (${tmpdir()})`,
  };
  return policy;
}

export function resetPathPolicy(): void {
  policy = undefined;
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(resolve(path));
  } catch {
    return resolve(path);
  }
}

export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function isAllowed(realPath: string): boolean {
  return pathPolicy().roots.some((root) => isInside(realPath, root));
}

function prefix(label: string | undefined): string {
  return label ? `${label}: ` : '';
}

/**
 * The real path of a file or folder the action is about to read, after checking that it (symlinks followed) lies
 * inside the allowed places. A missing path is left for the caller to report in its own words.
 */
export async function checkReadablePath(path: string, label?: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return resolve(path);
  }
  if (!isAllowed(real)) {
    const via = real === resolve(path) ? '' : ` (it resolves to '${real}')`;
    throw new UserError(`${prefix(label)}'${path}'${via} lies outside ${pathPolicy().description}. Only files inside them are read.`, {
      file: path,
    });
  }
  return real;
}

/**
 * The absolute path an output may be written to: inside the allowed places by the real path of its nearest
 * existing folder, and not a symlink itself (refused, never followed).
 */
export async function checkWritablePath(path: string, label?: string): Promise<string> {
  const absolute = resolve(path);
  const existing = await lstat(absolute).catch(() => undefined);
  if (existing?.isSymbolicLink())
    throw new UserError(`${prefix(label)}'${path}' is a symbolic link; outputs are never written through a link.`, { file: path });
  let folder = dirname(absolute);
  const rest = [basename(absolute)];
  for (;;) {
    const real = await realpath(folder).catch(() => undefined);
    if (real !== undefined) {
      const target = join(real, ...rest);
      if (!isAllowed(target))
        throw new UserError(`${prefix(label)}'${path}' lies outside ${pathPolicy().description}. Outputs are written only inside them.`, {
          file: path,
        });
      return target;
    }
    const parent = dirname(folder);
    if (parent === folder) return absolute;
    rest.unshift(basename(folder));
    folder = parent;
  }
}

/** Creates an output folder (and its parents) after checking where it lands. */
export async function makeOutputDir(dir: string, label?: string): Promise<string> {
  const target = await checkWritablePath(dir, label);
  const existing = await lstat(target).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new UserError(`${prefix(label)}'${dir}' exists and is not a folder.`, { file: dir });
  try {
    await mkdir(target, { recursive: true });
  } catch (error) {
    throw fileSystemError(error, dir, label, 'create the folder');
  }
  return target;
}

/** Writes an output file, refusing a symlink in its place (O_NOFOLLOW) even if one appeared after the check. */
export async function writeOutputFile(path: string, data: string | Uint8Array, label?: string): Promise<string> {
  const target = await checkWritablePath(path, label);
  try {
    await mkdir(dirname(target), { recursive: true });
    const handle = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fileSystemError(error, path, label, 'write');
  }
  return target;
}

/** Opens an output file for streaming writes, with the same checks as writeOutputFile. */
export async function openOutputFile(path: string, label?: string) {
  const target = await checkWritablePath(path, label);
  try {
    await mkdir(dirname(target), { recursive: true });
    return await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
  } catch (error) {
    throw fileSystemError(error, path, label, 'write');
  }
}

/** Two outputs that are one file by real path (`q.csv` and `./q.csv`) are refused before anything is written. */
export async function checkDistinctOutputs(outputs: { label: string; path: string | undefined }[]): Promise<void> {
  const seen = new Map<string, string>();
  for (const output of outputs) {
    if (!output.path) continue;
    const target = await checkWritablePath(output.path, output.label);
    const other = seen.get(target);
    if (other) throw new UserError(`${output.label} and ${other} name the same file ('${output.path}'); give each output its own path.`);
    seen.set(target, output.label);
  }
}

/** A file-system failure caused by the user's setup (permissions, a file where a folder should be) as a UserError. */
export function fileSystemError(error: unknown, path: string, label: string | undefined, doing: string): Error {
  const code = (error as NodeJS.ErrnoException)?.code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ELOOP: 'it is a symbolic link, and outputs are never written through a link',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'it is a folder',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
  };
  if (code && reasons[code]) return new UserError(`${prefix(label)}could not ${doing} '${path}': ${reasons[code]}.`, { file: path });
  return error instanceof Error ? error : new Error(String(error));
}
