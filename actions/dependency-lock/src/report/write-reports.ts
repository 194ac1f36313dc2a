// The three files a run leaves (JSON report, SARIF, CycloneDX SBOM), written through the workspace path rules, and
// the step outputs that name them.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { checkDistinctOutputs, makeOutputDir, writeOutputFile } from '#shared/paths/index.js';
import type { LockCheckResult } from '../lock-check.js';
import { buildSarif } from './sarif.js';
import { buildSbom } from './sbom.js';

export const TOOL_VERSION = '1.0.0';

export interface ReportPaths {
  reportDir: string;
  sarifPath: string;
  sbomPath: string;
}

const reportJsonPath = (paths: ReportPaths) => join(paths.reportDir, 'dependency-lock-report.json');

/** Refuses two outputs that are one file before anything runs. */
export async function checkReportPaths(paths: ReportPaths): Promise<void> {
  await checkDistinctOutputs([
    { label: "input 'sarif'", path: paths.sarifPath },
    { label: "input 'sbom'", path: paths.sbomPath },
    { label: 'the JSON report', path: reportJsonPath(paths) },
  ]);
}

/** Writes the report, SARIF and SBOM; returns their real paths in that order. */
export async function writeReports(paths: ReportPaths, result: LockCheckResult): Promise<[string, string, string]> {
  await makeOutputDir(paths.reportDir, "input 'report-dir'");
  const sbom = buildSbom(result, { serialNumber: `urn:uuid:${randomUUID()}`, timestamp: new Date(), toolVersion: TOOL_VERSION });
  return [
    await writeOutputFile(reportJsonPath(paths), `${JSON.stringify({ schema_version: '1.0', ...result }, null, 2)}\n`, 'the JSON report'),
    await writeOutputFile(paths.sarifPath, `${JSON.stringify(buildSarif(result, TOOL_VERSION), null, 2)}\n`, "input 'sarif'"),
    await writeOutputFile(paths.sbomPath, sbom, "input 'sbom'"),
  ];
}

/** The step outputs, by their action.yml names. */
export function lockOutputs(result: LockCheckResult, [reportJson, sarif, sbom]: [string, string, string]): Record<string, string> {
  return {
    passed: String(result.passed),
    vulnerabilities: String(result.counts.vulnerabilities),
    'policy-violations': String(result.counts.violations),
    'unsafe-models': String(result.counts.unsafeModels),
    'report-json': reportJson,
    sarif,
    sbom,
  };
}
