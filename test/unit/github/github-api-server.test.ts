import { startGitHubApiServer, type GitHubApiServer } from '../../support/github-api-server.js';

// The fake GitHub is only worth trusting if it refuses what GitHub would refuse: these talk to it with plain fetch.
let server: GitHubApiServer;
const auth = { authorization: 'token ghs_test', 'content-type': 'application/json' };
const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = auth) =>
  fetch(server.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
const messageOf = async (res: Response) => ((await res.json()) as { message: string }).message;

beforeEach(async () => {
  server = await startGitHubApiServer();
});
afterEach(async () => {
  await server.close();
});

describe('the test GitHub API server', () => {
  it('refuses a route that GitHub does not have', async () => {
    const res = await call('GET', '/repos/octo-org/ml-repo/drift-reports');
    expect(res.status).toBe(404);
    expect(await messageOf(res)).toMatch(/not in GitHub's REST API/);
    expect(server.violations).toEqual([expect.objectContaining({ kind: 'unknown-route', method: 'GET' })]);
  });

  it('refuses a method the route does not take', async () => {
    const res = await call('DELETE', '/repos/octo-org/ml-repo/issues/1/comments');
    expect(res.status).toBe(404);
    expect(server.violations[0].kind).toBe('unknown-route');
  });

  it('refuses a comment whose body is not a string, naming the field', async () => {
    const res = await call('POST', '/repos/octo-org/ml-repo/issues/7/comments', { body: 42 });
    expect(res.status).toBe(422);
    expect(await messageOf(res)).toMatch(/\/body must be string/);
    expect(server.violations).toEqual([expect.objectContaining({ kind: 'invalid-body' })]);
    expect(server.state.comments).toEqual([]);
  });

  it("refuses a check run with 51 annotations, GitHub's per-request limit being 50", async () => {
    const annotation = { path: 'data.csv', start_line: 1, end_line: 1, annotation_level: 'warning', message: 'drift' };
    const res = await call('POST', '/repos/octo-org/ml-repo/check-runs', {
      name: 'drift-check',
      head_sha: 'abc',
      output: { title: 't', summary: 's', annotations: Array(51).fill(annotation) },
    });
    expect(res.status).toBe(422);
    expect(await messageOf(res)).toMatch(/annotations must NOT have more than 50 items/);
  });

  it('refuses a completed check run without a conclusion', async () => {
    const res = await call('POST', '/repos/octo-org/ml-repo/check-runs', { name: 'n', head_sha: 'abc', status: 'completed' });
    expect(res.status).toBe(422);
  });

  it('refuses a missing body, malformed JSON and a missing token', async () => {
    expect((await call('POST', '/repos/octo-org/ml-repo/issues')).status).toBe(422);
    const malformed = await fetch(`${server.url}/repos/octo-org/ml-repo/issues`, { method: 'POST', headers: auth, body: '{title' });
    expect(malformed.status).toBe(400);
    const anonymous = await call('GET', '/repos/octo-org/ml-repo', undefined, {});
    expect(anonymous.status).toBe(401);
    expect(server.violations.map((v) => v.kind)).toEqual(['invalid-body', 'invalid-body', 'unauthenticated']);
  });

  it('refuses parameters off their schema: a word for an issue number, an unknown state', async () => {
    expect((await call('GET', '/repos/octo-org/ml-repo/issues/seven/comments')).status).toBe(404);
    const badState = await call('GET', '/repos/octo-org/ml-repo/issues?state=resolved');
    expect(badState.status).toBe(422);
    expect(await messageOf(badState)).toMatch(/state must be equal to one of the allowed values/);
    expect(server.violations.map((v) => v.kind)).toEqual(['invalid-parameter', 'invalid-parameter']);
  });

  it('says so when a real GitHub endpoint is not implemented here', async () => {
    const res = await call('GET', '/repos/octo-org/ml-repo/releases');
    expect(res.status).toBe(404);
    expect(await messageOf(res)).toMatch(/does not implement repos\/list-releases/);
    expect(server.violations[0].kind).toBe('unimplemented');
  });

  it("checks its own responses against GitHub's schema", async () => {
    // A timestamp that is not ISO 8601 breaks issue-comment's schema (created_at: date-time).
    server.state.comments.push({
      id: 1,
      owner: 'octo-org',
      repo: 'ml-repo',
      issueNumber: 7,
      body: 'x',
      createdAt: 'yesterday',
      updatedAt: 'yesterday',
    });
    expect((await call('GET', '/repos/octo-org/ml-repo/issues/7/comments')).status).toBe(200);
    expect(server.violations).toEqual([expect.objectContaining({ kind: 'invalid-response' })]);
    expect(server.violations[0].message).toMatch(/created_at must match format "date-time"/);
  });

  it('plays issues like GitHub: numbers, labels, state, and Link-header pagination', async () => {
    for (let i = 1; i <= 5; i++) {
      const res = await call('POST', '/repos/octo-org/ml-repo/issues', { title: `Drift ${i}`, labels: i % 2 ? ['drift-alert'] : [] });
      expect(res.status).toBe(201);
    }
    const first = await call('GET', '/repos/octo-org/ml-repo/issues?labels=drift-alert&per_page=2');
    const firstPage = (await first.json()) as { number: number; labels: { name: string }[] }[];
    // Newest first, as GitHub lists issues by default; only those with the label.
    expect(firstPage.map((i) => i.number)).toEqual([5, 3]);
    expect(firstPage[0].labels.map((l) => l.name)).toEqual(['drift-alert']);
    const link = first.headers.get('link')!;
    expect(link).toMatch(/page=2>; rel="next"/);
    expect(link).toMatch(/page=2>; rel="last"/);

    const next = /<([^>]+)>; rel="next"/.exec(link)![1];
    const second = await fetch(next, { headers: auth });
    expect(((await second.json()) as { number: number }[]).map((i) => i.number)).toEqual([1]);
    expect(second.headers.get('link')).toMatch(/rel="prev".*rel="first"/);
    expect(second.headers.get('link')).not.toMatch(/rel="next"/);

    const closed = await call('PATCH', '/repos/octo-org/ml-repo/issues/3', { state: 'closed', state_reason: 'completed' });
    expect(((await closed.json()) as { state: string }).state).toBe('closed');
    const open = (await (await call('GET', '/repos/octo-org/ml-repo/issues?labels=drift-alert')).json()) as { number: number }[];
    expect(open.map((i) => i.number)).toEqual([5, 1]);
    expect(server.violations).toEqual([]);
  });

  it('serves a repository and the files of a pull request', async () => {
    server.setPullRequestFiles({ owner: 'octo-org', repo: 'ml-repo' }, 12, [
      { filename: 'data/train.csv', additions: 10, deletions: 2 },
      { filename: 'model/params.yaml', status: 'added' },
    ]);
    const repo = (await (await call('GET', '/repos/octo-org/ml-repo')).json()) as { full_name: string; default_branch: string };
    expect(repo).toMatchObject({ full_name: 'octo-org/ml-repo', default_branch: 'main' });
    const files = (await (await call('GET', '/repos/octo-org/ml-repo/pulls/12/files')).json()) as { filename: string; changes: number }[];
    expect(files.map((f) => [f.filename, f.changes])).toEqual([
      ['data/train.csv', 12],
      ['model/params.yaml', 1],
    ]);
    expect((await call('GET', '/repos/octo-org/ml-repo/pulls/13/files')).status).toBe(404);
    expect(server.violations).toEqual([]);
  });

  it('fails the next requests on demand, then recovers', async () => {
    server.failNext(2, { status: 502, message: 'Bad Gateway' });
    expect((await call('GET', '/repos/octo-org/ml-repo')).status).toBe(502);
    expect((await call('GET', '/repos/octo-org/ml-repo')).status).toBe(502);
    expect((await call('GET', '/repos/octo-org/ml-repo')).status).toBe(200);
    expect(server.requests.map((r) => r.status)).toEqual([502, 502, 200]);
  });
  it('keeps pull requests like GitHub: numbered with issues, listed by owner:branch and state, one open per head', async () => {
    await call('POST', '/repos/octo-org/ml-repo/issues', { title: 'an issue first' });
    const created = await call('POST', '/repos/octo-org/ml-repo/pulls', {
      title: 'Canary to 25%',
      head: 'canary',
      base: 'main',
      body: 'continue',
    });
    expect(created.status).toBe(201);
    const pull = (await created.json()) as { number: number; html_url: string; head: { ref: string }; base: { ref: string } };
    expect(pull).toMatchObject({
      number: 2,
      html_url: 'https://github.com/octo-org/ml-repo/pull/2',
      head: { ref: 'canary' },
      base: { ref: 'main' },
    });

    const again = await call('POST', '/repos/octo-org/ml-repo/pulls', { title: 'again', head: 'canary', base: 'main' });
    expect(again.status).toBe(422);
    expect(JSON.stringify(await again.json())).toMatch(/A pull request already exists for octo-org:canary/);

    const mine = await call('GET', '/repos/octo-org/ml-repo/pulls?head=octo-org:canary&state=open');
    expect(((await mine.json()) as unknown[]).length).toBe(1);
    const other = await call('GET', '/repos/octo-org/ml-repo/pulls?head=octo-org:elsewhere');
    expect(await other.json()).toEqual([]);

    const updated = await call('PATCH', '/repos/octo-org/ml-repo/pulls/2', { title: 'Canary to 50%', state: 'closed' });
    expect(updated.status).toBe(200);
    expect(server.state.pullRequests[0]).toMatchObject({ title: 'Canary to 50%', body: 'continue', state: 'closed' });
    expect(await (await call('GET', '/repos/octo-org/ml-repo/pulls?head=octo-org:canary')).json()).toEqual([]);
    expect((await call('PATCH', '/repos/octo-org/ml-repo/pulls/99', { title: 'x' })).status).toBe(404);
    expect((await call('POST', '/repos/octo-org/ml-repo/pulls', { title: 't', base: 'main' })).status).toBe(422);
    expect(server.violations).toEqual([expect.objectContaining({ kind: 'invalid-body', method: 'POST' })]);
  });

  it("refuses a pull request from a fork's read-only token when told to", async () => {
    server.refuseOperation('pulls/create', { status: 403 });
    const res = await call('POST', '/repos/octo-org/ml-repo/pulls', { title: 't', head: 'canary', base: 'main' });
    expect(res.status).toBe(403);
    expect(server.state.pullRequests).toEqual([]);
  });
});
