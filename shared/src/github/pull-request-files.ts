// The files a pull request changes (GET /repos/{owner}/{repo}/pulls/{pull_number}/files, all pages), for checks
// that look only at what a PR touched. GitHub lists at most 3000 files; beyond that the caller is told.
import type { GitHubClient } from './client.js';
import type { RepositoryRef } from './repository.js';

/** GitHub's documented cap on the files endpoint. */
export const PULL_REQUEST_FILES_LIMIT = 3000;

export interface PullRequestFiles {
  /** Repository-relative paths added, modified, renamed (new name), copied or changed in the PR. */
  changed: string[];
  /** Paths the PR removes. */
  removed: string[];
  /** True when the PR changes more files than GitHub lists. */
  truncated: boolean;
}

export async function listPullRequestFiles(client: GitHubClient, repository: RepositoryRef, pullNumber: number): Promise<PullRequestFiles> {
  const files = await client.paginate(client.rest.pulls.listFiles, { ...repository, pull_number: pullNumber, per_page: 100 });
  const changed: string[] = [];
  const removed: string[] = [];
  for (const file of files) (file.status === 'removed' ? removed : changed).push(file.filename);
  return { changed, removed, truncated: files.length >= PULL_REQUEST_FILES_LIMIT };
}
