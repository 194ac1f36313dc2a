// One run of drift-check as a history record, and the dashboard drawn from all records.
import { renderDashboardPage } from '#shared/history/dashboard-page.js';
import type { HistoryFile } from '#shared/history/git-history-store.js';
import type { DriftReport } from '../drift-report.js';

export const HISTORY_DATA_FILE = 'drift-history/history.jsonl';
export const HISTORY_DASHBOARD_FILE = 'drift-history/index.html';

export interface DriftHistoryRecord {
  time: string;
  run_url?: string;
  run_id?: string;
  sha?: string;
  ref?: string;
  dataset_drift: boolean;
  drift_share: number;
  drift_share_threshold: number;
  columns: { name: string; method: string; score: number; drifted: boolean }[];
}

export function historyRecord(
  report: DriftReport,
  run: { runUrl?: string; runId?: string; sha?: string; ref?: string },
): DriftHistoryRecord {
  return {
    time: report.generated_at,
    run_url: run.runUrl,
    run_id: run.runId || undefined,
    sha: run.sha || undefined,
    ref: run.ref || undefined,
    dataset_drift: report.dataset_drift,
    drift_share: report.drift_share,
    drift_share_threshold: report.drift_share_threshold,
    columns: report.columns.map((c) => ({ name: c.name, method: c.method, score: c.drift_score, drifted: c.drifted })),
  };
}

export function renderDriftDashboard(records: DriftHistoryRecord[], now = new Date()): HistoryFile[] {
  const columnNames = [...new Set(records.flatMap((r) => r.columns.map((c) => c.name)))];
  const label = (r: DriftHistoryRecord) => [r.run_id && `run ${r.run_id}`, r.ref, r.sha?.slice(0, 7)].filter(Boolean).join(' · ');
  const html = renderDashboardPage({
    title: 'Drift history',
    subtitle: `${records.length} runs of mlops-actions drift-check`,
    generatedAt: now,
    charts: [
      {
        title: 'Dataset drift share',
        yLabel: 'share of drifted columns',
        threshold: { value: records.at(-1)?.drift_share_threshold ?? 0.5, label: 'dataset drift threshold' },
        series: [
          {
            name: 'drift share',
            points: records.map((r) => ({ x: r.time, y: r.drift_share, href: r.run_url, label: label(r) })),
          },
        ],
      },
      {
        title: 'Drift score per column',
        yLabel: 'drift score',
        description: 'Distance for distance methods, 1 - p-value for tests.',
        series: columnNames.map((name) => ({
          name,
          points: records.flatMap((r) => {
            const column = r.columns.find((c) => c.name === name);
            return column ? [{ x: r.time, y: column.score, href: r.run_url, label: `${label(r)} · ${column.method}` }] : [];
          }),
        })),
      },
    ],
  });
  return [{ path: HISTORY_DASHBOARD_FILE, content: html }];
}
