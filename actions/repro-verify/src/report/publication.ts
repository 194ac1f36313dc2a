// What repro-verify hands the shared publishing layer: verdict, summary with links to the lines, report files,
// finding annotations, metrics and the environment changes for the webhook.
import type { PublishRequest } from '#shared/publish/index.js';
import { isAbsolute, relative } from 'node:path';
import type { RunContext } from '#shared/runtime/run-context.js';
import type { ReproVerifyInputs } from '../inputs.js';
import type { VerifyOutcome } from '../verify.js';
import { findingAnnotations, gpuMarkdown, publishedMetrics, summaryMarkdown, verdictMarkdown } from './summary.js';
import type { ReportFiles } from './write-reports.js';

export function reproPublication(
  inputs: ReproVerifyInputs,
  outcome: VerifyOutcome,
  files: ReportFiles,
  context: RunContext,
): PublishRequest {
  const { report } = outcome;
  // Told how to keep a baseline only when this job does not keep one already.
  const keepsBaseline = inputs.baselineArtifact !== undefined || inputs.baselineCacheKey !== undefined;
  // Findings link to their lines at the commit that ran.
  const blobBase =
    context.repository && context.sha
      ? `${context.serverUrl}/${context.repository.owner}/${context.repository.repo}/blob/${context.sha}/`
      : undefined;
  return {
    action: 'repro-verify',
    title: 'Reproducibility check',
    verdict: {
      passed: report.reproducible,
      markdown: verdictMarkdown(report),
      level: report.reproducible ? (report.findings.length ? 'warn' : 'pass') : 'fail',
    },
    summary: (options) =>
      summaryMarkdown(
        report,
        {
          blobBase,
          reportLink: options.reportLink,
          gpu: gpuMarkdown(outcome.manifest),
          baselineFile: keepsBaseline ? undefined : workspacePath(files.baseline, context),
        },
        options,
      ),
    reports: { artifactName: 'repro-verify-report', files: [files.report, files.manifest, files.baseline], rootDirectory: files.dir },
    annotations: findingAnnotations(report),
    subject: [inputs.workingDirectory, inputs.command ?? 'dvc'],
    metrics: publishedMetrics(report),
    webhookDetails: report.environment_diff.slice(0, 5).map((c) => c.text),
    channels: inputs.channels,
  };
}

/** The path a workflow step names the file by: relative to the workspace when inside it. */
function workspacePath(file: string, context: RunContext): string {
  const rel = relative(context.workspace, file).split('\\').join('/');
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
