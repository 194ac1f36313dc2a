// The weekly-chunks example workflow's drift-check step, run through main with its own inputs on the bundled data:
// the example a user copies produces a line per column over the weeks.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { runAction } from '#shared/runtime/run-action.js';
import { driftCheck } from '../../../actions/drift-check/src/main.js';
import type { DriftReport } from '../../../actions/drift-check/src/drift-report.js';
import { fakeRuntime } from '../../support/fake-runtime.js';

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

it('runs examples/drift-check/weekly-chunks.yml: five weekly chunks, every row in one, a line per column in the HTML', async () => {
  const workflow = loadYaml(readFileSync('examples/drift-check/weekly-chunks.yml', 'utf8')) as { jobs: { drift: { steps: Step[] } } };
  const step = workflow.jobs.drift.steps.find((s) => s.uses?.includes('/actions/drift-check@'))!;
  const inputs = Object.fromEntries(Object.entries(step.with!).map(([k, v]) => [k, String(v)]));
  expect(inputs).toMatchObject({ 'timestamp-column': 'application_date', chunk: '1w' });
  // The step as written, except that the report goes to a temporary folder rather than into the checkout.
  const dir = mkdtempSync(join(tmpdir(), 'drift-example-'));
  const runtime = fakeRuntime({ ...inputs, 'report-dir': dir });
  expect(await runAction(driftCheck, runtime)).toBe(true);
  const report: DriftReport = JSON.parse(readFileSync(join(dir, 'drift-report.json'), 'utf8'));
  expect(report.chunks!.map((c) => String(c.start).slice(0, 10))).toEqual([
    '2026-09-28',
    '2026-10-05',
    '2026-10-12',
    '2026-10-19',
    '2026-10-26',
  ]);
  expect(report.chunks!.reduce((sum, c) => sum + c.rows, 0)).toBe(report.current_rows);
  // income and region drift in every week (the example shifts them); the HTML draws each chunked column as a line.
  for (const chunk of report.chunks!)
    expect(chunk.columns.filter((c) => c.drifted).map((c) => c.name)).toEqual(expect.arrayContaining(['income', 'region']));
  const html = readFileSync(join(dir, 'drift-report.html'), 'utf8');
  for (const column of report.chunks![0].columns) expect(html).toContain(`<g data-series="${column.name}"><path`);
  expect(runtime.summary).toContain('### Drift per chunk (5 chunks)');
});
