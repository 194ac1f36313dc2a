// Wiring only: inputs -> profiles -> drift engine -> report files -> outputs -> the shared publishing layer.
import { UserError } from '#shared/errors.js';
import { checkWritablePath } from '#shared/paths/index.js';
import { channelSecrets, plainText, publish, reportJson, writeReportFiles } from '#shared/publish/index.js';
import type { ActionRuntime } from '#shared/runtime/action-runtime.js';
import { runWorkerJobIfAsked } from '#shared/runtime/bundle-worker.js';
import { githubRuntime } from '#shared/runtime/github-runtime.js';
import { runAction } from '#shared/runtime/run-action.js';
import { withChunkDrift } from './chunk-drift.js';
import { compareProfiles } from './drift-engine.js';
import { failureReason } from './fail-on.js';
import { readInputs } from './inputs.js';
import { loadProfiles } from './load-profiles.js';
import { writeProfile } from './profile/profile-file.js';
import { driftPublication } from './publish/drift-publication.js';
import { driftReportHtml } from './report/drift-html.js';
import { driftVerdict } from './report/drift-summary.js';

export async function driftCheck(runtime: ActionRuntime): Promise<void> {
  const inputs = readInputs(runtime.getInput);
  for (const secret of channelSecrets(inputs.channels)) runtime.setSecret(secret);
  const loaded = await loadProfiles(inputs, runtime.logger, runtime.progress?.bind(runtime));
  if (inputs.mode === 'profile') {
    await writeProfile(await checkWritablePath(inputs.profileOut, "input 'profile-out'"), loaded.reference);
    runtime.setOutput('profile', await checkWritablePath(inputs.profileOut));
    const what = `${loaded.reference.rows} rows, ${loaded.reference.columns.size} columns of ${inputs.reference.join(', ')}`;
    return runtime.appendSummary(`## Drift profile\n\nProfiled ${what} into \`${inputs.profileOut}\`.\n`);
  }
  if (!loaded.current) throw new Error('loadProfiles returned no current profile in compare mode');
  const compared = compareProfiles(loaded.reference, loaded.current, inputs.drift, loaded.skipped);
  const report = withChunkDrift(compared, loaded.reference, loaded.current, inputs.chunk, inputs.drift);
  const written = await writeReportFiles(inputs.reportDir, {
    json: { file: 'drift-report.json', content: reportJson(report) },
    html: { file: 'drift-report.html', content: driftReportHtml(report) },
  });
  runtime.setOutput('drift-detected', String(report.dataset_drift));
  runtime.setOutput('drift-share', String(report.drift_share));
  runtime.setOutput('drifted-columns', JSON.stringify(report.columns.filter((c) => c.drifted).map((c) => c.name)));
  runtime.setOutput('performance-drift', String(report.performance?.performance_drift ?? false));
  runtime.setOutput('report-json', written.paths.json);
  runtime.setOutput('report-html', written.paths.html);

  const files = [written.paths.json, written.paths.html];
  await publish(runtime, driftPublication(report, inputs, { dir: written.dir, files }, runtime.context));
  const reason = failureReason(inputs.failOn, report);
  if (reason) throw new UserError(`${plainText(driftVerdict(report))} ${reason}`);
}

export async function run(): Promise<boolean> {
  // In a worker thread of this bundle (profiling a dataset) the job is all there is to do.
  if (await runWorkerJobIfAsked()) return true;
  return runAction(driftCheck, githubRuntime());
}
