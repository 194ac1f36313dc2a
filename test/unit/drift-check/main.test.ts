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
    expect(runtime.summary).toMatch(/^## Drift check\n\n🔴 \*\*Data drift\*\* · 🔴 \*\*Performance drift\*\* \([^)]+\)\n\nDrift in \d+ of \d+ columns/);
    expect(runtime.artifacts).toEqual([{ name: 'drift-report', files: [join(dir, 'drift-report.json'), join(dir, 'drift-report.html')] }]);
    expect(runtime.failures).toEqual([]);
  });

  it('fails the step with the verdict when fail-on is drift', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-main-'));
    const runtime = fakeRuntime({ ...common, 'report-dir': dir, 'fail-on': 'drift' });
    expect(await runAction(driftCheck, runtime)).toBe(false);
    expect(runtime.failures).toEqual([expect.stringMatching(/^Drift in .*dataset drift detected.* Failing because fail-on is 'drift' and there is dataset drift\.$/)]);
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
