// Pure SVG chart builders for the HTML report pages and the history dashboard: no script, no external font, text in
// currentColor so charts read on light and dark pages. Every plotted mark carries data-* attributes with the exact
// values it shows, so tests (and curious users) can read the numbers back from the page.
// Scales and tick choice come from d3-scale; the drawing itself is a few rects, paths and circles, simpler to write
// than to configure a charting library that would need a DOM.

import { scaleLinear, scaleUtc, type ScaleLinear } from 'd3-scale';
import { escapeHtml, safeHref } from './html-escape.js';
import { formatNumber } from './markdown.js';

/** Okabe-Ito colours: distinguishable with the common kinds of colour blindness. */
export const SERIES_COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#8C8C8C', '#F0E442'];
const THRESHOLD_COLOR = '#CF222E';

const WIDTH = 720;
const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";
/** Rough width of one character at 12px; used to wrap the legend and decide whether labels fit. */
const CHAR_WIDTH = 6.6;
const LEFT = 64;
const RIGHT = 24;

export interface HistogramSeries {
  name: string;
  /** One value per bin: counts, or shares when series of different sizes are compared. */
  counts: number[];
}

export interface OverlaidHistogramSpec {
  title: string;
  /** Bin edges, one more than the bins; -Infinity/Infinity allowed for open-ended outer bins. */
  edges: number[];
  /** Usually [reference, current]; drawn in that order as outlines (step lines) over the same bins. */
  series: HistogramSeries[];
  yLabel?: string;
  xLabel?: string;
  /** How an edge is written (axis labels and tooltips); by default a number to 4 significant digits. */
  edgeLabel?: (edge: number) => string;
}

export interface BarChartSeries {
  name: string;
  values: number[];
}

export interface BarChartSpec {
  title: string;
  labels: string[];
  /** Usually [reference, current]; one bar per series side by side for each label. */
  series: BarChartSeries[];
  yLabel?: string;
}

export interface LinePoint {
  /** ISO 8601 date-time, e.g. 2024-06-01T12:00:00Z. */
  x: string;
  y: number;
  /** Where clicking the point goes, e.g. the workflow run that produced it. */
  href?: string;
  /** Extra text for the tooltip, e.g. "run #42 on main". */
  label?: string;
}

export interface LineSeries {
  name: string;
  points: LinePoint[];
}

export interface ChartThreshold {
  value: number;
  label?: string;
}

export interface LineChartSpec {
  title: string;
  series: LineSeries[];
  yLabel: string;
  threshold?: number | ChartThreshold;
  /** Fixed y range; by default the data's range including 0 and the threshold, rounded to nice numbers. */
  yDomain?: [number, number];
  /** 'number': points' x are numbers (as strings, e.g. row indices) on a linear axis; by default ISO date-times. */
  xKind?: 'time' | 'number';
}

/**
 * Reference and current distributions of a numeric column over the same bins, each series drawn as an outline (a step
 * line; the second dashed) so that both stay visible where they overlap. Bins
 * are drawn at equal width whatever the edges (quantile bins would otherwise be slivers); edge values label the
 * boundaries. Each bar is `<rect data-series data-bin data-value>` with a tooltip.
 */
export function overlaidHistogramSvg(spec: OverlaidHistogramSpec): string {
  const bins = spec.edges.length - 1;
  if (bins < 1) throw new Error(`overlaidHistogramSvg: '${spec.title}' needs at least two edges`);
  const edgeLabel = (edge: number) => (spec.edgeLabel && Number.isFinite(edge) ? spec.edgeLabel(edge) : formatEdge(edge));
  for (const s of spec.series) {
    if (s.counts.length !== bins) {
      throw new Error(`overlaidHistogramSvg: series '${s.name}' has ${s.counts.length} values for ${bins} bins`);
    }
  }
  const legend = legendSvg(
    spec.series.map((s) => s.name),
    'line',
  );
  const top = legend.bottom + 12;
  const bottom = spec.xLabel ? 56 : 40;
  const height = top + 220 + bottom;
  const plotBottom = height - bottom;
  const values = spec.series.flatMap((s) => s.counts).filter(Number.isFinite);
  const y = valueScale(values, [], plotBottom, top);
  const slot = (WIDTH - LEFT - RIGHT) / bins;

  const bars = spec.series.map((s, index) => {
    const color = SERIES_COLORS[index % SERIES_COLORS.length];
    const rects = s.counts.map((value, bin) => {
      const range = `[${edgeLabel(spec.edges[bin])}, ${edgeLabel(spec.edges[bin + 1])})`;
      const { y: barY, height: barHeight } = barExtent(y, value);
      return (
        `<rect x="${r(LEFT + bin * slot + 1)}" y="${r(barY)}" width="${r(Math.max(slot - 2, 1))}" ` +
        `height="${r(barHeight)}" data-series="${escapeHtml(s.name)}" data-bin="${bin}" data-value="${value}">` +
        `<title>${escapeHtml(`${s.name} ${range}: ${formatNumber(value, 4)}`)}</title></rect>`
      );
    });
    // The series is its outline (a step line over the bins); the rects under it are transparent, there for the
    // tooltips and the exact values. Two outlines stay readable where overlapping filled bars hide each other.
    let outline = '';
    s.counts.forEach((value, bin) => {
      const top = r(Number.isFinite(value) ? y(value) : y(0));
      outline += `${bin === 0 ? `M${r(LEFT)},${r(y(0))}V${top}` : `V${top}`}H${r(LEFT + (bin + 1) * slot)}`;
    });
    outline += `V${r(y(0))}`;
    return (
      `<g><g fill="${color}" fill-opacity="0" stroke="none">${rects.join('')}</g>` +
      `<path data-outline="${escapeHtml(s.name)}" d="${outline}" fill="none" stroke="${color}" stroke-width="2"` +
      `${index > 0 ? ' stroke-dasharray="6 3"' : ''}/></g>`
    );
  });

  // Label every k-th edge so that labels never overlap.
  const every = Math.ceil((bins + 1) / Math.max(1, Math.floor((WIDTH - LEFT - RIGHT) / 60)));
  const edgeLabels = spec.edges
    .map((edge, i) =>
      i % every === 0 || i === bins
        ? `<text x="${r(LEFT + i * slot)}" y="${plotBottom + 18}" text-anchor="middle">${escapeHtml(edgeLabel(edge))}</text>`
        : '',
    )
    .join('');
  const xAxis =
    `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${r(plotBottom)}" y2="${r(plotBottom)}" stroke="currentColor"/>` +
    `<g fill="currentColor">${edgeLabels}${xLabelSvg(spec.xLabel, height)}</g>`;

  return svgDocument(spec.title, height, [legend.svg, yAxisSvg(y, spec.yLabel, top, plotBottom), ...bars, xAxis]);
}

/**
 * Categorical shares (or counts) of each series side by side per label. Each bar is
 * `<rect data-series data-label data-value>` with a tooltip. Long or many labels are slanted and shortened; the
 * tooltip keeps the full label. Pass the top categories only when there are more than fit (about 40).
 */
export function barChartSvg(spec: BarChartSpec): string {
  const groups = spec.labels.length;
  for (const s of spec.series) {
    if (s.values.length !== groups) {
      throw new Error(`barChartSvg: series '${s.name}' has ${s.values.length} values for ${groups} labels`);
    }
  }
  const legend = legendSvg(spec.series.map((s) => s.name));
  const top = legend.bottom + 12;
  const groupWidth = (WIDTH - LEFT - RIGHT) / Math.max(groups, 1);
  const slanted = spec.labels.some((label) => label.length * CHAR_WIDTH > groupWidth - 4);
  const shown = spec.labels.map((label) => shorten(label, slanted ? 16 : 40));
  const bottom = slanted ? 24 + Math.max(...shown.map((l) => l.length)) * CHAR_WIDTH * 0.65 : 40;
  const height = top + 220 + bottom;
  const plotBottom = height - bottom;
  const y = valueScale(spec.series.flatMap((s) => s.values).filter(Number.isFinite), [], plotBottom, top);
  const barWidth = (groupWidth * 0.8) / Math.max(spec.series.length, 1);

  const bars = spec.series.map((s, index) => {
    const color = SERIES_COLORS[index % SERIES_COLORS.length];
    const rects = s.values.map((value, i) => {
      const { y: barY, height: barHeight } = barExtent(y, value);
      const x = LEFT + i * groupWidth + groupWidth * 0.1 + index * barWidth;
      return (
        `<rect x="${r(x)}" y="${r(barY)}" width="${r(Math.max(barWidth - 1, 1))}" height="${r(barHeight)}" ` +
        `data-series="${escapeHtml(s.name)}" data-label="${escapeHtml(spec.labels[i])}" data-value="${value}">` +
        `<title>${escapeHtml(`${s.name}, ${spec.labels[i]}: ${formatNumber(value, 4)}`)}</title></rect>`
      );
    });
    return `<g fill="${color}">${rects.join('')}</g>`;
  });

  const labels = shown
    .map((label, i) => {
      const x = r(LEFT + (i + 0.5) * groupWidth);
      const yText = plotBottom + 16;
      return slanted
        ? `<text x="${x}" y="${yText}" text-anchor="end" transform="rotate(-40 ${x} ${yText})">${escapeHtml(label)}</text>`
        : `<text x="${x}" y="${yText}" text-anchor="middle">${escapeHtml(label)}</text>`;
    })
    .join('');
  const xAxis =
    `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${r(plotBottom)}" y2="${r(plotBottom)}" stroke="currentColor"/>` +
    `<g fill="currentColor">${labels}</g>`;

  return svgDocument(spec.title, height, [legend.svg, yAxisSvg(y, spec.yLabel, top, plotBottom), ...bars, xAxis]);
}

/**
 * Series of values over time, e.g. a metric per run. Each point is `<circle data-series data-x data-y>` with a
 * `<title>` tooltip, wrapped in `<a href>` when the point has a (safe) link. Points with a non-finite y are not drawn
 * and break the line. An optional threshold is a dashed horizontal line.
 */
export function lineChartSvg(spec: LineChartSpec): string {
  const threshold = typeof spec.threshold === 'number' ? { value: spec.threshold } : spec.threshold;
  const numericX = spec.xKind === 'number';
  const parsed = spec.series.map((s) => ({
    name: s.name,
    points: s.points
      .map((point) => {
        const time = numericX ? Number(point.x) : Date.parse(point.x);
        if (Number.isNaN(time)) {
          throw new Error(`lineChartSvg: point x '${point.x}' in series '${s.name}' is not ${numericX ? 'a number' : 'an ISO date-time'}`);
        }
        return { ...point, time };
      })
      .sort((a, b) => a.time - b.time),
  }));
  const legend = legendSvg(spec.series.map((s) => s.name));
  const top = legend.bottom + 12;
  const height = top + 240 + 40;
  const plotBottom = height - 40;
  const finite = parsed.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y));
  if (finite.length === 0) {
    return svgDocument(spec.title, height, [
      legend.svg,
      `<text x="${WIDTH / 2}" y="${r((top + plotBottom) / 2)}" text-anchor="middle" fill="currentColor">No data yet</text>`,
    ]);
  }

  const extra = threshold && Number.isFinite(threshold.value) ? [threshold.value] : [];
  const y = spec.yDomain
    ? scaleLinear().domain(spec.yDomain).range([plotBottom, top])
    : valueScale(
        finite.map((p) => p.y),
        extra,
        plotBottom,
        top,
      );
  let [first, last] = [Math.min(...finite.map((p) => p.time)), Math.max(...finite.map((p) => p.time))];
  const half = numericX ? Math.max(1, Math.abs(first) / 2) : 43_200_000;
  if (first === last) [first, last] = [first - half, last + half]; // one run: half a day either side
  // Inset so that circles at either end are not cut in half by the plot's edge.
  const range = [LEFT + 10, WIDTH - RIGHT - 10];
  const x = numericX ? scaleLinear().domain([first, last]).range(range) : scaleUtc().domain([first, last]).range(range);
  const ticks: { at: number; label: string }[] = [];
  if (numericX) {
    const linear = scaleLinear().domain([first, last]);
    const format = linear.tickFormat(6, ',');
    for (const tick of linear.ticks(6)) ticks.push({ at: tick, label: format(tick) });
  } else {
    const utc = scaleUtc().domain([first, last]);
    const format = utc.tickFormat();
    for (const tick of utc.ticks(6)) ticks.push({ at: tick.getTime(), label: format(tick) });
  }
  const xTicks = ticks
    .map(
      (tick) =>
        `<line x1="${r(x(tick.at))}" x2="${r(x(tick.at))}" y1="${r(plotBottom)}" y2="${r(plotBottom + 5)}" stroke="currentColor"/>` +
        `<text x="${r(x(tick.at))}" y="${plotBottom + 19}" text-anchor="middle" fill="currentColor">${escapeHtml(tick.label)}</text>`,
    )
    .join('');
  const xAxis = `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${r(plotBottom)}" y2="${r(plotBottom)}" stroke="currentColor"/>` + xTicks;

  const radius = finite.length > 300 ? 2.5 : 4;
  const lines = parsed.map((s, index) => {
    const color = SERIES_COLORS[index % SERIES_COLORS.length];
    let path = '';
    let pen = 'M';
    for (const p of s.points) {
      if (!Number.isFinite(p.y)) {
        pen = 'M'; // a gap where the value is missing
        continue;
      }
      path += `${pen}${r(x(p.time))},${r(y(p.y))}`;
      pen = 'L';
    }
    const circles = s.points
      .filter((p) => Number.isFinite(p.y))
      .map((p) => {
        const tip = `${s.name}: ${formatNumber(p.y, 4)} at ${p.x}${p.label ? ` (${p.label})` : ''}`;
        const circle =
          `<circle cx="${r(x(p.time))}" cy="${r(y(p.y))}" r="${radius}" data-series="${escapeHtml(s.name)}" ` +
          `data-x="${escapeHtml(p.x)}" data-y="${p.y}"><title>${escapeHtml(tip)}</title></circle>`;
        const href = safeHref(p.href);
        return href ? `<a href="${escapeHtml(href)}">${circle}</a>` : circle;
      });
    return (
      `<g data-series="${escapeHtml(s.name)}">` +
      (path ? `<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>` : '') +
      `<g fill="${color}" stroke="white" stroke-width="1">${circles.join('')}</g></g>`
    );
  });

  let thresholdSvg = '';
  if (threshold && Number.isFinite(threshold.value)) {
    const ty = r(y(threshold.value));
    const text = threshold.label ?? `threshold ${formatNumber(threshold.value)}`;
    thresholdSvg =
      `<g data-threshold="${threshold.value}"><line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${ty}" y2="${ty}" ` +
      `stroke="${THRESHOLD_COLOR}" stroke-width="1.5" stroke-dasharray="6 4"/>` +
      `<text x="${WIDTH - RIGHT - 4}" y="${ty - 5}" text-anchor="end" fill="${THRESHOLD_COLOR}">${escapeHtml(text)}</text></g>`;
  }

  return svgDocument(spec.title, height, [legend.svg, yAxisSvg(y, spec.yLabel, top, plotBottom), thresholdSvg, xAxis, ...lines]);
}

function svgDocument(title: string, height: number, parts: string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${r(height)}" width="${WIDTH}" ` +
    `height="${r(height)}" role="img" aria-label="${escapeHtml(title)}" font-family="${FONT_FAMILY}" font-size="12">` +
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600" fill="currentColor">` +
    `${escapeHtml(title)}</text>${parts.join('')}</svg>`
  );
}

/** Legend rows under the title; wraps when the names do not fit on one line. */
function legendSvg(names: string[], swatch: 'box' | 'line' = 'box'): { svg: string; bottom: number } {
  const rowHeight = 18;
  let x = LEFT;
  let row = 0;
  const items = names.map((name, index) => {
    const shown = shorten(name, 40);
    const itemWidth = 12 + 6 + shown.length * CHAR_WIDTH + 18;
    if (x + itemWidth > WIDTH - RIGHT && x > LEFT) {
      x = LEFT;
      row += 1;
    }
    const y = 36 + row * rowHeight;
    const color = SERIES_COLORS[index % SERIES_COLORS.length];
    const item =
      `<g data-legend="${escapeHtml(name)}"><title>${escapeHtml(name)}</title>` +
      (swatch === 'line'
        ? `<line x1="${r(x)}" x2="${r(x + 12)}" y1="${y + 6}" y2="${y + 6}" stroke="${color}" stroke-width="2"${index > 0 ? ' stroke-dasharray="4 2"' : ''}/>`
        : `<rect x="${r(x)}" y="${y}" width="12" height="12" fill="${color}"/>`) +
      `<text x="${r(x + 18)}" y="${y + 10}" fill="currentColor">${escapeHtml(shown)}</text></g>`;
    x += itemWidth;
    return item;
  });
  const bottom = names.length === 0 ? 30 : 36 + (row + 1) * rowHeight;
  return { svg: items.join(''), bottom };
}

function yAxisSvg(y: ScaleLinear<number, number>, label: string | undefined, top: number, bottom: number): string {
  const format = y.tickFormat(5);
  const ticks = y
    .ticks(5)
    .map((tick) => {
      const ty = r(y(tick));
      return (
        `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${ty}" y2="${ty}" stroke="currentColor" stroke-opacity="0.15"/>` +
        `<text x="${LEFT - 8}" y="${ty + 4}" text-anchor="end" fill="currentColor">${escapeHtml(format(tick))}</text>`
      );
    })
    .join('');
  const axis = `<line x1="${LEFT}" x2="${LEFT}" y1="${r(top)}" y2="${r(bottom)}" stroke="currentColor"/>`;
  const middle = r((top + bottom) / 2);
  const title = label
    ? `<text x="16" y="${middle}" text-anchor="middle" transform="rotate(-90 16 ${middle})" fill="currentColor">${escapeHtml(label)}</text>`
    : '';
  return ticks + axis + title;
}

function xLabelSvg(label: string | undefined, height: number): string {
  if (!label) return '';
  return `<text x="${r(LEFT + (WIDTH - LEFT - RIGHT) / 2)}" y="${r(height - 8)}" text-anchor="middle">${escapeHtml(label)}</text>`;
}

/** A y scale over the values (and extras such as a threshold), always including 0, rounded to nice ticks. */
function valueScale(values: number[], extras: number[], bottom: number, top: number): ScaleLinear<number, number> {
  const all = [...values, ...extras, 0];
  const low = Math.min(...all);
  let high = Math.max(...all);
  if (low === high) high = low + 1;
  return scaleLinear().domain([low, high]).nice(5).range([bottom, top]);
}

/** A bar from 0 to `value` (downwards for negatives); non-finite values get no height. */
function barExtent(y: ScaleLinear<number, number>, value: number): { y: number; height: number } {
  if (!Number.isFinite(value)) return { y: y(0), height: 0 };
  const a = y(value);
  const b = y(0);
  return { y: Math.min(a, b), height: Math.abs(b - a) };
}

function formatEdge(edge: number): string {
  if (edge === -Infinity) return '-∞';
  if (edge === Infinity) return '∞';
  const rounded = Number(edge.toPrecision(4));
  // Thousands separators (336,700); tiny magnitudes keep their exponent form.
  return rounded !== 0 && Math.abs(rounded) < 1e-4 ? String(rounded) : rounded.toLocaleString('en-US', { maximumFractionDigits: 20 });
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Coordinates rounded to 0.1px keep the markup small. */
function r(value: number): number {
  return Math.round(value * 10) / 10;
}
