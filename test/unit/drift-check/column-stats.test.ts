// reference_stats / current_stats equal pandas' describe() and value counts on the example data (generate.py
// beside the fixture), and categories that vanished are listed as well as new ones (complete, sorted).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '#shared/runtime/run-action.js';
import { driftCheck } from '../../../actions/drift-check/src/main.js';
import { categoryChanges } from '../../../actions/drift-check/src/report/column-stats.js';
import { fakeRuntime } from '../../support/fake-runtime.js';

const expected = JSON.parse(readFileSync('test/fixtures/drift-check/column-stats/expected.json', 'utf8'));

describe('column statistics side by side', () => {
  let columns: Record<string, any>;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-stats-'));
    const data = (f: string) => join(process.cwd(), 'examples/drift-check/data', f);
    const runtime = fakeRuntime({
      reference: data('reference.csv'),
      current: data('current.csv'),
      columns: 'income,age,region',
      'report-dir': dir,
    });
    expect(await runAction(driftCheck, runtime)).toBe(true);
    const report = JSON.parse(readFileSync(join(dir, 'drift-report.json'), 'utf8'));
    columns = Object.fromEntries(report.columns.map((c: any) => [c.name, c]));
  });

  it.each(['reference', 'current'])('numerical %s stats equal pandas describe()', (side) => {
    for (const name of ['income', 'age']) {
      const ours = columns[name][`${side}_stats`];
      const theirs = expected[side][name];
      for (const key of ['count', 'missing', 'mean', 'std', 'min', 'p25', 'median', 'p75', 'max'])
        expect(Math.abs(ours[key] - theirs[key])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(theirs[key])));
    }
  });

  it.each(['reference', 'current'])('categorical %s stats count present values, missing and distinct as pandas', (side) => {
    const ours = columns.region[`${side}_stats`];
    expect(ours).toMatchObject({
      count: expected[side].region.count,
      missing: expected[side].region.missing,
      distinct: expected[side].region.distinct,
    });
    expect(ours.top.map((t: any) => t.value).sort()).toEqual(expected[side].region.categories);
    expect(ours.top.reduce((sum: number, t: any) => sum + t.share, 0)).toBeCloseTo(1, 12);
  });

  it('lists new categories and vanished ones, complete and sorted', () => {
    expect(columns.region.new_categories).toEqual(expected.region_new);
    expect(columns.region.vanished_categories).toEqual(expected.region_vanished);
  });

  it('finds every airport that vanished from January to May, not just new ones', () => {
    const january = new Map(['ATL', 'BOS', 'DEN', 'JFK', 'ORD', 'SEA', 'SFO', 'AUS'].map((a) => [a, 10]));
    const may = new Map([
      ['ATL', 4],
      ['ORD', 3],
      ['LAX', 2],
      ['BOS', 0],
    ]);
    expect(categoryChanges(january, may)).toEqual({ fresh: ['LAX'], vanished: ['AUS', 'BOS', 'DEN', 'JFK', 'SEA', 'SFO'] });
  });
});
