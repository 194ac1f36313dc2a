import { createGitHubClient, type GitHubClient } from '../../../shared/src/github/client.js';
import { upsertComment } from '../../../shared/src/github/pr-comment.js';
import { COMMENT_MAX_CHARS } from '../../../shared/src/github/size-limits.js';
import { RecordingLogger } from '../../../shared/src/logger.js';
import { startGitHubApiServer, type GitHubApiServer } from '../../support/github-api-server.js';

const repository = { owner: 'octo-org', repo: 'ml-repo' };
let server: GitHubApiServer;
let client: GitHubClient;
let logger: RecordingLogger;

beforeEach(async () => {
  server = await startGitHubApiServer();
  logger = new RecordingLogger();
  client = createGitHubClient({ token: 'ghs_test', baseUrl: server.url, logger, retryDelayUnitMs: 10, pacing: 'none' });
});
afterEach(async () => {
  // Every request the adapters made must have been one GitHub accepts.
  expect(server.violations).toEqual([]);
  await server.close();
});

const commentsOn = (issueNumber: number) => server.state.comments.filter((c) => c.issueNumber === issueNumber);

describe('posting the drift report on a pull request', () => {
  it('edits its own comment on the next push instead of adding a second one', async () => {
    const first = await upsertComment({
      client, repository, issueNumber: 7, marker: 'drift-check', body: 'Drift: 2 of 10 columns', mode: 'update', logger,
    });
    const second = await upsertComment({
      client, repository, issueNumber: 7, marker: 'drift-check', body: 'Drift: 0 of 10 columns', mode: 'update', logger,
    });

    expect(first).toMatchObject({ action: 'created', id: expect.any(Number) });
    expect(first.url).toMatch(/^https:\/\/github\.com\/octo-org\/ml-repo\/issues\/7#issuecomment-\d+$/);
    expect(second).toEqual({ action: 'updated', id: first.id, url: first.url });
    expect(commentsOn(7)).toHaveLength(1);
    expect(commentsOn(7)[0].body).toBe('<!-- mlops-actions:drift-check -->\nDrift: 0 of 10 columns');
    expect(server.requests.map((r) => r.operationId)).toEqual([
      'issues/list-comments', 'issues/create-comment', 'issues/list-comments', 'issues/update-comment',
    ]);
  });

  it('finds its comment on the second page of a busy pull request', async () => {
    const now = new Date().toISOString();
    for (let id = 1; id <= 150; id++) {
      const body = id === 140 ? '<!-- mlops-actions:drift-check -->\nold report' : `review comment ${id}`;
      server.state.comments.push({ id, ...repository, issueNumber: 7, body, createdAt: now, updatedAt: now });
    }
    const result = await upsertComment({ client, repository, issueNumber: 7, marker: 'drift-check', body: 'new report', mode: 'update', logger });

    expect(result).toMatchObject({ action: 'updated', id: 140 });
    expect(commentsOn(7)).toHaveLength(150);
    const pages = server.requests.filter((r) => r.operationId === 'issues/list-comments');
    expect(pages.map((r) => r.query.page ?? '1')).toEqual(['1', '2']);
  });

  it("leaves other subjects' comments alone: one comment per marker", async () => {
    await upsertComment({ client, repository, issueNumber: 7, marker: 'drift-check:model-a', body: 'A', mode: 'update', logger });
    await upsertComment({ client, repository, issueNumber: 7, marker: 'drift-check:model-b', body: 'B', mode: 'update', logger });
    expect(commentsOn(7).map((c) => c.body.split('\n')[1])).toEqual(['A', 'B']);
  });

  it("adds a new comment on every run in 'new' mode", async () => {
    await upsertComment({ client, repository, issueNumber: 7, marker: 'drift-check', body: 'run 1', mode: 'new', logger });
    const second = await upsertComment({ client, repository, issueNumber: 7, marker: 'drift-check', body: 'run 2', mode: 'new', logger });
    expect(second.action).toBe('created');
    expect(commentsOn(7)).toHaveLength(2);
    // 'new' never needs to look for an old comment.
    expect(server.requests.filter((r) => r.operationId === 'issues/list-comments')).toHaveLength(0);
  });

  it("posts nothing and calls nothing in 'off' mode", async () => {
    const result = await upsertComment({ client, repository, issueNumber: 7, marker: 'drift-check', body: 'x', mode: 'off', logger });
    expect(result).toEqual({ action: 'skipped' });
    expect(server.requests).toEqual([]);
  });

  it("cuts a report over GitHub's 65,536-character limit, keeps the marker and warns", async () => {
    const body = `# Verdict: drifted\n${'| col | 0.1 |\n'.repeat(10_000)}Totals: 3 drifted`;
    const result = await upsertComment({
      client, repository, issueNumber: 7, marker: 'drift-check', body, mode: 'update', logger,
      reportUrl: 'https://github.com/octo-org/ml-repo/actions/runs/1',
    });
    expect(result.action).toBe('created');
    const posted = commentsOn(7)[0].body;
    expect(posted.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(posted.startsWith('<!-- mlops-actions:drift-check -->\n# Verdict: drifted')).toBe(true);
    expect(posted.endsWith('Totals: 3 drifted')).toBe(true);
    expect(posted).toMatch(/characters cut; full report: https:\/\/github\.com\/octo-org\/ml-repo\/actions\/runs\/1/);
    expect(logger.text('warning')).toMatch(/over GitHub's 65536; its middle was cut/);
  });
});
