// Wiring only: inputs -> checkLocks -> report JSON, SARIF and SBOM -> outputs -> one publish call -> fail-on.
import { randomUUID } from 'node:crypto';
import { join, relative } from 'node:path';
import { UserError } from '#shared/errors.js';
import { checkDistinctOutputs, makeOutputDir, writeOutputFile } from '#shared/paths/index.js';
import { channelSecrets, publish } from '#shared/publish/index.js';
import type { ActionRuntime } from '#shared/runtime/action-runtime.js';
import { githubRuntime } from '#shared/runtime/github-runtime.js';
import { runAction } from '#shared/runtime/run-action.js';
import { failureReason } from './fail-on.js';
import { readInputs } from './inputs.js';
import { checkLocks } from './lock-check.js';
import { lockAnnotations, lockMetrics } from './report/lock-annotations.js';
import { buildSarif } from './report/sarif.js';
import { buildSbom } from './report/sbom.js';
import { lockSummaryMarkdown, lockVerdict } from './report/lock-summary.js';

const VERSION = '1.0.0';

export async function dependencyLock(runtime: ActionRuntime): Promise<void> {
  const inputs = readInputs(runtime.getInput);
  for (const secret of channelSecrets(inputs.channels)) runtime.setSecret(secret);
  const reportJson = join(inputs.reportDir, 'dependency-lock-report.json');
  await checkDistinctOutputs([
    { label: "input 'sarif'", path: inputs.sarifPath },
    { label: "input 'sbom'", path: inputs.sbomPath },
    { label: 'the JSON report', path: reportJson },
  ]);
  const { workspace } = runtime.context;
  const result = await checkLocks({ ...inputs, workspace, budgetBytes: inputs.memoryBudgetBytes, today: new Date(), logger: runtime.logger });

  await makeOutputDir(inputs.reportDir, "input 'report-dir'");
  const files = [
    await writeOutputFile(reportJson, `${JSON.stringify({ schema_version: '1.0', ...result }, null, 2)}\n`, 'the JSON report'),
    await writeOutputFile(inputs.sarifPath, `${JSON.stringify(buildSarif(result, VERSION), null, 2)}\n`, "input 'sarif'"),
    await writeOutputFile(inputs.sbomPath, buildSbom(result, { serialNumber: `urn:uuid:${randomUUID()}`, timestamp: new Date(), toolVersion: VERSION }), "input 'sbom'"),
  ];
  const outputs = { passed: result.passed, vulnerabilities: result.counts.vulnerabilities, 'policy-violations': result.counts.violations, 'unsafe-models': result.counts.unsafeModels, 'report-json': files[0], sarif: files[1], sbom: files[2] };
  for (const [name, value] of Object.entries(outputs)) runtime.setOutput(name, String(value));

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
