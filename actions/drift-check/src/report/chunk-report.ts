// The chunks of the current data (inputs timestamp-column and chunk) for people: in the HTML report, each column's
// drift per chunk as a line over time against the threshold; in the job summary, a short table per chunk.
import { escapeHtml } from '#shared/reports/html-page.js';
import { formatNumber, formatPercent, markdownTable } from '#shared/reports/markdown.js';
import { lineChartSvg } from '#shared/reports/svg-charts.js';
import type { ChunkDrift, DriftReport } from '../drift-report.js';
import { relativeDrift } from './drift-summary.js';

/** Columns drawn as lines at most (the most drifted first, as the column table): more lines than this cannot be told apart. */
export const CHARTED_CHUNK_COLUMNS = 12;
/** Chunks listed in the job summary at most; the JSON report has every one. */
export const SUMMARY_CHUNKS = 30;

/** Where a chunk sits on the chart's x axis: its start (an instant, or a row index). */
export function chunkX(chunk: ChunkDrift): string {
  return String(chunk.start);
}

/**
 * One line per column: its drift in each chunk relative to its own threshold (relativeDrift: a distance over its
 * threshold, log p over log threshold for tests), so every column's line crosses the same dashed line at 1 where it
 * drifts; then the share of drifted columns per chunk against the dataset drift threshold.
 */
export function chunkChartsHtml(report: DriftReport): string {
  const chunks = report.chunks ?? [];
  if (chunks.length === 0) return '<p>No chunks: the current data had no rows.</p>';
  const byRows = typeof chunks[0].start === 'number';
  const xKind = byRows ? 'number' : 'time';
  const names = report.columns.map((c) => c.name).filter((name) => chunks.some((k) => k.columns.some((c) => c.name === name)));
  const charted = names.slice(0, CHARTED_CHUNK_COLUMNS);
  const series = charted.map((name) => ({
    name,
    points: chunks.flatMap((chunk) => {
      const column = chunk.columns.find((c) => c.name === name);
      return column
        ? [
            {
              x: chunkX(chunk),
              y: relativeDrift(column),
              label: `${column.method} ${formatNumber(column.statistic, 4)}, ${chunk.rows} rows`,
            },
          ]
        : [];
    }),
  }));
  const drift = lineChartSvg({
    title: 'Drift per chunk, relative to each column threshold',
    yLabel: 'distance / threshold, or log p / log threshold',
    series,
    threshold: { value: 1, label: 'threshold (1)' },
    xKind,
  });
  const share = lineChartSvg({
    title: 'Share of drifted columns per chunk',
    yLabel: 'drifted columns',
    series: [
      { name: 'drift share', points: chunks.map((chunk) => ({ x: chunkX(chunk), y: chunk.drift_share, label: `${chunk.rows} rows` })) },
    ],
    threshold: { value: report.drift_share_threshold, label: `dataset drift threshold ${formatPercent(report.drift_share_threshold, 0)}` },
    yDomain: [0, 1],
    xKind,
  });
  const more = names.length - charted.length;
  return (
    `<p>${chunks.length} chunks of the current data, each compared with the whole reference by its column's method and threshold ` +
    `(points sit at each chunk's ${byRows ? 'first row' : 'start'}; a point above the dashed line at 1 is a drifted chunk).` +
    (more > 0 ? ` Lines for the ${charted.length} most drifted columns; ${more} more in drift-report.json.` : '') +
    `</p>\n<figure class="chunk-drift">${drift}</figure>\n<figure class="chunk-share">${share}</figure>\n` +
    (report.columns.some((c) => c.type === 'text')
      ? '<p>Text columns are not chunked (their vocabularies would be kept per chunk).</p>\n'
      : '') +
    chunkTableHtml(chunks)
  );
}

function chunkTableHtml(chunks: ChunkDrift[]): string {
  const rows = chunks
    .map(
      (chunk) =>
        `<tr${chunk.columns.some((c) => c.drifted) ? ' class="drifted"' : ''}><td>${escapeHtml(String(chunk.start))}</td>` +
        `<td>${escapeHtml(String(chunk.end))}</td><td>${chunk.rows.toLocaleString('en-US')}</td><td>${formatPercent(chunk.drift_share, 0)}</td>` +
        `<td>${escapeHtml(driftedNames(chunk))}</td></tr>`,
    )
    .join('');
  return `<table class="chunks"><thead><tr><th>Start</th><th>End</th><th>Rows</th><th>Drift share</th><th>Drifted columns</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function driftedNames(chunk: ChunkDrift): string {
  return (
    chunk.columns
      .filter((c) => c.drifted)
      .map((c) => c.name)
      .join(', ') || '—'
  );
}

/** The job summary's table: one row per chunk (the first SUMMARY_CHUNKS), its rows, drift share and drifted columns. */
export function chunkSummaryMarkdown(report: DriftReport): string {
  const chunks = report.chunks ?? [];
  if (chunks.length === 0) return '';
  const shown = chunks.slice(0, SUMMARY_CHUNKS);
  const table = markdownTable(
    ['Chunk', 'Rows', 'Drift share', 'Drifted columns'],
    shown.map((chunk) => [
      typeof chunk.start === 'number' ? `rows ${chunk.start}–${Number(chunk.end) - 1}` : chunkLabel(chunk),
      chunk.rows.toLocaleString('en-US'),
      `${chunk.drift_share >= report.drift_share_threshold ? '🔴 ' : ''}${formatPercent(chunk.drift_share, 0)}`,
      driftedNames(chunk),
    ]),
    ['left', 'right', 'right', 'left'],
  );
  const more = chunks.length > shown.length ? `\n${chunks.length - shown.length} more chunks in the JSON report.\n` : '';
  return `\n### Drift per chunk (${chunks.length} chunks)\n\n${table}${more}`;
}

/** A time chunk as its start, to the day when it starts at midnight UTC. */
function chunkLabel(chunk: ChunkDrift): string {
  const start = String(chunk.start);
  return start.endsWith('T00:00:00.000Z') ? start.slice(0, 10) : start;
}
