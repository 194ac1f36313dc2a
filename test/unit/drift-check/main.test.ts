// drift-check's main driven through a fake runtime, as the runner and the CLI drive it: inputs in, report files,
// outputs, summary and outcome out.
import { existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '#shared/runtime/run-action.js';
import { driftCheck } from '../../../actions/drift-check/src/main.js';
import { fakeRuntime } from '../../support/fake-runtime.js';

const example = (file: string) => join(process.cwd(), 'examples/drift-check/data', file);
const common = {
  reference: example('reference.csv'),
  current: example('current.csv'),
  'exclude-columns': 'application_date',
  target: 'defaulted',
  prediction: 'predicted_default',
  'text-columns': 'purpose',
  'drift-share': '0.2',
};

describe("drift-check's main", () => {
  it('writes both reports, sets every output and summarises the verdict first', async () => {
    const dir = join(realpathSync(mkdtempSync(join(tmpdir(), 'drift-main-'))), 'report');
    const runtime = fakeRuntime({ ...common, 'report-dir': dir });
    expect(await runAction(driftCheck, runtime)).toBe(true);
    expect(runtime.outputs['drift-detected']).toBe('true');
    expect(JSON.parse(runtime.outputs['drifted-columns'])).toEqual(expect.arrayContaining(['income', 'region']));
    expect(runtime.outputs['performance-drift']).toBe('true');
    expect(runtime.outputs['report-json']).toBe(join(dir, 'drift-report.json'));
    const report = JSON.parse(readFileSync(join(dir, 'drift-report.json'), 'utf8'));
    expect(report.dataset_drift).toBe(true);
    expect(existsSync(join(dir, 'drift-report.html'))).toBe(true);
    expect(runtime.summary).toMatch(
      /^## Drift check\n\n🔴 \*\*Data drift\*\* · 🔴 \*\*Performance drift\*\* \([^)]+\)\n\nDrift in \d+ of \d+ columns/,
    );
    expect(runtime.artifacts).toEqual([{ name: 'drift-report', files: [join(dir, 'drift-report.json'), join(dir, 'drift-report.html')] }]);
    expect(runtime.failures).toEqual([]);
  });

  it('fails the step with the verdict when fail-on is drift', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-main-'));
    const runtime = fakeRuntime({ ...common, 'report-dir': dir, 'fail-on': 'drift' });
    expect(await runAction(driftCheck, runtime)).toBe(false);
    expect(runtime.failures).toEqual([
      expect.stringMatching(/^Drift in .*dataset drift detected.* Failing because fail-on is 'drift' and there is dataset drift\.$/),
    ]);
  });

  it('writes a profile in profile mode, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-main-'));
    const runtime = fakeRuntime({ reference: example('reference.csv'), mode: 'profile', 'profile-out': join(dir, 'p.json') });
    expect(await runAction(driftCheck, runtime)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'p.json'), 'utf8'))).toHaveProperty('rows');
    expect(runtime.summary).toMatch(/^## Drift profile/);
  });

  it('hides the webhook URL and token from every log line as soon as the inputs are read', async () => {
    const runtime = fakeRuntime({ ...common, mode: 'bogus', 'github-token': 'ghs_x', 'webhook-url': 'https://hooks.example/T/B/secret' });
    expect(await runAction(driftCheck, runtime)).toBe(false);
    expect(runtime.failures[0]).toMatch(/^Invalid value for input 'mode': 'bogus'/);
  });
});

describe('methods per column type', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'drift-methods-'));
  const run = async (inputs: Record<string, string>) => {
    const runtime = fakeRuntime({ ...common, 'report-dir': dir(), ...inputs });
    const ok = await runAction(driftCheck, runtime);
    const report = ok ? JSON.parse(readFileSync(runtime.outputs['report-json'], 'utf8')) : undefined;
    return { ok, runtime, report };
  };

  it("refuses 'method: ks' when a categorical column is compared, saying what to set", async () => {
    const { ok, runtime } = await run({ method: 'ks' });
    expect(ok).toBe(false);
    expect(runtime.failures[0]).toMatch(
      /^Invalid value for input 'method': 'ks'. Expected a method that applies to every column compared: '\w+' is a categorical column .*Set categorical-method/,
    );
  });

  it('applies numerical-method and categorical-method to every column of their type', async () => {
    const { ok, report } = await run({ method: 'ks', 'categorical-method': 'tvd', 'text-method': 'wasserstein' });
    expect(ok).toBe(true);
    const byType = (type: string) => new Set(report.columns.filter((c: any) => c.type === type).map((c: any) => c.method));
    expect(byType('categorical')).toEqual(new Set(['tvd']));
    expect(byType('numerical')).toEqual(new Set(['ks']));
    expect(
      report.columns
        .find((c: any) => c.type === 'text')
        .descriptors.filter((d: any) => d.descriptor !== 'oov_share')
        .map((d: any) => d.method),
    ).toEqual(['wasserstein', 'wasserstein']);
  });

  it('refuses a categorical method in numerical-method', async () => {
    const { ok, runtime } = await run({ 'numerical-method': 'chisquare' });
    expect(ok).toBe(false);
    expect(runtime.failures[0]).toMatch(
      /^Invalid value for input 'numerical-method': 'chisquare'. Expected a method for numerical columns: one of ks,/,
    );
  });
});
