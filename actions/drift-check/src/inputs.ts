// Every drift-check input parsed and validated in one place, into one typed settings object.
import { InputError } from '#shared/errors.js';
import { checkNumber, list, number, oneOf, optionalString, yamlMap, type InputReader } from '#shared/inputs/parse-inputs.js';
import { readPublishChannels, type PublishChannels } from '#shared/publish/index.js';
import type { ColumnKind, ColumnMethodChoice, DriftSettings } from './drift-engine.js';
import { isMethodName, METHOD_NAMES, METHODS, type MethodName } from './methods/method-catalog.js';
import type { Task } from './profile/performance-accumulator.js';
import { HISTOGRAM_SCALES } from './distribution/histogram-scale.js';
import { parseChunk, type ChunkSpec } from './profile/chunk-spec.js';

export const FAIL_ON = ['never', 'drift', 'performance', 'any'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** compare: reference against current; profile: summarise the reference into a profile file for later runs. */
export type DriftCheckMode = { mode: 'compare'; current: string[] } | { mode: 'profile'; profileOut: string };

export type DriftCheckInputs = DriftCheckMode & CommonInputs;

interface CommonInputs {
  reference: string[];
  columns: string[];
  excludeColumns: string[];
  typeOverrides: { numerical: string[]; categorical: string[]; text: string[]; datetime: string[] };
  /** Inputs timestamp-column and chunk: drift of each chunk of the current data against the reference. */
  chunk?: ChunkSpec;
  target?: string;
  prediction?: string;
  predictionScore?: string;
  task?: Task;
  drift: DriftSettings;
  failOn: FailOn;
  reportDir: string;
  memoryBudgetBytes: number;
  /** Input max-line-mb in bytes: the longest line a data file may have. */
  maxLineBytes: number;
  /** PR comment, drift issue (issue-on-drift), Pushgateway, webhook, history branch. */
  channels: PublishChannels;
}

export function readInputs(read: InputReader): DriftCheckInputs {
  const mode = oneOf(read, 'mode', ['compare', 'profile'] as const, 'compare');
  const reference = list(read, 'reference');
  if (reference.length === 0) throw new InputError('reference', '', 'a path, glob or list of data files or profiles');
  const modeInputs = readMode(read, mode);
  const method = oneOf(read, 'method', ['auto', ...METHOD_NAMES] as const, 'auto');
  const threshold = number(read, 'threshold', undefined, { min: 0, minExclusive: true });
  if (threshold !== undefined && method !== 'auto' && METHODS[method].kind === 'test' && threshold >= 1)
    throw new InputError('threshold', String(threshold), `a p-value threshold between 0 and 1 for test '${method}'`);
  if (threshold !== undefined && method === 'auto')
    throw new InputError(
      'threshold',
      String(threshold),
      "no value with method 'auto' (auto uses Evidently's thresholds); set 'method' too, or per column in 'column-methods'",
    );
  const target = optionalString(read, 'target');
  const prediction = optionalString(read, 'prediction');
  if (target && !prediction)
    throw new InputError('prediction', '', `the prediction column: 'target' (${target}) needs 'prediction' for performance drift`);
  const taskValue = optionalString(read, 'task');
  const task = taskValue === undefined ? undefined : oneOf(read, 'task', ['classification', 'regression'] as const, 'regression');
  return {
    ...modeInputs,
    reference,
    columns: list(read, 'columns'),
    excludeColumns: list(read, 'exclude-columns'),
    typeOverrides: {
      numerical: list(read, 'numerical-columns'),
      categorical: list(read, 'categorical-columns'),
      text: list(read, 'text-columns'),
      datetime: list(read, 'datetime-columns'),
    },
    chunk: readChunk(read, modeInputs),
    target,
    prediction,
    predictionScore: optionalString(read, 'prediction-score'),
    task,
    drift: {
      method,
      columnMethods: parseColumnMethods(read),
      typeMethods: readTypeMethods(read),
      threshold,
      driftShare: number(read, 'drift-share', 0.5, { min: 0, max: 1, minExclusive: true }),
      psiBins: number(read, 'psi-bins', 10, { min: 2, max: 1000, integer: true }),
      psiBinning: oneOf(read, 'psi-binning', ['quantile', 'equal-width'] as const, 'quantile'),
      performanceTolerance: number(read, 'performance-tolerance', 0.1, { min: 0 }),
      histogramScale: oneOf(read, 'histogram-scale', HISTOGRAM_SCALES, 'quantile'),
    },
    failOn: oneOf(read, 'fail-on', FAIL_ON, 'never'),
    reportDir: optionalString(read, 'report-dir') ?? 'drift-report',
    memoryBudgetBytes: number(read, 'memory-budget-mb', 192, { min: 1, integer: true }) * 1024 * 1024,
    maxLineBytes: Math.round(number(read, 'max-line-mb', 64, { min: 0.001, max: 1536 }) * 1024 * 1024),
    channels: readPublishChannels(read, { alertIssue: 'issue-on-drift' }),
  };
}

function readMode(read: InputReader, mode: DriftCheckInputs['mode']): DriftCheckMode {
  if (mode === 'profile') {
    const profileOut = optionalString(read, 'profile-out');
    if (!profileOut) throw new InputError('profile-out', '', "a path for the profile JSON (required with mode 'profile')");
    return { mode, profileOut };
  }
  const current = list(read, 'current');
  if (current.length === 0)
    throw new InputError('current', '', "a path, glob or list of data files or profiles (required with mode 'compare')");
  return { mode, current };
}

function readChunk(read: InputReader, mode: DriftCheckMode): ChunkSpec | undefined {
  const timestampColumn = optionalString(read, 'timestamp-column');
  const text = optionalString(read, 'chunk');
  if (text === undefined) {
    if (timestampColumn) throw new InputError('chunk', '', `a period (1d, 1w, 1mo) to chunk the current data by '${timestampColumn}'`);
    return undefined;
  }
  if (mode.mode !== 'compare') throw new InputError('chunk', text, "no value with mode 'profile' (chunks are compared in mode 'compare')");
  const spec = parseChunk(text, timestampColumn);
  if ('expected' in spec) throw new InputError('chunk', text, spec.expected);
  if (spec.by === 'rows' && timestampColumn)
    throw new InputError(
      'chunk',
      text,
      `a period (1d, 1w, 1mo) with 'timestamp-column' (${timestampColumn}); leave timestamp-column empty to chunk by rows`,
    );
  return spec;
}

function parseColumnMethods(read: InputReader): Record<string, ColumnMethodChoice> {
  const map = yamlMap(read, 'column-methods');
  const choices: Record<string, ColumnMethodChoice> = {};
  if (!map) return choices;
  for (const [column, value] of Object.entries(map)) {
    const spec = typeof value === 'string' ? { method: value } : (value as Record<string, unknown> | null);
    if (!spec || typeof spec !== 'object')
      throw new InputError('column-methods', `${column}: ${JSON.stringify(value)}`, 'a method name or {method, threshold}');
    const choice: ColumnMethodChoice = {};
    if (spec.method !== undefined) {
      const name = String(spec.method);
      if (!isMethodName(name)) throw new InputError('column-methods', `${column}: ${name}`, `one of ${METHOD_NAMES.join(', ')}`);
      choice.method = name as MethodName;
    }
    if (spec.threshold !== undefined) {
      const raw = String(spec.threshold);
      choice.threshold = checkNumber('column-methods', `${column}: threshold ${raw}`, Number(raw), { min: 0, minExclusive: true });
      if (choice.method && METHODS[choice.method].kind === 'test' && choice.threshold >= 1)
        throw new InputError('column-methods', `${column}: threshold ${raw}`, 'a p-value threshold between 0 and 1');
    }
    choices[column] = choice;
  }
  return choices;
}

/** numerical-method, categorical-method, text-method: each names a method that applies to that type (text columns
 * are compared through numerical descriptors: lengths and shares). */
function readTypeMethods(read: InputReader): Partial<Record<ColumnKind, MethodName>> {
  const methods: Partial<Record<ColumnKind, MethodName>> = {};
  for (const type of ['numerical', 'categorical', 'text'] as const) {
    const input = `${type}-method`;
    const value = optionalString(read, input);
    if (value === undefined) continue;
    const kind = type === 'categorical' ? 'categorical' : 'numerical';
    const allowed = METHOD_NAMES.filter((m) => METHODS[m][kind]);
    if (!isMethodName(value) || !METHODS[value][kind])
      throw new InputError(input, value, `a method for ${type} columns: one of ${allowed.join(', ')}`);
    methods[type] = value;
  }
  return methods;
}
