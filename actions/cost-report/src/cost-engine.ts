// The cost report, start to end: read every source once into the ledger (attribution by rules), split shared
// pools, round once, then budgets, anomalies (with a second pass for the resources that drove them), tag policy
// and the pull request's cost. No @actions/* here: main.ts hands in the settings and the adapters.
import { UserError } from '#shared/errors.js';
import { allocate, groupLabel, type Allocation } from './attribution/allocate.js';
import { Ledger, type RuleOverlap } from './attribution/ledger.js';
import { EMPTY_RULES, loadRules, type RuleSet } from './attribution/rules.js';
import { findAnomalies, type Anomaly } from './budgets/anomalies.js';
import { evaluateBudgets, loadBudgets, type BudgetLine } from './budgets/budgets.js';
import type { CostReportInputs } from './inputs.js';
import { roundToCents } from './money/money.js';
import { roundReport, type RoundedReport } from './report/rounding.js';
import type { CostSource, LineField } from './sources/cost-batch.js';
import { CurrencyPolicy } from './sources/currency.js';
import { focusSource } from './sources/focus-source.js';
import { opencostSource } from './sources/opencost-source.js';
import { loadRateCard } from './sources/rate-card.js';
import { githubActionsSource, type ActionsApi } from './sources/github-actions-source.js';
import { checkTagPolicy, type TagViolation } from './tags/tag-policy.js';
import { pullRequestCost, type PullRequestCost } from './pull-request/pr-cost.js';
import { dayStart, DAY_MS, parseWindow, type Window } from './window.js';
import type { CostHistory } from './history/cost-history.js';

export interface EngineDeps {
  now: number;
  /** GitHub's REST API (absent without a token or repository). */
  actions?: ActionsApi;
  fetchJson: (url: URL) => Promise<unknown>;
  pullRequest?: { number: number; headSha: string; baseRef: string };
  warn: (message: string) => void;
}

export interface SourceSummary {
  name: string;
  totalCents: bigint;
  lines: number;
  outsideLines: number;
  notes: string[];
}

export interface CostReportResult {
  currency: string;
  window: Window;
  /** Days before this (exclusive, ms) have data. */
  asOf: number;
  allocation: Allocation;
  rounded: RoundedReport;
  sources: SourceSummary[];
  budgets: BudgetLine[];
  overBudget: boolean;
  anomalies: Anomaly[];
  drivers: { resource: string; group: string; cents: bigint }[];
  driversTruncated: boolean;
  overlaps: RuleOverlap[];
  rulesFile?: string;
  tagViolations: TagViolation[];
  tagPolicyChecked: number;
  pullRequest?: PullRequestCost;
  /** With history-branch: this run's record and the trend through it (set by history/cost-history.ts). */
  history?: CostHistory;
}

export async function runCostReport(inputs: CostReportInputs, deps: EngineDeps): Promise<CostReportResult> {
  const window = parseWindow(inputs.window, deps.now);
  const asOf = Math.min(window.end, dayStart(deps.now) + DAY_MS);
  const rateCard = await loadRateCard(inputs.rates);
  const currency = new CurrencyPolicy(rateCard.currency, rateCard.exchangeRates);
  const rules: RuleSet = inputs.attribution ? await loadRules(inputs.attribution) : EMPTY_RULES;
  const budgets = inputs.budgets ? await loadBudgets(inputs.budgets) : [];
  const budgetBytes = inputs.memoryBudgetMb * 1024 * 1024;
  const batchRows = Math.max(4096, Math.min(65536, Math.floor(budgetBytes / 2 / 1024)));

  const sources: CostSource[] = [];
  const fields = new Set<LineField>([...rules.fields, 'service', 'resource']);
  if (inputs.sources.includes('focus'))
    sources.push(
      await focusSource({ files: inputs.focusFiles, basis: inputs.costBasis, currency, batchRows, fields, tags: rules.usesTags }),
    );
  if (inputs.sources.includes('opencost'))
    sources.push(
      await opencostSource({
        file: inputs.opencostFile,
        url: inputs.opencostUrl,
        idle: inputs.opencostIdle,
        currency,
        opencostCurrency: 'USD',
        window,
        fetchJson: deps.fetchJson,
      }),
    );
  if (inputs.sources.includes('github-actions')) {
    if (!deps.actions)
      throw new UserError("sources: github-actions needs 'github-token' and a repository (GITHUB_REPOSITORY or input 'repositories').");
    sources.push(
      await githubActionsSource({
        api: deps.actions,
        repositories: inputs.repositories,
        organizations: inputs.organizations,
        window,
        rateCard,
        currency,
        platformFeePerMinute: inputs.selfHostedPlatformFee,
      }),
    );
  }

  // A tracked resource costs its daily array and its map entry: a quarter of the budget goes to them.
  const driverLimit = Math.max(1000, Math.floor(budgetBytes / 4 / (window.days * 8 + 200)));
  const ledger = new Ledger(window, rules, { cacheLimit: Math.max(10_000, Math.floor(budgetBytes / 400)), driverLimit });
  for (const source of sources) await source.scan((batch) => ledger.add(source.name, batch));
  const allocation = allocate(ledger);
  const sourceTotal = [...ledger.sourceTotals.values()].reduce((a, s) => a + s.pico(), 0n);
  if (sourceTotal !== allocation.total)
    throw new Error(`reconciliation failed: sources ${sourceTotal} != allocated ${allocation.total} (pico units)`);
  const rounded = roundReport(allocation);

  // Budgets read the rounded days, so a budget's actual is the sum of the cents the tables show.
  const roundedDaily = rounded.groups.map((g) => ({ key: g.key, daily: g.dailyCents.map((c) => c * 10_000_000_000n) }));
  const budgetLines = evaluateBudgets(budgets, roundedDaily, window, asOf);
  const series = [
    ...allocation.groups.map((g) => ({ label: groupLabel(g.key), daily: g.daily, target: g.target })),
    { label: 'unallocated', daily: allocation.unallocatedDaily, target: -2 },
  ];
  const anomalies = findAnomalies(series, window, asOf, inputs.anomalyThreshold).slice(0, 20);
  if (anomalies.length > 0) findDrivers(anomalies, series, ledger);

  const drivers = [...ledger.resources.entries()]
    .map(([resource, d]) => ({ resource, target: d.target, pico: d.sum.pico() }))
    .filter((d) => d.pico !== 0n)
    .sort((a, b) => (a.pico === b.pico ? 0 : a.pico > b.pico ? -1 : 1))
    .slice(0, 10)
    .map((d) => ({ resource: d.resource, group: targetLabel(ledger, d.target), cents: roundToCents(d.pico) }));
  const tags = inputs.tagPolicy.length > 0 ? await checkTagPolicy(inputs.tagPolicy, inputs.manifests) : { violations: [], checked: 0 };
  const pullRequest =
    deps.pullRequest && deps.actions && inputs.pullRequestRepository && inputs.sources.includes('github-actions')
      ? await pullRequestCost({
          api: deps.actions,
          repositories: [inputs.pullRequestRepository],
          rateCard,
          currency,
          platformFeePerMinute: inputs.selfHostedPlatformFee,
          ...deps.pullRequest,
        })
      : undefined;

  return {
    currency: currency.currency ?? 'USD',
    window,
    asOf,
    allocation,
    rounded,
    sources: sources.map((s) => ({
      name: s.name,
      totalCents: roundToCents(ledger.sourceTotals.get(s.name)?.pico() ?? 0n),
      lines: ledger.sourceLines.get(s.name) ?? 0,
      outsideLines: ledger.outside.get(s.name)?.lines ?? 0,
      notes: s.notes,
    })),
    budgets: budgetLines,
    overBudget: budgetLines.some((b) => b.status !== 'ok'),
    anomalies,
    drivers,
    driversTruncated: ledger.driversTruncated,
    overlaps: ledger.ruleOverlaps(),
    rulesFile: rules.file,
    tagViolations: tags.violations,
    tagPolicyChecked: tags.checked,
    pullRequest,
  };
}

function targetLabel(ledger: Ledger, target: number): string {
  const t = ledger.targets[target].target;
  return t.kind === 'group' ? groupLabel(t.group) : t.kind === 'shared' ? `shared: ${t.pool}` : 'unallocated';
}

/** The resources behind each anomaly: the group's resources whose cost that day is furthest above their mean day. */
function findDrivers(anomalies: Anomaly[], series: { target: number }[], ledger: Ledger): void {
  const unallocated = ledger.targets.findIndex((t) => t.target.kind === 'unallocated');
  const byTarget = new Map<number, [string, { daily: Float64Array }][]>();
  for (const entry of ledger.resources) {
    let list = byTarget.get(entry[1].target);
    if (!list) byTarget.set(entry[1].target, (list = []));
    list.push(entry);
  }
  for (const a of anomalies) {
    const target = series[a.series].target === -2 ? unallocated : series[a.series].target;
    a.drivers = (byTarget.get(target) ?? [])
      .map(([resource, r]) => ({ resource, cost: r.daily[a.day], typical: r.daily.reduce((x, y) => x + y, 0) / ledger.window.days }))
      .sort((x, y) => y.cost - y.typical - (x.cost - x.typical))
      .slice(0, 3);
  }
}
