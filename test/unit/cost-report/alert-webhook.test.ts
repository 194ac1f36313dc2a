// The over-budget alert and the webhook through main: an over-budget run with issue-on-over-budget opens one issue
// labelled cost-over-budget on the validating GitHub API server and posts the verdict to a loopback webhook; a run
// back under budget closes the issue.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '#shared/runtime/run-action.js';
import { costReport } from '../../../actions/cost-report/src/main.js';
import { fakeRuntime } from '../../support/fake-runtime.js';
import { startGitHubApiServer, type GitHubApiServer } from '../../support/github-api-server.js';

let github: GitHubApiServer;
let webhook: Server;
let webhookUrl: string;
const posts: { contentType: string | undefined; body: unknown }[] = [];

beforeAll(async () => {
  github = await startGitHubApiServer();
  webhook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST') return void res.writeHead(405).end();
      posts.push({ contentType: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await github.close();
  await new Promise((resolve) => webhook.close(resolve));
});

test('an over-budget run opens one labelled issue and posts the webhook; back under budget closes it', async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'cost-alert-'));
  for (const name of ['focus-sample.csv', 'attribution.yml', 'budgets.yml'])
    copyFileSync(join('examples/cost-report', name), join(workspace, name));
  writeFileSync(join(workspace, 'roomy.yml'), 'budgets:\n  - team: vision\n    monthly: 1000000\n  - team: nlp\n    monthly: 1000000\n');
  const repository = { owner: 'octo-org', repo: 'ml-repo' };
  const run = async (budgets: string, out: string) => {
    const runtime = fakeRuntime(
      {
        'focus-files': join(workspace, 'focus-sample.csv'),
        attribution: join(workspace, 'attribution.yml'),
        budgets: join(workspace, budgets),
        window: '2026-11-01..2026-11-18',
        'report-dir': join(workspace, out),
        'issue-on-over-budget': 'true',
        'webhook-url': webhookUrl,
        'github-token': 'ghs_test',
      },
      { workspace, repository, apiUrl: github.url },
    );
    expect(await runAction(costReport, runtime)).toBe(true);
    return runtime;
  };

  const over = await run('budgets.yml', 'over');
  expect(over.outputs['over-budget']).toBe('true');
  expect(github.state.issues).toHaveLength(1);
  const [issue] = github.state.issues;
  expect(issue).toMatchObject({ owner: 'octo-org', repo: 'ml-repo', state: 'open', labels: ['cost-over-budget'] });
  expect(issue.title).toMatch(/^Cost over budget: /);
  expect(posts).toHaveLength(1);
  expect(posts[0].contentType).toMatch(/^application\/json/);
  expect(JSON.stringify(posts[0].body)).toMatch(/budget/i);

  const again = await run('budgets.yml', 'again');
  expect(again.outputs['over-budget']).toBe('true');
  expect(github.state.issues).toHaveLength(1);
  expect(github.state.issues[0].state).toBe('open');

  const under = await run('roomy.yml', 'under');
  expect(under.outputs['over-budget']).toBe('false');
  expect(github.state.issues).toHaveLength(1);
  expect(github.state.issues[0].state).toBe('closed');
  expect(posts).toHaveLength(3);
  expect(github.violations).toEqual([]);
});
