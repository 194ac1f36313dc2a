// A dataset reduced, in one streaming pass, to what drift needs: per-column accumulators that merge exactly, so
// shards profiled apart (a matrix job) combine into the profile of the whole.
import type { Dataset, RecordBatch } from '#shared/data/index.js';
import { CategoricalAccumulator } from './categorical-accumulator.js';
import type { MemoryBudget } from '#shared/stats/sketches/memory-budget.js';
import { NumericAccumulator } from './numeric-accumulator.js';
import { TextAccumulator } from './text-accumulator.js';
import { PerformanceAccumulator, type PerformanceColumns } from './performance-accumulator.js';
import { textCells } from '#shared/data/utf8-cells.js';
import { ChunkProfiler, toSeconds, type ChunkProfile } from './chunk-profiles.js';

/** datetime: instants compared as numbers of seconds since the epoch (input datetime-columns). */
export type DriftColumnKind = 'numerical' | 'categorical' | 'text' | 'datetime';

export interface ColumnPlan {
  name: string;
  kind: DriftColumnKind;
}

export type ColumnAccumulator = NumericAccumulator | CategoricalAccumulator | TextAccumulator;

export interface DatasetProfile {
  rows: number;
  sources: string[];
  columns: Map<string, ColumnAccumulator>;
  performance?: PerformanceAccumulator;
  /** Per-chunk profiles of the current data (inputs timestamp-column and chunk), in order. */
  chunks?: ChunkProfile[];
}

export interface ProfileOptions {
  budget: MemoryBudget;
  performance?: PerformanceColumns;
  onRows?: (rowsRead: number) => void;
  /** The rows the whole dataset will have, estimated from the rows read so far; undefined when unknown. */
  projectRows?: (rowsRead: number) => number | undefined;
  /** Also profile each chunk of the data, in the same pass. */
  chunker?: ChunkProfiler;
}

/**
 * Projections from the first batch can run high (bytes read run ahead of rows parsed, rows differ in length): a
 * column is sketched from the start only if it would not fit at this fraction of its projected size either.
 */
const PROJECTION_MARGIN = 1 / 1.5;

export function emptyProfile(plan: ColumnPlan[], options: ProfileOptions): DatasetProfile {
  const columns = new Map<string, ColumnAccumulator>();
  for (const column of plan) {
    if (column.kind === 'numerical' || column.kind === 'datetime')
      columns.set(column.name, new NumericAccumulator(options.budget, undefined, column.kind === 'datetime'));
    else if (column.kind === 'categorical') columns.set(column.name, new CategoricalAccumulator());
    else columns.set(column.name, new TextAccumulator(options.budget));
  }
  const performance = options.performance ? new PerformanceAccumulator(options.performance) : undefined;
  return { rows: 0, sources: [], columns, performance };
}

export async function profileDataset(dataset: Dataset, plan: ColumnPlan[], options: ProfileOptions): Promise<DatasetProfile> {
  const profile = emptyProfile(plan, options);
  profile.sources = [...dataset.files];
  const index = new Map(dataset.schema.map((column, i) => [column.name, i]));
  let projected = false;
  for await (const batch of dataset.batches()) {
    if (!projected) {
      projected = true;
      const rows = options.projectRows?.(batch.rowCount);
      if (rows !== undefined) sketchColumnsThatCannotFit(profile, rows * PROJECTION_MARGIN, options.budget);
    }
    profile.rows += batch.rowCount;
    for (const [name, accumulator] of profile.columns) addColumn(accumulator, batch, index.get(name)!, dataset);
    profile.performance?.addBatch(batch, index);
    options.chunker?.addBatch(batch, index, dataset);
    options.onRows?.(profile.rows);
  }
  if (options.chunker) profile.chunks = options.chunker.profiles();
  return profile;
}

/**
 * Columns whose exact values the budget cannot hold at the projected row count start as sketches: a 30M-row pair
 * otherwise filled the budget (96 MB a dataset) with values it then threw away, which cost memory and time. The
 * first columns that fit stay exact; the budget still guards them if the projection was low.
 */
function sketchColumnsThatCannotFit(profile: DatasetProfile, rows: number, budget: MemoryBudget): void {
  const holders = [...profile.columns.values()].flatMap((acc) =>
    acc instanceof NumericAccumulator ? [acc.values] : acc instanceof TextAccumulator ? [acc.length.values, acc.nonLetterShare.values] : [],
  );
  const fitting = Math.floor(budget.bytes / Math.max(1, rows * 8));
  for (const holder of holders.slice(fitting)) holder.switchToSketches();
}

function addColumn(accumulator: ColumnAccumulator, batch: RecordBatch, columnIndex: number, dataset: Dataset): void {
  const values = batch.columns[columnIndex];
  if (accumulator instanceof NumericAccumulator) {
    if (values.kind !== 'number') throw new Error(`column ${dataset.schema[columnIndex].name} was read as text`);
    accumulator.addBatch(accumulator.instant ? toSeconds(values.values) : values.values, values.missing);
  } else if (accumulator instanceof CategoricalAccumulator) {
    if (values.kind !== 'number') accumulator.addBatch(textCells(values));
    else accumulator.addNumbers(values.values, values.missing, dataset.schema[columnIndex].type === 'boolean');
  } else {
    if (values.kind === 'number') throw new Error(`column ${dataset.schema[columnIndex].name} was read as numbers`);
    accumulator.addBatch(textCells(values));
  }
}

export function mergeProfiles(into: DatasetProfile, other: DatasetProfile): void {
  into.rows += other.rows;
  into.sources.push(...other.sources);
  for (const [name, accumulator] of into.columns) {
    const theirs = other.columns.get(name);
    if (!theirs) continue;
    (accumulator as { merge(o: ColumnAccumulator): void }).merge(theirs);
  }
  if (into.performance && other.performance) into.performance.merge(other.performance);
}
