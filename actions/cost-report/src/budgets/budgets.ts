// Monthly budgets per team, project or model, with a month-end forecast: the month's actual cost so far plus, for
// each day left, the median cost of the same weekday in the last four weeks (weekdays and weekends differ for
// training jobs), and a linear trend of the last 28 days for context. Pure: daily costs in, budget lines out.
import { readInputFile } from '../input-files.js';
import { linearRegression, median } from 'simple-statistics';
import { load as loadYaml } from 'js-yaml';
import { DataError } from '#shared/errors.js';
import { parseAmountText, picoToNumber, roundToCents } from '../money/money.js';
import { DAY_MS, isoDay, type Window } from '../window.js';
import type { GroupCost } from '../attribution/allocate.js';
import type { Dimension } from '../attribution/rules.js';

export interface Budget {
  scope: Dimension;
  name: string;
  /** Pico units per month. */
  monthly: bigint;
}

export type BudgetStatus = 'ok' | 'forecast-over' | 'over';

export interface BudgetLine {
  scope: Dimension;
  name: string;
  month: string;
  budgetCents: bigint;
  actualCents: bigint;
  forecastCents: bigint;
  /** Days of the month with data so far, and in the month. */
  daysElapsed: number;
  daysInMonth: number;
  /** Per-day change of the last 28 days' cost (currency units a day), from a least-squares line. */
  trendPerDay: number;
  status: BudgetStatus;
}

export async function loadBudgets(path: string): Promise<Budget[]> {
  const text = await readInputFile(path, 'budgets');
  let doc: unknown;
  try {
    doc = loadYaml(text);
  } catch (error) {
    const mark = (error as { mark?: { line: number } }).mark;
    throw new DataError(`not valid YAML: ${(error as Error).message.split('\n')[0]}`, { file: path, line: (mark?.line ?? 0) + 1 });
  }
  const list = Array.isArray(doc) ? doc : (doc as { budgets?: unknown })?.budgets;
  if (!Array.isArray(list))
    throw new DataError("expected 'budgets:' with a list of { team|project|model: <name>, monthly: <amount> }", { file: path, line: 1 });
  return list.map((raw, i) => {
    const where = { file: path, line: lineOfItem(text, i) };
    const entry = raw as Record<string, unknown>;
    const scopes = (['team', 'project', 'model'] as const).filter((d) => entry?.[d] !== undefined);
    if (scopes.length !== 1) throw new DataError(`budget ${i + 1} needs exactly one of team, project or model`, where);
    const monthly = parseAmountText(String(entry.monthly ?? ''));
    if (monthly === undefined || monthly <= 0n)
      throw new DataError(`budget ${i + 1}: monthly '${String(entry.monthly ?? '')}'. Expected an amount > 0`, where);
    return { scope: scopes[0], name: String(entry[scopes[0]]), monthly };
  });
}

/** The line of the i-th "- " item of the budgets list (for messages; 1 when not found). */
function lineOfItem(text: string, index: number): number {
  const lines = text.split('\n');
  let seen = -1;
  for (let i = 0; i < lines.length; i++) if (/^\s*-\s/.test(lines[i]) && ++seen === index) return i + 1;
  return 1;
}

/**
 * Evaluates each budget for the month holding the window's last observed day (`asOf` exclusive: days before it
 * have data).
 */
export function evaluateBudgets(budgets: Budget[], groups: Pick<GroupCost, 'key' | 'daily'>[], window: Window, asOf: number): BudgetLine[] {
  const lastDay = Math.min(asOf, window.end) - DAY_MS;
  const d = new Date(lastDay);
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  const daysInMonth = Math.round((monthEnd - monthStart) / DAY_MS);
  const observedEnd = Math.min(asOf, window.end, monthEnd);
  return budgets.map((budget) => {
    const daily = new Array<bigint>(window.days).fill(0n);
    for (const g of groups) if (g.key[budget.scope] === budget.name) g.daily.forEach((v, i) => (daily[i] += v));
    const dayIndex = (ms: number) => Math.round((ms - window.start) / DAY_MS);
    let actual = 0n;
    for (let t = Math.max(monthStart, window.start); t < observedEnd; t += DAY_MS) actual += daily[dayIndex(t)];
    const daysElapsed = Math.max(0, Math.round((observedEnd - Math.max(monthStart, window.start)) / DAY_MS));
    // Run rate: the last 28 observed days of the window.
    const history: { t: number; v: number }[] = [];
    for (let t = Math.max(window.start, observedEnd - 28 * DAY_MS); t < observedEnd; t += DAY_MS)
      history.push({ t, v: picoToNumber(daily[dayIndex(t)]) });
    let forecast = picoToNumber(actual);
    for (let t = observedEnd; t < monthEnd; t += DAY_MS) forecast += dailyRate(history, new Date(t).getUTCDay());
    const trendPerDay = history.length >= 2 ? linearRegression(history.map((h, i) => [i, h.v])).m : 0;
    const budgetCents = roundToCents(budget.monthly);
    const actualCents = roundToCents(actual);
    const forecastCents = BigInt(Math.round(forecast * 100));
    const status: BudgetStatus = actualCents > budgetCents ? 'over' : forecastCents > budgetCents ? 'forecast-over' : 'ok';
    return {
      scope: budget.scope,
      name: budget.name,
      month: isoDay(monthStart).slice(0, 7),
      budgetCents,
      actualCents,
      forecastCents,
      daysElapsed,
      daysInMonth,
      trendPerDay,
      status,
    };
  });
}

/** Median cost of the same weekday (at least two seen), else of the same kind of day (weekday or weekend), else 0. */
export function dailyRate(history: { t: number; v: number }[], weekday: number): number {
  const same = history.filter((h) => new Date(h.t).getUTCDay() === weekday).map((h) => h.v);
  if (same.length >= 2) return median(same);
  const weekend = (w: number) => w === 0 || w === 6;
  const kind = history.filter((h) => weekend(new Date(h.t).getUTCDay()) === weekend(weekday)).map((h) => h.v);
  if (kind.length > 0) return median(kind);
  return history.length > 0 ? median(history.map((h) => h.v)) : 0;
}
