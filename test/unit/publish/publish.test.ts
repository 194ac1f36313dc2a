// The shared publishing layer, driven as an action's main drives it: a fork's read-only token makes a refused
// comment a warning (the step's outcome stays the data's verdict), a failing webhook warns unless notify-failure is
// 'fail', and a report over GitHub's summary limit is cut, not refused.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isUserError } from '#shared/errors.js';
import { publish, readPublishChannels, type PublishRequest } from '#shared/publish/index.js';
import { SUMMARY_MAX_BYTES } from '#shared/github/size-limits.js';
import { startGitHubApiServer, type GitHubApiServer } from '../../support/github-api-server.js';
import { fakeRuntime } from '../../support/fake-runtime.js';

let github: GitHubApiServer;
beforeEach(async () => {
  github = await startGitHubApiServer();
});
afterEach(async () => {
  expect(github.violations).toEqual([]);
  await github.close();
});

function request(inputs: Record<string, string>, extra: Partial<PublishRequest> = {}): PublishRequest {
  return {
    action: 'drift-check',
    title: 'Drift check',
    verdict: { passed: true, markdown: '🟢 **no drift**' },
    summary: ({ compact }) => (compact ? 'short' : 'long summary'),
    subject: ['data.csv'],
    channels: readPublishChannels((name) => inputs[name] ?? ''),
    ...extra,
  };
}

const onPullRequest = () => ({
  repository: { owner: 'octo-org', repo: 'ml-repo' },
  apiUrl: github.url,
  pullRequestNumber: 7,
  workflow: 'ci',
});

describe('GitHub writes on a fork pull request', () => {
  it('a 403 on the comment is a warning naming the permission and how to grant it', async () => {
    github.refuseOperation('issues/create-comment', { status: 403 });
    const runtime = fakeRuntime({}, onPullRequest());
    await publish(runtime, request({ 'github-token': 'ghs_readonly', 'comment-on-pr': 'update' }));
    const warning = runtime.logs.find((l) => l.startsWith('warning: Could not post the pull-request comment'));
    expect(warning).toContain("the token lacks 'pull-requests: write'");
    expect(warning).toContain('permissions: pull-requests: write');
    expect(runtime.summary).toBe('long summary');
  });

  it('a 403 on the check run is a warning too', async () => {
    github.refuseOperation('checks/create', { status: 403 });
    const runtime = fakeRuntime({}, { ...onPullRequest(), sha: 'a'.repeat(40) });
    await publish(runtime, request({ 'github-token': 'ghs_readonly', 'check-run': 'true' }));
    expect(runtime.logs.some((l) => l.startsWith('warning: Could not create the check run') && l.includes("'checks: write'"))).toBe(true);
  });

  it('a bad token (401) fails the step with a clear message, not an unexpected error', async () => {
    github.refuseOperation('issues/list-comments', { status: 401, message: 'Bad credentials' });
    github.refuseOperation('users/get-authenticated', { status: 401, message: 'Bad credentials' });
    const error = await publish(
      fakeRuntime({}, onPullRequest()),
      request({ 'github-token': 'ghs_revoked', 'comment-on-pr': 'update' }),
    ).catch((e) => e);
    expect(isUserError(error)).toBe(true);
    expect(error.message).toMatch(/401, the token in 'github-token' is not valid/);
  });

  it('posts the compact summary as one comment when allowed', async () => {
    const runtime = fakeRuntime({}, onPullRequest());
    const result = await publish(runtime, request({ 'github-token': 'ghs_rw', 'comment-on-pr': 'update' }));
    expect(github.state.comments).toHaveLength(1);
    expect(github.state.comments[0].body).toMatch(/^<!-- mlops-actions:drift-check:ci:[0-9a-f]{12} -->\nshort$/);
    expect(result.commentUrl).toMatch(/#issuecomment-/);
  });
});

describe('webhooks', () => {
  let hook: Server;
  let url: string;
  beforeEach(async () => {
    hook = createServer((req, res) => {
      req.resume();
      // An echoing gateway: the answer quotes the request's credentials.
      res.writeHead(400).end(`rejected ${req.headers.authorization ?? ''}`);
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    url = `http://user:s3cret-pass@127.0.0.1:${(hook.address() as AddressInfo).port}/hooks/T000/B000/XXXX`;
  });
  afterEach(() => new Promise<void>((r) => hook.close(() => r())));

  it('a failed webhook is a warning by default, and never shows the URL or credentials', async () => {
    const runtime = fakeRuntime({});
    await publish(runtime, request({ 'webhook-url': url }));
    const warning = runtime.logs.find((l) => l.startsWith('warning: Could not post to the webhook'));
    expect(warning).toContain('set notify-failure: fail');
    expect(runtime.logs.join('\n')).not.toMatch(/s3cret|XXXX|dXNlcjpzM2NyZXQtcGFzcw/);
  });

  it('fails the step with notify-failure: fail', async () => {
    const error = await publish(fakeRuntime({}), request({ 'webhook-url': url, 'notify-failure': 'fail' })).catch((e) => e);
    expect(isUserError(error)).toBe(true);
    expect(error.message).toMatch(/^Could not post to the webhook: .*\(notify-failure is 'fail'\)\.$/);
    expect(error.message).not.toMatch(/s3cret|XXXX/);
  });
});

describe('the job summary', () => {
  it('cuts a summary over GitHub 1 MiB limit in the middle and links the report', async () => {
    const runtime = fakeRuntime({}, { runUrl: 'https://github.com/o/r/actions/runs/1' });
    await publish(runtime, request({}, { summary: () => `head\n${'x'.repeat(SUMMARY_MAX_BYTES * 2)}\ntail` }));
    expect(Buffer.byteLength(runtime.summary)).toBeLessThan(SUMMARY_MAX_BYTES);
    expect(runtime.summary.startsWith('head')).toBe(true);
    expect(runtime.summary.endsWith('tail')).toBe(true);
  });
});
