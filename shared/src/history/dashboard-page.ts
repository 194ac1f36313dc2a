// The history dashboard: one static index.html (GitHub Pages serves it as is) with a line chart per tracked metric
// and a table of the latest runs linking to them. Generic: the caller decides which series to plot.

import { escapeHtml, renderHtmlPage, type HtmlSection } from '../reports/html-page.js';
import { htmlTable, type HtmlCell } from '../reports/html-table.js';
import { formatNumber } from '../reports/markdown.js';
import { lineChartSvg, type ChartThreshold, type LineSeries } from '../reports/svg-charts.js';

export interface DashboardChart {
  /** e.g. "Dataset drift share" or "Drift score per column". */
  title: string;
  yLabel: string;
  /** Points' x are ISO date-times; a point's href (the run's URL) makes it clickable and groups it into a run row. */
  series: LineSeries[];
  threshold?: number | ChartThreshold;
  /** A sentence under the chart saying what it shows. */
  description?: string;
}

export interface DashboardPage {
  title: string;
  subtitle?: string;
  charts: DashboardChart[];
  generatedAt: Date | string;
  /** How many of the latest runs the table lists; default 20. */
  maxRuns?: number;
}

/** One row of the latest-runs table: the points that share a run (same href, or same time when there is no link). */
interface RunRow {
  time: number;
  x: string;
  href?: string;
  label?: string;
  /** Per chart, the points of that run by series name. */
  values: Map<number, Map<string, number>>;
}

/** The complete index.html. */
export function renderDashboardPage(page: DashboardPage): string {
  const sections: HtmlSection[] = page.charts.map((chart, index) => ({
    id: `chart-${index + 1}`,
    title: chart.title,
    html:
      `<figure>${lineChartSvg({ title: chart.title, yLabel: chart.yLabel, series: chart.series, threshold: chart.threshold })}</figure>` +
      (chart.description ? `\n<p>${escapeHtml(chart.description)}</p>` : ''),
  }));
  const runs = latestRuns(page.charts, page.maxRuns ?? 20);
  sections.push({ id: 'latest-runs', title: 'Latest runs', html: runsTable(page.charts, runs) });

  const generated = formatTime(typeof page.generatedAt === 'string' ? Date.parse(page.generatedAt) : page.generatedAt.getTime());
  return renderHtmlPage({
    title: page.title,
    subtitle: page.subtitle,
    sections,
    footer: `Generated ${generated}. Click a point or a run to open it.`,
  });
}

function latestRuns(charts: DashboardChart[], maxRuns: number): RunRow[] {
  const runs = new Map<string, RunRow>();
  charts.forEach((chart, chartIndex) => {
    for (const series of chart.series) {
      for (const point of series.points) {
        const time = Date.parse(point.x);
        if (Number.isNaN(time)) continue; // lineChartSvg has already rejected it with a clear message
        const key = point.href ?? `@${time}`;
        let run = runs.get(key);
        if (!run) {
          run = { time, x: point.x, href: point.href, label: point.label, values: new Map() };
          runs.set(key, run);
        }
        if (!run.label && point.label) run.label = point.label;
        let byName = run.values.get(chartIndex);
        if (!byName) run.values.set(chartIndex, (byName = new Map()));
        byName.set(series.name, point.y);
      }
    }
  });
  return [...runs.values()].sort((a, b) => b.time - a.time).slice(0, maxRuns);
}

function runsTable(charts: DashboardChart[], runs: RunRow[]): string {
  if (runs.length === 0) return '<p>No runs recorded yet.</p>';
  const headers = ['Time (UTC)', 'Run', ...charts.map((c) => c.title)];
  const rows = runs.map((run): HtmlCell[] => [
    { text: formatTime(run.time), sortValue: run.time, title: run.x },
    run.href ? { text: run.label ?? 'open run', href: run.href } : (run.label ?? ''),
    ...charts.map((chart, index) => chartCell(chart, run.values.get(index))),
  ]);
  return htmlTable(headers, rows);
}

/** A single-series chart shows its value; a chart with many series (a score per column) shows the highest one. */
function chartCell(chart: DashboardChart, values: Map<string, number> | undefined): HtmlCell {
  if (!values || values.size === 0) return '';
  if (chart.series.length === 1) return [...values.values()][0];
  let top: [string, number] | undefined;
  for (const [name, value] of values) {
    if (Number.isFinite(value) && (!top || value > top[1])) top = [name, value];
  }
  if (!top) return '';
  return { text: `${top[0]}: ${formatNumber(top[1])}`, sortValue: top[1], title: `highest of ${values.size} series` };
}

function formatTime(time: number): string {
  if (Number.isNaN(time)) return 'unknown time';
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
