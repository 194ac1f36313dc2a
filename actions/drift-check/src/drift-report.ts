// The drift report: the versioned JSON document users parse (its field names are a public contract), and the
// source of the summary, the HTML page, the PR comment, metrics and history.
import type { MethodName } from './methods/method-catalog.js';
import type { Task } from './profile/performance-accumulator.js';
import type { EstimatedPerformance } from './performance/estimated/cbpe.js';

export const DRIFT_REPORT_SCHEMA_VERSION = '1.0';

/** datetime: instants compared as numbers of seconds since 1970-01-01T00:00:00Z (input datetime-columns). */
export type DriftColumnType = 'numerical' | 'categorical' | 'text' | 'datetime';

/** What the HTML report plots for a column: shares per bin (numerical) or per category. */
import type { CategoricalStats, DatetimeStats, NumericalStats } from './report/column-stats.js';

export interface ColumnDistribution {
  kind: 'bins' | 'categories';
  /** Bins: edges at the pooled quantiles of reference and current, or equal widths when the values are too tied;
   *  equal widths or log-spaced edges when input histogram-scale says so (linear, log, auto). */
  binning?: 'pooled-quantiles' | 'equal-width' | 'log';
  /** Why the scale asked for (log) was not drawn, e.g. values <= 0. */
  scale_note?: string;
  /** Bin edges (bins) or category names (categories; the last is "other (N more)" when other_categories is set). */
  labels: (number | string)[];
  /** Categories folded into the last, "other (N more)", bar: present only when there were more than the chart shows. */
  other_categories?: number;
  reference: number[];
  current: number[];
}

export interface DescriptorDrift {
  descriptor: 'length' | 'non_letter_share' | 'oov_share';
  method: MethodName;
  statistic: number;
  p_value: number | null;
  threshold: number;
  drifted: boolean;
}

export interface ColumnDrift {
  name: string;
  type: DriftColumnType;
  method: MethodName;
  statistic: number;
  p_value: number | null;
  threshold: number;
  drifted: boolean;
  /** Comparable within a method: 1 - p for tests, the statistic for distances. */
  drift_score: number;
  missing: { reference: number; current: number };
  /** ±Infinity values, left out of the statistics. */
  non_finite?: { reference: number; current: number };
  /** Present when the statistic comes from a sketch or a sample, with its stated error. */
  approximation?: string;
  /** Text columns: the descriptor drifts behind the verdict. */
  descriptors?: DescriptorDrift[];
  /** Categories seen only in the current data (complete, sorted). */
  new_categories?: string[];
  /** Categories of the reference that the current data no longer has (complete, sorted). */
  vanished_categories?: string[];
  /** Each side summarised: describe() for numbers, distinct and top categories for categories. */
  reference_stats?: NumericalStats | CategoricalStats | DatetimeStats;
  current_stats?: NumericalStats | CategoricalStats | DatetimeStats;
  distribution?: ColumnDistribution;
}

export interface MetricChange {
  metric: string;
  reference: number;
  current: number;
  /** Relative change in the metric's bad direction (positive = worse). */
  degradation: number;
  degraded: boolean;
}

export interface PerformanceReport {
  task: Task;
  target: string;
  prediction: string;
  tolerance: number;
  /** Realised or, when the current data has no labels, estimated degradation beyond the tolerance. */
  performance_drift: boolean;
  /** Realised metrics (labels in the current data); empty when they are estimated. */
  metrics: MetricChange[];
  /** The current data had no labels: performance estimated from its scores (CBPE), with 95% bands. */
  estimated?: EstimatedPerformance;
  /** The current data had no labels and nothing could be estimated, and why. */
  estimated_unavailable?: string;
}

export interface DriftReport {
  schema_version: string;
  dataset_drift: boolean;
  drift_share: number;
  drift_share_threshold: number;
  reference_rows: number;
  current_rows: number;
  columns: ColumnDrift[];
  performance: PerformanceReport | null;
  skipped_columns: { name: string; reason: string }[];
  generated_at: string;
  /** Inputs timestamp-column and chunk: each chunk of the current data against the whole reference, in order. */
  chunks?: ChunkDrift[];
}

/** One chunk of the current data compared with the reference (NannyML's chunked results). */
export interface ChunkDrift {
  /** Time chunks: the period's first instant (ISO 8601, UTC); row chunks: the index of the chunk's first row. */
  start: string | number;
  /** Time chunks: the next period's first instant (exclusive); row chunks: the index after the chunk's last row. */
  end: string | number;
  rows: number;
  /** Share of the chunk's compared columns that drifted. */
  drift_share: number;
  columns: ChunkColumnDrift[];
}

export interface ChunkColumnDrift {
  name: string;
  method: MethodName;
  statistic: number;
  p_value: number | null;
  threshold: number;
  /** 1 - p for tests, the statistic for distances (as the column's drift_score). */
  drift_score: number;
  drifted: boolean;
}
