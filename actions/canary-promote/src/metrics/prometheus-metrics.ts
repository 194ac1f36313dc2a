// Metrics from Prometheus's HTTP API: a continuous metric's query template is evaluated as a range query over the
// window for each version ($VERSION replaced, $WINDOW the window as a PromQL duration), every value of every series
// a sample; a rate metric's successes and trials queries are instant queries at the window's end, their series summed.
import { UserError } from '#shared/errors.js';
import { networkCause } from './network-cause.js';
import type { MetricConfig } from '../config/metrics-config.js';
import type { RateCounts } from '../judge/rate-classifier.js';
import { SampleBuffer, type Arm } from './metric-samples.js';

export interface PrometheusWindow {
  url: URL;
  /** Seconds. */
  windowSeconds: number;
  stepSeconds: number;
  /** Evaluation end, epoch seconds. */
  end: number;
  versions: Record<Arm, string>;
  capacity: number;
  timeoutMs?: number;
}

/** Prometheus answers at most 11,000 points per series in a range query. */
const MAX_POINTS = 11_000;

export function promDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

export function expandQuery(template: string, version: string, windowSeconds: number): string {
  return template.replaceAll('$VERSION', version).replaceAll('${VERSION}', version).replaceAll('$WINDOW', promDuration(windowSeconds));
}

export async function prometheusSamples(metric: MetricConfig, arm: Arm, w: PrometheusWindow): Promise<Float64Array | RateCounts> {
  const version = w.versions[arm];
  if (metric.kind === 'rate') {
    const successes = await instantSum(metric.name, arm, expandQuery(metric.successes!, version, w.windowSeconds), w);
    const trials = await instantSum(metric.name, arm, expandQuery(metric.trials!, version, w.windowSeconds), w);
    if (successes > trials)
      throw new UserError(
        `Prometheus: metric '${metric.name}' (${arm}): successes (${successes}) exceed trials (${trials}); check the two queries.`,
      );
    return { successes, trials };
  }
  const query = expandQuery(metric.query!, version, w.windowSeconds);
  const step = Math.max(w.stepSeconds, Math.ceil(w.windowSeconds / MAX_POINTS));
  const data = await call(
    w,
    'query_range',
    { query, start: String(w.end - w.windowSeconds), end: String(w.end), step: String(step) },
    metric.name,
    arm,
  );
  const series = data.result as { values?: [number, string][] }[];
  if (!Array.isArray(series) || series.length === 0)
    throw new UserError(
      `Prometheus: the query of metric '${metric.name}' returned no series for the ${arm} (version '${version}') over the last ${promDuration(w.windowSeconds)}: ${query}`,
    );
  const buffer = new SampleBuffer(w.capacity);
  for (const s of series) for (const [, v] of s.values ?? []) buffer.push(Number(v));
  return buffer.toArray();
}

async function instantSum(name: string, arm: Arm, query: string, w: PrometheusWindow): Promise<number> {
  const data = await call(w, 'query', { query, time: String(w.end) }, name, arm);
  if (data.resultType === 'scalar') return Number((data.result as [number, string])[1]);
  const series = data.result as { value: [number, string] }[];
  if (!Array.isArray(series) || series.length === 0)
    throw new UserError(
      `Prometheus: the query of metric '${name}' returned no series for the ${arm} (version '${w.versions[arm]}'): ${query}`,
    );
  let sum = 0;
  for (const s of series) sum += Number(s.value[1]);
  return sum;
}

async function call(
  w: PrometheusWindow,
  endpoint: string,
  params: Record<string, string>,
  name: string,
  arm: Arm,
): Promise<{ resultType: string; result: unknown }> {
  const url = new URL(`api/v1/${endpoint}`, w.url.href.endsWith('/') ? w.url : new URL(`${w.url.href}/`));
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(w.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const cause = networkCause(error);
    throw new UserError(`Prometheus at ${w.url.origin} is unreachable (${cause}); check 'prometheus-url'.`);
  }
  const text = await response.text();
  let body: { status?: string; error?: string; errorType?: string; data?: { resultType: string; result: unknown } };
  try {
    body = JSON.parse(text);
  } catch {
    throw new UserError(
      `Prometheus at ${w.url.origin} answered HTTP ${response.status} with no JSON API response; is 'prometheus-url' a Prometheus server?`,
    );
  }
  if (body.status !== 'success' || !body.data)
    throw new UserError(
      `Prometheus refused the query of metric '${name}' (${arm}): ${body.errorType ?? 'error'}: ${body.error ?? `HTTP ${response.status}`}. Query: ${params.query}`,
    );
  return body.data;
}
