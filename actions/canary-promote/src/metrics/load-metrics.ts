// Gathers each configured metric's samples from its source (files, Prometheus, MLflow) for both arms, applying
// the metric's NaN strategy; a metric whose values are all NaN is the user's mistake, said as such.
import { DataError, UserError } from '#shared/errors.js';
import type { CanaryConfig, MetricConfig } from '../config/metrics-config.js';
import type { RateCounts } from '../judge/rate-classifier.js';
import { MlflowClient } from '../registry/mlflow-client.js';
import { fileColumnsOf, readFileColumns, type FileColumns } from './file-metrics.js';
import { applyNanStrategy, type Arm, type MetricSamples } from './metric-samples.js';
import { prometheusSamples, type PrometheusWindow } from './prometheus-metrics.js';

export interface MetricSources {
  files?: Record<Arm, string>;
  prometheus?: Omit<PrometheusWindow, 'capacity'>;
  mlflow?: { client: MlflowClient; runs: Record<Arm, string> };
  memoryBudgetBytes: number;
}

export interface LoadedMetric {
  config: MetricConfig;
  samples: MetricSamples;
  /** NaN values removed or replaced, per arm. */
  nan: Record<Arm, number>;
}

const ARMS: Arm[] = ['baseline', 'canary'];

export async function loadMetrics(config: CanaryConfig, sources: MetricSources): Promise<LoadedMetric[]> {
  const fileColumns = fileColumnsOf(config.metrics);
  const files: Partial<Record<Arm, FileColumns>> = {};
  if (fileColumns.length > 0) {
    if (!sources.files)
      throw new UserError(
        `Metrics ${namesOf(config.metrics, 'file')} read columns from files: give 'baseline' and 'canary' (CSV, TSV, JSON Lines, Parquet or JSON).`,
      );
    for (const arm of ARMS) files[arm] = await readFileColumns(sources.files[arm], arm, fileColumns, sources.memoryBudgetBytes / 2);
  }
  if (config.metrics.some((m) => m.source === 'prometheus') && !sources.prometheus)
    throw new UserError(
      `Metrics ${namesOf(config.metrics, 'prometheus')} have PromQL queries: give 'prometheus-url', 'baseline-version' and 'canary-version'.`,
    );
  if (config.metrics.some((m) => m.source === 'mlflow') && !sources.mlflow)
    throw new UserError(
      `Metrics ${namesOf(config.metrics, 'mlflow')} come from MLflow runs: give 'mlflow-tracking-uri', 'baseline-run-id' and 'canary-run-id'.`,
    );
  const capacity = Math.max(1024, Math.floor(sources.memoryBudgetBytes / 4 / 8 / Math.max(1, config.metrics.length)));

  const loaded: LoadedMetric[] = [];
  for (const metric of config.metrics) {
    // a file column past its share of memory-budget-mb kept a uniform sample: say so in the verdict
    const sampled =
      metric.source === 'file' && metric.kind === 'continuous' && ARMS.some((arm) => files[arm]!.get(metric.column!)!.sampled);
    const perArm: Partial<Record<Arm, Float64Array | RateCounts>> = {};
    for (const arm of ARMS) {
      if (metric.source === 'file') perArm[arm] = fromFile(metric, files[arm]!, sources.files![arm]);
      else if (metric.source === 'prometheus') perArm[arm] = await prometheusSamples(metric, arm, { ...sources.prometheus!, capacity });
      else perArm[arm] = await fromMlflow(metric, arm, sources.mlflow!);
    }
    const b = perArm.baseline!;
    const c = perArm.canary!;
    if (b instanceof Float64Array && c instanceof Float64Array) {
      const nb = applyNanStrategy(b, metric.nanStrategy);
      const nc = applyNanStrategy(c, metric.nanStrategy);
      for (const [arm, raw, kept] of [
        ['baseline', b, nb],
        ['canary', c, nc],
      ] as const) {
        if (raw.length > 0 && kept.nan === raw.length && metric.nanStrategy === 'remove')
          throw new UserError(
            `Metric '${metric.name}': all ${raw.length} ${arm} values are NaN (or missing); check its ${metric.source === 'file' ? `column '${metric.column}' in ${sources.files?.[arm]}` : 'query'}, or set 'nan-strategy: replace' to count them as 0.`,
          );
      }
      loaded.push({
        config: metric,
        samples: { kind: 'continuous', baseline: nb.values, canary: nc.values, sampled },
        nan: { baseline: nb.nan, canary: nc.nan },
      });
    } else
      loaded.push({
        config: metric,
        samples: { kind: 'rate', baseline: b as RateCounts, canary: c as RateCounts },
        nan: { baseline: 0, canary: 0 },
      });
  }
  return loaded;
}

function namesOf(metrics: MetricConfig[], source: string): string {
  return metrics
    .filter((m) => m.source === source)
    .map((m) => `'${m.name}'`)
    .join(', ');
}

function fromFile(metric: MetricConfig, columns: FileColumns, path: string): Float64Array | RateCounts {
  if (metric.kind === 'continuous') return columns.get(metric.column!)!.toArray();
  if (metric.successes && metric.trials) {
    const s = columns.get(metric.successes)!.toArray();
    const t = columns.get(metric.trials)!.toArray();
    let successes = 0;
    let trials = 0;
    for (let i = 0; i < s.length; i++) {
      if (Number.isNaN(s[i]) || Number.isNaN(t[i])) continue;
      successes += s[i];
      trials += t[i];
    }
    if (successes > trials)
      throw new DataError(`metric '${metric.name}': successes (${successes}) exceed trials (${trials})`, {
        file: path,
        column: metric.successes,
      });
    return { successes, trials };
  }
  const values = columns.get(metric.column!)!.toArray();
  let successes = 0;
  let trials = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (v !== 0 && v !== 1)
      throw new DataError(
        `metric '${metric.name}' is a rate: its column holds ${v}, expected 0 or 1 per row (or give 'successes' and 'trials' columns)`,
        { file: path, column: metric.column },
      );
    successes += v;
    trials++;
  }
  return { successes, trials };
}

async function fromMlflow(
  metric: MetricConfig,
  arm: Arm,
  mlflow: NonNullable<MetricSources['mlflow']>,
): Promise<Float64Array | RateCounts> {
  const runId = mlflow.runs[arm];
  if (metric.kind === 'continuous') {
    const history = await mlflow.client.metricHistory(runId, metric.mlflowMetric!);
    if (history.length === 0)
      throw new UserError(`MLflow run '${runId}' (${arm}) has no metric '${metric.mlflowMetric}' (metric '${metric.name}').`);
    return Float64Array.from(history.map((h) => h.value));
  }
  const latest = new Map((await mlflow.client.runMetrics(runId)).map((m) => [m.key, m.value]));
  const successes = latest.get(metric.successes!);
  const trials = latest.get(metric.trials!);
  if (successes === undefined || trials === undefined)
    throw new UserError(
      `MLflow run '${runId}' (${arm}) lacks metric '${successes === undefined ? metric.successes : metric.trials}' (rate metric '${metric.name}').`,
    );
  return { successes, trials };
}
