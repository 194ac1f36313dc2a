// Opens the pull request for a manifest change, or updates the one already open from the same branch (one PR per
// rollout branch, its title and body following the latest decision).
import type { GitHubClient } from '#shared/github/client.js';
import { truncateMiddle, COMMENT_MAX_CHARS } from '#shared/github/size-limits.js';
import type { RepositoryRef } from '#shared/runtime/run-context.js';

export interface PullRequestResult {
  number: number;
  url: string;
  action: 'created' | 'updated';
}

export async function upsertPullRequest(
  client: GitHubClient,
  repo: RepositoryRef,
  head: string,
  base: string,
  title: string,
  body: string,
): Promise<PullRequestResult> {
  const text = truncateMiddle(body, COMMENT_MAX_CHARS - 1024);
  const open = await client.rest.pulls.list({ ...repo, head: `${repo.owner}:${head}`, state: 'open', per_page: 10 });
  const existing = open.data.find((p) => p.head.ref === head);
  if (existing) {
    const updated = await client.rest.pulls.update({ ...repo, pull_number: existing.number, title, body: text });
    return { number: updated.data.number, url: updated.data.html_url, action: 'updated' };
  }
  const created = await client.rest.pulls.create({ ...repo, head, base, title, body: text });
  return { number: created.data.number, url: created.data.html_url, action: 'created' };
}
