// The one publishing layer every action calls once its engine has a result: report artifact and its link, the job
// summary cut to GitHub's limit, annotations, and the channels the user asked for (PR comment, check run, alert
// issue, Pushgateway, webhook, history branch). An action hands over what it has; this decides how it is shown.
import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';
import { createGitHubClient, type GitHubClient } from '../github/client.js';
import { publishCheckRun, type CheckConclusion } from '../github/check-run.js';
import { syncAlertIssue } from '../github/alert-issue.js';
import { upsertComment } from '../github/pr-comment.js';
import { SUMMARY_MAX_BYTES, truncateMiddle } from '../github/size-limits.js';
import { appendHistory, type HistoryFile } from '../history/git-history-store.js';
import { pushMetrics, type MetricSample } from '../notify/pushgateway.js';
import { buildWebhookMessage, postWebhook } from '../notify/webhook.js';
import type { ActionRuntime, AnnotationLevel } from '../runtime/action-runtime.js';
import type { PublishChannels } from './channels.js';
import { githubFailure } from './github-failure.js';

export interface Verdict {
  /** Whether the result is good news; the step's outcome is decided apart, by the action's fail-on. */
  passed: boolean;
  /** One line of markdown, e.g. "🔴 **Drift detected** in 3 of 12 columns". */
  markdown: string;
  /** Optional 'warn' between pass and fail, for webhooks and check runs. */
  level?: 'pass' | 'warn' | 'fail';
}

export interface SummaryOptions {
  /** A short form for PR comments, issues and check runs. */
  compact: boolean;
  reportLink?: string;
  title?: string;
}

export interface LineAnnotation {
  level: AnnotationLevel;
  title?: string;
  message: string;
  /** Relative to the workspace. */
  file: string;
  line?: number;
}

export interface PublishRequest {
  /** The action's name: names the artifact's default, the comment marker, the check run and the metrics job. */
  action: string;
  /** People's name for the result, e.g. 'Drift check': the heading of comments and the check run's title. */
  title: string;
  verdict: Verdict;
  summary: (options: SummaryOptions) => string;
  /** Files uploaded as one artifact; the summary links to it. */
  reports?: { artifactName?: string; files: string[]; rootDirectory: string };
  annotations?: LineAnnotation[];
  /** What was checked (input paths, model name...): one PR comment and one alert issue per subject. */
  subject: string[];
  /** The alert issue, when the user turned it on (channels.alertIssue). */
  alert?: { active: boolean; label: string; title: string; subject?: string[]; resolvedComment?: string };
  /** The check run's conclusion; by default success when the verdict passed, else failure. */
  checkConclusion?: CheckConclusion;
  metrics?: MetricSample[];
  /** Lines for the webhook message under the verdict. */
  webhookDetails?: string[];
  history?: { dataFile: string; record: unknown; render?: (records: any[]) => HistoryFile[] | Promise<HistoryFile[]> };
  channels: PublishChannels;
}

export interface PublishResult {
  reportLink?: string;
  commentUrl?: string;
  issueUrl?: string;
  checkRunUrl?: string;
}

/** The verdict as plain text for the log: markdown emphasis removed. */
export function plainText(markdown: string): string {
  return markdown.replace(/\*\*|__|`/g, '');
}

export async function publish(runtime: ActionRuntime, request: PublishRequest): Promise<PublishResult> {
  const { context, logger } = runtime;
  const result: PublishResult = {};
  logger.info(plainText(request.verdict.markdown));

  const artifactId = request.reports ? await uploadReports(runtime, request) : undefined;
  result.reportLink = artifactId && context.runUrl ? `${context.runUrl}/artifacts/${artifactId}` : context.runUrl;
  const reportLink = result.reportLink;

  for (const a of request.annotations ?? [])
    runtime.annotate(a.level, a.title ? `${a.title}: ${a.message}` : a.message, { file: a.file, line: a.line });

  // GitHub refuses a step summary over 1 MiB: a long one is cut in the middle and links the whole report.
  const summary = request.summary({ compact: false, reportLink });
  await runtime.appendSummary(truncateMiddle(summary, SUMMARY_MAX_BYTES - 1024, { unit: 'bytes', reportUrl: reportLink }));

  const compact = (title = request.title) => request.summary({ compact: true, reportLink, title });
  const { channels } = request;
  const pr = context.pullRequestNumber;
  const wantsComment = channels.commentOnPr !== 'off' && pr !== undefined;
  const wantsIssue = channels.alertIssue && request.alert !== undefined;
  if (wantsComment || channels.checkRun || wantsIssue) {
    const client = githubClient(runtime, channels);
    if (wantsComment) {
      await githubStep(runtime, 'post the pull-request comment', 'pull-requests: write', async () => {
        const comment = await upsertComment({
          client,
          repository: context.repository!,
          issueNumber: pr!,
          marker: subjectMarker(request.action, context.workflow, request.subject),
          body: compact(),
          mode: channels.commentOnPr,
          logger,
          reportUrl: reportLink,
        });
        result.commentUrl = comment.url;
      });
    }
    if (channels.checkRun) await checkRun(runtime, client, request, compact(), result);
    if (wantsIssue) {
      const alert = request.alert!;
      await githubStep(runtime, 'update the alert issue', 'issues: write', async () => {
        const issue = await syncAlertIssue({
          client,
          repository: context.repository!,
          label: alert.label,
          marker: subjectMarker(request.action, context.workflow, alert.subject ?? request.subject),
          active: alert.active,
          title: alert.title,
          body: compact(alert.title),
          resolvedComment: alert.resolvedComment ?? `Resolved${context.runUrl ? ` in ${context.runUrl}` : ''}: ${request.verdict.markdown}`,
          logger,
          reportUrl: reportLink,
        });
        result.issueUrl = issue.url;
        logger.info(`Alert issue: ${issue.action}${issue.url ? ` ${issue.url}` : ''}`);
      });
    }
  }
  await notify(runtime, request);
  return result;
}

/**
 * One PR comment per workflow and subject, so two checks in one workflow keep their own comments, and one alert
 * issue per subject, which a monitor's changing current data must not split.
 */
export function subjectMarker(action: string, workflow: string, subject: string[]): string {
  const digest = createHash('sha256').update(subject.join('\0')).digest('hex');
  return `${action}:${workflow || 'local'}:${digest.slice(0, 12)}`;
}

function githubClient(runtime: ActionRuntime, channels: PublishChannels): GitHubClient {
  if (!channels.githubToken || !runtime.context.repository)
    throw new UserError(
      "comment-on-pr, check-run and alert issues need 'github-token' (the default is the job's token) and a GitHub repository (GITHUB_REPOSITORY).",
    );
  return createGitHubClient({ token: channels.githubToken, baseUrl: runtime.context.apiUrl, logger: runtime.logger });
}

/**
 * A refused GitHub write (a fork's read-only token, a missing permission) is a warning naming the permission: the
 * step's outcome stays the data's verdict. Other API failures are the user's setup, reported as such.
 */
async function githubStep(runtime: ActionRuntime, doing: string, permission: string, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    const failure = githubFailure(error, doing, permission);
    if (!failure) throw error;
    if (failure.warn) runtime.logger.warning(failure.message);
    else throw new UserError(failure.message);
  }
}

async function checkRun(runtime: ActionRuntime, client: GitHubClient, request: PublishRequest, summary: string, result: PublishResult) {
  const { context } = runtime;
  const headSha = (context.payload.pull_request?.head?.sha as string | undefined) ?? context.sha;
  await githubStep(runtime, 'create the check run', 'checks: write', async () => {
    const check = await publishCheckRun({
      client,
      repository: context.repository!,
      headSha,
      name: request.action,
      conclusion: request.checkConclusion ?? (request.verdict.passed ? 'success' : 'failure'),
      title: plainText(request.verdict.markdown).replace(/^\S+\s/, ''),
      summary,
      annotations: (request.annotations ?? [])
        .filter((a) => a.line !== undefined)
        .map((a) => ({
          path: a.file,
          startLine: a.line!,
          level: a.level === 'error' ? 'failure' : a.level,
          title: a.title,
          message: a.message,
        })),
      detailsUrl: context.runUrl,
      reportUrl: result.reportLink,
    });
    result.checkRunUrl = check.url;
    runtime.logger.info(`Check run ${request.action}: ${check.url ?? check.id}`);
  });
}

async function uploadReports(runtime: ActionRuntime, request: PublishRequest): Promise<string | undefined> {
  const reports = request.reports!;
  try {
    return await runtime.uploadArtifact(reports.artifactName ?? request.action, reports.files, reports.rootDirectory);
  } catch (error) {
    runtime.logger.warning(`Could not upload the ${reports.artifactName ?? request.action} artifact: ${(error as Error).message}`);
    return undefined;
  }
}

/** Pushgateway, webhook and history: a failure is a warning unless the user asked for notify-failure: fail. */
async function notify(runtime: ActionRuntime, request: PublishRequest): Promise<void> {
  const { context, logger } = runtime;
  const { channels } = request;
  const place = context.repository ? `${context.repository.owner}/${context.repository.repo}` : 'local';
  const attempt = async (what: string, send: () => Promise<void>) => {
    try {
      await send();
    } catch (error) {
      const message = `Could not ${what}: ${(error as Error).message}`;
      if (channels.notifyFailure === 'fail') throw new UserError(`${message} (notify-failure is 'fail').`);
      logger.warning(`${message} The step's outcome is unchanged; set notify-failure: fail to fail it instead.`);
    }
  };
  if (channels.pushgatewayUrl && request.metrics)
    await attempt('push the metrics to the Pushgateway', async () => {
      await pushMetrics({
        url: channels.pushgatewayUrl!.href,
        job: `mlops_${request.action.replace(/-/g, '_')}`,
        groupingLabels: { instance: place, workflow: context.workflow || 'local' },
        metrics: request.metrics!,
        logger,
      });
      logger.info('Pushed the metrics to the Pushgateway.');
    });
  if (channels.webhookUrl)
    await attempt('post to the webhook', () =>
      postWebhook({
        url: channels.webhookUrl!.href,
        message: buildWebhookMessage({
          title: `${request.title}${context.repository ? ` in ${place}` : ''}`,
          verdict: request.verdict.level ?? (request.verdict.passed ? 'pass' : 'fail'),
          details: [plainText(request.verdict.markdown), ...(request.webhookDetails ?? [])],
          runUrl: context.runUrl,
        }),
        logger,
      }),
    );
  if (channels.historyBranch && request.history) {
    const history = request.history;
    await attempt(`append to the history branch '${channels.historyBranch}'`, async () => {
      const appended = await appendHistory({
        workspace: context.workspace,
        branch: channels.historyBranch!,
        dataFile: history.dataFile,
        record: history.record,
        render: history.render,
        logger,
      });
      logger.info(`Appended run ${appended.records.length} to ${history.dataFile} on branch ${channels.historyBranch}.`);
    });
  }
}
