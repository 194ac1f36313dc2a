// One HTTP request to a notification endpoint (Pushgateway, webhook) with a bounded retry on server errors and
// network failures; every message it composes is redacted, because these URLs carry secrets.
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import { redact } from './secrets.js';

/** The part of `fetch` we use, so tests and callers can substitute their own. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface HttpSendOptions {
  /** Names the endpoint in messages ("Pushgateway", "Webhook"); never the URL itself. */
  endpoint: string;
  url: string;
  method: 'POST' | 'PUT';
  headers: Record<string, string>;
  body: string;
  /** Texts that must never appear in a message (see urlSecrets). */
  secrets: readonly string[];
  logger: Logger;
  fetchImpl?: FetchLike;
  /** Further tries after the first, on 5xx and network errors only (4xx means our request is wrong). */
  retries?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
}

export interface HttpSendResult {
  status: number;
  body: string;
}

const MAX_BODY_IN_MESSAGE = 300;

export async function sendWithRetry(options: HttpSendOptions): Promise<HttpSendResult> {
  const { endpoint, secrets, logger } = options;
  const fetchImpl = options.fetchImpl ?? fetch;
  const retries = options.retries ?? 1;
  const attempts = retries + 1;
  let lastProblem = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let response: Response;
    try {
      response = await fetchImpl(options.url, {
        method: options.method,
        headers: options.headers,
        body: options.body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      lastProblem = `could not be reached (${describeNetworkError(error)})`;
      if (attempt < attempts) {
        logger.warning(redact(`${endpoint} ${lastProblem}; retrying (${attempt}/${attempts}).`, secrets));
        await sleep(options.retryDelayMs ?? 1000);
        continue;
      }
      break;
    }
    const body = await response.text().catch(() => '');
    if (response.ok) return { status: response.status, body };
    lastProblem = `answered HTTP ${response.status}${body.trim() ? `: ${truncate(body.trim())}` : ''}`;
    if ((response.status >= 500 || response.status === 429) && attempt < attempts) {
      const wait = retryAfterMs(response.headers.get('retry-after')) ?? options.retryDelayMs ?? 1000;
      logger.warning(redact(`${endpoint} ${lastProblem}; retrying in ${Math.ceil(wait / 1000)} s (${attempt}/${attempts}).`, secrets));
      await sleep(wait);
      continue;
    }
    break;
  }
  throw new UserError(redact(`${endpoint} ${lastProblem}.`, secrets));
}

/** Retry-After as seconds or an HTTP date, capped at a minute so a hostile answer cannot stall the job. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 60_000) : undefined;
}

/**
 * Node's fetch fails with "fetch failed" and hides the reason in `cause`; the cause's message may quote the host and
 * port, never the path, but we keep only its code (ECONNREFUSED, ENOTFOUND) or the timeout to be safe. Duck-typed,
 * not instanceof: fetch's errors can come from another realm (jest's VM modules).
 */
function describeNetworkError(error: unknown): string {
  const failure = (error ?? {}) as { name?: unknown; message?: unknown; code?: unknown; cause?: { code?: unknown } };
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError') return 'timed out';
  const code = failure.cause?.code ?? failure.code;
  if (typeof code === 'string') return code;
  return typeof failure.message === 'string' ? failure.message : String(error);
}

function truncate(text: string): string {
  return text.length > MAX_BODY_IN_MESSAGE ? `${text.slice(0, MAX_BODY_IN_MESSAGE)}…` : text;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
