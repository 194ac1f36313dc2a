// Wiring only: inputs -> rules -> (changed files) -> validation pass -> quarantine -> outputs, summary,
// annotations, result file, PR comment and check run; or, in suggest mode, profile -> starter rules file.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '#shared/errors.js';
import { openDataset } from '#shared/data/index.js';
import { formatOf, resolveFiles } from '#shared/data/file-source.js';
import {
  createGitHubClient,
  listPullRequestFiles,
  publishCheckRun,
  SUMMARY_MAX_BYTES,
  truncateMiddle,
  upsertComment,
  type GitHubClient,
} from '#shared/github/index.js';
import type { ActionRuntime } from '#shared/runtime/action-runtime.js';
import { githubRuntime } from '#shared/runtime/github-runtime.js';
import { runWorkerJobIfAsked } from '#shared/runtime/bundle-worker.js';
import { runAction } from '#shared/runtime/run-action.js';
import { repositoryPath, selectChangedFiles } from './changed-files.js';
import { readInputs, type DataGateInputs } from './inputs.js';
import { writeQuarantine, type QuarantineSummary } from './quarantine/write-quarantine.js';
import { gateSummaryMarkdown, gateVerdict } from './report/gate-summary.js';
import { lineAnnotations } from './report/line-annotations.js';
import { loadRules } from './rules/load-rules.js';
import { suggestionsToYaml } from './suggest/rules-yaml.js';
import { suggestRules } from './suggest/suggest-rules.js';
import { validateDataset } from './validate/validate-dataset.js';
import type { ValidationResult } from './validate/validation-result.js';

export const RESULT_FILE = 'data-gate-result.json';

export async function dataGate(runtime: ActionRuntime): Promise<void> {
  const inputs = readInputs(runtime.getInput);
  if (inputs.githubToken) runtime.setSecret(inputs.githubToken);
  if (inputs.mode === 'suggest') return suggest(runtime, inputs);

  const ruleSet = await loadRules({ rules: inputs.rules, suite: inputs.suite });
  const client = needsGitHub(runtime, inputs) ? githubClient(runtime, inputs) : undefined;
  const { files, skipped } = await dataFiles(runtime, inputs, client);
  if (files.length === 0) {
    runtime.setOutput('passed', 'true');
    runtime.setOutput('failed-rules', '[]');
    runtime.setOutput('rows', '0');
    runtime.setOutput('failed-rows', '0');
    await runtime.appendSummary(`## Data gate\n\n✅ No data file changed in this pull request; nothing to validate (${skipped.length} unchanged: ${skipped.map((f) => `\`${f}\``).join(', ')}).\n`);
    return;
  }

  const outcome = await validateDataset({
    data: files,
    ruleSet,
    failOn: inputs.failOn,
    budgetBytes: inputs.memoryBudgetBytes,
  });
  const { result } = outcome;
  if (skipped.length > 0) result.meta.data_gate.skipped_files = skipped;

  let quarantine: QuarantineSummary | undefined;
  if (inputs.passedPath || inputs.failedPath) {
    quarantine = await writeQuarantine({
      inputs: outcome.files.map((path) => ({ path, format: formatOf(path) })),
      passedPath: inputs.passedPath,
      failedPath: inputs.failedPath,
      brokenRules: (row) => outcome.brokenRules(row),
      expectedRows: outcome.rows,
    });
  }

  const reportDir = resolve(inputs.reportDir);
  await mkdir(reportDir, { recursive: true });
  const resultPath = join(reportDir, RESULT_FILE);
  await writeFile(resultPath, `${JSON.stringify(result, null, 2)}\n`);
  const gate = result.meta.data_gate;
  runtime.setOutput('passed', String(gate.passed));
  runtime.setOutput('failed-rules', JSON.stringify([...gate.failed_error_rules, ...gate.failed_warning_rules]));
  runtime.setOutput('rows', String(gate.rows));
  runtime.setOutput('failed-rows', String(gate.failed_rows));
  runtime.setOutput('result-json', resultPath);

  const workspace = runtime.context.workspace;
  const { annotations, notShown } = lineAnnotations(result, inputs.maxAnnotations);
  for (const a of annotations) runtime.annotate(a.level, `${a.title}: ${a.message}`, { file: repositoryPath(a.file, workspace), line: a.line });
  const artifactId = await uploadResult(runtime, resultPath);
  const reportLink = artifactId && runtime.context.runUrl ? `${runtime.context.runUrl}/artifacts/${artifactId}` : runtime.context.runUrl;
  const summaryOptions = { reportLink, annotations: { shown: annotations.length, notShown }, skippedFiles: skipped, quarantine };
  const summary = gateSummaryMarkdown(result, summaryOptions);
  await writeFile(join(reportDir, 'data-gate-summary.md'), summary);
  await runtime.appendSummary(truncateMiddle(summary, SUMMARY_MAX_BYTES - 1024, { unit: 'bytes', reportUrl: reportLink }));
  runtime.logger.info(gateVerdict(result).replace(/\*\*/g, ''));

  if (client) await publish(runtime, inputs, client, result, { annotations, reportLink, files });
  if (!gate.passed && inputs.failOn !== 'never') throw new UserError(gateVerdict(result).replace(/\*\*/g, '').replace(/^\S+\s/, ''));
}

function needsGitHub(runtime: ActionRuntime, inputs: DataGateInputs): boolean {
  const pr = runtime.context.pullRequestNumber !== undefined;
  return (inputs.commentOnPr !== 'off' && pr) || inputs.checkRun || (inputs.changedOnly && pr);
}

function githubClient(runtime: ActionRuntime, inputs: DataGateInputs): GitHubClient {
  if (!inputs.githubToken || !runtime.context.repository)
    throw new UserError("comment-on-pr, check-run and changed-only need 'github-token' and a GitHub repository (GITHUB_REPOSITORY).");
  return createGitHubClient({ token: inputs.githubToken, baseUrl: runtime.context.apiUrl, logger: runtime.logger });
}

async function dataFiles(runtime: ActionRuntime, inputs: DataGateInputs, client: GitHubClient | undefined): Promise<{ files: string[]; skipped: string[] }> {
  if (!inputs.changedOnly) return { files: inputs.data, skipped: [] };
  const all = await resolveFiles(inputs.data, "input 'data'");
  const { context } = runtime;
  if (context.pullRequestNumber === undefined || !client || !context.repository) {
    runtime.logger.warning('changed-only applies to pull requests; this run is not for one, so every data file is validated.');
    return { files: all, skipped: [] };
  }
  const changes = await listPullRequestFiles(client, context.repository, context.pullRequestNumber);
  if (changes.truncated) {
    runtime.logger.warning('The pull request changes more files than GitHub lists (3000); every data file is validated.');
    return { files: all, skipped: [] };
  }
  const selection = selectChangedFiles(all, changes, context.workspace);
  runtime.logger.info(`changed-only: validating ${selection.files.length} changed data file(s), skipping ${selection.skipped.length}: ${selection.skipped.join(', ') || 'none'}.`);
  return selection;
}

async function uploadResult(runtime: ActionRuntime, resultPath: string): Promise<string | undefined> {
  try {
    return await runtime.uploadArtifact('data-gate-result', [resultPath], dirname(resultPath));
  } catch (error) {
    runtime.logger.warning(`Could not upload the data-gate result artifact: ${(error as Error).message}`);
    return undefined;
  }
}

/** One PR comment per workflow and data/rules pair, so two gates in one workflow keep their own comments. */
function commentMarker(runtime: ActionRuntime, inputs: DataGateInputs): string {
  const digest = createHash('sha256').update([...inputs.data, inputs.rules ?? inputs.suite ?? ''].join('\n')).digest('hex');
  return `data-gate:${runtime.context.workflow || 'local'}:${digest.slice(0, 12)}`;
}

async function publish(
  runtime: ActionRuntime,
  inputs: DataGateInputs,
  client: GitHubClient,
  result: ValidationResult,
  extra: { annotations: ReturnType<typeof lineAnnotations>['annotations']; reportLink?: string; files: string[] },
): Promise<void> {
  const { context, logger } = runtime;
  const repository = context.repository!;
  if (inputs.commentOnPr !== 'off' && context.pullRequestNumber !== undefined) {
    const comment = await upsertComment({
      client,
      repository,
      issueNumber: context.pullRequestNumber,
      marker: commentMarker(runtime, inputs),
      body: gateSummaryMarkdown(result, { compact: true, reportLink: extra.reportLink, title: 'Data gate' }),
      mode: inputs.commentOnPr,
      logger,
      reportUrl: extra.reportLink,
    });
    logger.info(`PR comment ${comment.action}${comment.url ? `: ${comment.url}` : ''}`);
  }
  if (inputs.checkRun) {
    const headSha = (context.payload.pull_request?.head?.sha as string | undefined) ?? context.sha;
    const gate = result.meta.data_gate;
    const check = await publishCheckRun({
      client,
      repository,
      headSha,
      name: 'data-gate',
      conclusion: gate.passed ? 'success' : inputs.failOn === 'never' ? 'neutral' : 'failure',
      title: gateVerdict(result).replace(/\*\*/g, '').replace(/^\S+\s/, ''),
      summary: gateSummaryMarkdown(result, { compact: true, reportLink: extra.reportLink, title: 'Data gate' }),
      annotations: extra.annotations.map((a) => ({
        path: repositoryPath(a.file, context.workspace),
        startLine: a.line,
        level: a.level === 'error' ? 'failure' : 'warning',
        title: a.title,
        message: a.message,
      })),
      detailsUrl: context.runUrl,
      reportUrl: extra.reportLink,
    });
    logger.info(`Check run data-gate: ${check.url ?? check.id}`);
  }
}

async function suggest(runtime: ActionRuntime, inputs: DataGateInputs): Promise<void> {
  const dataset = await openDataset(inputs.data, { label: "input 'data'" });
  const suggestions = await suggestRules(dataset);
  const out = resolve(inputs.suggestOut);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, suggestionsToYaml(suggestions, { source: dataset.files, generatedAt: new Date().toISOString() }));
  runtime.setOutput('suggested-rules', out);
  runtime.setOutput('rows', String(suggestions.rows));
  await runtime.appendSummary(
    `## Data gate: suggested rules\n\nProfiled ${suggestions.rows.toLocaleString('en-US')} rows of ${dataset.files.map((f) => `\`${f}\``).join(', ')} and wrote ${suggestions.rules.length} rules to \`${inputs.suggestOut}\`. Review them, then validate with \`rules: ${inputs.suggestOut}\`.\n`,
  );
}

export async function run(): Promise<boolean> {
  // In a worker thread of this bundle (a group of rules) the job is all there is to do.
  if (await runWorkerJobIfAsked()) return true;
  return runAction(dataGate, githubRuntime());
}
