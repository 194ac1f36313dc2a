// The versioned JSON report: written by one run, read back by a later one (baseline, dashboard).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '#shared/errors.js';
import { readJsonReport, writeJsonReport } from '#shared/reports/json-report.js';

interface DriftReport {
  schema_version: string;
  dataset: string;
  columns: { name: string; score: number }[];
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'json-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeJsonReport / readJsonReport', () => {
  it('round-trips a report into a folder that does not exist yet, pretty and in the given key order', async () => {
    const path = join(dir, 'nested', 'deeper', 'drift-report.json');
    const report: DriftReport = {
      schema_version: '1.2.0',
      dataset: 'trips',
      columns: [{ name: 'fare', score: 0.42 }],
    };
    await writeJsonReport(path, report);
    const text = await readFile(path, 'utf8');
    expect(Object.keys(JSON.parse(text))).toEqual(['schema_version', 'dataset', 'columns']);
    expect(text).toContain('\n  "dataset": "trips",\n');
    expect(text.endsWith('}\n')).toBe(true);
    const back = await readJsonReport<DriftReport>(path, 1);
    expect(back).toEqual(report);
  });

  it('refuses a report from another major version, naming the file and both versions', async () => {
    const path = join(dir, 'old.json');
    await writeJsonReport(path, { schema_version: '2.0.1', dataset: 'trips' });
    const reading = readJsonReport(path, 1);
    await expect(reading).rejects.toBeInstanceOf(UserError);
    await expect(reading).rejects.toThrow(new RegExp(`^${escape(path)}: .*2\\.0\\.1.*reads 1\\.x`));
  });

  it('names the file when it is not JSON, has no schema_version, or is missing', async () => {
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"schema_version": "1.0", ');
    await expect(readJsonReport(broken, 1)).rejects.toThrow(new RegExp(`^${escape(broken)}: not a JSON report`));

    const unversioned = join(dir, 'unversioned.json');
    await writeFile(unversioned, '{"dataset": "trips"}');
    await expect(readJsonReport(unversioned, 1)).rejects.toThrow(/unversioned\.json: report has no valid schema_version/);

    const missing = join(dir, 'missing.json');
    const reading = readJsonReport(missing, 1);
    await expect(reading).rejects.toBeInstanceOf(UserError);
    await expect(reading).rejects.toThrow(/missing\.json.*does not exist/);
  });

  it('will not write a report whose schema_version is not MAJOR.MINOR[.PATCH]', async () => {
    await expect(writeJsonReport(join(dir, 'x.json'), { schema_version: 'v1' })).rejects.toThrow(/schema_version 'v1'/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
