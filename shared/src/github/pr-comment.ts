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

  if (mode === 'update') {
    const existing = await findMarkedComment(client, repository, issueNumber, markerLine);
    if (existing) {
      const { data } = await client.rest.issues.updateComment({ ...repository, comment_id: existing, body });
      logger.info(`Updated comment ${data.html_url}`);
      return { action: 'updated', id: data.id, url: data.html_url };
    }
  }
  const { data } = await client.rest.issues.createComment({ ...repository, issue_number: issueNumber, body });
  logger.info(`Created comment ${data.html_url}`);
  return { action: 'created', id: data.id, url: data.html_url };
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

async function findMarkedComment(
  client: GitHubClient,
  repository: RepositoryRef,
  issueNumber: number,
  markerLine: string,
): Promise<number | undefined> {
  const pages = client.paginate.iterator(client.rest.issues.listComments, {
    ...repository,
    issue_number: issueNumber,
    per_page: 100,
  });
  for await (const page of pages) {
    const found = page.data.find((comment) => comment.body?.includes(markerLine));
    if (found) return found.id;
  }
  return undefined;
}
