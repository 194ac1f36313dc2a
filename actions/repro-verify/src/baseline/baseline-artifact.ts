// A baseline kept as a workflow artifact (uploaded with actions/upload-artifact by an earlier run): which artifact
// to take, then the baseline JSON out of its zip. Without a run id: the newest artifact of that name that has not
// expired and comes from a successful run on the default branch (a PR's own artifacts are not a baseline). With a
// run id: that run's artifact. GitHub is behind ArtifactApi (github-artifacts.ts), so this is tested against the
// loopback API server and could be driven by a fake.
import { UserError } from '#shared/errors.js';
import type { RepositoryRef } from '#shared/runtime/run-context.js';
import { parseBaseline, type BaselineDocument } from './baseline-file.js';
import { readBaselineEntry } from './artifact-zip.js';

export interface ArtifactRecord {
  id: number;
  name: string;
  expired: boolean;
  expiresAt: string | null;
  createdAt: string | null;
  sizeInBytes: number;
  runId?: number;
  headBranch?: string;
}

export interface ArtifactApi {
  /** Artifacts with exactly this name, newest first, a page (up to 100) at a time; of one run when runId is given. */
  pages(repository: RepositoryRef, name: string, runId?: number): AsyncIterable<ArtifactRecord[]>;
  defaultBranch(repository: RepositoryRef): Promise<string>;
  /** 'success', 'failure', ... or null while the run is not completed. */
  runConclusion(repository: RepositoryRef, runId: number): Promise<string | null>;
  /** The artifact's zip, refused past maxBytes. */
  download(repository: RepositoryRef, artifactId: number, maxBytes: number): Promise<Uint8Array>;
}

export interface ArtifactRequest {
  repository: RepositoryRef;
  name: string;
  runId?: number;
  maxBytes: number;
}

/** How many candidate runs are asked for their conclusion before giving up. */
const MAX_RUNS_CHECKED = 20;

export async function findBaselineArtifact(api: ArtifactApi, request: ArtifactRequest): Promise<ArtifactRecord> {
  const { repository, name, runId } = request;
  const repo = `${repository.owner}/${repository.repo}`;
  const where = runId ? `run ${runId} of ${repo}` : repo;
  // Newest first, page by page, and stop at the first artifact that fits: the pages after it are never asked for.
  let newestExpired: ArtifactRecord | undefined;
  let live = 0;
  let onDefault = 0;
  let runsChecked = 0;
  let branch: string | undefined;
  for await (const page of api.pages(repository, name, runId)) {
    for (const artifact of page) {
      if (artifact.expired) {
        newestExpired ??= artifact;
        continue;
      }
      live += 1;
      if (runId) return artifact;
      branch ??= await api.defaultBranch(repository);
      if (artifact.headBranch !== branch || artifact.runId === undefined) continue;
      onDefault += 1;
      if ((await api.runConclusion(repository, artifact.runId)) === 'success') return artifact;
      runsChecked += 1;
      if (runsChecked >= MAX_RUNS_CHECKED)
        throw new UserError(
          `No artifact named '${name}' in ${repo} comes from a successful run on the default branch '${branch}': the ${MAX_RUNS_CHECKED} newest from '${branch}' come from runs that did not succeed (or have not finished). Set baseline-run-id to take one from a given run.`,
        );
    }
  }
  if (live === 0 && !newestExpired)
    throw new UserError(
      `No artifact named '${name}' in ${where} (input 'baseline-artifact'). Upload it from an earlier run with actions/upload-artifact (name: ${name}), or check the name${runId ? ' and baseline-run-id' : ''}.`,
    );
  if (live === 0 && newestExpired)
    throw new UserError(
      `The artifact '${name}' in ${where} has expired${newestExpired.expiresAt ? ` (on ${newestExpired.expiresAt.slice(0, 10)})` : ''}: GitHub deletes artifacts after their retention period. Record a new baseline (save-baseline, then actions/upload-artifact with a longer retention-days), or keep it in the cache with baseline-cache-key.`,
    );
  throw new UserError(
    `No artifact named '${name}' in ${repo} comes from a successful run on the default branch '${branch}' (${live} not expired, ${onDefault} from '${branch}'). Set baseline-run-id to take one from a given run.`,
  );
}

export async function downloadBaselineArtifact(api: ArtifactApi, request: ArtifactRequest): Promise<BaselineDocument> {
  const artifact = await findBaselineArtifact(api, request);
  if (artifact.sizeInBytes > request.maxBytes)
    throw new UserError(
      `The artifact '${artifact.name}' (id ${artifact.id}) is ${artifact.sizeInBytes} bytes, more than the ${request.maxBytes} bytes read for a baseline: upload the baseline file on its own.`,
    );
  const zip = await api.download(request.repository, artifact.id, request.maxBytes);
  const where = `artifact '${artifact.name}' (id ${artifact.id}${artifact.runId ? `, run ${artifact.runId}` : ''})`;
  const { entry, text } = readBaselineEntry(zip, where, request.maxBytes);
  return parseBaseline(text, `${where}: ${entry}`);
}
