// The trend the history branch makes possible: each period's cost per team/project/model, from the last run that
// reported that period, and the change from the period before. Periods are calendar months for a monthly window
// (a run of 'month' on the 18th and the closing run of the month are one period; the later run wins) and windows of
// the same number of days otherwise, so a monthly job reads month over month. Pure: records in, table out.

export interface CostHistoryGroup {
  team: string;
  project: string;
  model: string;
  cost: number;
}

/** One run, as one line of the history branch's JSON Lines file. */
export interface CostHistoryRecord {
  time: string;
  run_url?: string;
  run_id?: string;
  sha?: string;
  ref?: string;
  /** As in cost-report.json: first and last day, both included. */
  window: { label: string; start: string; end: string; days: number };
  /** Whether the window had ended when the run reported it (a month so far is not). */
  complete: boolean;
  currency: string;
  total: number;
  unallocated: number;
  groups: CostHistoryGroup[];
}

export interface TrendPeriod {
  /** '2026-10' for a calendar month, else '2026-10-01..2026-10-30'. */
  label: string;
  start: string;
  end: string;
  complete: boolean;
  run_url?: string;
}

export interface TrendRow {
  /** 'team/project/model', 'unallocated' or 'total'. */
  label: string;
  key?: { team: string; project: string; model: string };
  /** Cents per period, oldest first; a group absent from a period cost nothing in it. */
  cents: number[];
  /** Last period minus the one before, in cents; undefined with one period. */
  changeCents?: number;
  /** changeCents over the period before; undefined when that was 0. */
  changeShare?: number;
}

export interface CostTrend {
  currency: string;
  periods: TrendPeriod[];
  /** Groups (by the last period's cost, largest first), then unallocated, then total. */
  rows: TrendRow[];
  /** Earlier runs left out because they reported in another currency. */
  otherCurrencyRuns: number;
}

export const TREND_PERIODS = 6;

/** A record's period: its label and kind ('month', or '<days>d' for any other window). */
export function periodOf(record: Pick<CostHistoryRecord, 'window'>): { label: string; kind: string } {
  const { start, end, days } = record.window;
  const monthly = start.endsWith('-01') && start.slice(0, 7) === end.slice(0, 7);
  return monthly ? { label: start.slice(0, 7), kind: 'month' } : { label: `${start}..${end}`, kind: `${days}d` };
}

const cents = (amount: number) => Math.round(amount * 100);
const groupLabel = (g: { team: string; project: string; model: string }) => `${g.team}/${g.project}/${g.model}`;

/**
 * The last `maxPeriods` periods like the current run's, ending with it: earlier records from the history, in the
 * order they were appended (a later run of a period replaces an earlier one), then the current run.
 */
export function costTrend(history: CostHistoryRecord[], current: CostHistoryRecord, maxPeriods = TREND_PERIODS): CostTrend {
  const kind = periodOf(current).kind;
  const latest = new Map<string, CostHistoryRecord>();
  let otherCurrencyRuns = 0;
  for (const record of [...history, current]) {
    const period = periodOf(record);
    if (period.kind !== kind) continue;
    if (record.currency !== current.currency) {
      otherCurrencyRuns++;
      continue;
    }
    latest.delete(period.label);
    latest.set(period.label, record);
  }
  const chosen = [...latest.values()]
    .filter((r) => r.window.start <= current.window.start)
    .sort((a, b) => (a.window.start < b.window.start ? -1 : a.window.start > b.window.start ? 1 : 0))
    .slice(-Math.max(1, maxPeriods));
  const periods = chosen.map((r) => ({
    label: periodOf(r).label,
    start: r.window.start,
    end: r.window.end,
    complete: r.complete,
    run_url: r.run_url,
  }));

  const groups = new Map<string, TrendRow>();
  chosen.forEach((record, index) => {
    for (const g of record.groups) {
      const label = groupLabel(g);
      let row = groups.get(label);
      if (!row) {
        row = { label, key: { team: g.team, project: g.project, model: g.model }, cents: new Array<number>(chosen.length).fill(0) };
        groups.set(label, row);
      }
      row.cents[index] += cents(g.cost);
    }
  });
  const last = chosen.length - 1;
  const rows = [...groups.values()].sort((a, b) => b.cents[last] - a.cents[last] || a.label.localeCompare(b.label));
  rows.push({ label: 'unallocated', cents: chosen.map((r) => cents(r.unallocated)) });
  rows.push({ label: 'total', cents: chosen.map((r) => cents(r.total)) });
  for (const row of rows) {
    if (chosen.length < 2) continue;
    const before = row.cents[last - 1];
    row.changeCents = row.cents[last] - before;
    row.changeShare = before === 0 ? undefined : row.changeCents / before;
  }
  return { currency: current.currency, periods, rows, otherCurrencyRuns };
}
