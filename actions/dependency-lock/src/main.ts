// Wiring only: inputs -> checkLocks -> report JSON, SARIF and SBOM -> outputs -> one publish call -> fail-on.
import { relative } from 'node:path';
import { UserError } from '#shared/errors.js';
import { channelSecrets, publish } from '#shared/publish/index.js';
import type { ActionRuntime } from '#shared/runtime/action-runtime.js';
import { githubRuntime } from '#shared/runtime/github-runtime.js';
import { runAction } from '#shared/runtime/run-action.js';
import { failureReason } from './fail-on.js';
import { readInputs } from './inputs.js';
import { checkLocks } from './lock-check.js';
import { lockAnnotations, lockMetrics } from './report/lock-annotations.js';
import { lockSummaryMarkdown, lockVerdict } from './report/lock-summary.js';
import { checkReportPaths, lockOutputs, writeReports } from './report/write-reports.js';

export async function dependencyLock(runtime: ActionRuntime): Promise<void> {
  const inputs = readInputs(runtime.getInput);
  for (const secret of channelSecrets(inputs.channels)) runtime.setSecret(secret);
  await checkReportPaths(inputs);
  const { workspace } = runtime.context;
  const result = await checkLocks({
    ...inputs,
    workspace,
    budgetBytes: inputs.memoryBudgetBytes,
    today: new Date(),
    logger: runtime.logger,
  });

  const files = await writeReports(inputs, result);
  for (const [name, value] of Object.entries(lockOutputs(result, files))) runtime.setOutput(name, value);

  await publish(runtime, {
    action: 'dependency-lock',
    title: 'Dependency lock',
    verdict: lockVerdict(result),
    summary: (options) => lockSummaryMarkdown(result, options),
    reports: { files, rootDirectory: inputs.reportDir },
    annotations: lockAnnotations(result),
    subject: [relative(workspace, inputs.path) || '.', ...inputs.manifests],
    alert: { active: !result.passed, label: 'dependency-alert', title: 'Dependency check failing' },
    metrics: lockMetrics(result),
    channels: inputs.channels,
  });
  const reason = failureReason(inputs.failOn, result);
  if (reason) throw new UserError(reason);
}

export const run = () => runAction(dependencyLock, githubRuntime());
