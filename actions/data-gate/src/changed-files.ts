// changed-only: of the data files a spec names, keep those the pull request changed. Paths are compared
// repository-relative (GitHub's file list) against each file resolved from the workspace.
import { relative, resolve, sep } from 'node:path';
import type { PullRequestFiles } from '#shared/github/pull-request-files.js';

export interface ChangedSelection {
  files: string[];
  skipped: string[];
}

export function repositoryPath(file: string, workspace: string): string {
  return relative(workspace, resolve(workspace, file)).split(sep).join('/');
}

export function selectChangedFiles(files: readonly string[], changes: PullRequestFiles, workspace: string): ChangedSelection {
  const changed = new Set(changes.changed);
  const selection: ChangedSelection = { files: [], skipped: [] };
  for (const file of files) (changed.has(repositoryPath(file, workspace)) ? selection.files : selection.skipped).push(file);
  return selection;
}
