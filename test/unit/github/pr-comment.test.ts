import { upsertComment } from '#shared/github/pr-comment.js';
import { COMMENT_MAX_CHARS } from '#shared/github/size-limits.js';
import { TEST_REPOSITORY, useGitHubTestClient } from '../../support/github-test-client.js';

const repository = TEST_REPOSITORY;
const github = useGitHubTestClient();

const commentsOn = (issueNumber: number) => github.server.state.comments.filter((c) => c.issueNumber === issueNumber);

describe('posting the drift report on a pull request', () => {
  it('edits its own comment on the next push instead of adding a second one', async () => {
    const first = await upsertComment({
      client: github.client,
      repository,
      issueNumber: 7,
      marker: 'drift-check',
      body: 'Drift: 2 of 10 columns',
      mode: 'update',
      logger: github.logger,
    });
    const second = await upsertComment({
      client: github.client,
      repository,
      issueNumber: 7,
      marker: 'drift-check',
      body: 'Drift: 0 of 10 columns',
      mode: 'update',
      logger: github.logger,
    });

    expect(first).toMatchObject({ action: 'created', id: expect.any(Number) });
    expect(first.url).toMatch(/^https:\/\/github\.com\/octo-org\/ml-repo\/issues\/7#issuecomment-\d+$/);
    expect(second).toEqual({ action: 'updated', id: first.id, url: first.url });
    expect(commentsOn(7)).toHaveLength(1);
    expect(commentsOn(7)[0].body).toBe('<!-- mlops-actions:drift-check -->\nDrift: 0 of 10 columns');
    // The first run looks for its comment, creates it and looks again (a racing run may have created one too).
    expect(github.server.requests.map((r) => r.operationId)).toEqual([
      'users/get-authenticated',
      'issues/list-comments',
      'issues/create-comment',
      'issues/list-comments',
      'users/get-authenticated',
      'issues/list-comments',
      'issues/update-comment',
    ]);
  });

  it('finds its comment on the second page of a busy pull request', async () => {
    const now = new Date().toISOString();
    for (let id = 1; id <= 150; id++) {
      const body = id === 140 ? '<!-- mlops-actions:drift-check -->\nold report' : `review comment ${id}`;
      github.server.state.comments.push({ id, ...repository, issueNumber: 7, body, createdAt: now, updatedAt: now });
    }
    const result = await upsertComment({
      client: github.client,
      repository,
      issueNumber: 7,
      marker: 'drift-check',
      body: 'new report',
      mode: 'update',
      logger: github.logger,
    });

    expect(result).toMatchObject({ action: 'updated', id: 140 });
    expect(commentsOn(7)).toHaveLength(150);
    const pages = github.server.requests.filter((r) => r.operationId === 'issues/list-comments');
    expect(pages.map((r) => r.query.page ?? '1')).toEqual(['1', '2']);
  });

  it("leaves other subjects' comments alone: one comment per marker", async () => {
    await upsertComment({
      client: github.client,
      repository,
      issueNumber: 7,
      marker: 'drift-check:model-a',
      body: 'A',
      mode: 'update',
      logger: github.logger,
    });
    await upsertComment({
      client: github.client,
      repository,
      issueNumber: 7,
      marker: 'drift-check:model-b',
      body: 'B',
      mode: 'update',
      logger: github.logger,
    });
    expect(commentsOn(7).map((c) => c.body.split('\n')[1])).toEqual(['A', 'B']);
  });

  it("adds a new comment on every run in 'new' mode", async () => {
    await upsertComment({
      client: github.client,
      repository,
      issueNumber: 7,
      marker: 'drift-check',
      body: 'run 1',
      mode: 'new',
      logger: github.logger,
    });
    const second = await upsertComment({
      client: github.client,
      repository,
      issueNumber: 7,
      marker: 'drift-check',
      body: 'run 2',
      mode: 'new',
      logger: github.logger,
    });
    expect(second.action).toBe('created');
    expect(commentsOn(7)).toHaveLength(2);
    // 'new' never needs to look for an old comment.
    expect(github.server.requests.filter((r) => r.operationId === 'issues/list-comments')).toHaveLength(0);
  });

  it("posts nothing and calls nothing in 'off' mode", async () => {
    const result = await upsertComment({
      client: github.client,
      repository,
      issueNumber: 7,
      marker: 'drift-check',
      body: 'x',
      mode: 'off',
      logger: github.logger,
    });
    expect(result).toEqual({ action: 'skipped' });
    expect(github.server.requests).toEqual([]);
  });

  it("cuts a report over GitHub's 65,536-character limit, keeps the marker and warns", async () => {
    const body = `# Verdict: drifted\n${'| col | 0.1 |\n'.repeat(10_000)}Totals: 3 drifted`;
    const result = await upsertComment({
      client: github.client,
      repository,
      issueNumber: 7,
      marker: 'drift-check',
      body,
      mode: 'update',
      logger: github.logger,
      reportUrl: 'https://github.com/octo-org/ml-repo/actions/runs/1',
    });
    expect(result.action).toBe('created');
    const posted = commentsOn(7)[0].body;
    expect(posted.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(posted.startsWith('<!-- mlops-actions:drift-check -->\n# Verdict: drifted')).toBe(true);
    expect(posted.endsWith('Totals: 3 drifted')).toBe(true);
    expect(posted).toMatch(/characters cut; full report: https:\/\/github\.com\/octo-org\/ml-repo\/actions\/runs\/1/);
    expect(github.logger.text('warning')).toMatch(/over GitHub's 65536; its middle was cut/);
  });
});

describe('comment upsert with other writers and flaky answers', () => {
  const post = (body: string) =>
    upsertComment({
      client: github.client,
      repository,
      issueNumber: 9,
      marker: 'drift-check',
      body,
      mode: 'update',
      logger: github.logger,
    });

  it("never edits a person's comment that quotes our marker; it writes its own", async () => {
    const now = new Date().toISOString();
    const quoted = '<!-- mlops-actions:drift-check -->\nI copied the bot comment here';
    github.server.state.comments.push({
      id: 500,
      ...repository,
      issueNumber: 9,
      body: quoted,
      createdAt: now,
      updatedAt: now,
      author: { login: 'octocat', id: 1, type: 'User' },
    });
    const result = await post('report');
    expect(result.action).toBe('created');
    expect(commentsOn(9).find((c) => c.id === 500)?.body).toBe(quoted);
    expect(commentsOn(9)).toHaveLength(2);
  });

  it('two runs racing leave one comment with the later report', async () => {
    const results = await Promise.all([post('run A'), post('run B')]);
    expect(commentsOn(9)).toHaveLength(1);
    expect(results.map((r) => r.id)).toEqual([commentsOn(9)[0].id, commentsOn(9)[0].id]);
    expect(['<!-- mlops-actions:drift-check -->\nrun A', '<!-- mlops-actions:drift-check -->\nrun B']).toContain(commentsOn(9)[0].body);
  });

  it('a create whose answer is lost (502 after the write) is not posted twice: the landed comment is taken', async () => {
    github.server.failAfterHandling('issues/create-comment', { status: 502, message: 'Bad Gateway' });
    const result = await post('report');
    expect(commentsOn(9)).toHaveLength(1);
    expect(result).toMatchObject({ action: 'created', id: commentsOn(9)[0].id });
    const creates = github.server.requests.filter((r) => r.operationId === 'issues/create-comment');
    expect(creates).toHaveLength(1);
  });
});
