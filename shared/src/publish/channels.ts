// The publishing inputs every action shares (github-token, comment-on-pr, check-run, an alert issue, Pushgateway,
// webhook, history branch, notify-failure), parsed in one place so each action's inputs.ts only adds its own.
import type { CommentMode } from '../github/pr-comment.js';
import { boolean, commentMode, oneOf, optionalString, url, type InputReader } from '../inputs/parse-inputs.js';

export type NotifyFailure = 'warn' | 'fail';

export interface PublishChannels {
  githubToken?: string;
  commentOnPr: CommentMode;
  checkRun: boolean;
  /** Keep one alert issue open while the problem lasts (drift-check's issue-on-drift, ...). */
  alertIssue: boolean;
  pushgatewayUrl?: URL;
  webhookUrl?: URL;
  historyBranch?: string;
  /** A webhook or Pushgateway push that fails: a warning (default) or the step's failure. */
  notifyFailure: NotifyFailure;
}

export interface ChannelInputNames {
  /** The input that turns the alert issue on, e.g. 'issue-on-drift'; absent: the action has none. */
  alertIssue?: string;
}

/** Reads the channel inputs an action declares; inputs it does not declare read as '' and stay off. */
export function readPublishChannels(read: InputReader, names: ChannelInputNames = {}): PublishChannels {
  return {
    githubToken: optionalString(read, 'github-token'),
    commentOnPr: commentMode(read, 'comment-on-pr'),
    checkRun: boolean(read, 'check-run', false),
    alertIssue: names.alertIssue ? boolean(read, names.alertIssue, false) : false,
    pushgatewayUrl: url(read, 'pushgateway-url'),
    webhookUrl: url(read, 'webhook-url'),
    historyBranch: optionalString(read, 'history-branch'),
    notifyFailure: oneOf(read, 'notify-failure', ['warn', 'fail'] as const, 'warn'),
  };
}

/** The values no log line may show: hidden with setSecret as soon as the inputs are read. */
export function channelSecrets(channels: PublishChannels): string[] {
  return [channels.githubToken, channels.webhookUrl?.href, channels.pushgatewayUrl?.password, channels.pushgatewayUrl?.href].filter(
    (s): s is string => !!s,
  );
}
