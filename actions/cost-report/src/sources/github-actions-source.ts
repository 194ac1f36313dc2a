// GitHub Actions costs from the REST API: the workflow runs created in the window and their jobs, for the named
// repositories and every repository of the named organizations; each job's minutes are rounded up to the whole
// minute (as GitHub bills them) and priced by the rate card from its labels.
import type { RepositoryRef } from '#shared/runtime/run-context.js';
import type { OrganizationRepositories } from '../inputs.js';
import { DAY_MS, isoDay, type Window } from '../window.js';
import { billingReconciliation } from './billing-reconciliation.js';
import { batchOfLines, type CostLine, type CostSource } from './cost-batch.js';
import type { CurrencyPolicy } from './currency.js';
import { resolveRepositories } from './organization-repositories.js';
import { priceRunner, type RateCard } from './rate-card.js';
import { requestLimiter, type Limiter } from './request-limiter.js';

export interface WorkflowRun {
  id: number;
  path: string;
  name?: string | null;
  head_branch: string | null;
  head_sha: string;
  event: string;
  status: string | null;
  created_at: string;
}

export interface WorkflowJob {
  id: number;
  run_id: number;
  name: string;
  labels: string[];
  runner_name: string | null;
  runner_group_name?: string | null;
  started_at: string;
  completed_at: string | null;
  conclusion: string | null;
}

/** The two calls this source makes; adapters/github-actions-api.ts implements them with Octokit. */
export interface ActionsApi {
  listRuns(
    repository: RepositoryRef,
    query: { created?: string; head_sha?: string; branch?: string; status?: string },
    limit?: number,
  ): Promise<WorkflowRun[]>;
  listJobs(repository: RepositoryRef, runId: number): Promise<WorkflowJob[]>;
  /** Every repository of an organization (GET /orgs/{org}/repos, all pages). */
  listOrganizationRepositories?(org: string): Promise<OrganizationRepository[]>;
  /** The organization's billing usage items of a month; undefined when the token cannot read them. */
  billingUsage?(org: string, year: number, month: number): Promise<BillingUsageItem[] | undefined>;
}

export interface OrganizationRepository {
  name: string;
  archived: boolean;
}

export interface BillingUsageItem {
  date: string;
  product: string;
  grossAmount: number;
  repositoryName?: string;
}

export interface JobCost {
  run: WorkflowRun;
  job: WorkflowJob;
  minutes: number;
  pico: bigint;
  gpu: boolean;
  basis: string;
}

/** Minutes as GitHub bills them: each job's duration rounded up to the whole minute. */
export function billedMinutes(job: Pick<WorkflowJob, 'started_at' | 'completed_at'>): number {
  if (!job.completed_at) return 0;
  const ms = Date.parse(job.completed_at) - Date.parse(job.started_at);
  return Number.isFinite(ms) && ms > 0 ? Math.ceil(ms / 60_000) : 0;
}

export function jobCost(card: RateCard, platformFeePerMinute: bigint, run: WorkflowRun, job: WorkflowJob): JobCost {
  const minutes = billedMinutes(job);
  const price = priceRunner(card, job.labels, job.runner_group_name);
  const perMinute = price.perMinute + (price.kind === 'self-hosted' ? platformFeePerMinute : 0n);
  return { run, job, minutes, pico: BigInt(minutes) * perMinute, gpu: job.labels.some((l) => /gpu/i.test(l)), basis: price.basis };
}

export interface GitHubActionsOptions {
  api: ActionsApi;
  /** Repositories named one by one. */
  repositories: RepositoryRef[];
  /** Organizations whose repositories (by name glob) are listed first; none by default. */
  organizations?: OrganizationRepositories[];
  window: Window;
  rateCard: RateCard;
  currency: CurrencyPolicy;
  platformFeePerMinute: bigint;
  /** GitHub requests in flight at once, over all repositories and runs. */
  concurrency?: number;
}

/** GitHub lists at most 1,000 workflow runs for a query with `created`; a window that hits it is split in two. */
export const RUN_LIST_LIMIT = 1000;
const DEFAULT_CONCURRENCY = 4;

export async function githubActionsSource(options: GitHubActionsOptions): Promise<CostSource> {
  const { api, window } = options;
  const limit = requestLimiter(options.concurrency ?? DEFAULT_CONCURRENCY);
  const resolved = await resolveRepositories(api, options.repositories, options.organizations ?? [], limit);
  const notes = [...resolved.notes];
  const lastDay = window.end - DAY_MS;
  let runs = 0;
  let minutes = 0;
  // Each run becomes its cost lines as soon as its jobs arrive, so only lines are kept, never GitHub's job objects.
  const runLines = (repository: RepositoryRef, run: WorkflowRun, jobs: WorkflowJob[]): CostLine[] => {
    const repo = `${repository.owner}/${repository.repo}`;
    runs++;
    return jobs
      .map((job) => jobCost(options.rateCard, options.platformFeePerMinute, run, job))
      .filter((cost) => cost.minutes > 0)
      .map((cost) => {
        minutes += cost.minutes;
        return {
          time: Date.parse(cost.job.started_at),
          pico: options.currency.convert(cost.pico, 'USD', undefined),
          fields: {
            source: 'github-actions',
            service: 'GitHub Actions',
            'service-category': cost.gpu ? 'GPU' : 'Compute',
            repository: repo,
            account: repository.owner,
            workflow: run.path,
            runner: cost.job.labels.join('\n'),
            resource: `${repo}/${run.path}#${cost.job.name}`,
          },
        };
      });
  };
  const perRepository = await Promise.all(
    resolved.repositories.map(async (repository) => {
      const listed = await runsCreated(api, repository, window.start, lastDay, limit, notes);
      return Promise.all(listed.map(async (run) => runLines(repository, run, await limit(() => api.listJobs(repository, run.id)))));
    }),
  );
  const lines = perRepository.flat(2);
  const estimate = lines.reduce((a, l) => a + l.pico, 0n);
  notes.unshift(
    `GitHub Actions: ${resolved.repositories.length} repositor${resolved.repositories.length === 1 ? 'y' : 'ies'}, ${runs} run(s), ${lines.length} billed job(s), ${minutes} minute(s) (each job rounded up to the minute)`,
  );
  notes.push(...(await billingReconciliation({ ...options, repositories: resolved.repositories }, estimate)));
  return {
    name: 'github-actions',
    notes,
    scan: async (visit) => visit(batchOfLines(lines)),
  };
}

/**
 * The runs of `repository` created from day `first` to day `last` (both included). GitHub answers such a query
 * with 1,000 runs at most, so a range that fills the answer is halved until each half fits; a single day over the
 * limit is kept as listed and a note says some runs are missing.
 */
async function runsCreated(
  api: ActionsApi,
  repository: RepositoryRef,
  first: number,
  last: number,
  limit: Limiter,
  notes: string[],
): Promise<WorkflowRun[]> {
  const runs = await limit(() => api.listRuns(repository, { created: `${isoDay(first)}..${isoDay(last)}` }));
  if (runs.length < RUN_LIST_LIMIT) return runs;
  if (first === last) {
    notes.push(
      `${repository.owner}/${repository.repo} had more than ${RUN_LIST_LIMIT} workflow runs on ${isoDay(first)}; GitHub lists ${RUN_LIST_LIMIT} a query, so the others are missing from this report`,
    );
    return runs;
  }
  const middle = first + Math.floor((last - first) / DAY_MS / 2) * DAY_MS;
  const [early, late] = await Promise.all([
    runsCreated(api, repository, first, middle, limit, notes),
    runsCreated(api, repository, middle + DAY_MS, last, limit, notes),
  ]);
  return [...early, ...late];
}
