// ActionsApi over Octokit (with its retry and throttling plugins): an organization's repositories, workflow runs
// and jobs, paginated; a token that cannot read them is told which permission it lacks.
import { UserError } from '#shared/errors.js';
import { createGitHubClient, type GitHubClient } from '#shared/github/client.js';
import { httpStatus } from '#shared/publish/index.js';
import type { Logger } from '#shared/logger.js';
import type { RepositoryRef } from '#shared/runtime/run-context.js';
import type { ActionsApi, BillingUsageItem, OrganizationRepository, WorkflowJob, WorkflowRun } from '../sources/github-actions-source.js';

export function githubActionsApi(options: { token: string; baseUrl: string; logger: Logger }): ActionsApi {
  const client: GitHubClient = createGitHubClient({ ...options, pacing: 'none' });
  const refused = (error: unknown, repository: RepositoryRef, what: string) => {
    const status = httpStatus(error);
    if (status === 401 || status === 403 || status === 404)
      return new UserError(
        `The token cannot read ${what} of ${repository.owner}/${repository.repo} (HTTP ${status}): it needs the 'actions: read' permission (permissions: { actions: read } in the workflow, or a token with that scope).`,
      );
    return error;
  };
  return {
    async listRuns(repository, query, limit = Infinity) {
      const runs: WorkflowRun[] = [];
      try {
        for await (const page of client.paginate.iterator(client.rest.actions.listWorkflowRunsForRepo, {
          ...repository,
          ...query,
          per_page: 100,
        } as never)) {
          for (const run of page.data as unknown as WorkflowRun[]) if (runs.length < limit) runs.push(slimRun(run));
          if (runs.length >= limit) break;
        }
      } catch (error) {
        throw refused(error, repository, 'workflow runs');
      }
      return runs;
    },
    async listOrganizationRepositories(org) {
      const repositories: OrganizationRepository[] = [];
      try {
        for await (const page of client.paginate.iterator(client.rest.repos.listForOrg, { org, type: 'all', per_page: 100 }))
          for (const r of page.data) repositories.push({ name: r.name, archived: r.archived === true });
      } catch (error) {
        const status = httpStatus(error);
        if (status === 401 || status === 403 || status === 404)
          throw new UserError(
            `The token cannot list the repositories of organization '${org}' (HTTP ${status}): '${org}/*' needs a token of that organization ` +
              `that sees its repositories and can read their workflow runs (a fine-grained token or GitHub App with the organization's ` +
              `repositories selected and 'actions: read'; the job's GITHUB_TOKEN only reaches its own repository). Check also that '${org}' is an organization.`,
          );
        throw error;
      }
      return repositories;
    },
    async billingUsage(org, year, month) {
      try {
        const response = await client.request('GET /organizations/{org}/settings/billing/usage', { org, year, month });
        return ((response.data as { usageItems?: BillingUsageItem[] }).usageItems ?? []) as BillingUsageItem[];
      } catch (error) {
        const status = httpStatus(error);
        // Not an organization, or a token without billing access: the report says so and goes on.
        if (status === 401 || status === 403 || status === 404) return undefined;
        throw error;
      }
    },
    async listJobs(repository, runId) {
      try {
        const jobs = (await client.paginate(client.rest.actions.listJobsForWorkflowRun, {
          ...repository,
          run_id: runId,
          filter: 'all',
          per_page: 100,
        })) as unknown as WorkflowJob[];
        return jobs.map(slimJob);
      } catch (error) {
        throw refused(error, repository, `the jobs of run ${runId}`);
      }
    },
  };
}

// Only the fields costing reads: an organization's month can hold 100,000 jobs, each with its steps and URLs.
const slimRun = (r: WorkflowRun): WorkflowRun => ({
  id: r.id,
  path: r.path,
  name: r.name,
  head_branch: r.head_branch,
  head_sha: r.head_sha,
  event: r.event,
  status: r.status,
  created_at: r.created_at,
});
const slimJob = (j: WorkflowJob): WorkflowJob => ({
  id: j.id,
  run_id: j.run_id,
  name: j.name,
  labels: j.labels,
  runner_name: j.runner_name,
  runner_group_name: j.runner_group_name,
  started_at: j.started_at,
  completed_at: j.completed_at,
  conclusion: j.conclusion,
});

export async function fetchJson(url: URL): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    throw new UserError(`input 'opencost-url': cannot reach ${url.origin}: ${(error as Error).message}.`);
  }
  if (!response.ok) throw new UserError(`input 'opencost-url': ${url.origin}${url.pathname} answered HTTP ${response.status}.`);
  try {
    return await response.json();
  } catch {
    throw new UserError(`input 'opencost-url': ${url.origin}${url.pathname} did not answer JSON.`);
  }
}
