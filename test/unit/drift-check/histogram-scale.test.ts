// histogram-scale through the drift engine, against numpy (test/fixtures/drift-check/histogram-scale/generate.py):
// log-spaced edges equal np.logspace and their shares np.histogram's; `auto` picks log for log-normal delays only;
// log asked for on values <= 0 falls back to pooled quantiles with a note; linear draws equal widths.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryBudget } from '#shared/stats/sketches/memory-budget.js';
import { compareProfiles, type DriftSettings } from '../../../actions/drift-check/src/drift-engine.js';
import type { HistogramScale } from '../../../actions/drift-check/src/distribution/histogram-scale.js';
import { readInputs } from '../../../actions/drift-check/src/inputs.js';
import type { DatasetProfile } from '../../../actions/drift-check/src/profile/dataset-profile.js';
import { NumericAccumulator } from '../../../actions/drift-check/src/profile/numeric-accumulator.js';

const expected = JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures/drift-check/histogram-scale/expected.json'), 'utf8'));
const COLUMNS = ['delay', 'score', 'share'] as const;

function profile(side: 'reference' | 'current'): DatasetProfile {
  const budget = new MemoryBudget(64 * 1024 * 1024);
  const columns = new Map<string, NumericAccumulator>();
  for (const name of COLUMNS) {
    const acc = new NumericAccumulator(budget);
    acc.addBatch(Float64Array.from(expected[name][side] as number[]));
    columns.set(name, acc);
  }
  return { rows: expected.delay[side].length, sources: [side], columns };
}

function distributions(histogramScale: HistogramScale) {
  const settings: DriftSettings = {
    method: 'auto',
    columnMethods: {},
    driftShare: 0.5,
    psiBins: 10,
    psiBinning: 'quantile',
    performanceTolerance: 0.1,
    histogramScale,
  };
  const report = compareProfiles(profile('reference'), profile('current'), settings);
  return Object.fromEntries(report.columns.map((c) => [c.name, c.distribution!]));
}

describe('histogram-scale', () => {
  test('log: edges equal np.logspace between the smallest and largest value, shares equal np.histogram', () => {
    const delay = distributions('log').delay;
    expect(delay.binning).toBe('log');
    (delay.labels as number[]).forEach((edge, i) => expect(edge).toBeCloseTo(expected.delay.log_edges[i], 9));
    for (const side of ['reference', 'current'] as const) {
      const counts: number[] = expected.delay.log_counts[side];
      const total = counts.reduce((a, b) => a + b, 0);
      delay[side].forEach((share, i) => expect(share).toBeCloseTo(counts[i] / total, 12));
    }
  });

  test('log on a column with values <= 0 draws pooled quantiles and says why', () => {
    const score = distributions('log').score;
    expect(score.binning).toBe('pooled-quantiles');
    expect(score.scale_note).toMatch(/^log scale asked for, but it has values <= 0 \(smallest -\d/);
  });

  test("auto picks log where numpy's Kelly skewness says the log undoes the skew, pooled quantiles elsewhere", () => {
    const auto = distributions('auto');
    for (const name of COLUMNS) expect([name, auto[name].binning]).toEqual([name, expected[name].auto]);
    expect(expected.delay.auto).toBe('log');
    expect(auto.score.scale_note).toBeUndefined();
  });

  test('linear draws equal-width bins; quantile (the default) stays pooled quantiles', () => {
    const linear = distributions('linear').share;
    expect(linear.binning).toBe('equal-width');
    const edges = linear.labels as number[];
    const width = edges[1] - edges[0];
    for (let i = 1; i < edges.length; i++) expect(edges[i] - edges[i - 1]).toBeCloseTo(width, 9);
    expect(distributions('quantile').delay.binning).toBe('pooled-quantiles');
  });

  test('the input is read, defaults to quantile and refuses anything else', () => {
    const read = (inputs: Record<string, string>) => readInputs((name) => inputs[name] ?? '');
    const base = { reference: 'r.csv', current: 'c.csv' };
    expect(read(base).drift.histogramScale).toBe('quantile');
    expect(read({ ...base, 'histogram-scale': 'auto' }).drift.histogramScale).toBe('auto');
    expect(() => read({ ...base, 'histogram-scale': 'log2' })).toThrow(/Invalid value for input 'histogram-scale': 'log2'/);
  });
});
