// The drift engine on profiles built from real CSV files: auto method choice, the report's shape, missing values,
// new categories, empty columns, performance drift, and that shard profiles merge into the single-pass result.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataset } from '#shared/data/index.js';
import { compareProfiles, type DriftSettings } from '../../../actions/drift-check/src/drift-engine.js';
import { profileDataset, mergeProfiles, type ColumnPlan } from '../../../actions/drift-check/src/profile/dataset-profile.js';
import { MemoryBudget } from '../../../shared/src/stats/sketches/memory-budget.js';
import { readMergedProfiles, writeProfile } from '../../../actions/drift-check/src/profile/profile-file.js';
import { readInputs } from '../../../actions/drift-check/src/inputs.js';
import { loadProfiles } from '../../../actions/drift-check/src/load-profiles.js';
import { RecordingLogger } from '#shared/logger.js';
import { ks2samp } from '#shared/stats/two-sample-tests/index.js';
import { jensenShannonDistance } from '#shared/stats/distances/index.js';

const settings: DriftSettings = {
  method: 'auto',
  columnMethods: {},
  driftShare: 0.5,
  psiBins: 10,
  psiBinning: 'quantile',
  performanceTolerance: 0.1,
};

const dir = mkdtempSync(join(tmpdir(), 'drift-engine-'));

/** A deterministic pseudo-random stream so the data is the same on every run. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

function writeCsv(name: string, rows: number, shift: number, seed: number, extraRegion = false): string {
  const random = lcg(seed);
  const lines = ['amount,region,flag'];
  for (let i = 0; i < rows; i++) {
    const amount = (random() + random() + random()) * 10 + shift;
    const regions = extraRegion ? ['north', 'south', 'east', 'mars'] : ['north', 'south', 'east'];
    const region = regions[Math.floor(random() * regions.length)];
    const flag = random() < 0.3 ? 1 : 0;
    lines.push(`${i % 50 === 0 ? '' : amount.toFixed(4)},${region},${flag}`);
  }
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const plan: ColumnPlan[] = [
  { name: 'amount', kind: 'numerical' },
  { name: 'region', kind: 'categorical' },
  { name: 'flag', kind: 'numerical' },
];

async function profile(path: string | string[], budgetBytes = 64 * 1024 * 1024) {
  return profileDataset(await openDataset(path), plan, { budget: new MemoryBudget(budgetBytes) });
}

describe('drift between a reference and a current dataset', () => {
  test('a small reference gets KS and chi-square/Z tests, with scipy-exact KS numbers', async () => {
    const reference = await profile(writeCsv('small-ref.csv', 400, 0, 1));
    const current = await profile(writeCsv('small-cur.csv', 300, 3, 2, true));
    const report = compareProfiles(reference, current, settings);
    const amount = report.columns.find((c) => c.name === 'amount')!;
    expect(amount.method).toBe('ks');
    expect(amount.drifted).toBe(true);
    const refValues = Float64Array.from((reference.columns.get('amount') as any).exactValues());
    const curValues = Float64Array.from((current.columns.get('amount') as any).exactValues());
    const expected = ks2samp(refValues.sort(), curValues.sort());
    expect(amount.statistic).toBeCloseTo(expected.statistic, 12);
    expect(amount.p_value).toBeCloseTo(expected.pValue, 12);
    expect(amount.missing.reference).toBeCloseTo(8 / 400, 12);
    const region = report.columns.find((c) => c.name === 'region')!;
    expect(region.method).toBe('chisquare');
    expect(region.new_categories).toEqual(['mars']);
    // 0/1 flags are compared as categories, as Evidently's auto does for <= 5 distinct values.
    expect(report.columns.find((c) => c.name === 'flag')!.method).toBe('z');
    expect(report.reference_rows).toBe(400);
    expect(report.current_rows).toBe(300);
  });

  test('a large reference gets normed Wasserstein and Jensen-Shannon distances', async () => {
    const reference = await profile(writeCsv('big-ref.csv', 3000, 0, 3));
    const current = await profile(writeCsv('big-cur.csv', 2000, 0.1, 4));
    const report = compareProfiles(reference, current, settings);
    expect(report.columns.find((c) => c.name === 'amount')!.method).toBe('wasserstein');
    const region = report.columns.find((c) => c.name === 'region')!;
    expect(region.method).toBe('jensenshannon');
    expect(region.p_value).toBeNull();
    expect(report.dataset_drift).toBe(false);
    expect(report.drift_share).toBe(report.columns.filter((c) => c.drifted).length / report.columns.length);
  });

  test('a method given for all columns applies where it can, and a column method overrides it', async () => {
    const reference = await profile(writeCsv('m-ref.csv', 400, 0, 5));
    const current = await profile(writeCsv('m-cur.csv', 300, 0.5, 6));
    const report = compareProfiles(reference, current, {
      ...settings,
      method: 'psi',
      threshold: 0.2,
      columnMethods: { amount: { method: 'anderson', threshold: 0.01 } },
    });
    const amount = report.columns.find((c) => c.name === 'amount')!;
    expect([amount.method, amount.threshold]).toEqual(['anderson', 0.01]);
    const region = report.columns.find((c) => c.name === 'region')!;
    expect([region.method, region.threshold]).toEqual(['psi', 0.2]);
  });

  test('a categorical method on a numerical column is refused, naming the input', async () => {
    const reference = await profile(writeCsv('e-ref.csv', 100, 0, 7));
    const current = await profile(writeCsv('e-cur.csv', 100, 0, 8));
    expect(() => compareProfiles(reference, current, { ...settings, columnMethods: { amount: { method: 'chisquare' } } })).toThrow(
      /column-methods.*amount: chisquare.*numerical/,
    );
  });

  test('shard profiles merge into exactly the single-pass result', async () => {
    const whole = writeCsv('whole.csv', 1200, 0, 9);
    const lines = (await import('node:fs')).readFileSync(whole, 'utf8').trim().split('\n');
    const header = lines[0];
    const shards = [lines.slice(1, 500), lines.slice(500, 900), lines.slice(900)].map((rows, i) => {
      const path = join(dir, `shard-${i}.csv`);
      writeFileSync(path, [header, ...rows].join('\n') + '\n');
      return path;
    });
    const shardProfiles = [];
    for (const [i, shard] of shards.entries()) {
      const path = join(dir, `shard-${i}.profile.json`);
      await writeProfile(path, await profile(shard));
      shardProfiles.push(path);
    }
    const merged = await readMergedProfiles(shardProfiles, new MemoryBudget(64 * 1024 * 1024));
    const single = await profile(whole);
    const current = await profile(writeCsv('merge-cur.csv', 800, 1, 10, true));
    const fromShards = compareProfiles(merged, current, settings, [], new Date(0));
    const fromSingle = compareProfiles(single, current, settings, [], new Date(0));
    expect(fromShards).toEqual(fromSingle);
    expect(merged.rows).toBe(1200);
  });

  test('shards past the memory budget merge into the single-pass sketch, within its error of the exact result', async () => {
    const whole = writeCsv('big-whole.csv', 30000, 0, 21);
    const lines = (await import('node:fs')).readFileSync(whole, 'utf8').trim().split('\n');
    const shardPaths = [lines.slice(1, 12001), lines.slice(12001)].map((rows, i) => {
      const path = join(dir, `big-shard-${i}.csv`);
      writeFileSync(path, [lines[0], ...rows].join('\n') + '\n');
      return path;
    });
    const current = writeCsv('big-merge-cur.csv', 20000, 0.3, 22);
    const tiny = 4096; // far too small for exact values: every numerical column is sketched
    const merged = await profile(shardPaths[0], tiny);
    mergeProfiles(merged, await profile(shardPaths[1], tiny));
    const fromShards = compareProfiles(merged, await profile(current, tiny), settings, [], new Date(0));
    const singlePassSketch = compareProfiles(await profile(whole, tiny), await profile(current, tiny), settings, [], new Date(0));
    const exact = compareProfiles(await profile(whole), await profile(current), settings, [], new Date(0));
    const pick = (r: typeof exact, name: string) => r.columns.find((c) => c.name === name)!;
    // Sketch buckets add exactly, so merged shards give the single-pass sketch's numbers...
    expect(pick(fromShards, 'amount').statistic).toBeCloseTo(pick(singlePassSketch, 'amount').statistic, 12);
    expect(pick(fromShards, 'amount').approximation).toMatch(/0.5% relative error/);
    // ...which stay within the stated error of the exact statistic: alpha * (E|X| + E|Y|) / std(reference).
    const ref = (await profile(whole)).columns.get('amount') as any;
    const bound = (0.005 * 2 * (ref.mean + 0.3)) / Math.sqrt(ref.variance);
    expect(Math.abs(pick(fromShards, 'amount').statistic - pick(exact, 'amount').statistic)).toBeLessThanOrEqual(bound);
    // Category counts are exact either way.
    expect(pick(fromShards, 'region').statistic).toBe(pick(exact, 'region').statistic);
  });

  test('past the memory budget numerical columns use the sketch, within its stated error', async () => {
    const refPath = writeCsv('s-ref.csv', 20000, 0, 11);
    const curPath = writeCsv('s-cur.csv', 20000, 0.4, 12);
    const exact = compareProfiles(await profile(refPath), await profile(curPath), settings);
    // 4 KB cannot hold 20,000 values: the sketch takes over.
    const sketched = compareProfiles(await profile(refPath, 4096), await profile(curPath, 4096), settings);
    const a = exact.columns.find((c) => c.name === 'amount')!;
    const b = sketched.columns.find((c) => c.name === 'amount')!;
    expect(a.approximation).toBeUndefined();
    expect(b.approximation).toMatch(/sketch/);
    // |W_sketch - W| <= alpha * (E|X| + E|Y|) / std: values ~15, std ~5, alpha 0.005 -> bound ~0.03
    expect(Math.abs(b.statistic - a.statistic)).toBeLessThan(0.03);
    const ks = compareProfiles(await profile(refPath, 4096), await profile(curPath, 4096), {
      ...settings,
      method: 'ks',
      typeMethods: { categorical: 'jensenshannon' },
    });
    const ksExact = compareProfiles(await profile(refPath), await profile(curPath), {
      ...settings,
      method: 'ks',
      typeMethods: { categorical: 'jensenshannon' },
    });
    expect(Math.abs(ks.columns[0].statistic - ksExact.columns[0].statistic)).toBeLessThan(0.02);
  });

  test('categorical Jensen-Shannon counts new categories instead of dropping them', async () => {
    const reference = await profile(writeCsv('j-ref.csv', 2000, 0, 13));
    const current = await profile(writeCsv('j-cur.csv', 2000, 0, 14, true));
    const region = compareProfiles(reference, current, settings).columns.find((c) => c.name === 'region')!;
    const ref = (reference.columns.get('region') as any).counts as Map<string, number>;
    const cur = (current.columns.get('region') as any).counts as Map<string, number>;
    const names = ['north', 'south', 'east', 'mars'];
    const expected = jensenShannonDistance(
      names.map((n) => ref.get(n) ?? 0),
      names.map((n) => cur.get(n) ?? 0),
    );
    expect(region.statistic).toBeCloseTo(expected, 12);
    expect(region.drifted).toBe(true);
  });

  test('a column with no values on one side is reported as skipped, not a crash', async () => {
    const refPath = join(dir, 'empty-col-ref.csv');
    writeFileSync(refPath, 'amount,region,flag\n1.5,north,1\n2.5,south,0\n3.5,east,1\n');
    const curPath = join(dir, 'empty-col-cur.csv');
    writeFileSync(curPath, 'amount,region,flag\n,north,1\n,south,0\n,east,1\n');
    const inputs = readInputs((name) => ({ reference: refPath, current: curPath })[name as 'reference'] ?? '');
    const loaded = await loadProfiles(inputs, new RecordingLogger());
    const report = compareProfiles(loaded.reference, loaded.current!, settings, loaded.skipped);
    expect(report.skipped_columns).toEqual([{ name: 'amount', reason: 'no values in the current data (all missing)' }]);
    expect(report.columns.map((c) => c.name)).not.toContain('amount');
  });

  test('profiles can be merged in memory too (mergeProfiles adds rows and counts)', async () => {
    const a = await profile(writeCsv('mm-a.csv', 100, 0, 15));
    const b = await profile(writeCsv('mm-b.csv', 50, 0, 16));
    mergeProfiles(a, b);
    expect(a.rows).toBe(150);
    const counts = (a.columns.get('region') as any).counts as Map<string, number>;
    expect([...counts.values()].reduce((x, y) => x + y, 0)).toBe(150);
  });
});
