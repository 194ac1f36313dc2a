// A fresh validating GitHub API server and a client pointed at it for each test; after each test, every request
// the adapters made must have been one GitHub accepts.
import { createGitHubClient, type GitHubClient } from '#shared/github/client.js';
import { RecordingLogger } from '#shared/logger.js';
import { startGitHubApiServer, type GitHubApiServer } from './github-api-server.js';

export interface GitHubTestContext {
  server: GitHubApiServer;
  client: GitHubClient;
  logger: RecordingLogger;
}

export const TEST_REPOSITORY = { owner: 'octo-org', repo: 'ml-repo' };

/** Registers beforeEach/afterEach; read the fields inside tests (they change per test). */
export function useGitHubTestClient(): GitHubTestContext {
  const context = {} as GitHubTestContext;
  beforeEach(async () => {
    context.server = await startGitHubApiServer();
    context.logger = new RecordingLogger();
    context.client = createGitHubClient({
      token: 'ghs_test',
      baseUrl: context.server.url,
      logger: context.logger,
      retryDelayUnitMs: 10,
      pacing: 'none',
    });
  });
  afterEach(async () => {
    expect(context.server.violations).toEqual([]);
    await context.server.close();
  });
  return context;
}
