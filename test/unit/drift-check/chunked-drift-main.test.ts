// drift-check's main with chunks (inputs timestamp-column and chunk), driven through a fake runtime on the bundled
// example data: per-chunk statistics against scipy (test/fixtures/drift-check/datetime/make_fixtures.py), rows that
// add up, a table in the summary, and clear errors where a row has no time or the chunks outgrow the budget.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '#shared/runtime/run-action.js';
import { driftCheck } from '../../../actions/drift-check/src/main.js';
import type { ChunkDrift, DriftReport } from '../../../actions/drift-check/src/drift-report.js';
import { fakeRuntime } from '../../support/fake-runtime.js';

const example = (file: string) => join(process.cwd(), 'examples/drift-check/data', file);
const expected = JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures/drift-check/datetime/expected.json'), 'utf8'));
const common = { reference: example('reference.csv'), current: example('current.csv'), 'text-columns': 'purpose' };

async function run(inputs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'drift-chunks-'));
  const runtime = fakeRuntime({ ...common, 'report-dir': dir, ...inputs });
  const ok = await runAction(driftCheck, runtime);
  const report: DriftReport | undefined = ok ? JSON.parse(readFileSync(join(dir, 'drift-report.json'), 'utf8')) : undefined;
  return { ok, runtime, report };
}

const rowsOf = (chunks: ChunkDrift[]) => chunks.reduce((sum, c) => sum + c.rows, 0);

describe('chunked drift through main', () => {
  it('chunks of 400 rows: each chunk column equals scipy (Jensen-Shannon exactly, Wasserstein within 0.005 from the sketch)', async () => {
    const { runtime, report } = await run({ chunk: '400' });
    expect(runtime.failures).toEqual([]);
    const chunks = report!.chunks!;
    expect(chunks.map((c) => [c.start, c.end, c.rows])).toEqual(expected.chunks.map((c: ChunkDrift) => [c.start, c.end, c.rows]));
    expect(rowsOf(chunks)).toBe(report!.current_rows);
    for (const [i, chunk] of chunks.entries()) {
      const wanted: Record<string, number> = expected.chunks[i].statistics;
      // Text columns are not chunked; every other compared column is, in the column table's order.
      expect(chunk.columns.map((c) => c.name)).toEqual(report!.columns.filter((c) => c.type !== 'text').map((c) => c.name));
      for (const column of chunk.columns) {
        const whole = report!.columns.find((c) => c.name === column.name)!;
        expect([column.name, column.method, column.threshold]).toEqual([column.name, whole.method, whole.threshold]);
        if (column.method === 'wasserstein') expect(Math.abs(column.statistic - wanted[column.name])).toBeLessThan(0.005);
        else expect(column.statistic).toBeCloseTo(wanted[column.name], 10);
        expect(column.drifted).toBe(column.statistic >= column.threshold);
      }
      expect(chunk.drift_share).toBe(chunk.columns.filter((c) => c.drifted).length / chunk.columns.length);
    }
  });

  it('weekly chunks of application_date: Monday to Monday, rows adding up, and a table in the summary', async () => {
    const { ok, runtime, report } = await run({ 'timestamp-column': 'application_date', chunk: '1w' });
    expect(ok).toBe(true);
    const chunks = report!.chunks!;
    // October 2026: the 1st is a Thursday, so the first week starts on Monday 28 September; the data ends on the 28th.
    expect(chunks.map((c) => c.start)).toEqual(
      ['2026-09-28', '2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26'].map((d) => `${d}T00:00:00.000Z`),
    );
    expect(chunks.map((c) => c.end)).toEqual(
      ['2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02'].map((d) => `${d}T00:00:00.000Z`),
    );
    // Rows cycle through days 1-28 (generate_example_data.py): 4 days in the first week, 7 in the next three, 3 in the last.
    const days = Array.from({ length: 1200 }, (_, i) => 1 + (i % 28));
    const week = (day: number) => (day <= 4 ? 0 : Math.floor((day - 5) / 7) + 1);
    expect(chunks.map((c) => c.rows)).toEqual([0, 1, 2, 3, 4].map((w) => days.filter((d) => week(d) === w).length));
    expect(rowsOf(chunks)).toBe(1200);
    expect(runtime.summary).toContain('### Drift per chunk (5 chunks)');
    expect(runtime.summary).toMatch(/\| 2026-09-28 +\| +172 \| .*\| income, region/);
    expect(report!.skipped_columns.map((s) => s.name)).toContain('application_date');
  });

  it('refuses a current row without a timestamp, naming the file, line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-chunks-missing-'));
    const lines = readFileSync(example('current.csv'), 'utf8').split('\n');
    lines[300] = lines[300].replace(/^[^,]*,/, ',');
    writeFileSync(join(dir, 'current.csv'), lines.join('\n'));
    const { ok, runtime } = await run({ current: join(dir, 'current.csv'), 'timestamp-column': 'application_date', chunk: '1d' });
    expect(ok).toBe(false);
    expect(runtime.failures[0]).toContain(`${join(dir, 'current.csv')}:301`);
    expect(runtime.failures[0]).toMatch(/no timestamp in 'application_date' \(timestamp-column\): every current row needs one/);
  });

  it('refuses a timestamp that is not a date, naming the file, line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-chunks-bad-'));
    const lines = readFileSync(example('current.csv'), 'utf8').split('\n');
    lines[42] = lines[42].replace(/^[^,]*,/, '10/15/2026,');
    writeFileSync(join(dir, 'current.csv'), lines.join('\n'));
    const { ok, runtime } = await run({ current: join(dir, 'current.csv'), 'timestamp-column': 'application_date', chunk: '1w' });
    expect(ok).toBe(false);
    expect(runtime.failures[0]).toContain(`${join(dir, 'current.csv')}:43`);
    expect(runtime.failures[0]).toMatch(/application_date.*expected an ISO 8601 date or timestamp, found '10\/15\/2026'/);
  });

  it('says when the chunks would outgrow the memory budget, instead of growing past it', async () => {
    const { ok, runtime } = await run({ chunk: '10', 'memory-budget-mb': '2' });
    expect(ok).toBe(false);
    expect(runtime.failures[0]).toMatch(
      /^chunk '10' cuts the current data into \d+ chunks or more, whose sketches of 8 columns outgrow their share of the memory budget \(0\.5 MB of memory-budget-mb, about \d+ KB a chunk\)\. Choose a longer chunk, fewer columns, or raise memory-budget-mb\.$/,
    );
  });

  it('checks the inputs: a period needs timestamp-column, which must be a column of the current data', async () => {
    const noColumn = await run({ chunk: '1w' });
    expect(noColumn.runtime.failures[0]).toBe(
      "Invalid value for input 'chunk': '1w'. Expected a number of rows, or set 'timestamp-column' to chunk by '1w'.",
    );
    const unknown = await run({ chunk: '1w', 'timestamp-column': 'when' });
    expect(unknown.runtime.failures[0]).toMatch(
      /^Invalid value for input 'timestamp-column': 'when'\. Expected a column of the current data \(application_date, age/,
    );
    const noChunk = await run({ 'timestamp-column': 'application_date' });
    expect(noChunk.runtime.failures[0]).toMatch(/^Invalid value for input 'chunk': ''\. Expected a period \(1d, 1w, 1mo\)/);
  });
});
