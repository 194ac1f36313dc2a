// Compares two dataset profiles column by column and decides dataset and performance drift. Pure: profiles and
// settings in, the report out.
import { InputError } from '#shared/errors.js';
import { equalWidthEdges } from '#shared/stats/binning/index.js';
import { zTestTwoProportions } from '#shared/stats/categorical-tests/index.js';
import { totalVariationDistance } from '#shared/stats/distances/index.js';
import { autoMethod } from './methods/auto-method.js';
import { alignCounts, compareCategorical } from './methods/categorical-methods.js';
import { driftScore, isDrift, METHODS, type MethodName } from './methods/method-catalog.js';
import { binCounts, compareNumerical, type MethodResult, type NumericalMethodOptions } from './methods/numerical-methods.js';
import { CategoricalAccumulator } from './profile/categorical-accumulator.js';
import type { DatasetProfile } from './profile/dataset-profile.js';
import { FEW_VALUES, NumericAccumulator } from './profile/numeric-accumulator.js';
import { HIGHER_IS_BETTER, type PerformanceAccumulator } from './profile/performance-accumulator.js';
import { estimatedPerformanceReport, needsEstimate } from './performance/estimated/estimated-report.js';
import { scaledBins, type HistogramScale } from './distribution/histogram-scale.js';
import { outOfVocabularyCounts, TextAccumulator } from './profile/text-accumulator.js';
import { categoricalStats, categoryChanges, datetimeStats, numericalStats } from './report/column-stats.js';
import {
  DRIFT_REPORT_SCHEMA_VERSION,
  type ColumnDistribution,
  type ColumnDrift,
  type DescriptorDrift,
  type DriftReport,
  type MetricChange,
  type PerformanceReport,
} from './drift-report.js';

export interface ColumnMethodChoice {
  method?: MethodName;
  threshold?: number;
}

export type ColumnKind = 'numerical' | 'categorical' | 'text';

export interface DriftSettings extends NumericalMethodOptions {
  /** Every column's method, unless a per-type or per-column choice says otherwise. */
  method: 'auto' | MethodName;
  /** numerical-method, categorical-method, text-method: one method for every column of that type. */
  typeMethods?: Partial<Record<ColumnKind, MethodName>>;
  columnMethods: Record<string, ColumnMethodChoice>;
  threshold?: number;
  driftShare: number;
  performanceTolerance: number;
  /** Input histogram-scale: the chart bins of numerical columns (pooled quantiles when absent). */
  histogramScale?: HistogramScale;
}

const CHART_BINS = 20;
const CHART_CATEGORIES = 20;

export function compareProfiles(
  reference: DatasetProfile,
  current: DatasetProfile,
  settings: DriftSettings,
  skipped: { name: string; reason: string }[] = [],
  now: Date = new Date(),
): DriftReport {
  const columns: ColumnDrift[] = [];
  for (const [name, refAcc] of reference.columns) {
    const curAcc = current.columns.get(name)!;
    const missing = { reference: missingShare(refAcc), current: missingShare(curAcc) };
    const emptySide = presentCount(refAcc) === 0 ? 'reference' : presentCount(curAcc) === 0 ? 'current' : undefined;
    if (emptySide) {
      skipped.push({ name, reason: `no values in the ${emptySide} data (all missing)` });
      continue;
    }
    const column = compareColumn(name, refAcc, curAcc, reference.rows, settings, missing);
    if (column) columns.push(column);
  }
  columns.sort((a, b) => Number(b.drifted) - Number(a.drifted) || b.drift_score - a.drift_score);
  const drifted = columns.filter((c) => c.drifted).length;
  const driftShare = columns.length ? drifted / columns.length : 0;
  return {
    schema_version: DRIFT_REPORT_SCHEMA_VERSION,
    dataset_drift: columns.length > 0 && driftShare >= settings.driftShare,
    drift_share: driftShare,
    drift_share_threshold: settings.driftShare,
    reference_rows: reference.rows,
    current_rows: current.rows,
    columns,
    performance: performanceDrift(reference.performance, current.performance, settings.performanceTolerance),
    skipped_columns: skipped,
    generated_at: now.toISOString(),
  };
}

/**
 * One column of the current data (or of a chunk of it) against the reference; undefined when their types differ.
 * `details: false` leaves out the chart's distribution and the side-by-side stats (a chunk's verdict needs neither,
 * and binning the reference's values again for each of 365 daily chunks took 8 of a run's 31 seconds).
 */
export function compareColumn(
  name: string,
  reference: NumericAccumulator | CategoricalAccumulator | TextAccumulator,
  current: NumericAccumulator | CategoricalAccumulator | TextAccumulator,
  referenceRows: number,
  settings: DriftSettings,
  missing: ColumnDrift['missing'],
  details = true,
): ColumnDrift | undefined {
  if (reference instanceof NumericAccumulator && current instanceof NumericAccumulator)
    return numericalDrift(name, reference, current, referenceRows, settings, missing, details);
  if (reference instanceof CategoricalAccumulator && current instanceof CategoricalAccumulator)
    return categoricalDrift(name, reference, current, referenceRows, settings, missing, details);
  if (reference instanceof TextAccumulator && current instanceof TextAccumulator)
    return textDrift(name, reference, current, referenceRows, settings, missing);
  return undefined;
}

function chooseMethod(
  name: string,
  kind: 'numerical' | 'categorical',
  referenceRows: number,
  categoryCount: number,
  settings: DriftSettings,
  columnType: ColumnKind = kind,
): { method: MethodName; threshold: number } {
  const choice = settings.columnMethods[name];
  let method: MethodName | undefined = choice?.method ?? settings.typeMethods?.[columnType];
  if (method && !METHODS[method][kind])
    throw new InputError('column-methods', `${name}: ${method}`, `a method for ${kind} columns (${methodsFor(kind)})`);
  if (!method && settings.method !== 'auto') {
    // 'method' sets every column's method: one that cannot judge this column's type is a mistake, not a silent default.
    if (!METHODS[settings.method][kind])
      throw new InputError(
        'method',
        settings.method,
        `a method that applies to every column compared: '${name}' is a ${columnType} column and ${settings.method} does not apply to it. ` +
          `Set ${columnType}-method for ${columnType} columns (one of ${methodsFor(kind)}), or list the columns to compare in 'columns'`,
      );
    method = settings.method;
  }
  method ??= autoMethod(kind, referenceRows, categoryCount);
  const threshold =
    choice?.threshold ??
    (choice?.method === undefined && settings.method === method ? settings.threshold : undefined) ??
    METHODS[method].defaultThreshold;
  return { method, threshold };
}

function methodsFor(kind: 'numerical' | 'categorical'): string {
  return Object.values(METHODS)
    .filter((m) => m[kind])
    .map((m) => m.name)
    .join(', ');
}

function result(
  name: string,
  type: ColumnDrift['type'],
  method: MethodName,
  threshold: number,
  outcome: MethodResult,
  missing: ColumnDrift['missing'],
): ColumnDrift {
  const info = METHODS[method];
  const column: ColumnDrift = {
    name,
    type,
    method,
    statistic: outcome.statistic,
    p_value: info.kind === 'test' ? outcome.pValue : null,
    threshold,
    drifted: isDrift(info, outcome.statistic, outcome.pValue, threshold),
    drift_score: driftScore(info, outcome.statistic, outcome.pValue),
    missing,
  };
  if (outcome.approximation) column.approximation = outcome.approximation;
  return column;
}

function numericalDrift(
  name: string,
  reference: NumericAccumulator,
  current: NumericAccumulator,
  referenceRows: number,
  settings: DriftSettings,
  missing: ColumnDrift['missing'],
  details = true,
): ColumnDrift {
  const fewValues = fewValueCounts(reference, current);
  const explicit = settings.columnMethods[name]?.method ?? (settings.method !== 'auto' && METHODS[settings.method].numerical);
  let column: ColumnDrift;
  if (fewValues && !explicit) {
    // Evidently's auto rule: a numerical column with at most 5 distinct values is compared as categories.
    const counts = alignCounts(fewValues.reference, fewValues.current);
    const { method, threshold } = chooseMethod(name, 'categorical', referenceRows, counts.categories.length, settings);
    column = result(name, 'numerical', method, threshold, compareCategorical(method, counts, name), missing);
  } else {
    const { method, threshold } = chooseMethod(name, 'numerical', referenceRows, 0, settings);
    column = result(name, 'numerical', method, threshold, compareNumerical(method, reference, current, settings), missing);
  }
  if (reference.nonFinite || current.nonFinite) column.non_finite = { reference: reference.nonFinite, current: current.nonFinite };
  if (reference.instant) column.type = 'datetime';
  if (!details) return column;
  column.distribution = numericDistribution(reference, current, settings.histogramScale);
  const stats = reference.instant ? datetimeStats : numericalStats;
  column.reference_stats = stats(reference);
  column.current_stats = stats(current);
  return column;
}

function fewValueCounts(
  reference: NumericAccumulator,
  current: NumericAccumulator,
): { reference: Map<string, number>; current: Map<string, number> } | undefined {
  if (!reference.distinct || !current.distinct) return undefined;
  const values = new Set([...reference.distinct.keys(), ...current.distinct.keys()]);
  if (values.size > FEW_VALUES) return undefined;
  const asText = (m: Map<number, number>) => new Map([...m].map(([v, c]) => [String(v), c]));
  return { reference: asText(reference.distinct), current: asText(current.distinct) };
}

function categoricalDrift(
  name: string,
  reference: CategoricalAccumulator,
  current: CategoricalAccumulator,
  referenceRows: number,
  settings: DriftSettings,
  missing: ColumnDrift['missing'],
  details = true,
): ColumnDrift {
  const counts = alignCounts(reference.counts, current.counts);
  const { method, threshold } = chooseMethod(name, 'categorical', referenceRows, counts.categories.length, settings);
  const column = result(name, 'categorical', method, threshold, compareCategorical(method, counts, name), missing);
  if (!details) return column;
  const changes = categoryChanges(reference.counts, current.counts);
  column.new_categories = changes.fresh;
  column.vanished_categories = changes.vanished;
  column.reference_stats = categoricalStats(reference);
  column.current_stats = categoricalStats(current);
  column.distribution = categoryDistribution(counts.categories, reference, current);
  return column;
}

/** A text column drifts when any of its descriptors does; the most drifted descriptor stands for the column. */
function textDrift(
  name: string,
  reference: TextAccumulator,
  current: TextAccumulator,
  referenceRows: number,
  settings: DriftSettings,
  missing: ColumnDrift['missing'],
): ColumnDrift {
  const descriptors: DescriptorDrift[] = [];
  for (const [descriptor, ref, cur] of [
    ['length', reference.length, current.length],
    ['non_letter_share', reference.nonLetterShare, current.nonLetterShare],
  ] as const) {
    const { method, threshold } = chooseMethod(name, 'numerical', referenceRows, 0, settings, 'text');
    const outcome = compareNumerical(method, ref, cur, settings);
    descriptors.push(descriptorDrift(descriptor, method, threshold, outcome));
  }
  const oov = outOfVocabularyCounts(reference, current);
  const small = referenceRows <= 1000;
  const oovMethod: MethodName = small ? 'z' : 'tvd';
  const oovOutcome: MethodResult = small
    ? zTestTwoProportions(oov.reference, oov.current)
    : { statistic: totalVariationDistance(oov.reference, oov.current), pValue: null };
  descriptors.push(descriptorDrift('oov_share', oovMethod, METHODS[oovMethod].defaultThreshold, oovOutcome));
  const worst = [...descriptors].sort((a, b) => Number(b.drifted) - Number(a.drifted) || score(b) - score(a))[0];
  return {
    name,
    type: 'text',
    method: worst.method,
    statistic: worst.statistic,
    p_value: worst.p_value,
    threshold: worst.threshold,
    drifted: descriptors.some((d) => d.drifted),
    drift_score: score(worst),
    missing,
    descriptors,
    distribution: numericDistribution(reference.length, current.length),
  };
}

function descriptorDrift(
  descriptor: DescriptorDrift['descriptor'],
  method: MethodName,
  threshold: number,
  outcome: MethodResult,
): DescriptorDrift {
  const info = METHODS[method];
  return {
    descriptor,
    method,
    statistic: outcome.statistic,
    p_value: info.kind === 'test' ? outcome.pValue : null,
    threshold,
    drifted: isDrift(info, outcome.statistic, outcome.pValue, threshold),
  };
}

function score(d: DescriptorDrift): number {
  return driftScore(METHODS[d.method], d.statistic, d.p_value);
}

/**
 * The chart's bins: edges at the pooled quantiles of reference and current (each bin holds about 1/CHART_BINS of all
 * rows, so a long tail no longer squeezes 98% of the rows into two bins and a shift shows as bins the current data
 * fills more or less than the reference); equal-width bins only when the values are too few or too tied for that.
 */
function numericDistribution(
  reference: NumericAccumulator,
  current: NumericAccumulator,
  scale: HistogramScale = 'quantile',
): ColumnDistribution {
  const min = Math.min(reference.min, current.min);
  const max = Math.max(reference.max, current.max);
  const scaled = scaledBins(scale, reference, current, CHART_BINS);
  const pooled = 'edges' in scaled ? undefined : pooledQuantileEdges(reference, current, min, max);
  const edges = 'edges' in scaled ? scaled.edges : (pooled ?? equalWidthEdges(min, max, CHART_BINS));
  const shares = (acc: NumericAccumulator): number[] => {
    const counts = binCounts(acc, edges);
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    return Array.from(counts, (c) => c / total);
  };
  return {
    kind: 'bins',
    binning: 'edges' in scaled ? scaled.binning : pooled ? 'pooled-quantiles' : 'equal-width',
    ...('note' in scaled && scaled.note ? { scale_note: scaled.note } : {}),
    labels: Array.from(edges),
    reference: shares(reference),
    current: shares(current),
  };
}

/** Grid of quantiles read from each side; the pooled quantiles are read off both grids weighted by row count. */
const QUANTILE_GRID = 400;

function pooledQuantileEdges(
  reference: NumericAccumulator,
  current: NumericAccumulator,
  min: number,
  max: number,
): Float64Array | undefined {
  if (!(max > min) || !Number.isFinite(min) || !Number.isFinite(max)) return undefined;
  const qs = Array.from({ length: QUANTILE_GRID + 1 }, (_, i) => i / QUANTILE_GRID);
  const points: [number, number][] = [];
  for (const acc of [reference, current]) {
    if (acc.count === 0) continue;
    const weight = acc.count / (QUANTILE_GRID + 1);
    for (const v of acc.values.quantiles(qs)) if (Number.isFinite(v)) points.push([v, weight]);
  }
  points.sort((a, b) => a[0] - b[0]);
  const total = points.reduce((sum, [, w]) => sum + w, 0);
  const edges = [min];
  let cumulative = 0;
  let k = 1;
  for (const [value, weight] of points) {
    cumulative += weight;
    while (k < CHART_BINS && cumulative >= (k / CHART_BINS) * total) {
      if (value > edges[edges.length - 1] && value < max) edges.push(value);
      k++;
    }
  }
  edges.push(max);
  // Ties (a delay of 0 for half the flights) merge bins; fewer than 4 left says equal widths show more.
  return edges.length - 1 >= 4 ? Float64Array.from(edges) : undefined;
}

/** The CHART_CATEGORIES largest categories (on either side), the rest as one "other (N more)" bar. */
function categoryDistribution(
  categories: string[],
  reference: CategoricalAccumulator,
  current: CategoricalAccumulator,
): ColumnDistribution {
  const refTotal = Math.max(1, presentCount(reference));
  const curTotal = Math.max(1, presentCount(current));
  // Ranked by the larger of the two shares: a category new in the current data and large there is charted too.
  const rank = (c: string) => Math.max((reference.counts.get(c) ?? 0) / refTotal, (current.counts.get(c) ?? 0) / curTotal);
  const top =
    categories.length <= CHART_CATEGORIES ? categories : [...categories].sort((a, b) => rank(b) - rank(a)).slice(0, CHART_CATEGORIES);
  const distribution: ColumnDistribution = {
    kind: 'categories',
    labels: top,
    reference: top.map((c) => (reference.counts.get(c) ?? 0) / refTotal),
    current: top.map((c) => (current.counts.get(c) ?? 0) / curTotal),
  };
  const rest = categories.length - top.length;
  if (rest > 0) {
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    distribution.labels.push(`other (${rest.toLocaleString('en-US')} more)`);
    distribution.reference.push(Math.max(0, 1 - sum(distribution.reference)));
    distribution.current.push(Math.max(0, 1 - sum(distribution.current)));
    distribution.other_categories = rest;
  }
  return distribution;
}

function presentCount(acc: NumericAccumulator | CategoricalAccumulator | TextAccumulator): number {
  if (acc instanceof NumericAccumulator) return acc.count;
  return acc.rows - acc.missing;
}

function missingShare(acc: NumericAccumulator | CategoricalAccumulator | TextAccumulator): number {
  return acc.rows ? acc.missing / acc.rows : 0;
}

function performanceDrift(
  reference: PerformanceAccumulator | undefined,
  current: PerformanceAccumulator | undefined,
  tolerance: number,
): PerformanceReport | null {
  if (!reference || !current) return null;
  if (needsEstimate(current)) return estimatedPerformanceReport(reference, current, tolerance);
  const refMetrics = reference.metrics();
  const curMetrics = current.metrics();
  const metrics: MetricChange[] = Object.keys(refMetrics).map((metric) => {
    const ref = refMetrics[metric];
    const cur = curMetrics[metric];
    const worse = HIGHER_IS_BETTER.has(metric) ? ref - cur : cur - ref;
    const degradation = ref === 0 ? (worse > 0 ? Infinity : 0) : worse / Math.abs(ref);
    return { metric, reference: ref, current: cur, degradation, degraded: degradation > tolerance };
  });
  return {
    task: reference.resolvedTask,
    target: reference.columns.target,
    prediction: reference.columns.prediction,
    tolerance,
    performance_drift: metrics.some((m) => m.degraded),
    metrics,
  };
}
