// Every canary-promote input parsed and validated in one place, into one typed settings object. Values come as a
// person types them into a workflow_dispatch form: lists with commas or newlines, durations such as 30m.
import { InputError } from '#shared/errors.js';
import { list, number, oneOf, optionalString, requiredString, type InputReader } from '#shared/inputs/parse-inputs.js';
import { readPublishChannels, type PublishChannels } from '#shared/publish/index.js';
import { parseDuration } from './config/durations.js';
import { FAIL_ON, type FailOn } from './fail-on.js';

export type ManifestUpdate = 'pull-request' | 'push' | 'none';

export interface CanaryPromoteInputs {
  metrics: string;
  files?: { baseline: string; canary: string };
  prometheus?: { url: URL; windowSeconds: number; stepSeconds: number };
  versions: { baseline?: string; canary?: string };
  mlflow?: { trackingUri: URL; token?: string; runs?: { baseline: string; canary: string } };
  registry?: { modelName: string; alias: string };
  steps: number[];
  /** From the input; else read from the manifest; else 0. */
  currentWeight?: number;
  manifests: string[];
  manifestUpdate: ManifestUpdate;
  branch?: string;
  baseBranch?: string;
  maxWaitSeconds?: number;
  stepStartedAt?: Date;
  confidence: number;
  marginal: number;
  pass: number;
  dryRun: boolean;
  failOn: FailOn;
  reportDir: string;
  memoryBudgetBytes: number;
  channels: PublishChannels;
}

export function readInputs(read: InputReader): CanaryPromoteInputs {
  const baseline = optionalString(read, 'baseline');
  const canary = optionalString(read, 'canary');
  if (!!baseline !== !!canary)
    throw new InputError(
      baseline ? 'canary' : 'baseline',
      '',
      `a file too: '${baseline ? 'baseline' : 'canary'}' is set, and the two go together`,
    );
  const versions = { baseline: version(read, 'baseline-version'), canary: version(read, 'canary-version') };
  const prometheusUrl = urlInput(read, 'prometheus-url');
  const windowSeconds = parseDuration('window', optionalString(read, 'window') ?? '30m');
  if (prometheusUrl && (!versions.baseline || !versions.canary))
    throw new InputError(
      versions.baseline ? 'canary-version' : 'baseline-version',
      '',
      "the version label value: Prometheus queries select each version's series with $VERSION",
    );
  const mlflowUri = urlInput(read, 'mlflow-tracking-uri');
  const baselineRun = optionalString(read, 'baseline-run-id');
  const canaryRun = optionalString(read, 'canary-run-id');
  if (!!baselineRun !== !!canaryRun)
    throw new InputError(baselineRun ? 'canary-run-id' : 'baseline-run-id', '', 'a run id too: run metrics compare two runs');
  if ((baselineRun || optionalString(read, 'model-name')) && !mlflowUri)
    throw new InputError('mlflow-tracking-uri', '', "the MLflow server's URL: run ids and model-name are read from and written to MLflow");
  const modelName = optionalString(read, 'model-name');
  if (modelName && !versions.canary)
    throw new InputError('canary-version', '', 'the canary model version: model-name sets the alias to it on promotion');
  const steps = list(read, 'steps').map((s) => {
    const w = Number(s);
    if (!Number.isInteger(w) || w < 1 || w > 100)
      throw new InputError('steps', read('steps'), 'whole percentages from 1 to 100, e.g. 10,25,50,100');
    return w;
  });
  for (let i = 1; i < steps.length; i++)
    if (steps[i] <= steps[i - 1]) throw new InputError('steps', read('steps'), 'percentages in increasing order, e.g. 10,25,50,100');
  const startedAt = optionalString(read, 'step-started-at');
  const stepStartedAt = startedAt ? new Date(startedAt) : undefined;
  if (stepStartedAt && Number.isNaN(stepStartedAt.getTime()))
    throw new InputError('step-started-at', startedAt!, 'an ISO 8601 time such as 2026-05-01T10:00:00Z');
  const marginal = number(read, 'marginal', 75, { min: 0, max: 100 })!;
  const pass = number(read, 'pass', 95, { min: 0, max: 100 })!;
  if (marginal > pass) throw new InputError('marginal', String(marginal), `a score no higher than 'pass' (${pass})`);
  const manifests = list(read, 'manifest');
  const token = optionalString(read, 'mlflow-token');
  return {
    metrics: requiredString(read, 'metrics'),
    files: baseline && canary ? { baseline, canary } : undefined,
    prometheus: prometheusUrl
      ? { url: prometheusUrl, windowSeconds, stepSeconds: parseDuration('step', optionalString(read, 'step') ?? '15s') }
      : undefined,
    versions,
    mlflow: mlflowUri
      ? { trackingUri: mlflowUri, token, runs: baselineRun && canaryRun ? { baseline: baselineRun, canary: canaryRun } : undefined }
      : undefined,
    registry: modelName ? { modelName, alias: optionalString(read, 'alias') ?? 'champion' } : undefined,
    steps: steps.length > 0 ? steps : [10, 25, 50, 100],
    currentWeight: number(read, 'current-weight', undefined, { min: 0, max: 100, integer: true }),
    manifests,
    manifestUpdate: oneOf(read, 'manifest-update', ['pull-request', 'push', 'none'] as const, 'pull-request'),
    branch: optionalString(read, 'branch'),
    baseBranch: optionalString(read, 'base-branch'),
    maxWaitSeconds: optionalString(read, 'max-wait') ? parseDuration('max-wait', read('max-wait')) : undefined,
    stepStartedAt,
    confidence: number(read, 'confidence', 0.98, { min: 0.5, max: 1, maxExclusive: true })!,
    marginal,
    pass,
    dryRun: oneOf(read, 'dry-run', ['true', 'false'] as const, 'false') === 'true',
    failOn: oneOf(read, 'fail-on', FAIL_ON, 'rollback'),
    reportDir: optionalString(read, 'report-dir') ?? 'canary-report',
    memoryBudgetBytes: number(read, 'memory-budget-mb', 256, { min: 16, integer: true })! * 1024 * 1024,
    channels: readPublishChannels(read),
  };
}

/** A version goes into PromQL label matchers and registry calls: no quotes or backslashes. */
function version(read: InputReader, name: string): string | undefined {
  const v = optionalString(read, name);
  if (v !== undefined && !/^[\w.:+@/-]+$/.test(v)) throw new InputError(name, v, 'a version made of letters, digits and . _ - : + @ /');
  return v;
}

function urlInput(read: InputReader, name: string): URL | undefined {
  const raw = optionalString(read, name);
  if (raw === undefined) return undefined;
  try {
    const u = new URL(raw);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u;
  } catch {
    // reported below
  }
  throw new InputError(name, raw.replace(/\/\/[^@/]*@/, '//***@'), 'an http(s) URL such as http://prometheus:9090');
}

/** The inputs kept in the audit record (never the tokens). */
export const AUDITED_INPUTS = [
  'metrics',
  'baseline',
  'canary',
  'prometheus-url',
  'window',
  'step',
  'baseline-version',
  'canary-version',
  'mlflow-tracking-uri',
  'baseline-run-id',
  'canary-run-id',
  'model-name',
  'alias',
  'steps',
  'current-weight',
  'manifest',
  'manifest-update',
  'branch',
  'base-branch',
  'max-wait',
  'step-started-at',
  'confidence',
  'marginal',
  'pass',
  'dry-run',
  'fail-on',
] as const;
