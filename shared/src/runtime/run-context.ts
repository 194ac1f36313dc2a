// The run's surroundings as GitHub describes them in environment variables and the event payload.
import { readFileSync } from 'node:fs';

export interface RepositoryRef {
  owner: string;
  repo: string;
}

export interface RunContext {
  repository?: RepositoryRef;
  eventName: string;
  /** The webhook payload of the triggering event; {} outside GitHub. */
  payload: Record<string, any>;
  sha: string;
  ref: string;
  workflow: string;
  job: string;
  runId: string;
  /** A link people can click to reach this run; undefined outside GitHub. */
  runUrl?: string;
  serverUrl: string;
  apiUrl: string;
  workspace: string;
  /** The pull request number when the event concerns one. */
  pullRequestNumber?: number;
}

export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
  let payload: Record<string, any> = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
    } catch {
      payload = {};
    }
  }
  const repository = owner && repo ? { owner, repo } : undefined;
  const runId = env.GITHUB_RUN_ID ?? '';
  const pullRequestNumber: number | undefined =
    payload.pull_request?.number ?? (payload.issue?.pull_request ? payload.issue.number : undefined);
  return {
    repository,
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload,
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    workflow: env.GITHUB_WORKFLOW ?? '',
    job: env.GITHUB_JOB ?? '',
    runId,
    runUrl: repository && runId ? `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` : undefined,
    serverUrl,
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    pullRequestNumber,
  };
}
