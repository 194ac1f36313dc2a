// The drift HTML report opened in real headless Chromium, on a skewed delay column (most rows near 0, a long tail),
// 240 airports of which 7 vanish and 2 appear, and a stable score: the charts plot exactly the JSON report's
// distribution, the numeric bins are pooled quantiles (no two bins hold almost every row), the category chart is the
// top 20 plus "other (N more)", vanished categories are listed, drifted rows are coloured, and nothing is fetched.
// With histogram-scale log the delay bins are log-spaced and still equal the JSON; with the current labels held back
// the performance section shows the CBPE estimates and bands of the JSON.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { openDataset } from '#shared/data/index.js';
import { MemoryBudget } from '#shared/stats/sketches/memory-budget.js';
import { compareProfiles, type DriftSettings } from '../../../actions/drift-check/src/drift-engine.js';
import type { DriftReport } from '../../../actions/drift-check/src/drift-report.js';
import { profileDataset, type ColumnPlan } from '../../../actions/drift-check/src/profile/dataset-profile.js';
import { driftReportHtml } from '../../../actions/drift-check/src/report/drift-html.js';
import { launchBrowser, openHtmlFile, type OpenedPage } from '../../support/browser.js';

// Runs inside the page (the DOM library is not in this project's tsconfig).
declare const getComputedStyle: (element: unknown) => { fill: string; stroke: string; fillOpacity: string; backgroundColor: string };

const settings: DriftSettings = {
  method: 'auto',
  columnMethods: {},
  driftShare: 0.5,
  psiBins: 10,
  psiBinning: 'quantile',
  performanceTolerance: 0.1,
};

const dir = mkdtempSync(join(tmpdir(), 'drift-html-'));

function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const AIRPORTS = Array.from({ length: 240 }, (_, i) => `A${String(i).padStart(3, '0')}`);
const VANISHED = AIRPORTS.slice(10, 17);

function writeCsv(name: string, rows: number, seed: number, current: boolean): string {
  const random = lcg(seed);
  const lines = ['delay,airport,score'];
  for (let i = 0; i < rows; i++) {
    // Log-normal delays: the current data's are longer (scale 1.6x).
    const normal = Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
    const delay = Math.exp(1.2 * normal) * (current ? 16 : 10);
    // Zipf-like airport choice over the 240, with 7 of them gone and 2 new ones in the current data.
    let airport = AIRPORTS[Math.min(AIRPORTS.length - 1, Math.floor(AIRPORTS.length * random() ** 2))];
    if (current && VANISHED.includes(airport)) airport = random() < 0.5 ? 'NEW1' : 'NEW2';
    lines.push(`${delay.toFixed(3)},${airport},${random().toFixed(4)}`);
  }
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const plan: ColumnPlan[] = [
  { name: 'delay', kind: 'numerical' },
  { name: 'airport', kind: 'categorical' },
  { name: 'score', kind: 'numerical' },
];

let browser: Browser;
let report: DriftReport;
let opened: OpenedPage;
/** The same data with histogram-scale: log (the delays are positive and log-normal; the airport column has no bins). */
let logReport: DriftReport;
let logOpened: OpenedPage;
/** Late labels: the CBPE fixture's current credit decisions without their target (test/fixtures/drift-check/cbpe). */
let estimatedReport: DriftReport;
let estimatedOpened: OpenedPage;

beforeAll(async () => {
  const profile = async (path: string) => profileDataset(await openDataset(path), plan, { budget: new MemoryBudget(64 * 1024 * 1024) });
  const reference = await profile(writeCsv('reference.csv', 4000, 7, false));
  const current = await profile(writeCsv('current.csv', 4000, 11, true));
  report = compareProfiles(reference, current, settings, [], new Date('2026-01-01T00:00:00Z'));
  const path = join(dir, 'report.html');
  writeFileSync(path, driftReportHtml(report));
  logReport = compareProfiles(reference, current, { ...settings, histogramScale: 'log' }, [], new Date('2026-01-01T00:00:00Z'));
  const logPath = join(dir, 'report-log.html');
  writeFileSync(logPath, driftReportHtml(logReport));
  browser = await launchBrowser();
  opened = await openHtmlFile(browser, path);
  logOpened = await openHtmlFile(browser, logPath);
  const cbpe = (file: string) => join(process.cwd(), 'test/fixtures/drift-check/cbpe', file);
  const performance = { target: 'defaulted', prediction: 'approved', score: 'score' };
  const scored: ColumnPlan[] = [{ name: 'score', kind: 'numerical' }];
  const budget = () => new MemoryBudget(64 * 1024 * 1024);
  const labelled = await profileDataset(await openDataset(cbpe('reference.csv')), scored, { budget: budget(), performance });
  const unlabelled = await profileDataset(await openDataset(cbpe('current.csv')), scored, {
    budget: budget(),
    performance: { ...performance, labelsAbsent: true },
  });
  estimatedReport = compareProfiles(labelled, unlabelled, settings, [], new Date('2026-01-01T00:00:00Z'));
  const estimatedPath = join(dir, 'report-estimated.html');
  writeFileSync(estimatedPath, driftReportHtml(estimatedReport));
  estimatedOpened = await openHtmlFile(browser, estimatedPath);
});

afterAll(async () => {
  await estimatedOpened?.close();
  await logOpened?.close();
  await opened?.close();
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const column = (name: string) => report.columns.find((c) => c.name === name)!;

describe('the drift HTML report in Chromium', () => {
  test('opens offline: no request leaves the page and no error is logged', () => {
    expect(opened.externalRequests).toEqual([]);
    expect(opened.consoleErrors).toEqual([]);
  });

  test('the delay chart plots the JSON distribution over pooled-quantile bins, as two outlines', async () => {
    const delay = column('delay');
    expect(delay.drifted).toBe(true);
    const d = delay.distribution!;
    expect(d.kind).toBe('bins');
    expect(d.binning).toBe('pooled-quantiles');
    const bins = d.labels.length - 1;
    expect(bins).toBeGreaterThanOrEqual(15);
    // Equal-width bins put almost every row in the first two; pooled quantiles give each bin about 1/bins of the rows.
    const pooled = d.reference.map((r, i) => (r + d.current[i]) / 2);
    expect(Math.max(...pooled)).toBeLessThan(3 / bins);
    expect(pooled[0] + pooled[1]).toBeLessThan(0.2);
    for (const series of ['reference', 'current'] as const) {
      const plotted = await opened.page.$$eval(`#column-delay rect[data-series="${series}"]`, (rects) =>
        rects.map((r) => [Number(r.getAttribute('data-bin')), Number(r.getAttribute('data-value'))]),
      );
      expect(plotted.map(([bin]) => bin)).toEqual(Array.from({ length: bins }, (_, i) => i));
      plotted.forEach(([, value], i) => expect(value).toBeCloseTo(d[series][i], 12));
    }
    const outlines = await opened.page.$$eval('#column-delay path[data-outline]', (paths) =>
      paths.map((p) => ({ name: p.getAttribute('data-outline'), fill: getComputedStyle(p).fill })),
    );
    expect(outlines).toEqual([
      { name: 'reference', fill: 'none' },
      { name: 'current', fill: 'none' },
    ]);
    expect(await opened.page.locator('#column-delay figcaption').textContent()).toMatch(/quantiles/);
  });

  test('the airport chart is the top 20 and an "other (N more)" bar equal to the JSON, and says so', async () => {
    const d = column('airport').distribution!;
    const categories = new Set([...AIRPORTS, 'NEW1', 'NEW2']).size;
    expect(d.other_categories).toBeGreaterThan(0);
    expect(d.labels).toHaveLength(21);
    expect(d.labels[20]).toBe(`other (${d.other_categories} more)`);
    expect(20 + d.other_categories!).toBeLessThanOrEqual(categories);
    for (const series of ['reference', 'current'] as const) {
      const bars = await opened.page.$$eval(`#column-airport rect[data-series="${series}"]`, (rects) =>
        rects.map((r) => ({ label: r.getAttribute('data-label'), value: Number(r.getAttribute('data-value')) })),
      );
      expect(bars.map((b) => b.label)).toEqual(d.labels);
      bars.forEach((b, i) => expect(b.value).toBeCloseTo(d[series][i], 12));
      expect(d[series].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
    const title = await opened.page.locator('#column-airport svg > text').first().textContent();
    expect(title).toMatch(/top 20 of \d+ categories/);
    expect(await opened.page.locator('#column-airport figcaption').textContent()).toMatch(/other/);
  });

  test('vanished and new categories are listed, and reference and current stats sit side by side', async () => {
    const airport = column('airport');
    expect(airport.vanished_categories).toEqual(VANISHED);
    const vanished = await opened.page.locator('#column-airport ul[data-kind="vanished"] code').allTextContents();
    expect(vanished).toEqual(airport.vanished_categories);
    const fresh = await opened.page.locator('#column-airport ul[data-kind="new"] code').allTextContents();
    expect(fresh).toEqual(['NEW1', 'NEW2']);
    const rows = await opened.page.$$eval('#column-delay table.side-by-side tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.getAttribute('data-sort') ?? td.textContent)),
    );
    const stats = column('delay');
    const median = rows.find((r) => r[0] === 'median')!;
    expect(Number(median[1])).toBe((stats.reference_stats as { median: number }).median);
    expect(Number(median[2])).toBe((stats.current_stats as { median: number }).median);
    const count = await opened.page.locator('#column-delay table.side-by-side tbody tr').first().textContent();
    expect(count).toContain('4,000'); // thousands separators
  });

  test('drifted rows and the verdict are coloured, thresholds are shown, the drift share is a bar', async () => {
    const { page } = opened;
    const styles = await page.$$eval('#columns tbody tr', (trs) =>
      trs.map((tr) => ({
        name: tr.cells[0].textContent,
        drifted: tr.classList.contains('drifted'),
        background: getComputedStyle(tr).backgroundColor,
        threshold: tr.cells[5].textContent,
      })),
    );
    expect(styles.map((s) => [s.name, s.drifted])).toEqual(report.columns.map((c) => [c.name, c.drifted]));
    const drifted = styles.find((s) => s.drifted)!;
    const clean = styles.find((s) => !s.drifted)!;
    expect(clean).toBeDefined();
    expect(drifted.background).not.toBe(clean.background);
    expect(drifted.background).not.toMatch(/rgba\(0, 0, 0, 0\)/);
    for (const s of styles) expect(s.threshold).toMatch(/^(p < |≥ )\d/);
    const verdict = await page.$eval('p.verdict', (p) => ({ cls: p.className, color: getComputedStyle(p).backgroundColor }));
    expect(verdict.cls).toMatch(report.dataset_drift ? /bad/ : /good/);
    expect(verdict.color).not.toBe('rgba(0, 0, 0, 0)');
    const meter = await page.$eval('#verdict .meter', (m) => ({
      share: Number(m.getAttribute('data-share')),
      threshold: Number(m.getAttribute('data-threshold')),
      fill: m.querySelector('.fill')!.getBoundingClientRect().width,
      width: m.getBoundingClientRect().width,
      mark: m.querySelector('.mark')!.getBoundingClientRect().left - m.getBoundingClientRect().left,
    }));
    expect(meter.share).toBe(report.drift_share);
    expect(meter.threshold).toBe(report.drift_share_threshold);
    expect(meter.fill / meter.width).toBeCloseTo(report.drift_share, 1);
    expect(meter.mark / meter.width).toBeCloseTo(report.drift_share_threshold, 1);
  });

  test('with histogram-scale log, the delay chart plots the JSON over log-spaced bins and says it is a log scale', async () => {
    const { page, externalRequests, consoleErrors } = logOpened;
    expect(externalRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    const d = logReport.columns.find((c) => c.name === 'delay')!.distribution!;
    expect(d.binning).toBe('log');
    const edges = d.labels as number[];
    expect(edges).toHaveLength(21);
    const stats = column('delay');
    const min = Math.min((stats.reference_stats as { min: number }).min, (stats.current_stats as { min: number }).min);
    const max = Math.max((stats.reference_stats as { max: number }).max, (stats.current_stats as { max: number }).max);
    expect(edges[0]).toBe(min);
    expect(edges[20]).toBe(max);
    // Every bin spans the same ratio: evenly spaced in log10.
    const ratio = (max / min) ** (1 / 20);
    for (let i = 1; i < edges.length; i++) expect(edges[i] / edges[i - 1]).toBeCloseTo(ratio, 9);
    for (const series of ['reference', 'current'] as const) {
      expect(d[series].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      const plotted = await page.$$eval(`#column-delay rect[data-series="${series}"]`, (rects) =>
        rects.map((r) => ({ bin: Number(r.getAttribute('data-bin')), value: Number(r.getAttribute('data-value')), title: r.textContent })),
      );
      expect(plotted.map((p) => p.bin)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      plotted.forEach((p, i) => {
        expect(p.value).toBeCloseTo(d[series][i], 12);
        // The tooltip's range is the JSON's bin, [edge i, edge i+1), at 4 significant digits.
        const [lo, hi] = p
          .title!.match(/\[([^,\]]+(?:,\d{3})*), ([^)]+)\)/)!
          .slice(1)
          .map((t: string) => Number(t.replace(/,/g, '')));
        expect(lo).toBeCloseTo(Number(edges[i].toPrecision(4)), 9);
        expect(hi).toBeCloseTo(Number(edges[i + 1].toPrecision(4)), 9);
      });
    }
    const svgText = await page.locator('#column-delay svg').textContent();
    expect(svgText).toMatch(/log scale: 20 bins evenly spaced in log10/);
    expect(await page.locator('#column-delay figcaption').textContent()).toMatch(/^Log scale/);
    // The default report says its scale too.
    expect(await opened.page.locator('#column-delay svg').textContent()).toMatch(/pooled quantiles/);
  });

  test('without current labels, the performance section shows the CBPE estimates and bands of the JSON, degraded rows coloured', async () => {
    const { page, externalRequests, consoleErrors } = estimatedOpened;
    expect(externalRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    const estimated = estimatedReport.performance!.estimated!;
    const rows = await page.$$eval('#performance table.estimated-performance tbody tr', (trs) =>
      trs.map((tr) => ({
        cells: [...tr.querySelectorAll('td')].map((td) => td.getAttribute('data-sort') ?? td.textContent),
        drifted: tr.classList.contains('drifted'),
        background: getComputedStyle(tr).backgroundColor,
      })),
    );
    expect(rows.map((r) => r.cells[0])).toEqual(estimated.metrics.map((m) => m.metric));
    rows.forEach((row, i) => {
      const m = estimated.metrics[i];
      expect(Number(row.cells[1])).toBe(m.reference);
      expect(Number(row.cells[2])).toBe(m.value);
      const [lower, upper] = row.cells[3]!.split(' – ').map(Number);
      expect(lower).toBeCloseTo(m.lower, 4);
      expect(upper).toBeCloseTo(m.upper, 4);
      expect(row.drifted).toBe(m.degraded);
    });
    expect(rows.some((r) => r.drifted)).toBe(true);
    expect(rows.find((r) => r.drifted)!.background).not.toMatch(/rgba\(0, 0, 0, 0\)/);
    expect(await page.locator('p.verdict').textContent()).toMatch(/Performance drift \(estimated\)/);
  });
});
