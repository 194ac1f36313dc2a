// The history dashboard (index.html for GitHub Pages), opened in real headless Chromium: each recorded run is a
// point at the right place, links to its run, and the latest runs are listed newest first.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { renderDashboardPage, type DashboardChart } from '#shared/history/dashboard-page.js';
import { launchBrowser, openHtmlFile } from '../../support/browser.js';

let browser: Browser;
let dir: string;
beforeAll(async () => {
  browser = await launchBrowser();
  dir = await mkdtemp(join(tmpdir(), 'dashboard-'));
});
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

// Six nightly drift checks in June; the share jumps on the 5th when the fare distribution shifted.
const runs = [
  { x: '2024-06-01T02:00:00Z', share: 0.05, scores: { fare: 0.04, tip: 0.02, distance: 0.03 } },
  { x: '2024-06-02T02:00:00Z', share: 0.1, scores: { fare: 0.06, tip: 0.01, distance: 0.05 } },
  { x: '2024-06-03T02:00:00Z', share: 0.08, scores: { fare: 0.05, tip: 0.03, distance: 0.02 } },
  { x: '2024-06-04T02:00:00Z', share: 0.12, scores: { fare: 0.09, tip: 0.02, distance: 0.04 } },
  { x: '2024-06-05T02:00:00Z', share: 0.45, scores: { fare: 0.41, tip: 0.05, distance: 0.22 } },
  { x: '2024-06-06T02:00:00Z', share: 0.52, scores: { fare: 0.47, tip: 0.04, distance: 0.31 } },
].map((run, i) => ({ ...run, href: `https://github.com/acme/trips/actions/runs/${9000 + i}`, label: `run #${100 + i}` }));

const charts: DashboardChart[] = [
  {
    title: 'Dataset drift share',
    yLabel: 'share of drifted columns',
    threshold: { value: 0.3, label: 'alert above 0.3' },
    series: [{ name: 'drift share', points: runs.map((r) => ({ x: r.x, y: r.share, href: r.href, label: r.label })) }],
  },
  {
    title: 'Drift score per column',
    yLabel: 'drift score',
    series: (['fare', 'tip', 'distance'] as const).map((column) => ({
      name: column,
      points: runs.map((r) => ({ x: r.x, y: r.scores[column], href: r.href, label: r.label })),
    })),
  },
];

interface PlottedPoint {
  series: string;
  x: string;
  y: number;
  href: string | null;
  cx: number;
  cy: number;
  width: number;
  tooltip: string;
}

describe('renderDashboardPage in Chromium', () => {
  it('plots every run where it belongs, links each point to its run, and lists the latest runs', async () => {
    const html = renderDashboardPage({ title: 'Drift history: trips', charts, generatedAt: new Date('2024-06-06T03:00:00Z') });
    const path = join(dir, 'index.html');
    await writeFile(path, html, 'utf8');
    const opened = await openHtmlFile(browser, path);
    try {
      const { page } = opened;
      expect(await page.locator('h1').textContent()).toBe('Drift history: trips');
      expect(await page.locator('footer').textContent()).toContain('Generated 2024-06-06 03:00 UTC');

      const pointsIn = (section: string): Promise<PlottedPoint[]> =>
        page.locator(`#${section} circle`).evaluateAll((circles) =>
          circles.map((circle) => {
            const box = circle.getBoundingClientRect();
            return {
              series: circle.getAttribute('data-series') ?? '',
              x: circle.getAttribute('data-x') ?? '',
              y: Number(circle.getAttribute('data-y')),
              href: circle.closest('a')?.getAttribute('href') ?? null,
              cx: box.x + box.width / 2,
              cy: box.y + box.height / 2,
              width: box.width,
              tooltip: circle.querySelector('title')?.textContent ?? '',
            };
          }),
        );

      for (const [index, chart] of charts.entries()) {
        const plotted = await pointsIn(`chart-${index + 1}`);
        const expected = chart.series.flatMap((s) => s.points.map((p) => ({ series: s.name, x: p.x, y: p.y, href: p.href })));
        expect(plotted.map(({ series, x, y, href }) => ({ series, x, y, href }))).toEqual(expected);
        expect(plotted.every((p) => p.width > 0)).toBe(true);
        expect(plotted[0].tooltip).toContain(chart.series[0].points[0].label!);

        // Screen positions follow the data: later runs further right, equal spacing for nightly runs, and one
        // pixels-per-unit factor on the y axis (a linear scale, larger values higher up).
        for (const s of chart.series) {
          const pts = plotted.filter((p) => p.series === s.name);
          const steps = pts.slice(1).map((p, i) => p.cx - pts[i].cx);
          for (const step of steps) expect(step).toBeCloseTo(steps[0], 0);
          expect(steps[0]).toBeGreaterThan(0);
        }
        const slopes = plotted
          .slice(1)
          .map((p) => (p.cy - plotted[0].cy) / (p.y - plotted[0].y))
          .filter(Number.isFinite);
        for (const slope of slopes) {
          expect(slope).toBeLessThan(0);
          expect(slope).toBeCloseTo(slopes[0], 0);
        }
      }

      // The alert line sits at 0.3 on the same scale as the points.
      const chart1 = await pointsIn('chart-1');
      const lineY = await page.locator('#chart-1 [data-threshold] line').evaluate((l) => {
        const box = l.getBoundingClientRect();
        return box.y + box.height / 2;
      });
      const slope = (chart1[1].cy - chart1[0].cy) / (chart1[1].y - chart1[0].y);
      expect(lineY).toBeCloseTo(chart1[0].cy + slope * (0.3 - chart1[0].y), 0);
      expect(await page.locator('#chart-1 [data-threshold] text').textContent()).toBe('alert above 0.3');

      // Legend: one entry per column in the per-column chart.
      expect(await page.locator('#chart-2 [data-legend]').evaluateAll((g) => g.map((e) => e.getAttribute('data-legend')))).toEqual([
        'fare',
        'tip',
        'distance',
      ]);

      // Latest runs, newest first, each linking to its run; the per-column chart shows its highest column.
      const rows = await page
        .locator('#latest-runs tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td: { textContent: string | null }) => td.textContent)),
        );
      expect(rows[0]).toEqual(['2024-06-06 02:00 UTC', 'run #105', '0.520', 'fare: 0.470']);
      expect(rows.map((r) => r[1])).toEqual(runs.map((r) => r.label).reverse());
      const links = await page.locator('#latest-runs tbody a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(links).toEqual(runs.map((r) => r.href).reverse());

      await page.screenshot({ path: '/tmp/dashboard-page.png', fullPage: true });
      expect(opened.externalRequests).toEqual([]);
      expect(opened.consoleErrors).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it('says so when there is no run yet, and keeps an unsafe link from becoming clickable', async () => {
    const html = renderDashboardPage({
      title: 'Empty',
      generatedAt: '2024-06-01T00:00:00Z',
      charts: [
        { title: 'Nothing', yLabel: 'v', series: [{ name: 'a', points: [] }] },
        {
          title: 'One point',
          yLabel: 'v',
          series: [{ name: 'b', points: [{ x: '2024-06-01T00:00:00Z', y: 1, href: 'javascript:alert(1)' }] }],
        },
      ],
    });
    const path = join(dir, 'empty.html');
    await writeFile(path, html, 'utf8');
    const opened = await openHtmlFile(browser, path);
    try {
      expect(await opened.page.locator('#chart-1 svg text', { hasText: 'No data yet' }).count()).toBe(1);
      expect(await opened.page.locator('#chart-2 circle').count()).toBe(1);
      expect(await opened.page.locator('#chart-2 a').count()).toBe(0);
      expect(opened.consoleErrors).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it('rejects a point whose time is not an ISO date-time, naming it', () => {
    expect(() =>
      renderDashboardPage({
        title: 't',
        generatedAt: new Date(),
        charts: [{ title: 'c', yLabel: 'v', series: [{ name: 's', points: [{ x: 'yesterday', y: 1 }] }] }],
      }),
    ).toThrow(/'yesterday' in series 's' is not an ISO date-time/);
  });
});
