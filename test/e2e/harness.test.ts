// Proves the runner harness: a small action script, written with the same @actions/core and @actions/github a
// built action bundles, is run through runScriptAsAction/runBuiltAction and talks to the test GitHub API server.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';
import { REPO_ROOT, inputVariableName, parseOutputFile, runBuiltAction, runScriptAsAction } from '../support/run-built-action.js';

const moduleUrl = (path: string) => pathToFileURL(join(REPO_ROOT, 'node_modules', path)).href;

// What a bundled action does, in a dozen lines: inputs, context, an API call, outputs, summary, annotations.
const ACTION_SCRIPT = `
import * as core from '${moduleUrl('@actions/core/lib/core.js')}';
import * as github from '${moduleUrl('@actions/github/lib/github.js')}';
import { readFileSync } from 'node:fs';

const share = core.getInput('drift-share', { required: true });
const model = core.getInput('model name');
const pr = github.context.payload.pull_request;
const octokit = github.getOctokit(core.getInput('github-token'));
const { data } = await octokit.rest.issues.createComment({
  ...github.context.repo, issue_number: pr.number, body: 'Drift share ' + share + ' for ' + model,
});
core.setOutput('comment-url', data.html_url);
core.setOutput('report', 'line one\\nline two');
core.setOutput('event', github.context.eventName + ' ' + github.context.sha + ' ' + github.context.ref);
core.setOutput('cwd', process.cwd());
core.setOutput('node', process.version);
core.setOutput('data', readFileSync('data.csv', 'utf8').trim());
await core.summary.addHeading('Drift report').addRaw('2 of 12 columns drifted').write();
core.warning('Column age drifted', { file: 'data.csv', startLine: 3, title: 'Drift: age' });
core.error('two\\nlines, 100%');
if (core.getInput('fail') === 'true') core.setFailed('Drift above the threshold');
`;

// The step runs on E2E_NODE when set (npm run test:e2e:node24 sets Node 24, the runtime of node24 actions).
const nodeVersion = process.env.E2E_NODE ? execFileSync(process.env.E2E_NODE, ['--version'], { encoding: 'utf8' }).trim() : process.version;

let server: GitHubApiServer;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'harness-test-'));
  writeFileSync(join(dir, 'action.mjs'), ACTION_SCRIPT);
  mkdirSync(join(dir, 'workspace'));
  writeFileSync(join(dir, 'workspace', 'data.csv'), 'age\n31\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  server = await startGitHubApiServer();
});
afterEach(async () => {
  await server.close();
});

const pullRequestEvent = {
  name: 'pull_request' as const,
  payload: {
    action: 'synchronize',
    number: 7,
    pull_request: { number: 7, head: { ref: 'feature/new-data', sha: 'abc' }, base: { ref: 'main' } },
  },
};

describe('running a script as an action step', () => {
  it('gives it inputs, the event, the API and reads back outputs, summary and annotations', async () => {
    const result = await runScriptAsAction(join(dir, 'action.mjs'), {
      inputs: { 'drift-share': '0.5', 'model name': 'churn', 'github-token': 'ghs_harness' },
      event: pullRequestEvent,
      apiUrl: server.url,
      cwd: join(dir, 'workspace'),
    });

    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    // The API call reached the server through GITHUB_API_URL, with the token, on the PR from the event file.
    expect(server.violations).toEqual([]);
    expect(server.requests).toEqual([
      expect.objectContaining({ method: 'POST', path: '/repos/octo-org/ml-repo/issues/7/comments', status: 201 }),
    ]);
    expect(server.requests[0].headers.authorization).toBe('token ghs_harness');
    expect(server.state.comments[0].body).toBe('Drift share 0.5 for churn');

    expect(result.outputs).toEqual({
      'comment-url': expect.stringMatching(/^https:\/\/github\.com\/octo-org\/ml-repo\/issues\/7#issuecomment-\d+$/),
      report: 'line one\nline two',
      event: 'pull_request 5f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c refs/pull/7/merge',
      cwd: join(dir, 'workspace'),
      node: nodeVersion,
      data: 'age\n31',
    });
    expect(result.summary).toBe('<h1>Drift report</h1>\n2 of 12 columns drifted');
    expect(result.annotations).toEqual([
      { level: 'warning', message: 'Column age drifted', properties: { title: 'Drift: age', file: 'data.csv', line: '3' } },
      { level: 'error', message: 'two\nlines, 100%', properties: {} },
    ]);
    expect(result.env).toMatchObject({
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_REPOSITORY: 'octo-org/ml-repo',
      GITHUB_HEAD_REF: 'feature/new-data',
      GITHUB_WORKSPACE: join(dir, 'workspace'),
      'INPUT_DRIFT-SHARE': '0.5',
      INPUT_MODEL_NAME: 'churn',
    });
  });

  it('reports a failed step with exit code 1', async () => {
    const result = await runScriptAsAction(join(dir, 'action.mjs'), {
      inputs: { 'drift-share': '0.5', 'model name': 'churn', 'github-token': 'ghs_harness', fail: 'true' },
      event: pullRequestEvent,
      apiUrl: server.url,
      cwd: join(dir, 'workspace'),
    });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.at(-1)).toEqual({ level: 'error', message: 'Drift above the threshold', properties: {} });
  });

  it('does not leak the test process environment into the step', async () => {
    const probe = join(dir, 'probe.mjs');
    writeFileSync(probe, `console.log(JSON.stringify({ out: process.env.GITHUB_OUTPUT, leak: process.env.INPUT_LEAK ?? null }));`);
    process.env.INPUT_LEAK = 'from the test process';
    try {
      const result = await runScriptAsAction(probe, {});
      const seen = JSON.parse(result.stdout) as { out: string; leak: string | null };
      expect(seen.leak).toBeNull();
      expect(seen.out).toBe(result.env.GITHUB_OUTPUT);
    } finally {
      delete process.env.INPUT_LEAK;
    }
  });
});

describe('running a built action from its folder', () => {
  let actionDir: string;
  beforeAll(() => {
    actionDir = join(dir, 'demo-action');
    mkdirSync(join(actionDir, 'dist'), { recursive: true });
    writeFileSync(
      join(actionDir, 'action.yml'),
      [
        'name: demo',
        'inputs:',
        '  drift-share:',
        "    default: '0.3'",
        '  model name:',
        '    required: false',
        '  github-token:',
        "    default: '${{ github.token }}'",
        'runs:',
        "  using: 'node24'",
        "  main: 'dist/index.js'",
      ].join('\n'),
    );
    writeFileSync(join(actionDir, 'dist', 'index.js'), `import '${pathToFileURL(join(dir, 'action.mjs')).href}';`);
    writeFileSync(join(actionDir, 'package.json'), '{"type":"module"}');
  });

  it('applies action.yml defaults, including ${{ github.token }}, as the runner does', async () => {
    const result = await runBuiltAction({
      action: 'demo',
      actionDir,
      inputs: { 'model name': 'fraud' },
      event: pullRequestEvent,
      apiUrl: server.url,
      cwd: join(dir, 'workspace'),
      token: 'ghs_from_default',
    });
    expect(result.exitCode).toBe(0);
    expect(result.env['INPUT_DRIFT-SHARE']).toBe('0.3');
    expect(server.requests[0].headers.authorization).toBe('token ghs_from_default');
    expect(server.state.comments[0].body).toBe('Drift share 0.3 for fraud');
  });

  it('refuses an input the action does not declare (a typo in a test)', async () => {
    await expect(runBuiltAction({ action: 'demo', actionDir, inputs: { drift_share: '0.3' } })).rejects.toThrow(
      /Unexpected input\(s\) 'drift_share'; valid inputs are \[drift-share, model name, github-token\]/,
    );
  });
});

describe('the runner conventions the harness follows', () => {
  it('names input variables like the runner: upper case, spaces to _, hyphens kept', () => {
    expect(inputVariableName('drift-share')).toBe('INPUT_DRIFT-SHARE');
    expect(inputVariableName('model name')).toBe('INPUT_MODEL_NAME');
  });

  it('reads both the heredoc and the old name=value forms of GITHUB_OUTPUT', () => {
    const text = 'a<<ghadelimiter_1\nx\ny\nghadelimiter_1\nb=2\na<<EOF\nlast\nEOF\n';
    expect(parseOutputFile(text)).toEqual({ a: 'last', b: '2' });
  });
});
