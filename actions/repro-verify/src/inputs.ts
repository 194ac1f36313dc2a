// Every repro-verify input, parsed and validated here into one typed object.
import { InputError } from '#shared/errors.js';
import { boolean, list, number, oneOf, optionalString, yamlMap, type InputReader } from '#shared/inputs/parse-inputs.js';
import { readPublishChannels, type PublishChannels } from '#shared/publish/index.js';
import type { RepositoryRef } from '#shared/runtime/run-context.js';
import { isRecordableVariable } from './environment/manifest.js';
import type { Bound, Tolerance } from './compare/tolerance.js';
import type { FailOn } from './fail-on.js';

export interface ReproVerifyInputs {
  /** Absent only with dvc: true and nothing to run: the working directory is checked as it is. */
  command?: string;
  workingDirectory: string;
  runs: number;
  outputs: string[];
  metrics: string[];
  tolerance: Tolerance;
  baseline?: string;
  /** A workflow artifact holding the baseline file; from baselineRunId, else the newest good one on the default branch. */
  baselineArtifact?: string;
  baselineRunId?: number;
  /** Where the artifact lives when not in this repository. */
  baselineRepository?: RepositoryRef;
  baselineCacheKey?: string;
  saveBaseline?: string;
  timeoutMinutes: number;
  env: Record<string, string>;
  envAllowlist: string[];
  sources: string[];
  declaredInputs: string[];
  dvc: boolean;
  python: string;
  failOn: FailOn;
  reportDir: string;
  memoryBudgetBytes: number;
  channels: PublishChannels;
}

function bound(name: string, raw: unknown, where: string): Partial<Bound> {
  if (typeof raw === 'number') return { abs: nonNegative(name, raw, where) };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(name, String(where), 'a number or a mapping {abs, rel}');
  const out: Partial<Bound> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k !== 'abs' && k !== 'rel') throw new InputError(name, where, `only 'abs' and 'rel' in a tolerance (got '${k}')`);
    out[k] = nonNegative(name, Number(v), `${where}.${k}`);
  }
  return out;
}

function nonNegative(name: string, value: number, where: string): number {
  if (!Number.isFinite(value) || value < 0) throw new InputError(name, `${where}: ${value}`, 'a number >= 0');
  return value;
}

/** `abs: 1e-6`, `rel: 1e-3`, and `keys: {accuracy: {abs: 0.01}, loss: 1e-4}` for per-metric bounds. */
export function parseTolerance(read: InputReader): Tolerance {
  const raw = read('tolerance').trim();
  if (raw !== '' && Number.isFinite(Number(raw)))
    return { global: { abs: nonNegative('tolerance', Number(raw), 'tolerance'), rel: 0 }, keys: new Map() };
  const map = yamlMap(read, 'tolerance') ?? {};
  const { keys, ...global } = map;
  const tolerance: Tolerance = { global: { abs: 0, rel: 0, ...bound('tolerance', global, 'tolerance') }, keys: new Map() };
  if (keys !== undefined) {
    if (!keys || typeof keys !== 'object' || Array.isArray(keys))
      throw new InputError('tolerance', 'keys', 'keys: a mapping of metric key to {abs, rel}');
    for (const [key, value] of Object.entries(keys)) tolerance.keys.set(key, bound('tolerance', value, `keys.${key}`));
  }
  return tolerance;
}

/** `env` as a YAML mapping (`SEED: "1"`) or KEY=VALUE lines. */
function parseEnv(read: InputReader): Record<string, string> {
  const raw = read('env').trim();
  if (raw === '') return {};
  const env: Record<string, string> = {};
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(raw)) {
    for (const line of raw
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
      if (!m) throw new InputError('env', line, 'KEY=VALUE lines or a YAML mapping');
      env[m[1]] = m[2];
    }
    return env;
  }
  for (const [k, v] of Object.entries(yamlMap(read, 'env') ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new InputError('env', k, 'variable names of letters, digits and _');
    env[k] = v === null ? '' : String(v);
  }
  return env;
}

function repository(read: InputReader, name: string): RepositoryRef | undefined {
  const raw = optionalString(read, name);
  if (raw === undefined) return undefined;
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(raw);
  if (!m) throw new InputError(name, raw, '{owner}/{repo}');
  return { owner: m[1], repo: m[2] };
}

export function readInputs(read: InputReader): ReproVerifyInputs {
  const dvc = boolean(read, 'dvc', false);
  const command = optionalString(read, 'command');
  if (!command && !dvc) throw new InputError('command', '', "the command that produces the outputs (required unless 'dvc' is true)");
  const outputs = list(read, 'outputs');
  const metrics = list(read, 'metrics');
  if (command && outputs.length === 0 && metrics.length === 0 && !dvc)
    throw new InputError('outputs', '', "at least one glob of files the command writes (or 'metrics' files, or dvc: true)");
  const envAllowlist = list(read, 'env-allowlist');
  const secret = envAllowlist.find((name) => !isRecordableVariable(name));
  if (secret)
    throw new InputError(
      'env-allowlist',
      secret,
      'names of non-secret variables (names with TOKEN, SECRET, PASSWORD, KEY or AUTH are never recorded)',
    );
  const baseline = optionalString(read, 'baseline');
  const baselineArtifact = optionalString(read, 'baseline-artifact');
  if (baseline && baselineArtifact)
    throw new InputError('baseline-artifact', baselineArtifact, "either 'baseline' (a file) or 'baseline-artifact', not both");
  const baselineRunId = number(read, 'baseline-run-id', undefined, { min: 1, integer: true });
  const baselineRepository = repository(read, 'baseline-repository');
  if ((baselineRunId !== undefined || baselineRepository) && !baselineArtifact)
    throw new InputError(
      baselineRunId !== undefined ? 'baseline-run-id' : 'baseline-repository',
      read(baselineRunId !== undefined ? 'baseline-run-id' : 'baseline-repository'),
      "'baseline-artifact' as well: the run and repository say where that artifact is",
    );
  return {
    command,
    workingDirectory: optionalString(read, 'working-directory') ?? '.',
    runs: number(read, 'runs', 2, { min: 1, max: 20, integer: true })!,
    outputs,
    metrics,
    tolerance: parseTolerance(read),
    baseline,
    baselineArtifact,
    baselineRunId,
    baselineRepository,
    baselineCacheKey: optionalString(read, 'baseline-cache-key'),
    saveBaseline: optionalString(read, 'save-baseline'),
    timeoutMinutes: number(read, 'timeout-minutes', 30, { min: 0, minExclusive: true, max: 24 * 60 })!,
    env: parseEnv(read),
    envAllowlist,
    sources: list(read, 'sources'),
    declaredInputs: list(read, 'inputs'),
    dvc,
    python: optionalString(read, 'python') ?? 'python3',
    failOn: oneOf(read, 'fail-on', ['never', 'differs', 'findings'] as const, 'differs'),
    reportDir: optionalString(read, 'report-dir') ?? 'repro-report',
    memoryBudgetBytes: number(read, 'memory-budget-mb', 256, { min: 16, integer: true })! * 1024 * 1024,
    channels: readPublishChannels(read),
  };
}
