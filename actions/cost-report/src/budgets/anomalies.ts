// Daily cost anomalies per group: a day whose robust z-score, 0.6745 (x - median) / MAD over the window's days,
// is above the threshold (3.5, Iglewicz and Hoaglin's cut-off) and at least one currency unit above the median.
// Only spikes count: a cheaper day (a weekend without training) is not something to chase.
import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { picoToNumber } from '../money/money.js';
import { isoDay, DAY_MS, type Window } from '../window.js';

export interface Anomaly {
  /** Group label (team/project/model) or 'unallocated'. */
  group: string;
  /** Index into the series given (for the driver pass). */
  series: number;
  day: number;
  date: string;
  cost: number;
  median: number;
  z: number;
  drivers: { resource: string; cost: number; typical: number }[];
}

const MIN_DAYS = 7;
const MIN_DEVIATION = 1;

export function findAnomalies(series: { label: string; daily: bigint[] }[], window: Window, asOf: number, threshold: number): Anomaly[] {
  const observed = Math.max(0, Math.min(window.days, Math.round((asOf - window.start) / DAY_MS)));
  const anomalies: Anomaly[] = [];
  series.forEach((s, index) => {
    if (observed < MIN_DAYS) return;
    const values = s.daily.slice(0, observed).map(picoToNumber);
    if (values.every((v) => v === 0)) return;
    const m = median(values);
    const mad = medianAbsoluteDeviation(values);
    values.forEach((v, day) => {
      const deviation = v - m;
      if (deviation < MIN_DEVIATION) return;
      const z = mad > 0 ? (0.6745 * deviation) / mad : Infinity;
      if (z < threshold) return;
      anomalies.push({ group: s.label, series: index, day, date: isoDay(window.start + day * DAY_MS), cost: v, median: m, z, drivers: [] });
    });
  });
  return anomalies.sort((a, b) => b.cost - b.median - (a.cost - a.median));
}
