// changed-only: of the data files a spec names, keep those the pull request changed. Paths are compared
// repository-relative (GitHub's file list) against each file resolved from the workspace.
import { relative, resolve, sep } from 'node:path';
import { resolveFiles } from '#shared/data/file-source.js';
import { UserError } from '#shared/errors.js';
import { createGitHubClient } from '#shared/github/client.js';
import { listPullRequestFiles, type PullRequestFiles } from '#shared/github/pull-request-files.js';
import type { ActionRuntime } from '#shared/runtime/action-runtime.js';
import { githubFailure } from '#shared/publish/github-failure.js';

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

/**
 * The data files to validate: all of them, or with changed-only on a pull request those it changed. Outside a pull
 * request, or when GitHub lists too few of its files, every file is validated (with a warning).
 */
export async function dataFilesToValidate(
  spec: string[],
  changedOnly: boolean,
  runtime: Pick<ActionRuntime, 'context' | 'logger'>,
  token: string | undefined,
): Promise<ChangedSelection> {
  if (!changedOnly) return { files: spec, skipped: [] };
  const all = await resolveFiles(spec, "input 'data'");
  const { context, logger } = runtime;
  if (context.pullRequestNumber === undefined || !context.repository) {
    logger.warning('changed-only applies to pull requests; this run is not for one, so every data file is validated.');
    return { files: all, skipped: [] };
  }
  if (!token) throw new UserError("changed-only needs 'github-token' to list the pull request's files.");
  const client = createGitHubClient({ token, baseUrl: context.apiUrl, logger });
  let changes: PullRequestFiles;
  try {
    changes = await listPullRequestFiles(client, context.repository, context.pullRequestNumber);
  } catch (error) {
    // A token that may not read the pull request (403/404): validating everything is the safe answer.
    const failure = githubFailure(error, "list the pull request's files", 'pull-requests: read');
    if (!failure?.warn) throw failure ? new UserError(failure.message) : error;
    logger.warning(`${failure.message} Every data file is validated.`);
    return { files: all, skipped: [] };
  }
  if (changes.truncated) {
    logger.warning('The pull request changes more files than GitHub lists (3000); every data file is validated.');
    return { files: all, skipped: [] };
  }
  const selection = selectChangedFiles(all, changes, context.workspace);
  logger.info(
    `changed-only: validating ${selection.files.length} changed data file(s), skipping ${selection.skipped.length}: ${selection.skipped.join(', ') || 'none'}.`,
  );
  return selection;
}
