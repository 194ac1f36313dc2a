// GitHub Actions costs from the REST API: the workflow runs created in the window and their jobs; each job's
// minutes are rounded up to the whole minute (as GitHub bills them) and priced by the rate card from its labels.
import type { RepositoryRef } from '#shared/runtime/run-context.js';
import { isoDay, type Window } from '../window.js';
import { centsText, parseAmountText, roundToCents } from '../money/money.js';
import { batchOfLines, type CostLine, type CostSource } from './cost-batch.js';
import type { CurrencyPolicy } from './currency.js';
import { priceRunner, type RateCard } from './rate-card.js';

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
  /** The organization's billing usage items of a month; undefined when the token cannot read them. */
  billingUsage?(org: string, year: number, month: number): Promise<BillingUsageItem[] | undefined>;
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
  repositories: RepositoryRef[];
  window: Window;
  rateCard: RateCard;
  currency: CurrencyPolicy;
  platformFeePerMinute: bigint;
}

export async function githubActionsSource(options: GitHubActionsOptions): Promise<CostSource> {
  const { api, window } = options;
  const lines: CostLine[] = [];
  let runs = 0;
  let minutes = 0;
  const created = `${isoDay(window.start)}..${isoDay(window.end - 86_400_000)}`;
  for (const repository of options.repositories) {
    for (const run of await api.listRuns(repository, { created })) {
      runs++;
      for (const job of await api.listJobs(repository, run.id)) {
        const cost = jobCost(options.rateCard, options.platformFeePerMinute, run, job);
        if (cost.minutes === 0) continue;
        minutes += cost.minutes;
        const repo = `${repository.owner}/${repository.repo}`;
        lines.push({
          time: Date.parse(job.started_at),
          pico: options.currency.convert(cost.pico, 'USD', undefined),
          fields: {
            source: 'github-actions',
            service: 'GitHub Actions',
            'service-category': cost.gpu ? 'GPU' : 'Compute',
            repository: repo,
            account: repository.owner,
            workflow: run.path,
            runner: job.labels.join('\n'),
            resource: `${repo}/${run.path}#${job.name}`,
          },
        });
      }
    }
  }
  const estimate = lines.reduce((a, l) => a + l.pico, 0n);
  const notes = [`GitHub Actions: ${runs} run(s), ${lines.length} billed job(s), ${minutes} minute(s) (each job rounded up to the minute)`];
  notes.push(...(await billingReconciliation(options, estimate)));
  return {
    name: 'github-actions',
    notes,
    scan: async (visit) => visit(batchOfLines(lines)),
  };
}

/**
 * With a token that can read the organization's billing usage, the gross Actions amount GitHub billed for the same
 * repositories and days, beside our estimate from runs and the rate card (list prices: included minutes and
 * discounts make the two differ; the report says by how much).
 */
async function billingReconciliation(options: GitHubActionsOptions, estimatePico: bigint): Promise<string[]> {
  const { api, window } = options;
  if (!api.billingUsage) return [];
  const repos = new Set(options.repositories.map((r) => `${r.owner}/${r.repo}`));
  const names = new Set(options.repositories.map((r) => r.repo));
  let billed = 0n;
  for (const org of new Set(options.repositories.map((r) => r.owner))) {
    const months = new Set<string>();
    for (let t = window.start; t < window.end; t += 86_400_000) months.add(isoDay(t).slice(0, 7));
    for (const month of months) {
      const items = await api.billingUsage(org, Number(month.slice(0, 4)), Number(month.slice(5, 7)));
      if (!items)
        return [
          `GitHub billing usage of ${org} not readable with this token (it needs the organization's Administration: read permission); no reconciliation with GitHub's bill`,
        ];
      for (const item of items) {
        const t = Date.parse(item.date);
        const repo = item.repositoryName;
        if (item.product.toLowerCase() !== 'actions' || !(t >= window.start && t < window.end)) continue;
        if (repo && !repos.has(repo) && !names.has(repo)) continue;
        billed += parseAmountText(String(item.grossAmount)) ?? 0n;
      }
    }
  }
  const difference = estimatePico - billed;
  return [
    `GitHub billing usage (gross, Actions, same repositories and days): ${centsText(roundToCents(billed))} USD; this estimate differs by ${centsText(roundToCents(difference))} USD`,
  ];
}
