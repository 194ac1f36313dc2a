// Labels that arrive late, through drift-check's main as the runner drives it: the current credit decisions have
// scores and predictions but no `defaulted` column (or one left empty), so performance is estimated (CBPE) from the
// scores calibrated on the reference, and the headline, the HTML page and fail-on speak of estimated performance
// drift. Data and held-back truth: test/fixtures/drift-check/cbpe/generate.py.
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '#shared/runtime/run-action.js';
import { driftCheck } from '../../../actions/drift-check/src/main.js';
import { fakeRuntime } from '../../support/fake-runtime.js';

const fixtures = join(process.cwd(), 'test/fixtures/drift-check/cbpe');
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8'));
const inputs = {
  reference: join(fixtures, 'reference.csv'),
  current: join(fixtures, 'current.csv'),
  target: 'defaulted',
  prediction: 'approved',
  'prediction-score': 'score',
};

async function run(extra: Record<string, string> = {}) {
  const dir = join(realpathSync(mkdtempSync(join(tmpdir(), 'drift-cbpe-'))), 'report');
  const runtime = fakeRuntime({ ...inputs, 'report-dir': dir, ...extra });
  const ok = await runAction(driftCheck, runtime);
  const report = JSON.parse(readFileSync(join(dir, 'drift-report.json'), 'utf8'));
  return { ok, runtime, report, html: readFileSync(join(dir, 'drift-report.html'), 'utf8') };
}

describe('estimated performance when the current data has no labels', () => {
  it('reports CBPE estimates with 95% bands that hold the held-back truth, and names estimated drift in the headline', async () => {
    const { ok, runtime, report, html } = await run();
    expect(ok).toBe(true);
    const p = report.performance;
    expect(p.metrics).toEqual([]);
    expect(p.estimated.method).toBe('cbpe');
    expect(p.estimated.metrics.map((m: { metric: string }) => m.metric)).toEqual(['accuracy', 'precision', 'recall', 'f1', 'roc_auc']);
    for (const m of p.estimated.metrics) {
      expect(Object.keys(m)).toEqual(expect.arrayContaining(['metric', 'reference', 'value', 'lower', 'upper', 'degraded']));
      expect(Math.abs(m.value - expected.variants.score.estimate[m.metric])).toBeLessThan(1e-9);
      expect(m.reference).toBeCloseTo(expected.variants.score.reference[m.metric], 12);
      const truth = expected.truth[m.metric];
      expect([m.metric, m.lower <= truth && truth <= m.upper]).toEqual([m.metric, true]);
    }
    expect(p.performance_drift).toBe(true);
    expect(runtime.outputs['performance-drift']).toBe('true');
    expect(runtime.summary).toMatch(/🔴 \*\*Performance drift \(estimated\)\*\* \(accuracy[^)]*\)/);
    expect(runtime.summary).toMatch(/\| accuracy \| [\d.]+ \| [\d.]+ \| [\d.]+ – [\d.]+ \|/);
    expect(html).toMatch(/<table class="[^"]*estimated-performance/);
    expect(html).toMatch(/Performance drift \(estimated\)/);
  });

  it("fails with fail-on 'performance', saying the drift is estimated", async () => {
    const { ok, runtime } = await run({ 'fail-on': 'performance' });
    expect(ok).toBe(false);
    expect(runtime.failures).toEqual([
      expect.stringMatching(
        /Failing because fail-on is 'performance' and there is estimated performance drift \(the current data has no labels\)\.$/,
      ),
    ]);
  });

  it('estimates the same when the target column is there but entirely empty', async () => {
    const [header, ...lines] = readFileSync(join(fixtures, 'current.csv'), 'utf8').trim().split('\n');
    const path = join(mkdtempSync(join(tmpdir(), 'drift-cbpe-empty-')), 'current.csv');
    writeFileSync(path, [`${header},defaulted`, ...lines.map((l) => `${l},`)].join('\n') + '\n');
    const { report } = await run({ current: path });
    const values = report.performance.estimated.metrics.map((m: { metric: string; value: number }) => [m.metric, m.value]);
    for (const [metric, value] of values) expect(Math.abs(value - expected.variants.score.estimate[metric])).toBeLessThan(1e-9);
  });

  it('without prediction-score, a current dataset without the target is refused with what to do', async () => {
    const { 'prediction-score': _, ...noScore } = inputs;
    const dir = mkdtempSync(join(tmpdir(), 'drift-cbpe-'));
    const runtime = fakeRuntime({ ...noScore, 'report-dir': dir });
    expect(await runAction(driftCheck, runtime)).toBe(false);
    expect(runtime.failures[0]).toMatch(
      /input 'target': 'defaulted'.*a column of the current data.*or give prediction-score to estimate performance/,
    );
  });

  it('estimates the same from a saved profile of the unlabelled current data (mode: profile, then compare)', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'drift-cbpe-profile-')));
    const profiling = fakeRuntime({
      ...inputs,
      reference: inputs.current,
      mode: 'profile',
      'profile-out': join(dir, 'current.profile.json'),
    });
    expect(await runAction(driftCheck, profiling)).toBe(true);
    expect(profiling.failures).toEqual([]);
    const { report } = await run({ current: join(dir, 'current.profile.json') });
    for (const m of report.performance.estimated.metrics)
      expect(Math.abs(m.value - expected.variants.score.estimate[m.metric])).toBeLessThan(1e-9);
  });
});
