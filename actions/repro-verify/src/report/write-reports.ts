// The report files, all through the workspace path rules: the report JSON, the environment manifest and this run
// as a baseline (in report-dir, at save-baseline when given, and where the Actions cache keeps it).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkDistinctOutputs, makeOutputDir, writeOutputFile } from '#shared/paths/index.js';
import type { ReproVerifyInputs } from '../inputs.js';
import type { VerifyOutcome } from '../verify.js';
import { CACHED_BASELINE_FILE } from '../verify.js';

export interface ReportFiles {
  dir: string;
  report: string;
  manifest: string;
  baseline: string;
  cachedBaseline?: string;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export async function writeReports(inputs: ReproVerifyInputs, outcome: VerifyOutcome, tempDir: string): Promise<ReportFiles> {
  const dir = await makeOutputDir(inputs.reportDir, "input 'report-dir'");
  const baselinePath = inputs.saveBaseline ?? join(dir, 'repro-baseline.json');
  await checkDistinctOutputs([
    { label: "input 'save-baseline'", path: baselinePath },
    { label: 'the report', path: join(dir, 'repro-report.json') },
    { label: "input 'baseline'", path: inputs.baseline },
  ]);
  const files: ReportFiles = {
    dir,
    report: await writeOutputFile(join(dir, 'repro-report.json'), json(outcome.report), 'the report'),
    manifest: await writeOutputFile(join(dir, 'environment-manifest.json'), json(outcome.manifest), 'the manifest'),
    baseline: await writeOutputFile(baselinePath, json(outcome.baseline), "input 'save-baseline'"),
  };
  if (inputs.baselineCacheKey) {
    // The action's own file under RUNNER_TEMP, where the cache restores it: not a user's path.
    files.cachedBaseline = join(tempDir, CACHED_BASELINE_FILE);
    await mkdir(dirname(files.cachedBaseline), { recursive: true });
    await writeFile(files.cachedBaseline, json(outcome.baseline));
  }
  return files;
}
