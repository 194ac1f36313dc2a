// Writes cost-report.json and cost-report.csv into report-dir (inside the workspace, never through a link).
import { join } from 'node:path';
import { makeOutputDir, openOutputFile, writeOutputFile } from '#shared/paths/index.js';
import type { CostReportResult } from '../cost-engine.js';
import { reportCsvLines, reportJson } from './cost-report-files.js';

export async function writeReports(result: CostReportResult, reportDir: string): Promise<{ dir: string; json: string; csv: string }> {
  const dir = await makeOutputDir(reportDir, "input 'report-dir'");
  const json = await writeOutputFile(
    join(dir, 'cost-report.json'),
    JSON.stringify(reportJson(result), null, 2) + '\n',
    "input 'report-dir'",
  );
  const csv = join(dir, 'cost-report.csv');
  const handle = await openOutputFile(csv, "input 'report-dir'");
  try {
    let chunk = '';
    for (const line of reportCsvLines(result)) {
      chunk += line;
      if (chunk.length > 1 << 16) {
        await handle.write(chunk);
        chunk = '';
      }
    }
    await handle.write(chunk);
  } finally {
    await handle.close();
  }
  return { dir, json, csv };
}
