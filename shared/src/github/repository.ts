// The repository an API call is about, and the hidden markers by which our comments and issues are found again.

export interface RepositoryRef {
  owner: string;
  repo: string;
}

/** Parses "owner/repo" (GITHUB_REPOSITORY's form). */
export function parseRepository(fullName: string): RepositoryRef {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(fullName.trim());
  if (!match) throw new Error(`Invalid repository '${fullName}'. Expected format {owner}/{repo}.`);
  return { owner: match[1], repo: match[2] };
}

/** An HTML comment GitHub renders as nothing: it tags a comment or issue as ours, for one subject. */
export function hiddenMarker(marker: string): string {
  if (!/^[\w.:/@-]+$/.test(marker)) {
    throw new Error(`Invalid marker '${marker}'. Expected letters, digits and . _ : / @ - only.`);
  }
  return `<!-- mlops-actions:${marker} -->`;
}
