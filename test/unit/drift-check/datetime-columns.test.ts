// Datetime columns (input datetime-columns) through drift-check's main: read in the ISO 8601 forms people write and
// from Parquet's DATE and TIMESTAMP types, described as pandas describes them and compared as seconds, as scipy does
// (reference values: test/fixtures/drift-check/datetime/make_fixtures.py).
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { runAction } from '#shared/runtime/run-action.js';
import { driftCheck } from '../../../actions/drift-check/src/main.js';
import { fakeRuntime } from '../../support/fake-runtime.js';

const fixtures = join(process.cwd(), 'test/fixtures/drift-check/datetime');
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8'));
const example = (file: string) => join(process.cwd(), 'examples/drift-check/data', file);

async function run(inputs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'drift-datetime-'));
  const runtime = fakeRuntime({ 'report-dir': dir, ...inputs });
  const ok = await runAction(driftCheck, runtime);
  const report = ok ? JSON.parse(readFileSync(join(dir, 'drift-report.json'), 'utf8')) : undefined;
  return { ok, runtime, report, html: ok ? readFileSync(join(dir, 'drift-report.html'), 'utf8') : '' };
}

type Stats = Record<string, string | number | null>;

/** Instants equal to the millisecond (pandas' quartiles interpolate below it), numbers to 9 digits. */
function expectSameStats(actual: Stats, wanted: Stats): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(wanted).sort());
  for (const [key, value] of Object.entries(wanted)) {
    if (typeof value === 'string') {
      expect(actual[key]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Math.abs(Date.parse(String(actual[key])) - Date.parse(value))).toBeLessThanOrEqual(1);
    } else expect(actual[key]).toBeCloseTo(Number(value), key === 'std' ? 3 : 9);
  }
}

describe('datetime columns', () => {
  it('compares a column listed in datetime-columns as instants: describe() and the KS test equal pandas and scipy', async () => {
    const { ok, runtime, report } = await run({
      reference: join(fixtures, 'reference.csv'),
      current: join(fixtures, 'current.csv'),
      'datetime-columns': 'event_time',
    });
    expect(runtime.failures).toEqual([]);
    expect(ok).toBe(true);
    const column = report.columns.find((c: { name: string }) => c.name === 'event_time');
    expect(column).toMatchObject({ type: 'datetime', method: 'ks', drifted: true });
    expectSameStats(column.reference_stats, expected.datetime.reference);
    expectSameStats(column.current_stats, expected.datetime.current);
    expect(column.statistic).toBeCloseTo(expected.datetime.ks.statistic, 12);
    expect(column.p_value / expected.datetime.ks.p_value).toBeCloseTo(1, 6);
    expect(report.skipped_columns).toEqual([]);
  });

  it("labels the datetime column's histogram with dates, not seconds since 1970", async () => {
    const { html, report } = await run({
      reference: join(fixtures, 'reference.csv'),
      current: join(fixtures, 'current.csv'),
      'datetime-columns': 'event_time',
    });
    const section = html.slice(html.indexOf('id="column-event_time"'), html.indexOf('</section>', html.indexOf('id="column-event_time"')));
    const labels = [...section.matchAll(/<text[^>]*text-anchor="middle">([^<]*)<\/text>/g)].map((m) => m[1]);
    const edges = report.columns.find((c: { name: string }) => c.name === 'event_time').distribution.labels as number[];
    expect(labels).toContain(new Date(edges[0] * 1000).toISOString().slice(0, 10));
    expect(labels.filter((l) => /^\d{4}-\d\d-\d\d$/.test(l)).length).toBeGreaterThan(2);
    expect(section).not.toMatch(/1,78\d,/);
  });

  it('reads the same instants from JSON Lines (strings in every ISO form, null where missing)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-datetime-jsonl-'));
    for (const side of ['reference', 'current']) {
      const [header, ...rows] = readFileSync(join(fixtures, `${side}.csv`), 'utf8')
        .trim()
        .split('\n');
      const names = header.split(',');
      const lines = rows.map((row) => {
        const cells = row.split(',');
        return JSON.stringify({
          [names[0]]: Number(cells[0]),
          [names[1]]: cells[1] === '' ? null : cells[1],
          [names[2]]: Number(cells[2]),
        });
      });
      writeFileSync(join(dir, `${side}.jsonl`), lines.join('\n') + '\n');
    }
    const { report } = await run({
      reference: join(dir, 'reference.jsonl'),
      current: join(dir, 'current.jsonl'),
      'datetime-columns': 'event_time',
    });
    const column = report.columns.find((c: { name: string }) => c.name === 'event_time');
    expectSameStats(column.reference_stats, expected.datetime.reference);
    expectSameStats(column.current_stats, expected.datetime.current);
    expect(column.statistic).toBeCloseTo(expected.datetime.ks.statistic, 12);
  });

  it('keeps a datetime column as one in a saved profile, compared later against data files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-datetime-profile-'));
    const profiling = fakeRuntime({
      reference: join(fixtures, 'reference.csv'),
      mode: 'profile',
      'profile-out': join(dir, 'reference.profile.json'),
      'datetime-columns': 'event_time',
    });
    expect(await runAction(driftCheck, profiling)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'reference.profile.json'), 'utf8')).columns.event_time.type).toBe('datetime');
    const { report } = await run({
      reference: join(dir, 'reference.profile.json'),
      current: join(fixtures, 'current.csv'),
      'datetime-columns': 'event_time',
    });
    const column = report.columns.find((c: { name: string }) => c.name === 'event_time');
    expect(column.type).toBe('datetime');
    expectSameStats(column.reference_stats, expected.datetime.reference);
    expect(column.statistic).toBeCloseTo(expected.datetime.ks.statistic, 12);
  });

  it('skips a date column by default, with a hint that names datetime-columns', async () => {
    const { report } = await run({ reference: join(fixtures, 'reference.csv'), current: join(fixtures, 'current.csv') });
    expect(report.columns.map((c: { name: string }) => c.name)).not.toContain('event_time');
    expect(report.skipped_columns).toEqual([
      { name: 'event_time', reason: 'date/time column (time moves on between datasets); list it in datetime-columns to compare it' },
    ]);
  });

  it('compares a date column named in columns, as asking for it', async () => {
    const { report } = await run({
      reference: join(fixtures, 'reference.csv'),
      current: join(fixtures, 'current.csv'),
      columns: 'event_time, amount',
    });
    expect(report.columns.map((c: { name: string; type: string }) => [c.name, c.type]).sort()).toEqual([
      ['amount', 'numerical'],
      ['event_time', 'datetime'],
    ]);
  });

  it('says to use datetime-columns when numerical-columns names a column of dates', async () => {
    const { ok, runtime } = await run({
      reference: example('reference.csv'),
      current: example('current.csv'),
      'numerical-columns': 'application_date',
    });
    expect(ok).toBe(false);
    expect(runtime.failures[0]).toMatch(
      /^Invalid value for input 'numerical-columns': 'application_date'\. Expected columns of numbers: 'application_date' holds dates or times in .*reference\.csv; list it in datetime-columns/,
    );
    expect(runtime.failures[0]).not.toMatch(/expected a number/);
  });

  it('fails on a value that is not a date with the file, line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-datetime-bad-'));
    const lines = readFileSync(join(fixtures, 'current.csv'), 'utf8').split('\n');
    lines[120] = lines[120].replace(/^(\d+),[^,]*,/, '$1,2026-06-31 10:00:00,');
    writeFileSync(join(dir, 'current.csv'), lines.join('\n'));
    const { ok, runtime } = await run({
      reference: join(fixtures, 'reference.csv'),
      current: join(dir, 'current.csv'),
      'datetime-columns': 'event_time',
    });
    expect(ok).toBe(false);
    expect(runtime.failures[0]).toContain(`${join(dir, 'current.csv')}:121`);
    expect(runtime.failures[0]).toMatch(/event_time.*expected an ISO 8601 date or timestamp, found '2026-06-31 10:00:00'/);
    expect(runtime.annotations[0].location).toMatchObject({ file: join(dir, 'current.csv'), line: 121 });
  });

  it('reads Parquet TIMESTAMP (milli-, micro-, nanoseconds, UTC-adjusted) and DATE columns as the same instants', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-datetime-parquet-'));
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run("SET TimeZone = 'UTC'");
      for (const side of ['reference', 'current']) {
        copyFileSync(join(fixtures, `${side}.csv`), join(dir, `${side}.csv`));
        // DuckDB's own ISO parser (offsets included) stands for the writer of the Parquet files.
        await connection.run(`COPY (
          SELECT event_time::TIMESTAMPTZ AS ts_tz, event_time::TIMESTAMPTZ::TIMESTAMP AS ts_us,
                 event_time::TIMESTAMPTZ::TIMESTAMP::TIMESTAMP_MS AS ts_ms, event_time::TIMESTAMPTZ::TIMESTAMP::TIMESTAMP_NS AS ts_ns,
                 event_time::TIMESTAMPTZ::DATE AS day
          FROM read_csv('${join(dir, `${side}.csv`)}', columns = {'id': 'INTEGER', 'event_time': 'VARCHAR', 'amount': 'DOUBLE'}, header = true)
        ) TO '${join(dir, `${side}.parquet`)}' (FORMAT parquet)`);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    const { ok, runtime, report } = await run({
      reference: join(dir, 'reference.parquet'),
      current: join(dir, 'current.parquet'),
      'datetime-columns': 'ts_tz, ts_us, ts_ms, ts_ns, day',
    });
    expect(runtime.failures).toEqual([]);
    expect(ok).toBe(true);
    const byName = new Map(report.columns.map((c: { name: string }) => [c.name, c]));
    for (const name of ['ts_tz', 'ts_us', 'ts_ms', 'ts_ns']) {
      const column = byName.get(name) as { type: string; statistic: number; reference_stats: Stats; current_stats: Stats };
      expect(column.type).toBe('datetime');
      expectSameStats(column.reference_stats, expected.datetime.reference);
      expectSameStats(column.current_stats, expected.datetime.current);
      expect(column.statistic).toBeCloseTo(expected.datetime.ks.statistic, 12);
    }
    const day = byName.get('day') as { type: string; reference_stats: Stats; current_stats: Stats };
    expect(day.type).toBe('datetime');
    // A date is its day's midnight (UTC): the first and last days are those of the first and last instants.
    for (const side of ['reference', 'current'] as const) {
      expect(day[`${side}_stats`].min).toBe(`${String(expected.datetime[side].min).slice(0, 10)}T00:00:00.000Z`);
      expect(day[`${side}_stats`].max).toBe(`${String(expected.datetime[side].max).slice(0, 10)}T00:00:00.000Z`);
    }
  });
});
