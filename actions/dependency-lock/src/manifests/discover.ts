// Which file is which format (by name), the files found under `path`, and one entry point that parses any of them.
import { readFile } from 'node:fs/promises';
import { basename, relative } from 'node:path';
import { glob } from 'tinyglobby';
import { DataError, UserError } from '#shared/errors.js';
import { checkReadablePath } from '#shared/paths/index.js';
import { parseCondaEnvironment, parseCondaLock, parsePipfileLock } from './json-yaml-manifests.js';
import { parseRequirementsFile, type ReadText } from './requirements-txt.js';
import { parsePipfile, parsePoetryLock, parsePylock, parsePyproject, parseUvLock } from './toml-manifests.js';
import type { ManifestKind, ParsedManifest } from './types.js';

export function manifestKind(path: string): ManifestKind | undefined {
  const name = basename(path).toLowerCase();
  if (/^requirements.*\.(txt|in)$/.test(name) || /\.requirements\.txt$/.test(name) || name === 'constraints.txt') return 'requirements';
  if (name === 'pyproject.toml') return 'pyproject';
  if (name === 'poetry.lock') return 'poetry-lock';
  if (name === 'uv.lock') return 'uv-lock';
  if (name === 'pipfile') return 'pipfile';
  if (name === 'pipfile.lock') return 'pipfile-lock';
  if (/^pylock(\.[^.]+)?\.toml$/.test(name)) return 'pylock';
  if (/(^|\.)conda-lock\.ya?ml$/.test(name)) return 'conda-lock';
  if (/^environment.*\.ya?ml$/.test(name)) return 'conda-env';
  return undefined;
}

export const MANIFEST_PATTERNS = [
  '**/requirements*.txt',
  '**/pyproject.toml',
  '**/poetry.lock',
  '**/uv.lock',
  '**/Pipfile',
  '**/Pipfile.lock',
  '**/pylock.toml',
  '**/pylock.*.toml',
  '**/environment*.yml',
  '**/environment*.yaml',
  '**/*conda-lock.yml',
  '**/*conda-lock.yaml',
];
const IGNORE = ['**/node_modules/**', '**/.git/**', '**/.venv/**', '**/venv/**', '**/site-packages/**', '**/.tox/**'];

/**
 * Manifests under a folder, sorted. Symlinks are listed (not skipped), so one leading out of the workspace is
 * refused by the path rules when read rather than silently ignored.
 */
export async function discoverManifests(root: string): Promise<string[]> {
  const found = await glob(MANIFEST_PATTERNS, { cwd: root, ignore: IGNORE, absolute: true, onlyFiles: true, followSymbolicLinks: true });
  return found.sort();
}

/** Reads a manifest (or an included requirements file) through the workspace rules, naming it relative to the workspace. */
export function workspaceReader(workspace: string): ReadText {
  return async (path, includedFrom) => {
    const label = includedFrom ? `included from ${includedFrom.file}:${includedFrom.line}` : 'manifest';
    const real = await checkReadablePath(path, label);
    const display = relative(workspace, path).startsWith('..') ? path : relative(workspace, path);
    try {
      return { text: await readFile(real, 'utf8'), display };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
      if (includedFrom) throw new DataError(`cannot read the included file '${display}': ${why}`, includedFrom);
      throw new UserError(`Cannot read the manifest '${display}': ${why}.`, { file: display });
    }
  };
}

export async function parseManifest(path: string, read: ReadText): Promise<ParsedManifest> {
  const kind = manifestKind(path);
  if (!kind)
    throw new UserError(
      `Unknown manifest format: '${path}'. Expected requirements*.txt, pyproject.toml, poetry.lock, uv.lock, Pipfile, Pipfile.lock, pylock.toml, environment.yml or conda-lock.yml.`,
      { file: path },
    );
  if (kind === 'requirements') return parseRequirementsFile(path, read);
  const { text, display } = await read(path);
  switch (kind) {
    case 'pyproject':
      return parsePyproject(text, display);
    case 'poetry-lock':
      return parsePoetryLock(text, display);
    case 'uv-lock':
      return parseUvLock(text, display);
    case 'pipfile':
      return parsePipfile(text, display);
    case 'pipfile-lock':
      return parsePipfileLock(text, display);
    case 'pylock':
      return parsePylock(text, display);
    case 'conda-env':
      return parseCondaEnvironment(text, display);
    case 'conda-lock':
      return parseCondaLock(text, display);
  }
}
