// Wiring only: inputs -> one look at the canary (run-canary.ts) -> reports, outputs -> one publish call -> fail-on.
import { join } from 'node:path';
import { UserError } from '#shared/errors.js';
import { makeOutputDir, writeOutputFile } from '#shared/paths/index.js';
import { channelSecrets, publish } from '#shared/publish/index.js';
import type { ActionRuntime } from '#shared/runtime/action-runtime.js';
import { githubRuntime } from '#shared/runtime/github-runtime.js';
import { runAction } from '#shared/runtime/run-action.js';
import { failureReason } from './fail-on.js';
import { AUDITED_INPUTS, readInputs } from './inputs.js';
import { canarySummary, verdictLine } from './report/canary-summary.js';
import { runCanary } from './run-canary.js';

export async function canaryPromote(runtime: ActionRuntime): Promise<void> {
  const inputs = readInputs(runtime.getInput);
  for (const secret of [...channelSecrets(inputs.channels), inputs.mlflow?.token]) if (secret) runtime.setSecret(secret);
  const raw = Object.fromEntries(AUDITED_INPUTS.map((name) => [name, runtime.getInput(name)]).filter(([, v]) => v !== ''));
  const run = await runCanary(inputs, runtime.context, runtime.logger, raw);

  const dir = await makeOutputDir(inputs.reportDir, "input 'report-dir'");
  const resultPath = await writeOutputFile(join(dir, 'canary-result.json'), JSON.stringify(run.result, null, 2) + '\n');
  const auditPath = await writeOutputFile(join(dir, 'canary-audit.json'), JSON.stringify(run.audit, null, 2) + '\n');
  runtime.setOutput('decision', run.result.decision);
  runtime.setOutput('score', String(run.result.score));
  runtime.setOutput('next-weight', String(run.result.next_weight));
  runtime.setOutput('result-json', JSON.stringify(run.result));
  runtime.setOutput('report-json', resultPath);

  await publish(runtime, {
    action: 'canary-promote',
    title: 'Canary analysis',
    verdict: {
      passed: run.result.decision !== 'rollback',
      markdown: verdictLine(run.result),
      level: run.result.decision === 'promote' ? 'pass' : run.result.decision === 'continue' ? 'warn' : 'fail',
    },
    summary: (options) => canarySummary(run.result, run.rollout, run.audit, options),
    reports: { artifactName: 'canary-report', files: [resultPath, auditPath], rootDirectory: dir },
    subject: [inputs.registry?.modelName ?? '', ...inputs.manifests, inputs.metrics],
    alert: {
      active: run.result.decision === 'rollback',
      label: 'canary-rollback',
      title: `Canary rolled back: ${inputs.registry?.modelName ?? inputs.manifests.join(', ')}`,
    },
    checkConclusion: run.result.decision === 'rollback' ? 'failure' : run.result.decision === 'promote' ? 'success' : 'neutral',
    metrics: [
      { name: 'canary_score', help: 'Canary analysis score (0-100)', value: run.result.score },
      { name: 'canary_next_weight', help: 'Canary traffic weight after the decision (%)', value: run.result.next_weight },
    ],
    webhookDetails: [run.result.reason],
    history: { dataFile: 'canary-history/history.jsonl', record: run.audit },
    channels: inputs.channels,
  });
  const reason = failureReason(inputs.failOn, run.result);
  if (reason) throw new UserError(reason);
}

export async function run(): Promise<void> {
  await runAction(canaryPromote, githubRuntime());
}
