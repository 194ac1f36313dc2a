// data-gate as users run it: the built dist/index.js in a child process, exactly as the runner starts it, against
// the validating GitHub API server (PR comments, check runs, the PR's file list for changed-only).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';
import { REPO_ROOT, runBuiltAction } from '../support/run-built-action.js';
import { expectCleanFailure } from '../support/action-assertions.js';

const EXAMPLE = join(REPO_ROOT, 'examples', 'data-gate');
const work = mkdtempSync(join(tmpdir(), 'data-gate-e2e-'));
mkdirSync(join(work, 'data'));
copyFileSync(join(EXAMPLE, 'data', 'orders.csv'), join(work, 'data', 'orders.csv'));
copyFileSync(join(EXAMPLE, 'rules.yml'), join(work, 'rules.yml'));
copyFileSync(join(EXAMPLE, 'suite.gx.json'), join(work, 'suite.gx.json'));

const pullRequestEvent = {
  name: 'pull_request' as const,
  payload: {
    action: 'synchronize',
    number: 42,
    pull_request: { number: 42, head: { sha: '0d1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a' }, base: { ref: 'main' } },
    repository: { full_name: 'octo-org/ml-repo', name: 'ml-repo', owner: { login: 'octo-org' } },
  },
};

function dataGate(inputs: Record<string, string>, extra: Partial<Parameters<typeof runBuiltAction>[0]> = {}) {
  return runBuiltAction({ action: 'data-gate', inputs, cwd: work, ...extra });
}

const csvRows = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n');

describe('data-gate blocks bad data and keeps every row', () => {
  test('fails the step on error-level rules, annotates failing lines and quarantines rows', async () => {
    const result = await dataGate({
      data: 'data/orders.csv',
      rules: 'rules.yml',
      'passed-path': 'out/passed.csv',
      'failed-path': 'out/failed.csv',
      'max-annotations': '4',
      'report-dir': 'report',
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.passed).toBe('false');
    expect(result.outputs.rows).toBe('2000');
    const failedRules = JSON.parse(result.outputs['failed-rules']);
    expect(failedRules).toEqual(
      expect.arrayContaining([
        'order ids are unique',
        'amount in range',
        'known status',
        'shipped after created',
        'column_values_to_be_between(quantity)',
      ]),
    );
    // Summary: verdict first, then the rule table, then failing rows with file:line.
    expect(result.summary).toMatch(/❌ \*\*data-gate failed\*\*: \d+ error rules broke \(8 of 2,000 rows failed\)/);
    expect(result.summary).toContain('| known status | error | ❌ fail | 1 |');
    expect(result.summary).toMatch(/\| data\/orders\.csv:642 \| lost \|/);
    expect(result.summary).toMatch(/\| [^|]*orders\.csv:335 \| three \(not a valid value\) \|/);
    // Annotations at the failing lines, at most max-annotations, the rest counted.
    const lineAnnotations = result.annotations.filter((a) => a.properties.file === 'data/orders.csv');
    expect(lineAnnotations).toHaveLength(4);
    expect(lineAnnotations.every((a) => Number(a.properties.line) > 1)).toBe(true);
    expect(result.summary).toMatch(/4 failing lines annotated in the files; \d+ more not annotated/);
    // The GX-shaped result.
    const gx = JSON.parse(readFileSync(result.outputs['result-json'], 'utf8'));
    expect(gx.statistics.evaluated_expectations).toBe(17);
    const unique = gx.results.find((r: { meta: { rule: string } }) => r.meta.rule === 'order ids are unique');
    expect(unique.expectation_config).toEqual({ type: 'expect_column_values_to_be_unique', kwargs: { column: 'order_id' }, meta: {} });
    expect(unique.result.partial_unexpected_index_list).toEqual([1499, 1500]); // GX 1.x default result_format: SUMMARY
    // Quarantine: passed + failed = input, nothing altered, the failed side names the broken rules.
    const input = csvRows(join(work, 'data/orders.csv'));
    const passed = csvRows(join(work, 'out/passed.csv'));
    const failed = csvRows(join(work, 'out/failed.csv'));
    expect(passed[0]).toBe(input[0]);
    expect(failed[0]).toBe(`${input[0]},data_gate_failed_rules`);
    expect(passed.length - 1 + failed.length - 1).toBe(2000);
    expect(Number(result.outputs['failed-rows'])).toBe(failed.length - 1);
    const failedBodies = failed.slice(1).map((line) => line.replace(/,[^,]*$/, ''));
    expect([...passed.slice(1), ...failedBodies].sort()).toEqual(input.slice(1).sort());
    expect(failed.find((l) => l.includes(',lost,'))).toMatch(/,known status$/);
    expect(failed.find((l) => l.startsWith('ord-101499,'))).toMatch(/order ids are unique/);
  });

  test('duplicates: keep-first quarantines only the later copy of a repeated order id; passed + failed = input', async () => {
    const result = await dataGate({
      data: 'data/orders.csv',
      rules: 'rules.yml',
      duplicates: 'keep-first',
      'passed-path': 'out/keep-first.passed.csv',
      'failed-path': 'out/keep-first.failed.csv',
      'report-dir': 'report-keep-first',
    });
    expect(result.exitCode).toBe(1);
    const input = csvRows(join(work, 'data/orders.csv'));
    const passed = csvRows(join(work, 'out/keep-first.passed.csv'));
    const failed = csvRows(join(work, 'out/keep-first.failed.csv'));
    expect(passed.length - 1 + failed.length - 1).toBe(2000);
    const failedBodies = failed.slice(1).map((line) => line.replace(/,[^,]*$/, ''));
    expect([...passed.slice(1), ...failedBodies].sort()).toEqual(input.slice(1).sort());
    // The id repeats at rows 1499 and 1500 (0-based): the first stays with the passed rows, the second is quarantined.
    const copies = input.slice(1).filter((line) => line.startsWith('ord-101499,'));
    expect(copies).toHaveLength(2);
    expect(passed.filter((line) => line.startsWith('ord-101499,'))).toEqual([copies[0]]);
    expect(failed.filter((line) => line.startsWith('ord-101499,'))).toEqual([`${copies[1]},order ids are unique`]);
    // The validation result still counts both copies as unexpected, as GX does.
    const gx = JSON.parse(readFileSync(result.outputs['result-json'], 'utf8'));
    const unique = gx.results.find((r: { meta: { rule: string } }) => r.meta.rule === 'order ids are unique');
    expect(unique.result.unexpected_count).toBe(2);
  });

  test('the same rules as a GX suite give the same verdict', async () => {
    const yaml = await dataGate({ data: 'data/orders.csv', rules: 'rules.yml', 'fail-on': 'never', 'report-dir': 'r-yaml' });
    const suite = await dataGate({ data: 'data/orders.csv', suite: 'suite.gx.json', 'fail-on': 'never', 'report-dir': 'r-suite' });
    expect(yaml.exitCode).toBe(0);
    expect(suite.exitCode).toBe(0);
    const a = JSON.parse(readFileSync(yaml.outputs['result-json'], 'utf8'));
    const b = JSON.parse(readFileSync(suite.outputs['result-json'], 'utf8'));
    expect(b.results.map((r: { success: boolean }) => r.success)).toEqual(a.results.map((r: { success: boolean }) => r.success));
    expect(b.results.map((r: { result: { unexpected_count?: number } }) => r.result.unexpected_count)).toEqual(
      a.results.map((r: { result: { unexpected_count?: number } }) => r.result.unexpected_count),
    );
  });

  test('suggest writes rules the same data then passes', async () => {
    const clean = join(work, 'data', 'clean.csv');
    const rows = csvRows(join(work, 'data/orders.csv'));
    writeFileSync(clean, `${rows.slice(0, 300).join('\n')}\n`);
    const suggested = await dataGate({ data: 'data/clean.csv', mode: 'suggest', 'suggest-out': 'suggested.yml' });
    expect(suggested.exitCode).toBe(0);
    const rules = loadYaml(readFileSync(join(work, 'suggested.yml'), 'utf8')) as { rules: { expectation: string }[] };
    expect(rules.rules.map((r) => r.expectation)).toEqual(
      expect.arrayContaining(['expect_column_values_to_not_be_null', 'expect_column_values_to_be_unique']),
    );
    const validated = await dataGate({ data: 'data/clean.csv', rules: 'suggested.yml', 'fail-on': 'warning', 'report-dir': 'r-suggest' });
    expect(validated.exitCode).toBe(0);
    expect(validated.outputs.passed).toBe('true');
  });
});

describe('data-gate on a pull request', () => {
  let api: GitHubApiServer;
  beforeAll(async () => {
    api = await startGitHubApiServer();
  });
  afterAll(() => api.close());

  test('changed-only validates the changed data file, skips the other, and publishes a check run and one PR comment', async () => {
    mkdirSync(join(work, 'pr'));
    copyFileSync(join(work, 'data/orders.csv'), join(work, 'pr/orders.csv'));
    copyFileSync(join(work, 'data/orders.csv'), join(work, 'pr/orders-archive.csv'));
    api.setPullRequestFiles({ owner: 'octo-org', repo: 'ml-repo' }, 42, [
      { filename: 'pr/orders.csv', status: 'modified' },
      { filename: 'README.md', status: 'modified' },
    ]);
    const inputs = {
      data: 'pr/*.csv',
      rules: 'rules.yml',
      'changed-only': 'true',
      'check-run': 'true',
      'comment-on-pr': 'update',
      'report-dir': 'r-pr',
    };
    const first = await dataGate(inputs, { event: pullRequestEvent, apiUrl: api.url });
    expect(first.exitCode).toBe(1);
    expect(first.summary).toMatch(/changed-only: 1 unchanged data file skipped/);
    expect(first.summary).toContain('pr/orders-archive.csv');
    expect(first.outputs.rows).toBe('2000');
    const second = await dataGate(inputs, { event: pullRequestEvent, apiUrl: api.url });
    expect(second.exitCode).toBe(1);
    expect(api.violations).toEqual([]);
    const comments = api.state.comments.filter((c) => c.issueNumber === 42);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain('data-gate failed');
    expect(api.state.checkRuns).toHaveLength(2);
    const run = api.state.checkRuns[1];
    expect(run).toMatchObject({ name: 'data-gate', conclusion: 'failure', headSha: pullRequestEvent.payload.pull_request.head.sha });
    expect(run.output.annotations.length).toBeGreaterThan(0);
    expect(run.output.annotations[0]).toMatchObject({ path: 'pr/orders.csv', annotation_level: 'failure' });
  });
});

describe('bad input is a clear message and a failed step', () => {
  test.each([
    ['a missing data file', { data: 'data/nope.csv', rules: 'rules.yml' }, /data file 'data\/nope\.csv' does not exist/],
    ['a missing rules file', { data: 'data/orders.csv', rules: 'missing.yml' }, /rules file 'missing\.yml' \(input 'rules'\)/],
    [
      'a wrong fail-on',
      { data: 'data/orders.csv', rules: 'rules.yml', 'fail-on': 'sometimes' },
      /Invalid value for input 'fail-on': 'sometimes'/,
    ],
    ['neither rules nor suite', { data: 'data/orders.csv' }, /input 'rules'/],
  ])('%s', async (_name, inputs, message) => {
    expectCleanFailure(await dataGate(inputs as Record<string, string>), message);
  });

  test('a rules file that does not parse names its line', async () => {
    writeFileSync(
      join(work, 'broken.yml'),
      'version: 1\nrules:\n  - expectation: expect_column_values_to_be_between\n    column: amount\n    min_value: [oops\n',
    );
    expectCleanFailure(await dataGate({ data: 'data/orders.csv', rules: 'broken.yml' }), /broken\.yml:\d+/);
  });

  test('an unknown expectation names the rule and suggests the right name', async () => {
    writeFileSync(
      join(work, 'typo.yml'),
      'version: 1\nrules:\n  - expectation: expect_column_values_to_be_betwen\n    column: amount\n    min_value: 0\n',
    );
    expectCleanFailure(await dataGate({ data: 'data/orders.csv', rules: 'typo.yml' }), /typo\.yml:3.*expect_column_values_to_be_between/);
  });

  test('a rule on a missing column names the column and the columns there are', async () => {
    writeFileSync(join(work, 'nocol.yml'), 'version: 1\nrules:\n  - expectation: expect_column_values_to_not_be_null\n    column: price\n');
    expectCleanFailure(
      await dataGate({ data: 'data/orders.csv', rules: 'nocol.yml' }),
      /column 'price' is not in the data.*Columns there: order_id/,
    );
  });

  test('a suite from an unsupported GX version', async () => {
    writeFileSync(join(work, 'gx2.json'), JSON.stringify({ name: 's', expectations: [], meta: { great_expectations_version: '2.0.1' } }));
    expectCleanFailure(await dataGate({ data: 'data/orders.csv', suite: 'gx2.json' }), /gx2\.json.*2\.0\.1/);
  });

  test('a malformed CSV row names file and line', async () => {
    writeFileSync(join(work, 'data', 'bad.csv'), 'order_id,amount\nord-1,5\nord-2,"6\n');
    writeFileSync(
      join(work, 'amount.yml'),
      'version: 1\nrules:\n  - expectation: expect_column_values_to_be_between\n    column: amount\n    min_value: 0\n',
    );
    expectCleanFailure(await dataGate({ data: 'data/bad.csv', rules: 'amount.yml' }), /data\/bad\.csv:3/);
  });
});

describe('JSON Lines data', () => {
  test('annotates the failing line and quarantines lines byte for byte', async () => {
    const lines = ['{"id": 1, "score": 0.5}', '{"id": 2, "score": 1.5}', '', '{"id": 3, "score": 0.25}', '{"id": 4, "score": -2}'];
    writeFileSync(join(work, 'data', 'scores.jsonl'), `${lines.join('\n')}\n`);
    writeFileSync(
      join(work, 'scores.yml'),
      'version: 1\nrules:\n  - expectation: expect_column_values_to_be_between\n    column: score\n    min_value: 0\n    max_value: 1\n    name: score is a probability\n',
    );
    const result = await dataGate({
      data: 'data/scores.jsonl',
      rules: 'scores.yml',
      'passed-path': 'out/scores.passed.jsonl',
      'failed-path': 'out/scores.failed.jsonl',
      'report-dir': 'r-jsonl',
    });
    expect(result.exitCode).toBe(1);
    const annotated = result.annotations.filter((a) => a.properties.file === 'data/scores.jsonl').map((a) => Number(a.properties.line));
    expect(annotated.sort()).toEqual([2, 5]);
    expect(readFileSync(join(work, 'out/scores.passed.jsonl'), 'utf8')).toBe(`${lines[0]}\n${lines[3]}\n`);
    expect(readFileSync(join(work, 'out/scores.failed.jsonl'), 'utf8')).toBe(
      '{"id": 2, "score": 1.5,"data_gate_failed_rules":["score is a probability"]}\n{"id": 4, "score": -2,"data_gate_failed_rules":["score is a probability"]}\n',
    );
  });
});

describe('large data', () => {
  test('rules split over two worker threads of the built bundle give exact counts', async () => {
    // Over 32 MB, so the pass runs its two rule groups in worker threads (dist/worker/index.js).
    const rows = 460_000;
    const lines = ['id,amount,email,grade'];
    for (let i = 0; i < rows; i++) {
      const amount = i % 100_000 === 7 ? -1 : (i * 37) % 5000;
      const email = i % 50_000 === 3 ? `user${i}.example.com` : `user${i}@example.com`;
      lines.push(`id-${i % 200_000 === 11 && i > 0 ? i - 1 : i},${amount},${email},${'ABCDE'[i % 5]}${'x'.repeat(40)}`);
    }
    writeFileSync(join(work, 'data', 'large.csv'), `${lines.join('\n')}\n`);
    writeFileSync(
      join(work, 'large.yml'),
      [
        'version: 1',
        'rules:',
        '  - {expectation: expect_column_values_to_be_unique, column: id, name: unique id}',
        '  - {expectation: expect_column_values_to_be_between, column: amount, min_value: 0, name: amount}',
        '  - {expectation: expect_column_values_to_match_regex, column: email, regex: "@", name: email}',
        '  - {expectation: expect_column_value_lengths_to_equal, column: grade, value: 41}',
        '  - {expectation: expect_table_row_count_to_equal, value: 460000}',
      ].join('\n'),
    );
    const result = await dataGate({
      data: 'data/large.csv',
      rules: 'large.yml',
      'fail-on': 'never',
      'failed-path': 'out/large.failed.csv',
      'report-dir': 'r-large',
    });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const gx = JSON.parse(readFileSync(result.outputs['result-json'], 'utf8'));
    const count = (name: string) => gx.results.find((r: { meta: { rule: string } }) => r.meta.rule === name).result.unexpected_count;
    expect(count('unique id')).toBe(6); // rows 11, 200011 and 400011 repeat the id of the row before them
    expect(count('amount')).toBe(5); // rows 7, 100007, 200007, 300007, 400007
    expect(count('email')).toBe(10);
    expect(gx.meta.data_gate.threads).toBe(2);
    expect(gx.results.map((r: { success: boolean }) => r.success)).toEqual([false, false, false, true, true]);
    expect(Number(result.outputs['failed-rows'])).toBe(21);
    expect(csvRows(join(work, 'out/large.failed.csv'))).toHaveLength(22);
  });
});
