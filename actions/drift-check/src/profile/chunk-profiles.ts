// Per-chunk profiles of the current data (inputs timestamp-column and chunk), built in the same streaming pass as the
// profile of the whole: each row goes to its chunk's accumulators as well. A chunk's numerical columns are sketches
// from the start (log-histogram and a small sample), so memory grows with the number of chunks and of histogram
// buckets, not of rows; what they hold is charged to the memory budget after every batch.
import { DataError, UserError } from '#shared/errors.js';
import type { ColumnValues, Dataset, RecordBatch } from '#shared/data/index.js';
import { textCells } from '#shared/data/utf8-cells.js';
import { LogHistogram } from '#shared/stats/sketches/log-histogram.js';
import { MemoryBudget } from '#shared/stats/sketches/memory-budget.js';
import { NumericValues } from '#shared/stats/sketches/numeric-values.js';
import { ReservoirSample } from '#shared/stats/sketches/reservoir-sample.js';
import { RunningMoments, type MomentsState } from '#shared/stats/sketches/running-moments.js';
import { CategoricalAccumulator, type CategoricalProfileState } from './categorical-accumulator.js';
import { timeChunkKey, type ChunkSpec } from './chunk-spec.js';
import type { ColumnPlan } from './dataset-profile.js';
import { NumericAccumulator, relativeErrorFor } from './numeric-accumulator.js';

/** Values in a chunk column's uniform sample (for the rank tests); the log-histogram serves the CDF methods. */
export const CHUNK_SAMPLE_SIZE = 2_000;
/**
 * Bytes charged per histogram bucket and per category of a chunk: a Map entry in the profiling thread (29 bytes
 * measured with 1,000-entry Maps), its value and count handed over in Float64Arrays (16) and the Map rebuilt from
 * them on the main thread (29), with room for the collector's slack. A sampled value counts twice (both threads).
 */
const BYTES_PER_BUCKET = 128;
const BYTES_PER_CATEGORY = 192;
const BYTES_PER_SAMPLED_VALUE = 16;
/** A chunk column's fixed share (objects, moments, empty maps). */
const BYTES_PER_CHUNK_COLUMN = 1024;

export type ChunkColumn = NumericAccumulator | CategoricalAccumulator;

export interface ChunkProfile {
  /** Time chunks: whole periods since the epoch (timeChunkKey); row chunks: the chunk's index. */
  key: number;
  rows: number;
  columns: Map<string, ChunkColumn>;
}

/** A chunk as handed between threads: numerical columns' histograms and samples in transferable Float64Arrays. */
export interface ChunkProfileState {
  key: number;
  rows: number;
  columns: Record<string, NumericChunkState | CategoricalProfileState>;
}

interface NumericChunkState {
  type: 'numerical' | 'datetime';
  rows: number;
  missing: number;
  non_finite: number;
  moments: MomentsState;
  distinct: [number, number][] | null;
  /** The histogram's relative accuracy (finer for datetime columns: relativeErrorFor). */
  relative_error: number;
  /** The histogram's buckets as weightedValues() gives them: each bucket's representative value and its count. */
  bucket_values: Float64Array;
  bucket_counts: Float64Array;
  sample: { capacity: number; seen: number; values: Float64Array };
}

/** Text columns are left out of chunks: their vocabularies would be kept once per chunk. */
export function chunkedColumns(plan: ColumnPlan[]): ColumnPlan[] {
  return plan.filter((column) => column.kind !== 'text');
}

/** A chunk's rows in a batch: a range while the data comes in order, else their indices. */
type RowSet = { start: number; end: number } | Int32Array;

/** Fewer rows than this per run of one chunk on average, and a batch's rows are gathered by chunk instead. */
const ROWS_PER_RUN = 16;

function pick<T extends Float64Array | Uint8Array>(values: T, rows: RowSet): T {
  if (!(rows instanceof Int32Array)) return values.subarray(rows.start, rows.end) as T;
  const out = new (values.constructor as new (n: number) => T)(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  return out;
}

export class ChunkProfiler {
  private readonly chunks = new Map<number, ChunkProfile>();
  /** Bytes charged to the budget per chunk key. */
  private readonly charged = new Map<number, number>();
  private readonly columns: ColumnPlan[];

  constructor(
    private readonly spec: ChunkSpec,
    plan: ColumnPlan[],
    private readonly budget: MemoryBudget,
  ) {
    this.columns = chunkedColumns(plan);
  }

  /** The chunks in order (by time, or by row). */
  profiles(): ChunkProfile[] {
    return [...this.chunks.values()].sort((a, b) => a.key - b.key);
  }

  addBatch(batch: RecordBatch, index: Map<string, number>, dataset: Dataset): void {
    const keys = this.rowKeys(batch, index);
    const cells = new Map<string, (string | null)[]>();
    const touched = new Set<ChunkProfile>();
    const add = (key: number, rows: RowSet) => {
      const chunk = this.chunk(key);
      touched.add(chunk);
      this.addRows(chunk, rows, batch, index, dataset, cells);
    };
    let runs = 1;
    for (let i = 1; i < keys.length; i++) if (keys[i] !== keys[i - 1]) runs++;
    if (runs * ROWS_PER_RUN <= batch.rowCount) {
      // Rows of one chunk mostly come together (data is written in time order): each run is added as one slice.
      let start = 0;
      while (start < batch.rowCount) {
        let end = start + 1;
        while (end < batch.rowCount && keys[end] === keys[start]) end++;
        add(keys[start], { start, end });
        start = end;
      }
    } else {
      // Rows in no order: each chunk's rows are gathered first, so that a chunk is added to once per batch.
      const groups = new Map<number, number[]>();
      for (let i = 0; i < keys.length; i++) {
        const group = groups.get(keys[i]);
        if (group) group.push(i);
        else groups.set(keys[i], [i]);
      }
      for (const [key, rows] of groups) add(key, Int32Array.from(rows));
    }
    for (const chunk of touched) this.charge(chunk);
  }

  private addRows(
    chunk: ChunkProfile,
    rows: RowSet,
    batch: RecordBatch,
    index: Map<string, number>,
    dataset: Dataset,
    cells: Map<string, (string | null)[]>,
  ): void {
    chunk.rows += rows instanceof Int32Array ? rows.length : rows.end - rows.start;
    for (const column of this.columns) {
      const acc = chunk.columns.get(column.name)!;
      const col: ColumnValues = batch.columns[index.get(column.name)!];
      if (col.kind === 'number') {
        const numbers = pick(col.values, rows);
        const missing = pick(col.missing, rows);
        if (acc instanceof NumericAccumulator) acc.addBatch(acc.instant ? toSeconds(numbers) : numbers, missing);
        else acc.addNumbers(numbers, missing, dataset.schema[index.get(column.name)!].type === 'boolean');
      } else {
        if (acc instanceof NumericAccumulator) throw new Error(`column ${column.name} was read as text`);
        let all = cells.get(column.name);
        if (!all) cells.set(column.name, (all = textCells(col)));
        acc.addBatch(rows instanceof Int32Array ? Array.from(rows, (i) => all[i]) : all.slice(rows.start, rows.end));
      }
    }
  }

  /** Charges the chunk's growth since the last batch to the budget, or says that the chunks cannot fit it. */
  private charge(chunk: ChunkProfile): void {
    let bytes = 0;
    for (const acc of chunk.columns.values()) {
      bytes += BYTES_PER_CHUNK_COLUMN;
      if (acc instanceof CategoricalAccumulator) bytes += acc.counts.size * BYTES_PER_CATEGORY;
      else {
        const sketches = acc.sketches();
        bytes += sketches.histogram.buckets * BYTES_PER_BUCKET + sketches.sample.length * BYTES_PER_SAMPLED_VALUE;
      }
    }
    const before = this.charged.get(chunk.key) ?? 0;
    if (bytes > before && !this.budget.reserve(bytes - before)) this.outOfBudget();
    this.charged.set(chunk.key, Math.max(bytes, before));
  }

  private outOfBudget(): never {
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    throw new UserError(
      `chunk '${this.spec.text}' cuts the current data into ${this.chunks.size.toLocaleString('en-US')} chunks or more, whose ` +
        `sketches of ${this.columns.length} columns outgrow their share of the memory budget (${mb(this.budget.bytes)} of memory-budget-mb, ` +
        `about ${Math.ceil(this.budget.usedBytes / Math.max(1, this.chunks.size) / 1024)} KB a chunk). Choose a longer chunk, fewer columns, or raise memory-budget-mb.`,
    );
  }

  private rowKeys(batch: RecordBatch, index: Map<string, number>): Float64Array {
    const keys = new Float64Array(batch.rowCount);
    const spec = this.spec;
    if (spec.by === 'rows') {
      for (let i = 0; i < batch.rowCount; i++) keys[i] = Math.floor((batch.firstRowIndex + i) / spec.size);
      return keys;
    }
    const column = batch.columns[index.get(spec.timestampColumn)!];
    if (column.kind !== 'number') throw new Error(`timestamp column ${spec.timestampColumn} was not read as a datetime`);
    for (let i = 0; i < batch.rowCount; i++) {
      const ms = column.values[i];
      // A row without a time has no chunk: dropping it would make the chunks' rows disagree with current_rows.
      if (column.missing[i] || ms !== ms)
        throw new DataError(
          `no timestamp in '${spec.timestampColumn}' (timestamp-column): every current row needs one to be put in a '${spec.text}' chunk; ` +
            'fill or filter the rows without one, or chunk by rows (chunk: 100000 with no timestamp-column)',
          { file: batch.file, line: batch.lines[i], column: spec.timestampColumn },
        );
      keys[i] = timeChunkKey(spec, ms);
    }
    return keys;
  }

  private chunk(key: number): ChunkProfile {
    let chunk = this.chunks.get(key);
    if (chunk) return chunk;
    chunk = { key, rows: 0, columns: new Map() };
    for (const column of this.columns) chunk.columns.set(column.name, newChunkColumn(column));
    this.chunks.set(key, chunk);
    return chunk;
  }
}

function newChunkColumn(column: ColumnPlan): ChunkColumn {
  if (column.kind === 'categorical') return new CategoricalAccumulator();
  // Its own small budget (room for the whole sample): ChunkProfiler.charge counts the sample against the run's budget.
  const instant = column.kind === 'datetime';
  const values = new NumericValues({
    budget: CHUNK_SAMPLE_SIZE * 16,
    sampleSize: CHUNK_SAMPLE_SIZE,
    relativeError: relativeErrorFor(instant),
  });
  values.switchToSketches();
  return new NumericAccumulator(values.budget, values, instant);
}

/** Epoch milliseconds (as the readers give datetimes) to seconds, the unit datetime columns are compared in. */
export function toSeconds(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] / 1000;
  return out;
}

export function chunkToState(chunk: ChunkProfile): ChunkProfileState {
  const columns: ChunkProfileState['columns'] = Object.create(null);
  for (const [name, acc] of chunk.columns) {
    if (acc instanceof CategoricalAccumulator) {
      columns[name] = acc.toJSON();
      continue;
    }
    const { histogram, sample } = acc.sketches();
    const buckets = histogram.weightedValues();
    columns[name] = {
      type: acc.instant ? 'datetime' : 'numerical',
      rows: acc.rows,
      missing: acc.missing,
      non_finite: acc.nonFinite,
      moments: acc.values.moments.toJSON(),
      relative_error: histogram.alpha,
      distinct: acc.distinct ? [...acc.distinct] : null,
      bucket_values: buckets.values,
      bucket_counts: buckets.counts,
      sample: { capacity: sample.capacity, seen: sample.seen, values: Float64Array.from(sample.values()) },
    };
  }
  return { key: chunk.key, rows: chunk.rows, columns };
}

/** The buffers of a chunk's state, to transfer rather than copy between threads. */
export function chunkTransferables(state: ChunkProfileState): ArrayBuffer[] {
  return Object.values(state.columns).flatMap((column) =>
    column.type === 'categorical' ? [] : [column.bucket_values.buffer, column.bucket_counts.buffer, column.sample.values.buffer],
  ) as ArrayBuffer[];
}

export function chunkFromState(state: ChunkProfileState): ChunkProfile {
  const columns = new Map<string, ChunkColumn>();
  for (const [name, column] of Object.entries(state.columns)) {
    if (column.type === 'categorical') {
      columns.set(name, CategoricalAccumulator.fromJSON(column));
      continue;
    }
    // Each bucket's representative value falls back into its own bucket, so the histogram is rebuilt exactly.
    const histogram = new LogHistogram(column.relative_error);
    for (let i = 0; i < column.bucket_values.length; i++) histogram.add(column.bucket_values[i], column.bucket_counts[i]);
    const budget = new MemoryBudget(CHUNK_SAMPLE_SIZE * 16);
    const sample = ReservoirSample.fromJSON({ ...column.sample, values: column.sample.values as unknown as number[] }, 42, budget);
    const options = { budget, sampleSize: CHUNK_SAMPLE_SIZE, relativeError: column.relative_error };
    const values = NumericValues.restore(options, RunningMoments.fromJSON(column.moments), {
      values: null,
      histogram,
      sample,
    });
    const acc = new NumericAccumulator(budget, values, column.type === 'datetime');
    acc.rows = column.rows;
    acc.missing = column.missing;
    acc.nonFinite = column.non_finite;
    acc.distinct = column.distinct ? new Map(column.distinct) : null;
    columns.set(name, acc);
  }
  return { key: state.key, rows: state.rows, columns };
}
