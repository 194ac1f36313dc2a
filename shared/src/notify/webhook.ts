// Posts a run's verdict to a Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat, Discord's /slack
// endpoint). The URL is a secret: it never appears in an error or a log line from here.
import type { Logger } from '../logger.js';
import { type FetchLike, sendWithRetry } from './http-send.js';
import { urlSecrets } from './secrets.js';

/** Slack's message payload: `text` is the notification fallback, `blocks` the rich layout. */
export interface WebhookMessage {
  text: string;
  blocks?: unknown[];
  /** Other fields the receiving service understands (username, icon_emoji, channel). */
  [field: string]: unknown;
}

export type WebhookVerdict = 'pass' | 'warn' | 'fail';

export interface WebhookSummary {
  title: string;
  verdict: WebhookVerdict;
  details: string[];
  runUrl?: string;
}

export interface PostWebhookOptions {
  url: string;
  message: WebhookMessage;
  logger: Logger;
  fetchImpl?: FetchLike;
  retryDelayMs?: number;
}

const VERDICT_LABEL: Record<WebhookVerdict, string> = {
  pass: ':white_check_mark: passed',
  warn: ':warning: warning',
  fail: ':x: failed',
};
// Slack refuses a section whose text exceeds 3,000 characters; details beyond that are cut with a note.
const SECTION_LIMIT = 3000;

/** Builds the message: a one-line fallback text and one mrkdwn section with the details and a link to the run. */
export function buildWebhookMessage(summary: WebhookSummary): WebhookMessage {
  const verdict = VERDICT_LABEL[summary.verdict];
  const text = `${summary.title}: ${verdict}`;
  const head = `*${escapeMrkdwn(summary.title)}*: ${verdict}`;
  const link = summary.runUrl ? `\n<${escapeMrkdwn(summary.runUrl)}|View the run>` : '';
  const lines: string[] = [];
  let length = head.length + link.length;
  for (const [index, detail] of summary.details.entries()) {
    const line = `\n• ${escapeMrkdwn(detail)}`;
    const note = `\n…and ${summary.details.length - index} more`;
    if (length + line.length + note.length > SECTION_LIMIT) {
      lines.push(note);
      break;
    }
    lines.push(line);
    length += line.length;
  }
  const section = { type: 'section', text: { type: 'mrkdwn', text: `${head}${lines.join('')}${link}` } };
  return { text: escapeMrkdwn(text), blocks: [section] };
}

/** POSTs the message as JSON; retries once on a 5xx answer or a network error, then fails with a UserError. */
export async function postWebhook(options: PostWebhookOptions): Promise<void> {
  await sendWithRetry({
    endpoint: 'Webhook',
    url: options.url,
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify(options.message),
    secrets: urlSecrets(options.url),
    logger: options.logger,
    fetchImpl: options.fetchImpl,
    retries: 1,
    retryDelayMs: options.retryDelayMs,
  });
  options.logger.info('Posted the notification to the webhook.');
}

/** Slack's mrkdwn gives '&', '<' and '>' control meaning; these three are the only escapes it asks for. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
