// What a failed GitHub API call means for the user: a refused write (a fork's read-only token, a missing
// `permissions:` entry) is a warning that names the permission; a bad token or a missing repository is a setup
// error with a clear message. Anything else (a bug, a network fault after retries) is left to the caller.

export interface GitHubFailure {
  /** true: warn and go on (the step's outcome is the data's verdict); false: fail the step with the message. */
  warn: boolean;
  message: string;
}

/** The HTTP status of an Octokit RequestError, or undefined for anything else. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : undefined;
}

export function githubFailure(error: unknown, doing: string, permission: string): GitHubFailure | undefined {
  const status = httpStatus(error);
  if (status === 403 || status === 404)
    return {
      warn: true,
      message:
        `Could not ${doing}: GitHub answered ${status} (the token lacks '${permission}'). ` +
        `Grant it in the workflow (permissions: ${permission}); a pull request from a fork gets a read-only token, ` +
        `so there this is expected.`,
    };
  if (status === 401)
    return {
      warn: false,
      message: `Could not ${doing}: GitHub answered 401, the token in 'github-token' is not valid (expired or revoked).`,
    };
  if (status === 422)
    return { warn: true, message: `Could not ${doing}: GitHub refused the request as invalid (422): ${(error as Error).message}` };
  return undefined;
}
