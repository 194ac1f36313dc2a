// Turns the `reference` and `current` inputs into dataset profiles: saved profiles are read and merged, data files
// are opened, their columns matched and planned, then streamed once each.
import { datasetColumnNames, openDataset, type ColumnType, type Dataset } from '#shared/data/index.js';
import { resolveFiles } from '#shared/data/file-source.js';
import { DataError, InputError, isUserError, UserError } from '#shared/errors.js';
import type { Logger } from '#shared/logger.js';
import type { DriftCheckInputs } from './inputs.js';
import type { ColumnPlan, DatasetProfile, DriftColumnKind } from './profile/dataset-profile.js';
import { profileData, type ProfileJobInput } from './profile/profile-job.js';
import { MemoryBudget } from '#shared/stats/sketches/memory-budget.js';
import { NumericAccumulator } from './profile/numeric-accumulator.js';
import { CategoricalAccumulator } from './profile/categorical-accumulator.js';
import type { PerformanceColumns } from './profile/performance-accumulator.js';
import { isProfilePath, readMergedProfiles } from './profile/profile-file.js';

export interface LoadedProfiles {
  reference: DatasetProfile;
  current?: DatasetProfile;
  skipped: { name: string; reason: string }[];
}

export type ProgressReporter = (label: string, done: number, total: number) => void;

type Side = { input: 'reference' | 'current'; paths: string[] };

export async function loadProfiles(inputs: DriftCheckInputs, logger: Logger, progress?: ProgressReporter): Promise<LoadedProfiles> {
  const budget = new MemoryBudget(inputs.memoryBudgetBytes);
  const sides: Side[] = [{ input: 'reference', paths: inputs.reference }];
  if (inputs.mode === 'compare') sides.push({ input: 'current', paths: inputs.current });
  // The current data is read with the reference's column types, so that a column empty in one sample (typed by
  // nothing) still lines up, and a real clash surfaces as an error naming the file, line and column.
  const opened: OpenedSide[] = [];
  for (const side of sides) opened.push(await openSide(side, inputs, budget, progress, opened[0]?.types));
  const skipped: { name: string; reason: string }[] = [];
  const plan = planColumns(opened, inputs, skipped);
  const performance = performanceColumns(opened, inputs);
  // Data files are profiled at the same time (worker threads, one per dataset), each within its share of the budget.
  const dataSides = opened.filter((side) => side.dataset).length;
  const profiles = await Promise.all(
    opened.map(async (side): Promise<DatasetProfile> => {
      if (side.profile) return restrictProfile(side.profile, plan);
      const started = Date.now();
      const sidePerformance = performanceOf(side, performance);
      const input: ProfileJobInput = {
        side: side.input,
        paths: side.dataset!.files,
        columns: [...new Set([...plan.map((c) => c.name), ...performanceColumnNames(sidePerformance), ...chunkColumnNames(side, inputs)])],
        columnTypes: Object.fromEntries(side.dataset!.schema.map((c) => [c.name, c.type])),
        plan,
        budgetBytes: Math.floor(inputs.memoryBudgetBytes / dataSides),
        performance: sidePerformance,
        maxLineBytes: inputs.maxLineBytes,
        chunk: side.input === 'current' ? inputs.chunk : undefined,
      };
      const profile = await profileData(input, budget, progress).catch((error: unknown) => {
        throw explainTypeClash(error, side, opened[0]);
      });
      logger.info(`Read ${profile.rows} ${side.input} rows from ${side.dataset!.files.length} file(s) in ${Date.now() - started} ms.`);
      return profile;
    }),
  );
  return { reference: profiles[0], current: profiles[1], skipped };
}

interface OpenedSide extends Side {
  dataset?: Dataset;
  profile?: DatasetProfile;
  /** Column name -> kind as this side knows it. */
  kinds: Map<string, DriftColumnKind | 'datetime'>;
  types: Map<string, ColumnType>;
}

async function openSide(
  side: Side,
  inputs: DriftCheckInputs,
  budget: MemoryBudget,
  progress?: ProgressReporter,
  referenceTypes?: Map<string, ColumnType>,
): Promise<OpenedSide> {
  const profiles = side.paths.filter(isProfilePath);
  if (profiles.length > 0) {
    if (side.input === 'current' && inputs.chunk)
      throw new InputError('chunk', inputs.chunk.text, 'current data files to cut into chunks, not saved profiles (*.profile.json)');
    if (profiles.length !== side.paths.length)
      throw new InputError(side.input, side.paths.join(', '), 'either data files or saved profiles (*.profile.json), not both');
    const profile = await readMergedProfiles(await resolveFiles(side.paths, `input '${side.input}'`), budget);
    const kinds = new Map<string, DriftColumnKind | 'datetime'>();
    for (const [name, acc] of profile.columns)
      kinds.set(
        name,
        acc instanceof NumericAccumulator
          ? acc.instant
            ? 'datetime'
            : 'numerical'
          : acc instanceof CategoricalAccumulator
            ? 'categorical'
            : 'text',
      );
    return { ...side, profile, kinds, types: new Map() };
  }
  const columnTypes: Record<string, ColumnType> = Object.create(null);
  if (referenceTypes) {
    for (const name of await datasetColumnNames(side.paths, { label: `input '${side.input}'`, maxLineBytes: inputs.maxLineBytes })) {
      const type = referenceTypes.get(name);
      if (type) columnTypes[name] = type;
    }
  }
  for (const name of inputs.typeOverrides.numerical) columnTypes[name] = 'numerical';
  for (const name of inputs.typeOverrides.categorical) columnTypes[name] = 'categorical';
  for (const name of inputs.typeOverrides.text) columnTypes[name] = 'text';
  for (const name of inputs.typeOverrides.datetime) columnTypes[name] = 'datetime';
  if (inputs.chunk?.by === 'time' && side.input === 'current') {
    const name = inputs.chunk.timestampColumn;
    const names = await datasetColumnNames(side.paths, { label: `input '${side.input}'`, maxLineBytes: inputs.maxLineBytes });
    if (!names.includes(name))
      throw new InputError('timestamp-column', name, `a column of the current data (${names.slice(0, 30).join(', ')})`);
    columnTypes[name] = 'datetime';
  }
  await refuseNumbersForDates(side, inputs);
  const dataset = await openDataset(side.paths, {
    columnTypes,
    label: `input '${side.input}'`,
    maxLineBytes: inputs.maxLineBytes,
    onProgress: progress ? (p) => progress(`${side.input} ${p.file}`, p.bytesRead, p.totalBytes) : undefined,
  });
  const kinds = new Map<string, DriftColumnKind | 'datetime'>();
  const types = new Map<string, ColumnType>();
  for (const column of dataset.schema) {
    types.set(column.name, column.type);
    kinds.set(column.name, column.type === 'boolean' ? 'categorical' : column.type);
  }
  return { ...side, dataset, kinds, types };
}

function planColumns(sides: OpenedSide[], inputs: DriftCheckInputs, skipped: { name: string; reason: string }[]): ColumnPlan[] {
  const [reference, current] = sides;
  const describe = (side: OpenedSide) => side.paths.join(', ');
  const common = [...reference.kinds.keys()].filter((name) => !current || current.kinds.has(name));
  if (common.length === 0)
    throw new UserError(
      `No columns in common between reference (${describe(reference)}) and current (${describe(current!)}). ` +
        `Reference has: ${[...reference.kinds.keys()].slice(0, 20).join(', ')}; current has: ${[...current!.kinds.keys()].slice(0, 20).join(', ')}.`,
    );
  for (const name of [...inputs.columns, ...inputs.excludeColumns]) {
    const input = inputs.columns.includes(name) ? 'columns' : 'exclude-columns';
    if (!reference.kinds.has(name) || (current && !current.kinds.has(name)))
      throw new InputError(input, name, `a column present in both datasets (common columns: ${common.slice(0, 30).join(', ')})`);
  }
  for (const list of Object.values(inputs.typeOverrides))
    for (const name of list)
      if (!reference.kinds.has(name))
        throw new InputError(
          'numerical-columns/categorical-columns/text-columns/datetime-columns',
          name,
          `a column of the reference data (${[...reference.kinds.keys()].slice(0, 30).join(', ')})`,
        );
  const chosen = inputs.columns.length ? inputs.columns : common;
  const plan: ColumnPlan[] = [];
  for (const name of chosen) {
    if (inputs.excludeColumns.includes(name)) continue;
    const refKind = reference.kinds.get(name)!;
    const curKind = current?.kinds.get(name) ?? refKind;
    if (refKind === 'datetime' || curKind === 'datetime') {
      // Time moves on between datasets, so dates drift by design: compared only when the user asks for them.
      const asked = inputs.typeOverrides.datetime.includes(name) || inputs.columns.includes(name);
      if (asked && refKind === curKind) plan.push({ name, kind: 'datetime' });
      else if (asked)
        throw new UserError(
          `Column '${name}' is ${refKind} in the reference (${describe(reference)}) but ${curKind} in the current data (${describe(current!)}); ` +
            'list it in datetime-columns to read both as dates and times.',
        );
      else skipped.push({ name, reason: 'date/time column (time moves on between datasets); list it in datetime-columns to compare it' });
      continue;
    }
    if (refKind !== curKind)
      throw new UserError(
        `Column '${name}' is ${refKind} in the reference (${describe(reference)}) but ${curKind} in the current data ` +
          `(${describe(current!)}). Fix the data, or set its type with numerical-columns, categorical-columns or text-columns.`,
      );
    plan.push({ name, kind: refKind });
  }
  if (plan.length === 0) throw new UserError('No columns left to compare after columns / exclude-columns.');
  return plan;
}

/**
 * numerical-columns naming a column of dates would fail on its first value ("expected a number, found
 * '2001-01-01 00:01:00'"): the column's own type, read from a sample as if it were not listed, says why up front.
 */
async function refuseNumbersForDates(side: Side, inputs: DriftCheckInputs): Promise<void> {
  const listed = inputs.typeOverrides.numerical.filter((name) => !inputs.typeOverrides.datetime.includes(name));
  if (listed.length === 0) return;
  const names = new Set(await datasetColumnNames(side.paths, { label: `input '${side.input}'`, maxLineBytes: inputs.maxLineBytes }));
  const columns = listed.filter((name) => names.has(name));
  if (columns.length === 0) return;
  const sample = await openDataset(side.paths, { columns, label: `input '${side.input}'`, maxLineBytes: inputs.maxLineBytes });
  for (const column of sample.schema)
    if (column.type === 'datetime')
      throw new InputError(
        'numerical-columns',
        column.name,
        `columns of numbers: '${column.name}' holds dates or times in ${side.paths.join(', ')}; list it in datetime-columns to compare it as instants (seconds since 1970)`,
      );
}

/** The timestamp column, read beside the plan's columns in the current data (openSide checked that it is there). */
function chunkColumnNames(side: OpenedSide, inputs: DriftCheckInputs): string[] {
  return side.input === 'current' && inputs.chunk?.by === 'time' ? [inputs.chunk.timestampColumn] : [];
}

function performanceColumns(sides: OpenedSide[], inputs: DriftCheckInputs): PerformanceColumns | undefined {
  if (!inputs.target || !inputs.prediction) return undefined;
  for (const [input, name] of [
    ['target', inputs.target],
    ['prediction', inputs.prediction],
    ['prediction-score', inputs.predictionScore],
  ] as const) {
    if (!name) continue;
    for (const side of sides) {
      // Labels that arrive late: with scores, the current side's performance is estimated (CBPE) instead of measured
      // (and a profile may be written of current data that has no labels yet).
      const lateLabels = side.input === 'current' || inputs.mode === 'profile';
      if (input === 'target' && lateLabels && inputs.predictionScore && inputs.task !== 'regression') continue;
      if (!side.kinds.has(name))
        throw new InputError(
          input,
          name,
          `a column of the ${side.input} data (${[...side.kinds.keys()].slice(0, 30).join(', ')})` +
            (input === 'target' ? '; or give prediction-score to estimate performance without labels' : ''),
        );
    }
  }
  return { target: inputs.target, prediction: inputs.prediction, score: inputs.predictionScore, task: inputs.task };
}

function explainTypeClash(error: unknown, side: OpenedSide, reference: OpenedSide): unknown {
  if (!isUserError(error) || side === reference || !error.location?.column) return error;
  const type = reference.types.get(String(error.location.column));
  if (!type) return error;
  return new DataError(
    `${error.message.replace(/^[^:]*:\d+(?: \(column '[^']*'\))?: /, '')} — column '${error.location.column}' is ${type} in the reference (${reference.paths.join(', ')}); set its type with numerical-columns, categorical-columns or text-columns if that is wrong`,
    error.location,
  );
}

/** The performance columns as one side has them: without its target column, only scores and predictions are kept. */
function performanceOf(side: OpenedSide, performance: PerformanceColumns | undefined): PerformanceColumns | undefined {
  return performance && !side.kinds.has(performance.target) ? { ...performance, labelsAbsent: true } : performance;
}

function performanceColumnNames(performance: PerformanceColumns | undefined): string[] {
  if (performance?.labelsAbsent) return [performance.prediction, performance.score!];
  return performance ? [performance.target, performance.prediction, ...(performance.score ? [performance.score] : [])] : [];
}

function restrictProfile(profile: DatasetProfile, plan: ColumnPlan[]): DatasetProfile {
  const columns = new Map(plan.map((c) => [c.name, profile.columns.get(c.name)!]));
  return { ...profile, columns };
}
