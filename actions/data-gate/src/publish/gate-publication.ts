// What data-gate hands the shared publishing layer: verdict, summary, result file, failing-line annotations and
// the check run's conclusion.
import type { PublishRequest } from '#shared/publish/index.js';
import type { ActionRuntime } from '#shared/runtime/action-runtime.js';
import { repositoryPath } from '../changed-files.js';
import type { DataGateInputs } from '../inputs.js';
import type { QuarantineSummary } from '../quarantine/write-quarantine.js';
import { gateSummaryMarkdown, gateVerdict, workspacePath } from '../report/gate-summary.js';
import { lineAnnotations } from '../report/line-annotations.js';
import type { ValidationResult } from '../validate/validation-result.js';

export interface GateRun {
  result: ValidationResult;
  skipped: string[];
  quarantine?: QuarantineSummary;
  reports: { dir: string; files: string[] };
}

export function gatePublication(run: GateRun, inputs: DataGateInputs & { mode: 'validate' }, workspace: string): PublishRequest {
  const { result } = run;
  const gate = result.meta.data_gate;
  const { annotations, notShown } = lineAnnotations(result, inputs.maxAnnotations);
  const summaryOptions = {
    annotations: { shown: annotations.length, notShown },
    skippedFiles: run.skipped,
    quarantine: run.quarantine,
    workspace,
  };
  return {
    action: 'data-gate',
    title: 'Data gate',
    verdict: { passed: gate.passed, markdown: gateVerdict(result) },
    summary: (options) => gateSummaryMarkdown(result, { ...summaryOptions, ...options }),
    reports: { artifactName: 'data-gate-result', files: run.reports.files, rootDirectory: run.reports.dir },
    annotations: annotations.map((a) => ({
      ...a,
      file: repositoryPath(a.file, workspace),
      // The rules file named in the message ("rules.yml:14") reads as the file does: relative to the workspace.
      message: a.message.replace(
        /\((error|warning), ([^)]+)\)/,
        (_m, level: string, source: string) => `(${level}, ${workspacePath(source, workspace)})`,
      ),
    })),
    // One PR comment per workflow and data/rules pair, so two gates in one workflow keep their own comments.
    subject: [[...inputs.data, inputs.rules.path].join('\n')],
    checkConclusion: gate.passed ? 'success' : inputs.failOn === 'never' ? 'neutral' : 'failure',
    channels: inputs.channels,
  };
}

/** The step's outputs, for machines. */
export function gateOutputs(result: ValidationResult, resultPath: string): Record<string, string> {
  const gate = result.meta.data_gate;
  return {
    passed: String(gate.passed),
    'failed-rules': JSON.stringify([...gate.failed_error_rules, ...gate.failed_warning_rules]),
    rows: String(gate.rows),
    'failed-rows': String(gate.failed_rows),
    'result-json': resultPath,
  };
}

/** changed-only on a pull request that changed no data file: a green step that says so. */
export async function publishNothingChanged(runtime: ActionRuntime, skipped: string[]): Promise<void> {
  for (const [name, value] of Object.entries({ passed: 'true', 'failed-rules': '[]', rows: '0', 'failed-rows': '0' }))
    runtime.setOutput(name, value);
  const list = skipped.map((f) => `\`${f}\``).join(', ');
  await runtime.appendSummary(
    `## Data gate\n\n✅ No data file changed in this pull request; nothing to validate (${skipped.length} unchanged: ${list}).\n`,
  );
}
