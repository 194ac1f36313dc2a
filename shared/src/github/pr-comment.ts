// Posts a report as a pull-request (issue) comment, editing our earlier comment for the same subject instead of
// stacking a new one on every push. Our comments are found again by a hidden marker in their body.
import type { Logger } from '../logger.js';
import type { GitHubClient } from './client.js';
import { hiddenMarker, type RepositoryRef } from './repository.js';
import { COMMENT_MAX_CHARS, truncateMiddle } from './size-limits.js';

/** 'update' edits our earlier comment (or creates one), 'new' always creates, 'off' posts nothing. */
export type CommentMode = 'update' | 'new' | 'off';

export interface UpsertCommentOptions {
  client: GitHubClient;
  repository: RepositoryRef;
  issueNumber: number;
  /** Names the subject, e.g. 'drift-check' or 'drift-check:model-a'; one comment per marker in update mode. */
  marker: string;
  body: string;
  mode: CommentMode;
  logger: Logger;
  /** Where the full report lives, named in the notice when the body is cut to fit GitHub's limit. */
  reportUrl?: string;
}

export interface CommentResult {
  action: 'created' | 'updated' | 'skipped';
  id?: number;
  url?: string;
}

export async function upsertComment(options: UpsertCommentOptions): Promise<CommentResult> {
  const { client, repository, issueNumber, mode, logger } = options;
  if (mode === 'off') return { action: 'skipped' };

  const markerLine = hiddenMarker(options.marker);
  const body = commentBody(markerLine, options.body, options.reportUrl, logger);
  // Only our own comments are edited: anyone can paste our marker into a comment of theirs.
  let author: string | undefined;
  const ours = async () => listMarkedComments(client, repository, issueNumber, markerLine, (author ??= await tokenLogin(client)));

  if (mode === 'update') {
    const [existing] = await ours();
    if (existing !== undefined) return update(client, repository, existing, body, logger);
  }
  const created = await createOnce(client, repository, issueNumber, body, mode === 'update' ? ours : undefined);
  if (mode === 'update') {
    // Two runs racing may both have created a comment: the earliest one stays, a later one gives way to it.
    const [first] = await ours();
    if (first !== undefined && first < created.id) {
      await client.rest.issues.deleteComment({ ...repository, comment_id: created.id });
      logger.info(`Another run created the same comment first; removed the duplicate ${created.id}.`);
      return update(client, repository, first, body, logger);
    }
  }
  logger.info(`Created comment ${created.url}`);
  return { action: 'created', id: created.id, url: created.url };
}

async function update(client: GitHubClient, repository: RepositoryRef, id: number, body: string, logger: Logger): Promise<CommentResult> {
  const { data } = await client.rest.issues.updateComment({ ...repository, comment_id: id, body });
  logger.info(`Updated comment ${data.html_url}`);
  return { action: 'updated', id: data.id, url: data.html_url };
}

/**
 * Creates the comment without the client's automatic retry: a POST answered 5xx may still have landed, so before a
 * second try the comments are listed again (in update mode) and a landed one is taken instead of posting twice.
 */
async function createOnce(
  client: GitHubClient,
  repository: RepositoryRef,
  issueNumber: number,
  body: string,
  landed?: () => Promise<number[]>,
): Promise<{ id: number; url: string }> {
  const create = async () => {
    const { data } = await client.rest.issues.createComment({ ...repository, issue_number: issueNumber, body, request: { retries: 0 } });
    return { id: data.id, url: data.html_url };
  };
  try {
    return await create();
  } catch (error) {
    const status = (error as { status?: number }).status ?? 0;
    if (status < 500) throw error;
    const [found] = landed ? await landed() : [];
    if (found !== undefined) {
      const { data } = await client.rest.issues.getComment({ ...repository, comment_id: found });
      return { id: data.id, url: data.html_url };
    }
    return create();
  }
}

/** The login the token acts as; GITHUB_TOKEN may not read /user, and then it is the Actions bot. */
const ACTIONS_BOT = 'github-actions[bot]';
async function tokenLogin(client: GitHubClient): Promise<string> {
  try {
    const { data } = await client.rest.users.getAuthenticated({ request: { retries: 0 } });
    return data.login;
  } catch {
    return ACTIONS_BOT;
  }
}

/** The marker leads the body, so it survives the middle being cut. */
function commentBody(markerLine: string, body: string, reportUrl: string | undefined, logger: Logger): string {
  const room = COMMENT_MAX_CHARS - markerLine.length - 1;
  const fitted = truncateMiddle(body, room, { unit: 'chars', reportUrl });
  if (fitted !== body) {
    logger.warning(`The comment is ${body.length} characters, over GitHub's ${COMMENT_MAX_CHARS}; its middle was cut.`);
  }
  return `${markerLine}\n${fitted}`;
}

/** Ids of our comments carrying the marker, oldest first. */
async function listMarkedComments(
  client: GitHubClient,
  repository: RepositoryRef,
  issueNumber: number,
  markerLine: string,
  author: string,
): Promise<number[]> {
  const ids: number[] = [];
  const pages = client.paginate.iterator(client.rest.issues.listComments, { ...repository, issue_number: issueNumber, per_page: 100 });
  for await (const page of pages)
    for (const comment of page.data) if (comment.user?.login === author && comment.body?.includes(markerLine)) ids.push(comment.id);
  return ids.sort((a, b) => a - b);
}
