// People read paths as the repository has them: the job summary, the written summary file and the annotations name
// files relative to the workspace (GITHUB_WORKSPACE; the CLI's current folder), while the JSON result keeps the paths
// as resolved. Driven through data-gate's main with the recording runtime.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '#shared/runtime/run-action.js';
import { dataGate } from '../../../../actions/data-gate/src/main.js';
import { workspacePath } from '../../../../actions/data-gate/src/report/gate-summary.js';
import { fakeRuntime } from '../../../support/fake-runtime.js';

describe('paths in what people read', () => {
  it('names the data, the rules and the failing lines relative to the workspace; the JSON keeps them whole', async () => {
    const workspace = realpathSync(mkdtempSync(join(tmpdir(), 'gate-paths-')));
    mkdirSync(join(workspace, 'data'));
    mkdirSync(join(workspace, 'checks'));
    writeFileSync(join(workspace, 'data', 'orders.csv'), 'id,amount\n1,5\n2,-3\n3,7\n');
    writeFileSync(
      join(workspace, 'checks', 'rules.yml'),
      'version: 1\nrules:\n  - expectation: expect_column_values_to_be_between\n    column: amount\n    min_value: 0\n',
    );
    const runtime = fakeRuntime(
      {
        data: join(workspace, 'data', 'orders.csv'),
        rules: join(workspace, 'checks', 'rules.yml'),
        'report-dir': join(workspace, 'reports'),
        'failed-path': join(workspace, 'reports', 'failed.csv'),
      },
      { workspace },
    );
    expect(await runAction(dataGate, runtime)).toBe(false);

    const summaryFile = readFileSync(join(workspace, 'reports', 'data-gate-summary.md'), 'utf8');
    for (const summary of [runtime.summary, summaryFile]) {
      expect(summary).toContain('Data: `data/orders.csv` · rules: `checks/rules.yml`');
      expect(summary).toContain('| data/orders.csv:3 |');
      expect(summary).toContain('(error, checks/rules.yml:3)');
      expect(summary).toContain('failed → `reports/failed.csv`');
      expect(summary).not.toContain(workspace);
    }
    expect(runtime.annotations).toEqual([
      expect.objectContaining({
        location: expect.objectContaining({ file: 'data/orders.csv', line: 3 }),
        message: expect.stringContaining('(error, checks/rules.yml:3)'),
      }),
    ]);
    expect(runtime.annotations[0].message).not.toContain(workspace);

    const result = JSON.parse(readFileSync(runtime.outputs['result-json'], 'utf8'));
    expect(result.meta.data_gate.data).toEqual([join(workspace, 'data', 'orders.csv')]);
    expect(result.results[0].meta.failing_rows[0].file).toBe(join(workspace, 'data', 'orders.csv'));
  });

  it('keeps a path outside the workspace (RUNNER_TEMP) as it is', () => {
    expect(workspacePath('/runner/temp/data.csv', '/home/runner/work/repo')).toBe('/runner/temp/data.csv');
    expect(workspacePath('/home/runner/work/repo/a/b.csv:12', '/home/runner/work/repo')).toBe('a/b.csv:12');
    expect(workspacePath('relative.csv', '/home/runner/work/repo')).toBe('relative.csv');
    expect(workspacePath('/home/runner/work/repo2/x.csv', '/home/runner/work/repo')).toBe('/home/runner/work/repo2/x.csv');
  });
});
