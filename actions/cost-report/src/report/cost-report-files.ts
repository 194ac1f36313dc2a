// The machine-readable reports: cost-report.json (the documented schema) and cost-report.csv (one row per group
// per day, for BI tools). Amounts are the rounded figures of rounding.ts, so every file adds up like the summary.
import { centsNumber, centsText, roundToCents } from '../money/money.js';
import type { CostReportResult } from '../cost-engine.js';
import { DAY_MS, isoDay } from '../window.js';
import type { CostTrend } from '../history/cost-trend.js';

export const SCHEMA_VERSION = '1.0';
export const ROUNDING_RULE =
  'exact sums of 1e-12 units; the total rounded half to even to the cent; attributed, shared and unallocated, then groups, then days rounded by largest remainder so that every table adds up';

export function reportJson(result: CostReportResult): Record<string, unknown> {
  const r = result.rounded;
  const money = centsNumber;
  return {
    schema_version: SCHEMA_VERSION,
    currency: result.currency,
    window: {
      label: result.window.label,
      start: isoDay(result.window.start),
      end: isoDay(result.window.end - DAY_MS),
      days: result.window.days,
    },
    total: money(r.totalCents),
    attributed: money(r.attributedCents),
    shared: money(r.sharedCents),
    unallocated: money(r.unallocatedCents),
    reconciliation: {
      line: reconciliationLine(result),
      balanced:
        r.attributedCents + r.sharedCents + r.unallocatedCents === r.totalCents &&
        result.allocation.direct + result.allocation.shared + result.allocation.unallocated === result.allocation.total,
      exact_total: exactText(result.allocation.total),
      rounding: ROUNDING_RULE,
    },
    by_group: r.groups.map((g) => ({
      ...g.key,
      cost: money(g.cents),
      direct: money(g.directCents),
      shared: money(g.sharedCents),
      share: round6(g.share),
    })),
    by_team: r.byDimension.team.map((t) => ({ team: t.name, cost: money(t.cents) })),
    by_project: r.byDimension.project.map((t) => ({ project: t.name, cost: money(t.cents) })),
    by_model: r.byDimension.model.map((t) => ({ model: t.name, cost: money(t.cents) })),
    shared_pools: result.allocation.pools.map((p) => ({
      name: p.name,
      split: p.split,
      by: p.by,
      total: money(roundToCents(p.total)),
      unallocated_reason: p.unallocatedReason ?? null,
    })),
    budgets: result.budgets.map((b) => ({
      scope: b.scope,
      name: b.name,
      month: b.month,
      budget: money(b.budgetCents),
      actual: money(b.actualCents),
      forecast: money(b.forecastCents),
      days_elapsed: b.daysElapsed,
      days_in_month: b.daysInMonth,
      trend_per_day: round6(b.trendPerDay),
      status: b.status,
    })),
    over_budget: result.overBudget,
    anomalies: result.anomalies.map((a) => ({
      group: a.group,
      date: a.date,
      cost: round2(a.cost),
      median: round2(a.median),
      robust_z: Number.isFinite(a.z) ? round6(a.z) : a.z > 0 ? 'inf' : '-inf',
      drivers: a.drivers.map((d) => ({ resource: d.resource, cost: round2(d.cost), typical: round2(d.typical) })),
    })),
    top_drivers: result.drivers.map((d) => ({ resource: d.resource, group: d.group, cost: money(d.cents) })),
    sources: result.sources.map((s) => ({
      name: s.name,
      total: money(s.totalCents),
      lines: s.lines,
      lines_outside_window: s.outsideLines,
      notes: s.notes,
    })),
    rule_overlaps: result.overlaps.map((o) => ({
      first: { rule: o.first.name, line: o.first.line },
      later: { rule: o.later.name, line: o.later.line },
      lines: o.lines,
    })),
    tag_policy: { checked: result.tagPolicyChecked, violations: result.tagViolations },
    pull_request: result.pullRequest
      ? {
          number: result.pullRequest.number,
          cost: money(result.pullRequest.cents),
          gpu_cost: money(result.pullRequest.gpuCents),
          minutes: result.pullRequest.minutes,
          baseline: result.pullRequest.baselineCents === undefined ? null : money(result.pullRequest.baselineCents),
          delta: result.pullRequest.deltaCents === undefined ? null : money(result.pullRequest.deltaCents),
          workflows: result.pullRequest.workflows.map((w) => ({
            path: w.path,
            runs: w.runs,
            cost: money(w.cents),
            baseline: w.baselineCents === undefined ? null : money(w.baselineCents),
          })),
        }
      : null,
    trend: result.history?.trend ? trendJson(result.history.trend) : null,
  };
}

/** The history branch's trend: each period's cost per group (and unallocated, total), oldest first. */
function trendJson(trend: CostTrend): Record<string, unknown> {
  return {
    periods: trend.periods.map((p) => ({ label: p.label, start: p.start, end: p.end, complete: p.complete })),
    rows: trend.rows.map((row) => ({
      ...(row.key ?? { team: row.label, project: '', model: '' }),
      costs: row.cents.map((c) => c / 100),
      change: row.changeCents === undefined ? null : row.changeCents / 100,
      change_share: row.changeShare === undefined ? null : round6(row.changeShare),
    })),
  };
}

/** One row per group per day (unallocated as team 'unallocated'); each group's days add up to its total. */
export function* reportCsvLines(result: CostReportResult): Generator<string> {
  yield 'date,team,project,model,cost,currency\n';
  const { window, rounded } = result;
  const rows: { key: string[]; daily: bigint[] }[] = [
    ...rounded.groups.map((g) => ({ key: [g.key.team, g.key.project, g.key.model], daily: g.dailyCents })),
    { key: ['unallocated', '', ''], daily: rounded.unallocatedDailyCents },
  ];
  for (let day = 0; day < window.days; day++) {
    const date = isoDay(window.start + day * DAY_MS);
    for (const row of rows) yield `${date},${row.key.map(csvCell).join(',')},${centsText(row.daily[day])},${result.currency}\n`;
  }
}

export function reconciliationLine(result: CostReportResult): string {
  const r = result.rounded;
  const ok = r.attributedCents + r.sharedCents + r.unallocatedCents === r.totalCents;
  const f = (c: bigint) => `${centsText(c)} ${result.currency}`;
  return `source total ${f(r.totalCents)} = attributed ${f(r.attributedCents)} + shared ${f(r.sharedCents)} + unallocated ${f(r.unallocatedCents)}${ok ? '' : ' (DOES NOT BALANCE)'}`;
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
const round2 = (x: number) => Math.round(x * 100) / 100;
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
function exactText(pico: bigint): string {
  const negative = pico < 0n;
  const abs = negative ? -pico : pico;
  const text = `${abs / 1_000_000_000_000n}.${String(abs % 1_000_000_000_000n).padStart(12, '0')}`.replace(/\.?0+$/, '');
  return negative ? `-${text}` : text;
}
