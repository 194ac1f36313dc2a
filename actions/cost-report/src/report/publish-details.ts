// What the publish layer gets besides the summary: annotations (overlapping rules at their lines, resources
// missing tags at theirs), the Pushgateway samples mlops_cost_usd{team,project,model}, the over-budget lines, and
// the channels with the PR comment held back when the PR's cost change is under min-delta.
import { isAbsolute, relative, resolve } from 'node:path';
import type { LineAnnotation, PublishChannels, PublishRequest } from '#shared/publish/index.js';
import type { MetricSample } from '#shared/notify/pushgateway.js';
import { centsNumber, formatMoney } from '../money/money.js';
import { costSummary, verdictLine } from './summary.js';
import type { CostReportResult } from '../cost-engine.js';
import type { CostReportInputs } from '../inputs.js';
import { COST_HISTORY_FILE, renderCostDashboard } from '../history/cost-history.js';

export interface PublishDetails {
  annotations: LineAnnotation[];
  metrics: MetricSample[];
  overBudgetLines: string[];
  channels: PublishChannels;
}

export function publishDetails(result: CostReportResult, inputs: CostReportInputs, workspace = process.cwd()): PublishDetails {
  const rel = (file: string) => {
    const r = relative(workspace, resolve(workspace, file));
    return r.startsWith('..') || isAbsolute(r) ? file : r;
  };
  const annotations: LineAnnotation[] = [];
  for (const o of result.overlaps)
    annotations.push({
      level: 'warning',
      title: 'Overlapping attribution rules',
      message: `${o.first.name} (line ${o.first.line}) and ${o.later.name} (line ${o.later.line}) both match ${o.lines} cost line(s) with different targets; the first wins. Make one more specific or reorder them.`,
      file: rel(result.rulesFile ?? 'attribution'),
      line: o.later.line,
    });
  for (const v of result.tagViolations)
    annotations.push({
      level: 'error',
      title: 'Missing cost tags',
      message: `${v.resource} lacks the required tag(s) ${v.missing.join(', ')}`,
      file: rel(v.file),
      line: v.line,
    });
  const money = (c: bigint) => formatMoney(c, result.currency);
  const overBudgetLines = result.budgets
    .filter((b) => b.status !== 'ok')
    .map(
      (b) =>
        `${b.scope} ${b.name} ${b.status === 'over' ? `spent ${money(b.actualCents)}` : `forecast ${money(b.forecastCents)}`} of ${money(b.budgetCents)} in ${b.month}`,
    );
  const metrics: MetricSample[] = result.rounded.groups.map((g) => ({
    name: 'mlops_cost_usd',
    help: `Cost in the report's currency over the window, by team, project and model`,
    value: centsNumber(g.cents),
    labels: { team: g.key.team, project: g.key.project, model: g.key.model },
  }));
  metrics.push({
    name: 'mlops_cost_usd',
    value: centsNumber(result.rounded.unallocatedCents),
    labels: { team: 'unallocated', project: '', model: '' },
  });
  metrics.push({ name: 'mlops_cost_total_usd', help: 'Total cost over the window', value: centsNumber(result.rounded.totalCents) });
  metrics.push({ name: 'mlops_cost_over_budget', help: '1 when a budget is over or forecast over', value: result.overBudget ? 1 : 0 });
  return {
    annotations,
    metrics,
    overBudgetLines,
    channels: { ...inputs.channels, commentOnPr: quiet(result, inputs) ? 'off' : inputs.channels.commentOnPr },
  };
}

/** min-delta: a PR whose cost moved less than this from the base branch's typical run gets no comment. */
export function quiet(result: CostReportResult, inputs: CostReportInputs): boolean {
  const pr = result.pullRequest;
  if (!pr || pr.deltaCents === undefined) return false;
  const delta = pr.deltaCents < 0n ? -pr.deltaCents : pr.deltaCents;
  if (inputs.minDelta.kind === 'amount') return delta < inputs.minDelta.cents;
  const base = pr.baselineCents ?? 0n;
  return base > 0n && (Number(delta) / Number(base)) * 100 < inputs.minDelta.percent;
}

/** The whole request cost-report hands the shared publishing layer. */
export function costPublication(
  result: CostReportResult,
  inputs: CostReportInputs,
  files: { json: string; csv: string; dir: string },
  workspace: string,
): { request: PublishRequest; details: PublishDetails } {
  const details = publishDetails(result, inputs, workspace);
  const request: PublishRequest = {
    action: 'cost-report',
    title: 'Cost report',
    verdict: {
      passed: !result.overBudget && result.tagViolations.length === 0,
      markdown: verdictLine(result),
      level: result.overBudget ? 'fail' : 'pass',
    },
    summary: (options) => costSummary(result, options),
    reports: { files: [files.json, files.csv], rootDirectory: files.dir },
    annotations: details.annotations,
    subject: [inputs.window, ...inputs.sources],
    alert: { active: result.overBudget, label: 'cost-over-budget', title: `Cost over budget: ${details.overBudgetLines.join('; ')}` },
    metrics: details.metrics,
    webhookDetails: [`Total ${formatMoney(result.rounded.totalCents, result.currency)}`, ...details.overBudgetLines],
    history: result.history && {
      dataFile: COST_HISTORY_FILE,
      record: result.history.record,
      render: (records) => renderCostDashboard(records),
    },
    channels: details.channels,
  };
  return { request, details };
}
