// Wiring only: inputs -> verify (runs, comparison, DVC, environment, causes) -> report files -> outputs -> one
// publish call -> the baseline saved to the cache when the runs reproduced -> fail-on.
import { tmpdir } from 'node:os';
import { UserError } from '#shared/errors.js';
import { channelSecrets, publish } from '#shared/publish/index.js';
import type { ActionRuntime } from '#shared/runtime/action-runtime.js';
import { githubRuntime } from '#shared/runtime/github-runtime.js';
import { runAction } from '#shared/runtime/run-action.js';
import { actionsCache } from './baseline/actions-cache.js';
import { saveBaseline } from './baseline/baseline-cache.js';
import { githubArtifacts } from './baseline/github-artifacts.js';
import { failureReason } from './fail-on.js';
import { readInputs } from './inputs.js';
import { reproPublication } from './report/publication.js';
import { writeReports } from './report/write-reports.js';
import { verifyReproducibility } from './verify.js';

export async function reproVerify(runtime: ActionRuntime): Promise<void> {
  const inputs = readInputs(runtime.getInput);
  for (const secret of channelSecrets(inputs.channels)) runtime.setSecret(secret);
  const { context, logger } = runtime;
  const tempDir = process.env.RUNNER_TEMP || tmpdir();
  const cache = actionsCache();
  const token = inputs.baselineArtifact ? inputs.channels.githubToken : undefined;
  const artifacts = token ? githubArtifacts({ token, baseUrl: context.apiUrl, logger }) : undefined;
  const verifyContext = {
    workspace: context.workspace,
    tempDir,
    env: process.env,
    logger,
    cache,
    artifacts,
    repository: context.repository,
  };
  const outcome = await verifyReproducibility(inputs, verifyContext);
  const { report } = outcome;
  const files = await writeReports(inputs, outcome, tempDir);
  runtime.setOutput('reproducible', String(report.reproducible));
  runtime.setOutput('score', String(report.score));
  runtime.setOutput('manifest', files.manifest);
  runtime.setOutput('report-json', files.report);
  runtime.setOutput('baseline-file', files.baseline);
  await publish(runtime, reproPublication(inputs, outcome, files, context));
  if (inputs.baselineCacheKey && files.cachedBaseline)
    await saveBaseline(cache, inputs.baselineCacheKey, files.cachedBaseline, runIds(context.runId), report.reproducible, logger);
  const reason = failureReason(inputs.failOn, report);
  if (reason) throw new UserError(reason);
}

function runIds(runId: string) {
  return { runId, attempt: process.env.GITHUB_RUN_ATTEMPT ?? '1' };
}

export async function run(): Promise<void> {
  await runAction(reproVerify, githubRuntime());
}
