// Workflow artifacts for the test GitHub API server (actions/list-artifacts-for-repo,
// actions/list-workflow-run-artifacts, actions/download-artifact), in GitHub's documented shape so that the server's
// OpenAPI response check passes. The zip itself is served from a second loopback server, as GitHub redirects the
// download (302) to a signed storage URL on another host.

export interface ArtifactFixture {
  owner: string;
  repo: string;
  id: number;
  name: string;
  runId: number;
  headBranch: string;
  headSha?: string;
  createdAt: string;
  /** GitHub keeps artifacts 90 days by default; an expired one is listed but its download answers 410. */
  expired?: boolean;
  /** The archive GitHub's storage serves for it. */
  zip: Uint8Array;
}

/** The artifacts of owner/repo with the name asked for (GitHub matches it exactly), newest first. */
export function filterArtifacts(
  artifacts: ArtifactFixture[],
  owner: string,
  repo: string,
  query: Record<string, string>,
  runId?: number,
): ArtifactFixture[] {
  return artifacts
    .filter((a) => a.owner === owner && a.repo === repo)
    .filter((a) => runId === undefined || a.runId === runId)
    .filter((a) => query.name === undefined || a.name === query.name)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
}

export function artifactJson(a: ArtifactFixture, apiRoot: string) {
  const base = `${apiRoot}/repos/${a.owner}/${a.repo}/actions/artifacts/${a.id}`;
  const expires = new Date(Date.parse(a.createdAt) + 90 * 86_400_000).toISOString();
  return {
    id: a.id,
    node_id: `MDg6QXJ0aWZhY3Q${Buffer.from(String(a.id)).toString('base64url')}`,
    name: a.name,
    size_in_bytes: a.zip.length,
    url: base,
    archive_download_url: `${base}/zip`,
    expired: a.expired === true,
    created_at: a.createdAt,
    expires_at: a.expired ? new Date(Date.parse(a.createdAt) + 86_400_000).toISOString() : expires,
    updated_at: a.createdAt,
    digest: null,
    workflow_run: {
      id: a.runId,
      repository_id: 42,
      head_repository_id: 42,
      head_branch: a.headBranch,
      head_sha: a.headSha ?? '0'.repeat(40),
    },
  };
}
