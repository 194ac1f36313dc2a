// The OSV API (google.github.io/osv.dev/api): POST /v1/querybatch with one query per locked package (1,000 per
// request, following next_page_token), then GET /v1/vulns/{id} for each id's full record. Network errors, 429 and
// 5xx are retried with backoff; what still fails is an OsvUnavailable the caller turns into a failure or a warning.
import type { Logger } from '#shared/logger.js';
import type { OsvRecord } from './affected.js';

export class OsvUnavailable extends Error {}

export interface OsvQuery {
  key: string;
  name: string;
  version: string;
}

export interface OsvApiOptions {
  baseUrl: string;
  logger: Logger;
  retries?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
  concurrency?: number;
}

async function request(url: string, init: RequestInit, o: OsvApiOptions): Promise<unknown> {
  const attempts = (o.retries ?? 3) + 1;
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(o.timeoutMs ?? 30000) });
      if (response.ok) return await response.json();
      last = `HTTP ${response.status}`;
      if (response.status !== 429 && response.status < 500) throw new OsvUnavailable(`${init.method ?? 'GET'} ${url}: ${last}`);
    } catch (error) {
      if (error instanceof OsvUnavailable) throw error;
      last = (error as Error).cause
        ? `${(error as Error).message} (${((error as Error).cause as Error).message})`
        : (error as Error).message;
    }
    if (attempt < attempts) {
      o.logger.debug(`OSV request failed (${last}); retry ${attempt} of ${attempts - 1}`);
      await new Promise((r) => setTimeout(r, (o.retryDelayMs ?? 500) * 2 ** (attempt - 1)));
    }
  }
  throw new OsvUnavailable(`${init.method ?? 'GET'} ${url} failed after ${attempts} attempts: ${last}`);
}

export async function queryOsv(queries: OsvQuery[], o: OsvApiOptions): Promise<Map<string, OsvRecord[]>> {
  const base = o.baseUrl.replace(/\/+$/, '');
  const idsByKey = new Map<string, Set<string>>();
  for (let start = 0; start < queries.length; start += 1000) {
    let batch = queries.slice(start, start + 1000).map((q) => ({ q, token: undefined as string | undefined }));
    while (batch.length > 0) {
      const body = {
        queries: batch.map(({ q, token }) => ({
          package: { name: q.name, ecosystem: 'PyPI' },
          version: q.version,
          ...(token ? { page_token: token } : {}),
        })),
      };
      const answer = (await request(
        `${base}/v1/querybatch`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
        o,
      )) as {
        results?: { vulns?: { id: string }[]; next_page_token?: string }[];
      };
      const results = answer?.results ?? [];
      if (results.length !== batch.length)
        throw new OsvUnavailable(`OSV querybatch answered ${results.length} results for ${batch.length} queries`);
      const next: typeof batch = [];
      results.forEach((r, i) => {
        const key = batch[i].q.key;
        for (const v of r.vulns ?? []) idsByKey.set(key, (idsByKey.get(key) ?? new Set()).add(v.id));
        if (r.next_page_token) next.push({ q: batch[i].q, token: r.next_page_token });
      });
      batch = next;
    }
  }
  const ids = [...new Set([...idsByKey.values()].flatMap((s) => [...s]))];
  const records = new Map<string, OsvRecord>();
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      records.set(id, (await request(`${base}/v1/vulns/${encodeURIComponent(id)}`, { method: 'GET' }, o)) as OsvRecord);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 8, ids.length) }, worker));
  const byKey = new Map<string, OsvRecord[]>();
  for (const [key, set] of idsByKey) byKey.set(key, [...set].map((id) => records.get(id)!).filter(Boolean));
  return byKey;
}
