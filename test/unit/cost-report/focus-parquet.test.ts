// A FOCUS export given as Parquet (as AWS and GCP write it) is attributed to exactly the totals of the same rows
// given as CSV: the example sample is written as Parquet with hyparquet-writer (costs as DOUBLE, the rest as STRING,
// empty cells as nulls) and both runs go through main with the fake runtime.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { runAction } from '#shared/runtime/run-action.js';
import { costReport } from '../../../actions/cost-report/src/main.js';
import { fakeRuntime } from '../../support/fake-runtime.js';

// RFC 4180 rows (quoted fields with doubled quotes; the sample has no newlines inside quotes).
function parseCsv(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const cells: string[] = [];
      let cell = '';
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (quoted) {
          if (ch === '"' && line[i + 1] === '"') {
            cell += '"';
            i++;
          } else if (ch === '"') quoted = false;
          else cell += ch;
        } else if (ch === '"') quoted = true;
        else if (ch === ',') {
          cells.push(cell);
          cell = '';
        } else if (ch !== '\r') cell += ch;
      }
      cells.push(cell);
      return cells;
    });
}

const COST_COLUMNS = new Set(['BilledCost', 'EffectiveCost']);

function sampleAsParquet(csvPath: string): Buffer {
  const rows = parseCsv(readFileSync(csvPath, 'utf8'));
  const [header, ...body] = rows;
  const columnData = header.map((name, c) =>
    COST_COLUMNS.has(name)
      ? { name, data: body.map((row) => Number(row[c])), type: 'DOUBLE' as const }
      : { name, data: body.map((row) => (row[c] === '' ? null : row[c])), type: 'STRING' as const },
  );
  return Buffer.from(parquetWriteBuffer({ columnData }));
}

test('a FOCUS export as Parquet reconciles to the same cents as the CSV', async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'cost-parquet-'));
  for (const name of ['focus-sample.csv', 'attribution.yml', 'budgets.yml'])
    copyFileSync(join('examples/cost-report', name), join(workspace, name));
  writeFileSync(join(workspace, 'focus-sample.parquet'), sampleAsParquet(join(workspace, 'focus-sample.csv')));
  const run = async (file: string, out: string) => {
    const runtime = fakeRuntime(
      {
        'focus-files': join(workspace, file),
        attribution: join(workspace, 'attribution.yml'),
        budgets: join(workspace, 'budgets.yml'),
        window: '2026-11-01..2026-11-18',
        'report-dir': join(workspace, out),
      },
      { workspace },
    );
    expect(await runAction(costReport, runtime)).toBe(true);
    return { runtime, report: JSON.parse(readFileSync(join(workspace, out, 'cost-report.json'), 'utf8')) };
  };
  const csv = await run('focus-sample.csv', 'csv');
  const parquet = await run('focus-sample.parquet', 'parquet');
  expect(csv.runtime.outputs['total-cost']).toBe('1867.95');
  for (const output of ['total-cost', 'unallocated-cost', 'over-budget'])
    expect(parquet.runtime.outputs[output]).toBe(csv.runtime.outputs[output]);
  expect(parquet.report.reconciliation).toEqual(csv.report.reconciliation);
  for (const key of ['total', 'attributed', 'shared', 'unallocated', 'by_group', 'by_team', 'budgets', 'over_budget'])
    expect(parquet.report[key]).toEqual(csv.report[key]);
  expect(csv.report.by_group.length).toBeGreaterThan(0);
});
