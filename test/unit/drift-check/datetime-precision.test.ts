// Datetime columns stay precise once sketched: chunks (always sketches) and columns past memory-budget-mb keep
// instants to INSTANT_RELATIVE_ERROR (about 15 minutes today) rather than the numbers' 0.5% (about 100 days at 1.8e9
// seconds since 1970). Reference values: test/fixtures/drift-check/datetime-precision/make_fixtures.py (scipy, pandas).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '#shared/runtime/run-action.js';
import { LogHistogram } from '#shared/stats/sketches/log-histogram.js';
import { MemoryBudget } from '#shared/stats/sketches/memory-budget.js';
import { INSTANT_RELATIVE_ERROR, SKETCH_RELATIVE_ERROR } from '#shared/stats/sketches/numeric-values.js';
import { NumericAccumulator } from '../../../actions/drift-check/src/profile/numeric-accumulator.js';
import { PROFILE_SCHEMA_VERSION, readMergedProfiles, writeProfile } from '../../../actions/drift-check/src/profile/profile-file.js';
import { driftCheck } from '../../../actions/drift-check/src/main.js';
import type { DriftReport } from '../../../actions/drift-check/src/drift-report.js';
import { fakeRuntime } from '../../support/fake-runtime.js';

const fixtures = join(process.cwd(), 'test/fixtures/drift-check/datetime-precision');
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8'));

async function run(inputs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'drift-datetime-precision-'));
  const runtime = fakeRuntime({ 'report-dir': dir, ...inputs });
  const ok = await runAction(driftCheck, runtime);
  const report: DriftReport | undefined = ok ? JSON.parse(readFileSync(join(dir, 'drift-report.json'), 'utf8')) : undefined;
  return { ok, runtime, report, dir };
}

/** The most a sketched instant moves: its relative error at the largest instant of the data. */
const sketchSeconds = (largestInstant: string) => (INSTANT_RELATIVE_ERROR * Date.parse(largestInstant)) / 1000;

describe('datetime columns past exact values', () => {
  it('daily chunks: only the chunk whose event_time moved one day drifts, each chunk equal to scipy within the sketch error', async () => {
    const { ok, runtime, report } = await run({
      reference: join(fixtures, 'reference.csv'),
      current: join(fixtures, 'current.csv'),
      'datetime-columns': 'event_time',
      'timestamp-column': 'ts',
      chunk: '1d',
    });
    expect(runtime.failures).toEqual([]);
    expect(ok).toBe(true);
    const whole = report!.columns.find((c) => c.name === 'event_time')!;
    expect(whole).toMatchObject({ type: 'datetime', method: 'wasserstein' });
    const chunks = report!.chunks!;
    expect(chunks.map((c) => [c.start, c.rows])).toEqual(expected.chunks.map((c: { start: string; rows: number }) => [c.start, c.rows]));
    // Normed Wasserstein: both sides' instants within the sketch error, over the reference's std (about 17 hours).
    const tolerance = (2 * sketchSeconds('2026-06-30T00:00:00Z')) / expected.reference_std;
    expect(tolerance).toBeLessThan(0.03);
    for (const [i, chunk] of chunks.entries()) {
      const column = chunk.columns.find((c) => c.name === 'event_time')!;
      expect(Math.abs(column.statistic - expected.chunks[i].event_time)).toBeLessThan(tolerance);
      expect([chunk.start, column.drifted]).toEqual([chunk.start, expected.chunks[i].shifted]);
    }
  });

  it('a datetime column past memory-budget-mb 1: describe() within the sketch error of pandas, Wasserstein of scipy', async () => {
    const { rows, current_shift_seconds: shift } = expected.budget;
    // The fixture script's budget_seconds, repeated: integers below 2^53, so JavaScript computes the same instants.
    const write = (file: string, shiftSeconds: number) => {
      const base = Date.parse('2025-01-01T00:00:00Z') / 1000 + shiftSeconds;
      const lines = ['id,event_time'];
      for (let i = 0; i < rows; i++) {
        const t = base + ((i * 7919) % 15_768_000) + ((i * 104_729) % 15_768_001);
        lines.push(`${i},${i % 97 === 13 ? '' : new Date(t * 1000).toISOString()}`);
      }
      writeFileSync(file, lines.join('\n') + '\n');
      return file;
    };
    const data = mkdtempSync(join(tmpdir(), 'drift-datetime-budget-'));
    const { runtime, report } = await run({
      reference: write(join(data, 'reference.csv'), 0),
      current: write(join(data, 'current.csv'), shift),
      'datetime-columns': 'event_time',
      'memory-budget-mb': '1',
    });
    expect(runtime.failures).toEqual([]);
    const column = report!.columns.find((c) => c.name === 'event_time')!;
    // Sketched: 118,763 instants a side (950 KB) do not fit half of 1 MB.
    expect(column.approximation).toMatch(/log-histogram sketch, instants within 1[0-9] minutes/);
    for (const side of ['reference', 'current'] as const) {
      const actual = column[`${side}_stats`] as unknown as Record<string, string | number>;
      const wanted = expected.budget[side];
      // Quartiles from the sketch: within its error plus the gap between neighbouring values (about 4 minutes here).
      const quartileSeconds = sketchSeconds(wanted.max) + 300;
      expect(quartileSeconds).toBeLessThan(20 * 60);
      expect([actual.count, actual.missing]).toEqual([wanted.count, wanted.missing]);
      for (const key of ['mean', 'min', 'max'])
        expect(Math.abs(Date.parse(String(actual[key])) - Date.parse(wanted[key]))).toBeLessThanOrEqual(1);
      expect(Number(actual.std) / wanted.std).toBeCloseTo(1, 9);
      for (const key of ['p25', 'median', 'p75'])
        expect(Math.abs(Date.parse(String(actual[key])) - Date.parse(wanted[key])) / 1000).toBeLessThanOrEqual(quartileSeconds);
    }
    const std =
      (expected.budget.reference.std as number) * Math.sqrt((expected.budget.reference.count - 1) / expected.budget.reference.count);
    expect(Math.abs(column.statistic - expected.budget.wasserstein)).toBeLessThan((2 * sketchSeconds(expected.budget.current.max)) / std);
  });

  it('saved profiles keep the fine accuracy (schema 1.1); 1.0 profiles with 0.5% datetime sketches still load and merge', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-datetime-profiles-'));
    const instants = (from: number, n: number) => Float64Array.from({ length: n }, (_, i) => from + i * 601);
    // A new shard, sketched (a budget too small for its values), and an old one: the same sketch at 0.5% in a 1.0 file.
    const fresh = new NumericAccumulator(new MemoryBudget(1024), undefined, true);
    fresh.addBatch(instants(1.78e9, 5000));
    expect(fresh.values.exact).toBe(false);
    const state = fresh.toJSON(0);
    expect(state.histogram!.alpha).toBe(INSTANT_RELATIVE_ERROR);
    const old = new LogHistogram(SKETCH_RELATIVE_ERROR);
    instants(1.78e9 + 5000 * 601, 5000).forEach((v) => old.add(v));
    const document = (version: string, histogram: object, first: number) => ({
      schema_version: version,
      kind: 'mlops-actions/drift-profile',
      rows: 5000,
      sources: [`${version}.csv`],
      columns: { event_time: { ...state, histogram, min: first, max: first + 4999 * 601, mean: first + 2499.5 * 601 } },
    });
    const newFile = join(dir, 'new.profile.json');
    const oldFile = join(dir, 'old.profile.json');
    writeFileSync(newFile, JSON.stringify(document(PROFILE_SCHEMA_VERSION, state.histogram!, 1.78e9)));
    writeFileSync(oldFile, JSON.stringify(document('1.0', old.toJSON(), 1.78e9 + 5000 * 601)));
    expect(PROFILE_SCHEMA_VERSION).toBe('1.1');
    const merged = await readMergedProfiles([newFile, oldFile], new MemoryBudget(1024 * 1024));
    const column = merged.columns.get('event_time') as NumericAccumulator;
    expect(column.instant).toBe(true);
    expect(column.count).toBe(10000);
    expect(column.sketches().histogram.count).toBe(10000);
    // The merged sketch is as coarse as its coarser part, no coarser: the median (1.78e9 + 4999.5 * 601) within 0.5%.
    expect(Math.abs(column.values.quantile(0.5) - (1.78e9 + 4999.5 * 601))).toBeLessThan(SKETCH_RELATIVE_ERROR * 1.8e9);
    // Written again, the new shard alone keeps its 15-minute accuracy through the file.
    await writeProfile(join(dir, 'again.profile.json'), await readMergedProfiles([newFile], new MemoryBudget(1024)));
    const again = JSON.parse(readFileSync(join(dir, 'again.profile.json'), 'utf8'));
    expect(again.schema_version).toBe('1.1');
    expect(again.columns.event_time.histogram.alpha).toBe(INSTANT_RELATIVE_ERROR);
  });
});
