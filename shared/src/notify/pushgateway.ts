// Pushes a run's metrics (drift scores, quality ratios) to a Prometheus Pushgateway, replacing the previous values
// of the same group. Formatting is hand-written: the text exposition format is small and prom-client would pull in
// a registry and default metrics we do not want in an action bundle.
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import { type FetchLike, sendWithRetry } from './http-send.js';
import { redact, urlSecrets } from './secrets.js';

export type MetricType = 'gauge' | 'counter' | 'untyped';

/** One sample: `name{labels} value`. Samples sharing a name share one HELP and TYPE line. */
export interface MetricSample {
  name: string;
  value: number;
  labels?: Record<string, string>;
  help?: string;
  /** Defaults to 'gauge': our values (scores, ratios, counts of one run) are snapshots. */
  type?: MetricType;
}

/** The labels that identify a group in the Pushgateway; a push replaces the whole group. */
export type GroupingLabels = { instance: string } & Record<string, string>;

export interface PushMetricsOptions {
  /** Base URL, e.g. https://user:pass@pushgateway.example.com; credentials become an Authorization header. */
  url: string;
  job: string;
  groupingLabels: GroupingLabels;
  metrics: MetricSample[];
  logger: Logger;
  fetchImpl?: FetchLike;
  retryDelayMs?: number;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Renders samples in the Prometheus text exposition format (version 0.0.4), grouped by metric name. */
export function formatMetrics(metrics: MetricSample[]): string {
  const families = new Map<string, { help?: string; type: MetricType; lines: string[]; seen: Set<string> }>();
  for (const sample of metrics) {
    if (!METRIC_NAME.test(sample.name)) {
      throw new UserError(`Invalid metric name '${sample.name}'. Expected letters, digits, '_' or ':', not starting with a digit.`);
    }
    const type = sample.type ?? 'gauge';
    let family = families.get(sample.name);
    if (!family) {
      family = { help: sample.help, type, lines: [], seen: new Set() };
      families.set(sample.name, family);
    } else if (family.type !== type) {
      throw new UserError(`Metric '${sample.name}' is given as both ${family.type} and ${type}; a metric has one type.`);
    }
    family.help ??= sample.help;
    const labels = formatLabels(sample.name, sample.labels ?? {});
    if (family.seen.has(labels)) {
      throw new UserError(`Metric '${sample.name}${labels}' appears twice; each label set may have one value.`);
    }
    family.seen.add(labels);
    family.lines.push(`${sample.name}${labels} ${formatValue(sample.value)}`);
  }
  let text = '';
  for (const [name, family] of families) {
    if (family.help !== undefined) text += `# HELP ${name} ${escapeHelp(family.help)}\n`;
    text += `# TYPE ${name} ${family.type}\n`;
    text += family.lines.map((line) => `${line}\n`).join('');
  }
  return text;
}

/**
 * The group's URL path: /metrics/job/<job>/<label>/<value>... Values containing '/' (or empty) use the
 * Pushgateway's `<label>@base64/<base64url>` form, since an encoded %2F would be decoded by proxies on the way.
 */
export function groupingPath(job: string, groupingLabels: Record<string, string>): string {
  let path = `/metrics/${pathSegment('job', job)}`;
  for (const [name, value] of Object.entries(groupingLabels)) {
    validateLabelName(name, 'grouping label');
    if (name === 'job') throw new UserError(`'job' cannot be a grouping label; it is given as the job.`);
    path += `/${pathSegment(name, value)}`;
  }
  return path;
}

/** PUTs the metrics, replacing every metric previously pushed under the same job and grouping labels. */
export async function pushMetrics(options: PushMetricsOptions): Promise<void> {
  const { url, job, groupingLabels, metrics, logger } = options;
  const secrets = urlSecrets(url);
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new UserError('The Pushgateway URL is not a valid URL. Expected e.g. https://pushgateway.example.com:9091.');
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new UserError(`The Pushgateway URL must start with http:// or https://, not ${base.protocol}//.`);
  }
  if (!job) throw new UserError('The Pushgateway job name is empty.');
  const headers: Record<string, string> = { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' };
  if (base.username || base.password) {
    const credentials = `${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`;
    headers.Authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    base.username = '';
    base.password = '';
  }
  const target = `${base.origin}${base.pathname.replace(/\/+$/, '')}${groupingPath(job, groupingLabels)}`;
  const body = formatMetrics(metrics);
  await sendWithRetry({
    endpoint: 'Pushgateway',
    url: target,
    method: 'PUT',
    headers,
    body,
    secrets,
    logger,
    fetchImpl: options.fetchImpl,
    retryDelayMs: options.retryDelayMs,
  });
  const where = redact(`${base.host}`, secrets);
  logger.info(`Pushed ${metrics.length} metric sample(s) to the Pushgateway at ${where} (job '${job}').`);
}

function formatLabels(metric: string, labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  const parts = entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => {
      validateLabelName(name, `label of metric '${metric}'`);
      return `${name}="${escapeLabelValue(String(value))}"`;
    });
  return `{${parts.join(',')}}`;
}

function validateLabelName(name: string, what: string): void {
  if (!LABEL_NAME.test(name) || name.startsWith('__')) {
    throw new UserError(`Invalid ${what} '${name}'. Expected letters, digits or '_', not starting with a digit or '__'.`);
  }
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function pathSegment(name: string, value: string): string {
  // '.' and '..' too: URL normalisation would otherwise swallow them as path steps.
  if (value === '' || value.includes('/') || value === '.' || value === '..') {
    return `${name}@base64/${Buffer.from(value).toString('base64url') || '='}`;
  }
  return `${name}/${encodeURIComponent(value)}`;
}
