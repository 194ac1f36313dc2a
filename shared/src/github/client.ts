// The Octokit every action uses to talk to GitHub: @actions/github's client with retry and rate-limit handling
// composed in, as peter-evans/create-pull-request does. The token goes into Octokit's auth and nowhere else.
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import type { Logger } from '../logger.js';

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface GitHubClientOptions {
  token: string;
  /** REST API root; defaults to GITHUB_API_URL (what @actions/github reads), else https://api.github.com. */
  baseUrl?: string;
  logger: Logger;
  /** How many times a rate-limited request is retried before giving up. */
  rateLimitRetries?: number;
  /**
   * Milliseconds per unit of every retry wait (Octokit's retryAfterBaseValue): waits are `retry-after` seconds for
   * rate limits and (attempt)^2 units for server errors. GitHub wants 1000; tests shrink it to keep runs short.
   */
  retryDelayUnitMs?: number;
  /**
   * 'github' (default) spaces writes 1 s apart and notifying writes (comments, issues) 3 s apart, as GitHub asks
   * to avoid secondary rate limits. 'none' is for tests against a local server only.
   */
  pacing?: 'github' | 'none';
}

const DEFAULT_RATE_LIMIT_RETRIES = 2;

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const { token, baseUrl, logger } = options;
  const rateLimitRetries = options.rateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES;
  const retryAfterBaseValue = options.retryDelayUnitMs ?? 1000;

  // One handler for primary and secondary limits: warn, then retry a bounded number of times.
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      logger.warning(`GitHub ${kind} hit by ${request.method} ${request.url}.`);
      if (retryCount < rateLimitRetries) {
        logger.info(`Retrying after ${retryAfter} seconds (retry ${retryCount + 1} of ${rateLimitRetries}).`);
        return true;
      }
      logger.warning(`Giving up on ${request.method} ${request.url} after ${rateLimitRetries} retries.`);
      return false;
    };

  return getOctokit(
    token,
    {
      // Leaving baseUrl out keeps @actions/github's default, which follows GITHUB_API_URL (GHES, tests).
      ...(baseUrl ? { baseUrl } : {}),
      log: {
        debug: (message: string) => logger.debug(message),
        info: (message: string) => logger.debug(message),
        warn: (message: string) => logger.warning(message),
        error: (message: string) => logger.error(message),
      },
      retry: { retryAfterBaseValue },
      throttle: {
        retryAfterBaseValue,
        ...(options.pacing === 'none' ? { write: UNPACED, notifications: UNPACED, search: UNPACED } : {}),
        onRateLimit: onLimit('rate limit'),
        onSecondaryRateLimit: onLimit('secondary rate limit'),
      },
    },
    retry,
    throttling,
  );
}

type ThrottleGroup = NonNullable<Extract<ThrottlingOptions, { onRateLimit: unknown }>['write']>;

/**
 * The part of Bottleneck's Group API the throttling plugin calls (`group.key(id).schedule(options, task, ...args)`),
 * running each task at once. Hand-written so tests need not depend on Bottleneck directly.
 */
const UNPACED = {
  key: () => ({
    schedule: (_options: unknown, task: (...args: unknown[]) => unknown, ...args: unknown[]) => Promise.resolve().then(() => task(...args)),
  }),
} as unknown as ThrottleGroup;
