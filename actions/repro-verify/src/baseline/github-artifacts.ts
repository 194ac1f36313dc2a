// ArtifactApi over GitHub's REST API (Octokit): artifacts by name, page by page (the caller stops at the first one
// that fits, so hundreds of them cost one page when a recent one will do), the default branch, a run's conclusion, and
// the zip download, which GitHub answers with a 302 to a signed storage URL. The redirect is not followed by Octokit
// (it would carry the token along): the zip is fetched from the signed URL without it, streamed, and cut off past
// the size limit. A token that may not read artifacts is told it needs `actions: read`.
import { UserError } from '#shared/errors.js';
import { createGitHubClient } from '#shared/github/client.js';
import type { Logger } from '#shared/logger.js';
import { httpStatus } from '#shared/publish/index.js';
import type { RepositoryRef } from '#shared/runtime/run-context.js';
import type { ArtifactApi, ArtifactRecord } from './baseline-artifact.js';

export interface GitHubArtifactsOptions {
  token: string;
  baseUrl: string;
  logger: Logger;
  /** Milliseconds for the zip download. */
  timeoutMs?: number;
}

interface ArtifactJson {
  id: number;
  name: string;
  expired: boolean;
  expires_at: string | null;
  created_at: string | null;
  size_in_bytes: number;
  workflow_run?: { id?: number; head_branch?: string } | null;
}

export function githubArtifacts(options: GitHubArtifactsOptions): ArtifactApi {
  const client = createGitHubClient({ token: options.token, baseUrl: options.baseUrl, logger: options.logger, pacing: 'none' });
  const refused = (error: unknown, repository: RepositoryRef, what: string) => {
    const status = httpStatus(error);
    if (status === 410)
      return new UserError(`The ${what} of ${repository.owner}/${repository.repo} has expired (HTTP 410 Gone): GitHub deleted its files.`);
    if (status === 401 || status === 403)
      return new UserError(
        `The token cannot read ${what} of ${repository.owner}/${repository.repo} (HTTP ${status}): it needs the 'actions: read' permission (permissions: { actions: read } in the workflow; for another repository, a token with access to it).`,
      );
    if (status === 404)
      return new UserError(
        `${repository.owner}/${repository.repo} was not found, or the token cannot see it (HTTP 404) while reading ${what}: check baseline-repository and that the token has 'actions: read' there.`,
      );
    return error;
  };
  const record = (a: ArtifactJson): ArtifactRecord => ({
    id: a.id,
    name: a.name,
    expired: a.expired,
    expiresAt: a.expires_at,
    createdAt: a.created_at,
    sizeInBytes: a.size_in_bytes,
    runId: a.workflow_run?.id,
    headBranch: a.workflow_run?.head_branch,
  });
  return {
    async *pages(repository, name, runId) {
      // GitHub lists artifacts newest first; each page is sorted again so that one page's order never depends on it.
      const pages = runId
        ? client.paginate.iterator(client.rest.actions.listWorkflowRunArtifacts, { ...repository, run_id: runId, name, per_page: 100 })
        : client.paginate.iterator(client.rest.actions.listArtifactsForRepo, { ...repository, name, per_page: 100 });
      try {
        for await (const page of pages)
          yield (page.data as unknown as ArtifactJson[])
            .map(record)
            .sort((a, b) => Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? '') || b.id - a.id);
      } catch (error) {
        throw refused(error, repository, runId ? `the artifacts of run ${runId}` : 'the artifacts');
      }
    },
    async defaultBranch(repository) {
      try {
        return (await client.rest.repos.get({ ...repository })).data.default_branch;
      } catch (error) {
        throw refused(error, repository, 'the repository');
      }
    },
    async runConclusion(repository, runId) {
      try {
        return (await client.rest.actions.getWorkflowRun({ ...repository, run_id: runId })).data.conclusion ?? null;
      } catch (error) {
        if (httpStatus(error) === 404) return null; // a run deleted since: not a baseline
        throw refused(error, repository, `run ${runId}`);
      }
    },
    async download(repository, artifactId, maxBytes) {
      let location: string | undefined;
      try {
        const response = await client.request('GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}', {
          ...repository,
          artifact_id: artifactId,
          archive_format: 'zip',
          request: { redirect: 'manual' },
        });
        location = (response.headers as Record<string, string | undefined>).location;
      } catch (error) {
        throw refused(error, repository, `artifact ${artifactId}`);
      }
      if (!location) throw new UserError(`GitHub gave no download location for artifact ${artifactId} (expected a 302 redirect).`);
      return fetchBounded(location, maxBytes, options.timeoutMs ?? 120_000, artifactId);
    },
  };
}

/** GET without credentials, streamed, refusing more than maxBytes whatever content-length says. */
async function fetchBounded(url: string, maxBytes: number, timeoutMs: number, artifactId: number): Promise<Uint8Array> {
  const host = new URL(url).host;
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw downloadFailed(artifactId, host, (error as Error).message);
  }
  if (!response.ok || !response.body) throw downloadFailed(artifactId, host, `HTTP ${response.status} ${response.statusText}`);
  const declared = Number(response.headers.get('content-length') ?? NaN);
  const tooLarge = () => new UserError(`Artifact ${artifactId} is larger than the ${maxBytes} bytes read for a baseline.`);
  if (declared > maxBytes) {
    await response.body.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

const downloadFailed = (artifactId: number, host: string, reason: string) =>
  new UserError(`Downloading artifact ${artifactId} from ${host} failed: ${reason}`);
