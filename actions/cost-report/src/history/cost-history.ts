// history-branch: each run's totals per group as one record on a git branch, read back before the report is
// written so the summary and cost-report.json show the trend (month over month for a monthly job), and a dashboard
// page drawn from every record. The publish layer appends the record after the summary, as for drift-check.
import { renderDashboardPage } from '#shared/history/dashboard-page.js';
import { readHistory, type HistoryFile } from '#shared/history/git-history-store.js';
import type { Logger } from '#shared/logger.js';
import type { RunContext } from '#shared/runtime/run-context.js';
import type { CostReportResult } from '../cost-engine.js';
import { centsNumber } from '../money/money.js';
import { DAY_MS, isoDay } from '../window.js';
import { costTrend, periodOf, type CostHistoryRecord, type CostTrend } from './cost-trend.js';

export const COST_HISTORY_FILE = 'cost-history/history.jsonl';
export const COST_DASHBOARD_FILE = 'cost-history/index.html';

export interface CostHistory {
  record: CostHistoryRecord;
  /** Undefined when the branch could not be read (a warning says why). */
  trend?: CostTrend;
}

export function historyRecord(result: CostReportResult, run: Partial<RunContext>, now: number): CostHistoryRecord {
  const r = result.rounded;
  return {
    time: new Date(now).toISOString(),
    run_url: run.runUrl,
    run_id: run.runId || undefined,
    sha: run.sha || undefined,
    ref: run.ref || undefined,
    window: {
      label: result.window.label,
      start: isoDay(result.window.start),
      end: isoDay(result.window.end - DAY_MS),
      days: result.window.days,
    },
    complete: now >= result.window.end,
    currency: result.currency,
    total: centsNumber(r.totalCents),
    unallocated: centsNumber(r.unallocatedCents),
    groups: r.groups.map((g) => ({ ...g.key, cost: centsNumber(g.cents) })),
  };
}

/**
 * This run's record and the trend through it, when the user asked for a history branch. A branch that cannot be
 * read (no checkout, no remote) costs the trend, not the report: a warning, and the record is still offered to
 * the publish layer, whose append reports its own failure.
 */
export async function readCostHistory(
  result: CostReportResult,
  branch: string | undefined,
  context: RunContext,
  logger: Logger,
  now = Date.now(),
): Promise<CostHistory | undefined> {
  if (!branch) return undefined;
  const record = historyRecord(result, context, now);
  try {
    const records = await readHistory<CostHistoryRecord>({ workspace: context.workspace, branch, dataFile: COST_HISTORY_FILE });
    return { record, trend: costTrend(records, record) };
  } catch (error) {
    logger.warning(`Could not read the cost history on branch '${branch}': ${(error as Error).message} The trend is left out.`);
    return { record };
  }
}

/** The dashboard on the history branch: total and unallocated cost per period, and each group's. */
export function renderCostDashboard(records: CostHistoryRecord[], now = new Date()): HistoryFile[] {
  const current = records.at(-1);
  if (!current) return [];
  const trend = costTrend(records.slice(0, -1), current, Infinity);
  const point = (index: number, cents: number) => {
    const period = trend.periods[index];
    return {
      x: `${period.start}T00:00:00Z`,
      y: cents / 100,
      href: period.run_url,
      label: `${period.label}${period.complete ? '' : ' (so far)'}`,
    };
  };
  const series = (rows: typeof trend.rows) => rows.map((row) => ({ name: row.label, points: row.cents.map((c, i) => point(i, c)) }));
  const html = renderDashboardPage({
    title: 'Cost history',
    subtitle: `${records.length} runs of mlops-actions cost-report: ${trend.periods.length} ${periodOf(current).kind === 'month' ? 'calendar months' : `${current.window.days}-day windows`}, in ${trend.currency}`,
    generatedAt: now,
    charts: [
      {
        title: 'Total cost',
        yLabel: trend.currency,
        series: series(trend.rows.filter((r) => r.key === undefined)),
        description: 'Each period as its last run reported it; unallocated is the cost no rule attributed.',
      },
      { title: 'Cost per team/project/model', yLabel: trend.currency, series: series(trend.rows.filter((r) => r.key !== undefined)) },
    ],
  });
  return [{ path: COST_DASHBOARD_FILE, content: html }];
}
