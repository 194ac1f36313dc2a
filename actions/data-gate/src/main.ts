// Wiring only: inputs -> rules -> (changed files) -> validation pass -> quarantine -> result files -> outputs ->
// the shared publishing layer; or, in suggest mode, profile -> starter rules file.
import { UserError } from '#shared/errors.js';
import { checkDistinctOutputs, checkReadablePath } from '#shared/paths/index.js';
import { channelSecrets, plainText, publish, reportJson, writeReportFiles } from '#shared/publish/index.js';
import type { ActionRuntime } from '#shared/runtime/action-runtime.js';
import { runWorkerJobIfAsked } from '#shared/runtime/bundle-worker.js';
import { githubRuntime } from '#shared/runtime/github-runtime.js';
import { runAction } from '#shared/runtime/run-action.js';
import { dataFilesToValidate } from './changed-files.js';
import { failureReason } from './fail-on.js';
import { readInputs } from './inputs.js';
import { gateOutputs, gatePublication, publishNothingChanged } from './publish/gate-publication.js';
import { quarantineRows } from './quarantine/write-quarantine.js';
import { gateSummaryMarkdown, gateVerdict } from './report/gate-summary.js';
import { loadRules } from './rules/load-rules.js';
import { runSuggest } from './suggest/run-suggest.js';
import { validateDataset } from './validate/validate-dataset.js';

export const RESULT_FILE = 'data-gate-result.json';

export async function dataGate(runtime: ActionRuntime): Promise<void> {
  const inputs = readInputs(runtime.getInput);
  for (const secret of channelSecrets(inputs.channels)) runtime.setSecret(secret);
  if (inputs.mode === 'suggest') return runSuggest(runtime, inputs.data, inputs.suggestOut, inputs.maxLineBytes);
  const { kind, path } = inputs.rules;
  const ruleSet = await loadRules({
    [kind]: await checkReadablePath(path, `input '${kind}'`),
    unknownExpectations: inputs.unknownExpectations,
  });
  const quarantinePaths = { passedPath: inputs.passedPath, failedPath: inputs.failedPath, duplicates: inputs.duplicates };
  await checkDistinctOutputs([
    { label: "input 'passed-path'", path: inputs.passedPath },
    { label: "input 'failed-path'", path: inputs.failedPath },
  ]);
  const { files, skipped } = await dataFilesToValidate(inputs.data, inputs.changedOnly, runtime, inputs.channels.githubToken);
  if (files.length === 0) return publishNothingChanged(runtime, skipped);

  const [{ failOn, memoryBudgetBytes: budgetBytes, maxLineBytes }, { workspace }] = [inputs, runtime.context];
  const outcome = await validateDataset({ data: files, ruleSet, failOn, budgetBytes, maxLineBytes });
  const { result } = outcome;
  if (skipped.length > 0) result.meta.data_gate.skipped_files = skipped;
  const quarantine = await quarantineRows(outcome, { ...quarantinePaths, ruleSet, budgetBytes, maxLineBytes });
  const written = await writeReportFiles(inputs.reportDir, {
    result: { file: RESULT_FILE, content: reportJson(result) },
    summary: { file: 'data-gate-summary.md', content: gateSummaryMarkdown(result, { skippedFiles: skipped, quarantine, workspace }) },
  });
  for (const [name, value] of Object.entries(gateOutputs(result, written.paths.result))) runtime.setOutput(name, value);
  const reports = { dir: written.dir, files: [written.paths.result] };
  await publish(runtime, gatePublication({ result, skipped, quarantine, reports }, inputs, workspace));
  const reason = failureReason(inputs.failOn, result.meta.data_gate, plainText(gateVerdict(result)).replace(/^\S+\s/, ''));
  if (reason) throw new UserError(reason);
}

export async function run(): Promise<boolean> {
  // In a worker thread of this bundle (a group of rules) the job is all there is to do.
  if (await runWorkerJobIfAsked()) return true;
  return runAction(dataGate, githubRuntime());
}
