// Budgets with a weekday-aware month-end forecast, and anomalies by robust z-score (reference: numpy).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dailyRate, evaluateBudgets } from '../../../actions/cost-report/src/budgets/budgets.js';
import { findAnomalies } from '../../../actions/cost-report/src/budgets/anomalies.js';
import { parseAmountText } from '../../../actions/cost-report/src/money/money.js';
import { DAY_MS, parseWindow } from '../../../actions/cost-report/src/window.js';

const reference = JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures/cost-report/reference.json'), 'utf8'));
const pico = (x: number | string) => parseAmountText(String(x))!;

describe('month-end forecast', () => {
  // November 2026: the 1st is a Sunday. Weekdays cost 100, weekends 20.
  const window = parseWindow('2026-11-01..2026-11-30', 0);
  const daily = Array.from({ length: 30 }, (_, i) => {
    const weekday = new Date(window.start + i * DAY_MS).getUTCDay();
    return pico(weekday === 0 || weekday === 6 ? 20 : 100);
  });
  const groups = [{ key: { team: 'vision', project: '', model: '' }, daily }];

  test('adds the median cost of each remaining weekday to the month so far', () => {
    const asOf = Date.UTC(2026, 10, 19); // 18 days seen: 13 weekdays, 5 weekend days
    const [line] = evaluateBudgets([{ scope: 'team', name: 'vision', monthly: pico(2000) }], groups, window, asOf);
    expect(line.daysElapsed).toBe(18);
    expect(line.actualCents).toBe(13n * 10000n + 5n * 2000n);
    // 19-30 Nov: 8 weekdays and 4 weekend days left.
    expect(line.forecastCents).toBe(line.actualCents + 8n * 10000n + 4n * 2000n);
    expect(line.status).toBe('forecast-over');
  });

  test('over when the actual already exceeds; ok when the forecast fits', () => {
    const asOf = Date.UTC(2026, 10, 19);
    const budgets = [
      { scope: 'team' as const, name: 'vision', monthly: pico(1000) },
      { scope: 'team' as const, name: 'vision', monthly: pico(5000) },
    ];
    expect(evaluateBudgets(budgets, groups, window, asOf).map((b) => b.status)).toEqual(['over', 'ok']);
  });

  test('with too few same weekdays the rate falls back to the kind of day', () => {
    const history = [
      { t: Date.UTC(2026, 10, 2), v: 100 }, // Monday
      { t: Date.UTC(2026, 10, 3), v: 120 }, // Tuesday
      { t: Date.UTC(2026, 10, 7), v: 10 }, // Saturday
    ];
    expect(dailyRate(history, 3)).toBe(110);
    expect(dailyRate(history, 0)).toBe(10);
  });
});

describe('anomalies', () => {
  test('robust z-scores match numpy and only spikes beyond 3.5 are flagged', () => {
    const window = parseWindow('2026-11-01..2026-11-14', 0);
    const series = [{ label: 'vision', daily: reference.series.map((v: number) => pico(v)) }];
    const found = findAnomalies(series, window, window.end, 3.5);
    expect(found.map((a) => a.date)).toEqual(['2026-11-07']);
    expect(found[0].z).toBeCloseTo(reference.robust_z[6], 9);
    expect(found[0].median).toBeCloseTo(reference.median, 12);
    // The drop on the 10th (z = -23) is not flagged: a cheaper day is not an anomaly to chase.
    expect(reference.robust_z[9]).toBeLessThan(-3.5);
  });

  test('fewer than 7 days: no anomalies', () => {
    const window = parseWindow('2026-11-01..2026-11-05', 0);
    expect(findAnomalies([{ label: 'x', daily: [1, 1, 1, 1, 100].map(pico) }], window, window.end, 3.5)).toEqual([]);
  });
});
