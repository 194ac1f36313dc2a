// data-gate's main driven through a fake runtime: rules and data in; result file, outputs, annotations, summary and
// outcome out; suggest mode writes starter rules.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '#shared/runtime/run-action.js';
import { dataGate } from '../../../actions/data-gate/src/main.js';
import { fakeRuntime } from '../../support/fake-runtime.js';
import { startGitHubApiServer } from '../../support/github-api-server.js';

const workspace = () => mkdtempSync(join(tmpdir(), 'gate-main-'));

describe("data-gate's main", () => {
  it('fails on an error rule, annotates the failing line and writes the result', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'orders.csv'), 'id,amount\n1,5\n2,-3\n3,7\n');
    writeFileSync(
      join(dir, 'rules.yml'),
      'version: 1\nrules:\n  - expectation: expect_column_values_to_be_between\n    column: amount\n    min_value: 0\n',
    );
    const runtime = fakeRuntime(
      { data: join(dir, 'orders.csv'), rules: join(dir, 'rules.yml'), 'report-dir': join(dir, 'r') },
      { workspace: dir },
    );
    expect(await runAction(dataGate, runtime)).toBe(false);
    expect(runtime.outputs).toMatchObject({ passed: 'false', rows: '3', 'failed-rows': '1' });
    const result = JSON.parse(readFileSync(runtime.outputs['result-json'], 'utf8'));
    expect(result.success).toBe(false);
    expect(runtime.annotations).toEqual([
      expect.objectContaining({ level: 'error', location: expect.objectContaining({ file: 'orders.csv', line: 3 }) }),
    ]);
    expect(runtime.failures).toEqual([expect.stringMatching(/1 error rule broke/)]);
    expect(runtime.summary).toMatch(/^## Data gate/);
  });

  it('keeps the step green with fail-on: never, whatever the data', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'd.csv'), 'x\n-1\n');
    writeFileSync(
      join(dir, 'rules.yml'),
      'version: 1\nrules:\n  - expectation: expect_column_values_to_be_between\n    column: x\n    min_value: 0\n',
    );
    const runtime = fakeRuntime({
      data: join(dir, 'd.csv'),
      rules: join(dir, 'rules.yml'),
      'report-dir': join(dir, 'r'),
      'fail-on': 'never',
    });
    expect(await runAction(dataGate, runtime)).toBe(true);
    expect(runtime.outputs.passed).toBe('false');
  });

  it('refuses passed-path and failed-path naming one file before reading anything', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'd.csv'), 'x\n1\n');
    writeFileSync(join(dir, 'rules.yml'), 'version: 1\nrules:\n  - expectation: expect_column_to_exist\n    column: x\n');
    const runtime = fakeRuntime({
      data: join(dir, 'd.csv'),
      rules: join(dir, 'rules.yml'),
      'passed-path': join(dir, 'q.csv'),
      'failed-path': `${dir}/./q.csv`,
    });
    expect(await runAction(dataGate, runtime)).toBe(false);
    expect(runtime.failures[0]).toMatch(/name the same file/);
  });

  it('suggests rules that the same data then passes', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'd.csv'), 'id,score\n1,0.5\n2,0.7\n3,0.9\n');
    const out = join(dir, 'suggested.yml');
    const suggest = fakeRuntime({ data: join(dir, 'd.csv'), mode: 'suggest', 'suggest-out': out });
    expect(await runAction(dataGate, suggest)).toBe(true);
    expect(suggest.outputs['suggested-rules']).toBe(out);
    const validate = fakeRuntime({ data: join(dir, 'd.csv'), rules: out, 'report-dir': join(dir, 'r') });
    expect(await runAction(dataGate, validate)).toBe(true);
    expect(validate.outputs.passed).toBe('true');
  });

  it('changed-only with a token that may not read the pull request validates every file, with a warning', async () => {
    const github = await startGitHubApiServer();
    try {
      github.refuseOperation('pulls/list-files', { status: 403 });
      const dir = workspace();
      writeFileSync(join(dir, 'd.csv'), 'x\n1\n');
      writeFileSync(join(dir, 'rules.yml'), 'version: 1\nrules:\n  - expectation: expect_column_to_exist\n    column: x\n');
      const runtime = fakeRuntime(
        {
          data: join(dir, 'd.csv'),
          rules: join(dir, 'rules.yml'),
          'report-dir': join(dir, 'r'),
          'changed-only': 'true',
          'github-token': 'ghs_fork',
        },
        { repository: { owner: 'octo-org', repo: 'ml-repo' }, apiUrl: github.url, pullRequestNumber: 3, workspace: dir },
      );
      expect(await runAction(dataGate, runtime)).toBe(true);
      expect(runtime.outputs.rows).toBe('1');
      expect(runtime.logs).toContainEqual(
        expect.stringMatching(/^warning: Could not list the pull request's files: GitHub answered 403 .*Every data file is validated\.$/),
      );
    } finally {
      await github.close();
    }
  });
});
