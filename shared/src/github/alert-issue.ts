// Keeps one GitHub issue per alert subject in step with the alert: opened when the problem appears, its body
// refreshed while it lasts, closed with a comment when it clears. The issue is found by label and hidden marker.
import type { Logger } from '../logger.js';
import type { GitHubClient } from './client.js';
import { hiddenMarker, type RepositoryRef } from './repository.js';
import { ISSUE_BODY_MAX_CHARS, COMMENT_MAX_CHARS, truncateMiddle } from './size-limits.js';

export interface SyncAlertIssueOptions {
  client: GitHubClient;
  repository: RepositoryRef;
  /** Label put on the issue and used to list candidates, e.g. 'drift-alert'. */
  label: string;
  /** Names the subject, e.g. 'drift-check:model-a'. */
  marker: string;
  /** Whether the problem is present now. */
  active: boolean;
  title: string;
  body: string;
  /** Posted on the issue before it is closed, e.g. "Resolved by run 123: no drift." */
  resolvedComment: string;
  logger: Logger;
  reportUrl?: string;
}

export interface AlertIssueResult {
  action: 'opened' | 'updated' | 'closed' | 'none';
  number?: number;
  url?: string;
}

export async function syncAlertIssue(options: SyncAlertIssueOptions): Promise<AlertIssueResult> {
  const { client, repository, label, active, title, logger } = options;
  const markerLine = hiddenMarker(options.marker);
  const open = await findOpenAlertIssue(client, repository, label, markerLine);

  if (!active) {
    if (!open) return { action: 'none' };
    await client.rest.issues.createComment({
      ...repository,
      issue_number: open.number,
      body: truncateMiddle(options.resolvedComment, COMMENT_MAX_CHARS, { reportUrl: options.reportUrl }),
    });
    const { data } = await client.rest.issues.update({
      ...repository,
      issue_number: open.number,
      state: 'closed',
      state_reason: 'completed',
    });
    logger.info(`Closed alert issue #${data.number} (${data.html_url}): the problem cleared.`);
    return { action: 'closed', number: data.number, url: data.html_url };
  }

  const room = ISSUE_BODY_MAX_CHARS - markerLine.length - 1;
  const body = `${markerLine}\n${truncateMiddle(options.body, room, { reportUrl: options.reportUrl })}`;
  if (open) {
    const { data } = await client.rest.issues.update({ ...repository, issue_number: open.number, title, body });
    logger.info(`Updated alert issue #${data.number} (${data.html_url}).`);
    return { action: 'updated', number: data.number, url: data.html_url };
  }
  const { data } = await client.rest.issues.create({ ...repository, title, body, labels: [label] });
  logger.info(`Opened alert issue #${data.number} (${data.html_url}).`);
  return { action: 'opened', number: data.number, url: data.html_url };
}

async function findOpenAlertIssue(
  client: GitHubClient,
  repository: RepositoryRef,
  label: string,
  markerLine: string,
): Promise<{ number: number } | undefined> {
  const pages = client.paginate.iterator(client.rest.issues.listForRepo, {
    ...repository,
    state: 'open',
    labels: label,
    per_page: 100,
  });
  for await (const page of pages) {
    // The issues list also returns pull requests; an alert is never one.
    const found = page.data.find((issue) => !issue.pull_request && issue.body?.includes(markerLine));
    if (found) return { number: found.number };
  }
  return undefined;
}
