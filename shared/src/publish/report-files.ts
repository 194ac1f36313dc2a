// Writes an action's report files into its report folder, by the workspace path rules (inside the workspace or
// RUNNER_TEMP, never through a symlink), so every action's report-dir behaves the same.
import { join } from 'node:path';
import { makeOutputDir, writeOutputFile } from '../paths/workspace-paths.js';

export interface WrittenReports<Name extends string> {
  /** The folder's absolute path (the artifact's root). */
  dir: string;
  /** Each file's absolute path, by the name it was given. */
  paths: Record<Name, string>;
}

/** JSON of a report as every action writes it: two-space indent and a final newline (reports diff cleanly). */
export function reportJson(report: unknown): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export async function writeReportFiles<Name extends string>(
  reportDir: string,
  files: Record<Name, { file: string; content: string | Uint8Array }>,
  label = "input 'report-dir'",
): Promise<WrittenReports<Name>> {
  const dir = await makeOutputDir(reportDir, label);
  const paths = {} as Record<Name, string>;
  for (const [name, { file, content }] of Object.entries(files) as [Name, { file: string; content: string | Uint8Array }][])
    paths[name] = await writeOutputFile(join(dir, file), content, label);
  return { dir, paths };
}
