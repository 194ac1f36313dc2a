// cost-report's wiring: inputs -> engine -> report files -> outputs -> one publish call -> fail-on.
import { UserError } from '#shared/errors.js';
import { channelSecrets, publish } from '#shared/publish/index.js';
import type { ActionRuntime } from '#shared/runtime/action-runtime.js';
import { githubRuntime } from '#shared/runtime/github-runtime.js';
import { runAction } from '#shared/runtime/run-action.js';
import { fetchJson, githubActionsApi } from './adapters/github-actions-api.js';
import { runCostReport } from './cost-engine.js';
import { failureReason } from './fail-on.js';
import { readCostHistory } from './history/cost-history.js';
import { readInputs } from './inputs.js';
import { centsText } from './money/money.js';
import { writeReports } from './report/write-reports.js';
import { costPublication } from './report/publish-details.js';

export async function costReport(runtime: ActionRuntime): Promise<void> {
  const { context, logger } = runtime;
  const inputs = readInputs(runtime.getInput, context.repository);
  channelSecrets(inputs.channels).forEach((s) => runtime.setSecret(s));
  const token = inputs.channels.githubToken;
  const pr = context.payload.pull_request;
  const result = await runCostReport(inputs, {
    now: Date.now(),
    actions:
      token && (inputs.repositories.length || inputs.organizations.length)
        ? githubActionsApi({ token, baseUrl: context.apiUrl, logger })
        : undefined,
    fetchJson,
    pullRequest: pr ? { number: pr.number, headSha: pr.head?.sha ?? context.sha, baseRef: pr.base?.ref ?? 'main' } : undefined,
    warn: (m) => logger.warning(m),
  });
  result.history = await readCostHistory(result, inputs.channels.historyBranch, context, logger);
  const files = await writeReports(result, inputs.reportDir);
  runtime.setOutput('total-cost', centsText(result.rounded.totalCents));
  runtime.setOutput('unallocated-cost', centsText(result.rounded.unallocatedCents));
  runtime.setOutput('over-budget', String(result.overBudget));
  runtime.setOutput('report-json', files.json);
  runtime.setOutput('report-csv', files.csv);
  const { request, details } = costPublication(result, inputs, files, context.workspace);
  await publish(runtime, request);
  const reason = failureReason(inputs.failOn, {
    overBudget: result.overBudget,
    overBudgetLines: details.overBudgetLines,
    tagViolations: result.tagViolations.length,
  });
  if (reason) throw new UserError(reason);
}

export async function run(): Promise<void> {
  await runAction(costReport, githubRuntime());
}
