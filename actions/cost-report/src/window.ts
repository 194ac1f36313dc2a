// The report's window: whole UTC days, from an input such as '30d', 'month', '2026-10' or '2026-10-01..2026-10-15'.
import { InputError } from '#shared/errors.js';

export interface Window {
  /** Inclusive start, epoch ms at 00:00 UTC. */
  start: number;
  /** Exclusive end, epoch ms at 00:00 UTC. */
  end: number;
  days: number;
  /** As written by the user, e.g. '2026-10'. */
  label: string;
}

export const DAY_MS = 86_400_000;

export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function make(start: number, end: number, label: string): Window {
  return { start, end, days: Math.round((end - start) / DAY_MS), label };
}

export function parseWindow(text: string, now: number): Window {
  const value = text.trim() || 'month';
  const today = dayStart(now);
  const expected = "'30d' (the last N days, today included), 'month' (this month so far), a month 'YYYY-MM' or 'YYYY-MM-DD..YYYY-MM-DD'";
  let m = /^(\d{1,4})d$/.exec(value);
  if (m && Number(m[1]) >= 1) return make(today - (Number(m[1]) - 1) * DAY_MS, today + DAY_MS, value);
  if (value === 'month') {
    const d = new Date(today);
    return make(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), today + DAY_MS, value);
  }
  m = /^(\d{4})-(\d{2})$/.exec(value);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12)
    return make(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1), Date.UTC(Number(m[1]), Number(m[2]), 1), value);
  m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(value);
  if (m) {
    const start = Date.parse(`${m[1]}T00:00:00Z`);
    const last = Date.parse(`${m[2]}T00:00:00Z`);
    if (Number.isFinite(start) && Number.isFinite(last) && last >= start && isoDay(start) === m[1] && isoDay(last) === m[2])
      return make(start, last + DAY_MS, value);
  }
  throw new InputError('window', value, expected);
}
