import { createGitHubClient } from '#shared/github/client.js';
import { RecordingLogger } from '#shared/logger.js';
import { startGitHubApiServer, type GitHubApiServer } from '../../support/github-api-server.js';

const TOKEN = 'ghs_S3cretTokenValue';
let server: GitHubApiServer;
let logger: RecordingLogger;

beforeEach(async () => {
  server = await startGitHubApiServer();
  logger = new RecordingLogger();
});
afterEach(async () => {
  await server.close();
});

const client = () => createGitHubClient({ token: TOKEN, baseUrl: server.url, logger, retryDelayUnitMs: 10 });
const rateLimited = {
  status: 403,
  message: 'API rate limit exceeded for installation ID 1.',
  headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) },
};

describe('the GitHub client', () => {
  it('sends the token as GitHub expects and nowhere else', async () => {
    await client().rest.repos.get({ owner: 'octo-org', repo: 'ml-repo' });
    expect(server.requests[0].headers.authorization).toBe(`token ${TOKEN}`);
    expect(server.requests[0].headers['user-agent']).toMatch(/octokit/);
  });

  it('retries a request that hit a 500 and returns the answer of the retry', async () => {
    server.failNext(1, { status: 500 });
    const { data } = await client().rest.repos.get({ owner: 'octo-org', repo: 'ml-repo' });
    expect(data.full_name).toBe('octo-org/ml-repo');
    expect(server.requests.map((r) => r.status)).toEqual([500, 200]);
  });

  it('does not retry what GitHub refused (a 404 stays a 404)', async () => {
    const request = client().request('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
      owner: 'octo-org',
      repo: 'ml-repo',
      pull_number: 99,
    });
    await expect(request).rejects.toMatchObject({ status: 404 });
    expect(server.requests).toHaveLength(1);
  });

  it('waits out a rate limit with a warning and retries', async () => {
    server.failNext(1, rateLimited);
    const { data } = await client().rest.repos.get({ owner: 'octo-org', repo: 'ml-repo' });
    expect(data.name).toBe('ml-repo');
    expect(server.requests.map((r) => r.status)).toEqual([403, 200]);
    expect(logger.text('warning')).toMatch(/GitHub rate limit hit by GET \/repos\/\{owner\}\/\{repo\}/);
  });

  it('gives up after 2 retries when the rate limit persists', async () => {
    server.failNext(3, rateLimited);
    await expect(client().rest.repos.get({ owner: 'octo-org', repo: 'ml-repo' })).rejects.toMatchObject({ status: 403 });
    expect(server.requests.map((r) => r.status)).toEqual([403, 403, 403]);
    expect(logger.text('warning')).toMatch(/Giving up .* after 2 retries/);
  });

  it('retries a secondary rate limit too', async () => {
    server.failNext(1, { status: 403, message: 'You have exceeded a secondary rate limit.', headers: { 'retry-after': '1' } });
    await client().rest.repos.get({ owner: 'octo-org', repo: 'ml-repo' });
    expect(server.requests.map((r) => r.status)).toEqual([403, 200]);
    expect(logger.text('warning')).toMatch(/secondary rate limit/);
  });

  it("spaces writes a second apart by default, as GitHub asks, and not at all with pacing 'none'", async () => {
    const create = (c: ReturnType<typeof client>) =>
      c.rest.checks.create({ owner: 'octo-org', repo: 'ml-repo', name: 'drift-check', head_sha: 'abc' });
    const paced = client();
    await Promise.all([create(paced), create(paced)]);
    const [a, b] = server.requests.map((r) => r.receivedAt);
    expect(Math.abs(b - a)).toBeGreaterThanOrEqual(900);

    const unpaced = createGitHubClient({ token: TOKEN, baseUrl: server.url, logger, pacing: 'none' });
    const start = Date.now();
    await Promise.all([create(unpaced), create(unpaced)]);
    expect(Date.now() - start).toBeLessThan(900);
  });

  it('never logs the token', async () => {
    server.failNext(3, rateLimited);
    await client()
      .rest.repos.get({ owner: 'octo-org', repo: 'ml-repo' })
      .catch(() => undefined);
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.text()).not.toContain(TOKEN);
  });
});
