// What this pull request's workflow runs have cost so far (and its GPU jobs), against the base branch's typical
// run of the same workflows: the median cost of their last completed runs there.
import { median } from 'simple-statistics';
import type { RepositoryRef } from '#shared/runtime/run-context.js';
import type { CurrencyPolicy } from '../sources/currency.js';
import { jobCost, type ActionsApi, type WorkflowRun } from '../sources/github-actions-source.js';
import type { RateCard } from '../sources/rate-card.js';
import { roundToCents } from '../money/money.js';

export interface PullRequestCost {
  number: number;
  cents: bigint;
  gpuCents: bigint;
  minutes: number;
  /** Sum over this PR's workflows of the base branch's median run cost (undefined where a workflow has none). */
  baselineCents?: bigint;
  deltaCents?: bigint;
  workflows: { path: string; runs: number; cents: bigint; baselineCents?: bigint }[];
}

const BASELINE_RUNS = 10;

export async function pullRequestCost(options: {
  api: ActionsApi;
  repositories: RepositoryRef[];
  rateCard: RateCard;
  currency: CurrencyPolicy;
  platformFeePerMinute: bigint;
  number: number;
  headSha: string;
  baseRef: string;
}): Promise<PullRequestCost> {
  const repository = options.repositories[0];
  const runCost = async (run: WorkflowRun) => {
    let pico = 0n;
    let gpu = 0n;
    let minutes = 0;
    for (const job of await options.api.listJobs(repository, run.id)) {
      const c = jobCost(options.rateCard, options.platformFeePerMinute, run, job);
      const converted = options.currency.convert(c.pico, 'USD', undefined);
      pico += converted;
      if (c.gpu) gpu += converted;
      minutes += c.minutes;
    }
    return { pico, gpu, minutes };
  };
  const byPath = new Map<string, { runs: number; pico: bigint }>();
  let total = 0n;
  let gpu = 0n;
  let minutes = 0;
  for (const run of await options.api.listRuns(repository, { head_sha: options.headSha })) {
    const c = await runCost(run);
    total += c.pico;
    gpu += c.gpu;
    minutes += c.minutes;
    const w = byPath.get(run.path) ?? { runs: 0, pico: 0n };
    byPath.set(run.path, { runs: w.runs + 1, pico: w.pico + c.pico });
  }
  const baseRuns = await options.api.listRuns(repository, { branch: options.baseRef, status: 'completed' }, 100);
  const workflows: PullRequestCost['workflows'] = [];
  let baseline: bigint | undefined;
  for (const [path, w] of byPath) {
    const costs: number[] = [];
    for (const run of baseRuns.filter((r) => r.path === path && r.head_sha !== options.headSha).slice(0, BASELINE_RUNS))
      costs.push(Number((await runCost(run)).pico));
    // A typical run times this PR's number of runs of it: reruns on a PR cost again.
    const typical = costs.length > 0 ? BigInt(Math.round(median(costs))) * BigInt(w.runs) : undefined;
    if (typical !== undefined) baseline = (baseline ?? 0n) + typical;
    workflows.push({
      path,
      runs: w.runs,
      cents: roundToCents(w.pico),
      baselineCents: typical === undefined ? undefined : roundToCents(typical),
    });
  }
  const cents = roundToCents(total);
  const baselineCents = baseline === undefined ? undefined : roundToCents(baseline);
  return {
    number: options.number,
    cents,
    gpuCents: roundToCents(gpu),
    minutes,
    baselineCents,
    deltaCents: baselineCents === undefined ? undefined : cents - baselineCents,
    workflows,
  };
}
