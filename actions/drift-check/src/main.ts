// Wiring only: inputs -> profiles -> drift engine -> outputs, reports and notifications.
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { UserError } from '#shared/errors.js';
import { createGitHubClient, SUMMARY_MAX_BYTES, syncAlertIssue, truncateMiddle, upsertComment } from '#shared/github/index.js';
import { appendHistory } from '#shared/history/git-history-store.js';
import { pushMetrics } from '#shared/notify/pushgateway.js';
import { buildWebhookMessage, postWebhook } from '#shared/notify/webhook.js';
import { writeJsonReport } from '#shared/reports/json-report.js';
import type { ActionRuntime } from '#shared/runtime/action-runtime.js';
import { githubRuntime } from '#shared/runtime/github-runtime.js';
import { runAction } from '#shared/runtime/run-action.js';
import { runWorkerJobIfAsked } from '#shared/runtime/bundle-worker.js';
import { compareProfiles } from './drift-engine.js';
import type { DriftReport } from './drift-report.js';
import { readInputs, type DriftCheckInputs } from './inputs.js';
import { loadProfiles } from './load-profiles.js';
import { writeProfile } from './profile/profile-file.js';
import { driftMetrics } from './publish/drift-metrics.js';
import { HISTORY_DATA_FILE, historyRecord, renderDriftDashboard, type DriftHistoryRecord } from './publish/drift-history.js';
import { driftReportHtml } from './report/drift-html.js';
import { driftSummaryMarkdown, driftVerdict } from './report/drift-summary.js';

export async function driftCheck(runtime: ActionRuntime): Promise<void> {
  const inputs = readInputs(runtime.getInput);
  for (const secret of [inputs.githubToken, inputs.webhookUrl?.href, inputs.pushgatewayUrl?.password])
    if (secret) runtime.setSecret(secret);
  const loaded = await loadProfiles(inputs, runtime.logger, runtime.progress?.bind(runtime));
  if (inputs.mode === 'profile') {
    const out = resolve(inputs.profileOut!);
    await writeProfile(out, loaded.reference);
    runtime.setOutput('profile', out);
    await runtime.appendSummary(
      `## Drift profile\n\nProfiled ${loaded.reference.rows} rows, ${loaded.reference.columns.size} columns of ${inputs.reference.join(', ')} into \`${inputs.profileOut}\`.\n`,
    );
    return;
  }
  const report = compareProfiles(loaded.reference, loaded.current!, inputs.drift, loaded.skipped);
  const paths = await writeReports(report, inputs.reportDir);
  const drifted = report.columns.filter((c) => c.drifted).map((c) => c.name);
  runtime.setOutput('drift-detected', String(report.dataset_drift));
  runtime.setOutput('drift-share', String(report.drift_share));
  runtime.setOutput('drifted-columns', JSON.stringify(drifted));
  runtime.setOutput('performance-drift', String(report.performance?.performance_drift ?? false));
  runtime.setOutput('report-json', paths.json);
  runtime.setOutput('report-html', paths.html);
  runtime.logger.info(driftVerdict(report).replace(/\*\*/g, ''));

  const artifactId = await uploadReport(runtime, paths);
  const reportLink = artifactId && runtime.context.runUrl ? `${runtime.context.runUrl}/artifacts/${artifactId}` : runtime.context.runUrl;
  // GitHub refuses a step summary over 1 MiB: a report with thousands of columns is cut in the middle, linked whole.
  await runtime.appendSummary(
    truncateMiddle(driftSummaryMarkdown(report, { reportLink }), SUMMARY_MAX_BYTES - 1024, { unit: 'bytes', reportUrl: reportLink }),
  );
  await publish(runtime, inputs, report, reportLink);

  const performanceDrift = report.performance?.performance_drift ?? false;
  const failing =
    (inputs.failOn === 'drift' || inputs.failOn === 'any') && report.dataset_drift
      ? 'dataset drift'
      : (inputs.failOn === 'performance' || inputs.failOn === 'any') && performanceDrift
        ? 'performance drift'
        : undefined;
  if (failing) throw new UserError(`${driftVerdict(report).replace(/\*\*/g, '')} Failing because fail-on is '${inputs.failOn}' and there is ${failing}.`);
}

async function writeReports(report: DriftReport, reportDir: string): Promise<{ json: string; html: string }> {
  const dir = resolve(reportDir);
  await mkdir(dir, { recursive: true });
  const json = join(dir, 'drift-report.json');
  const html = join(dir, 'drift-report.html');
  await writeJsonReport(json, report);
  await writeFile(html, driftReportHtml(report));
  return { json, html };
}

async function uploadReport(runtime: ActionRuntime, paths: { json: string; html: string }): Promise<string | undefined> {
  try {
    return await runtime.uploadArtifact('drift-report', [paths.json, paths.html], resolve(paths.json, '..'));
  } catch (error) {
    runtime.logger.warning(`Could not upload the drift report artifact: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * One PR comment per workflow and data pair; one alert issue per workflow and reference, since a monitor's current
 * data changes from run to run while the issue must follow the same subject until drift clears.
 */
function subjectMarker(runtime: ActionRuntime, data: string[][]): string {
  const digest = createHash('sha256').update(data.map((paths) => paths.join('\n')).join('\0')).digest('hex');
  return `drift-check:${runtime.context.workflow || 'local'}:${digest.slice(0, 12)}`;
}

async function publish(runtime: ActionRuntime, inputs: DriftCheckInputs, report: DriftReport, reportLink?: string):
  Promise<void> {
  const { context, logger } = runtime;
  const wantsGitHub = (inputs.commentOnPr !== 'off' && context.pullRequestNumber) || inputs.issueOnDrift;
  if (wantsGitHub) {
    if (!inputs.githubToken || !context.repository)
      throw new UserError("comment-on-pr and issue-on-drift need 'github-token' and a GitHub repository (GITHUB_REPOSITORY).");
    const client = createGitHubClient({ token: inputs.githubToken, baseUrl: context.apiUrl, logger });
    if (inputs.commentOnPr !== 'off' && context.pullRequestNumber) {
      const result = await upsertComment({
        client,
        repository: context.repository,
        issueNumber: context.pullRequestNumber,
        marker: subjectMarker(runtime, [inputs.reference, inputs.current]),
        body: driftSummaryMarkdown(report, { compact: true, reportLink, title: 'Drift check' }),
        mode: inputs.commentOnPr,
        logger,
        reportUrl: reportLink,
      });
      logger.info(`PR comment ${result.action}${result.url ? `: ${result.url}` : ''}`);
    }
    if (inputs.issueOnDrift) {
      const result = await syncAlertIssue({
        client,
        repository: context.repository,
        label: 'drift-alert',
        marker: subjectMarker(runtime, [inputs.reference]),
        active: report.dataset_drift,
        title: `Data drift: ${report.columns.filter((c) => c.drifted).length} of ${report.columns.length} columns drifted`,
        body: driftSummaryMarkdown(report, { compact: true, reportLink, title: 'Data drift' }),
        resolvedComment: `Drift cleared${context.runUrl ? ` in ${context.runUrl}` : ''}: ${driftVerdict(report)}`,
        logger,
        reportUrl: reportLink,
      });
      logger.info(`Drift issue: ${result.action}${result.url ? ` ${result.url}` : ''}`);
    }
  }
  if (inputs.pushgatewayUrl) {
    await pushMetrics({
      url: inputs.pushgatewayUrl.href,
      job: 'mlops_drift_check',
      groupingLabels: { instance: context.repository ? `${context.repository.owner}/${context.repository.repo}` : 'local', workflow: context.workflow || 'local' },
      metrics: driftMetrics(report),
      logger,
    });
    logger.info('Pushed drift metrics to the Pushgateway.');
  }
  if (inputs.webhookUrl) {
    await postWebhook({
      url: inputs.webhookUrl.href,
      message: buildWebhookMessage({
        title: `Drift check${context.repository ? ` in ${context.repository.owner}/${context.repository.repo}` : ''}`,
        verdict: report.dataset_drift || report.performance?.performance_drift ? 'fail' : 'pass',
        details: [driftVerdict(report), ...report.columns.filter((c) => c.drifted).slice(0, 10).map((c) => `• ${c.name}: ${c.method} ${c.statistic.toPrecision(4)}`)],
        runUrl: context.runUrl,
      }),
      logger,
    });
  }
  if (inputs.historyBranch) {
    const result = await appendHistory<DriftHistoryRecord>({
      workspace: context.workspace,
      branch: inputs.historyBranch,
      dataFile: HISTORY_DATA_FILE,
      record: historyRecord(report, context),
      render: (records) => renderDriftDashboard(records),
      logger,
    });
    logger.info(`Appended run ${result.records.length} to ${HISTORY_DATA_FILE} on branch ${inputs.historyBranch}.`);
  }
}

export async function run(): Promise<boolean> {
  // In a worker thread of this bundle (profiling a dataset) the job is all there is to do.
  if (await runWorkerJobIfAsked()) return true;
  return runAction(driftCheck, githubRuntime());
}
