// Per-chunk profiles of the current data (inputs timestamp-column and chunk), built in the same streaming pass as the
// profile of the whole: each row goes to its chunk's accumulators as well. A chunk's numerical columns are sketches
// from the start (log-histogram and a small sample), so memory grows with the number of chunks, not of rows, and
// each chunk's share is reserved from the memory budget before the chunk is made.
import { DataError, UserError } from '#shared/errors.js';
import type { ColumnValues, Dataset, RecordBatch } from '#shared/data/index.js';
import { textCells } from '#shared/data/utf8-cells.js';
import { MemoryBudget } from '#shared/stats/sketches/memory-budget.js';
import { NumericValues } from '#shared/stats/sketches/numeric-values.js';
import { CategoricalAccumulator, type CategoricalProfileState } from './categorical-accumulator.js';
import { timeChunkKey, type ChunkSpec } from './chunk-spec.js';
import type { ColumnPlan } from './dataset-profile.js';
import { NumericAccumulator, type NumericProfileState } from './numeric-accumulator.js';

/** Values in a chunk column's uniform sample (for the rank tests); the log-histogram serves the CDF methods. */
export const CHUNK_SAMPLE_SIZE = 2_000;
/**
 * Bytes reserved per column of a chunk: the sample (16 KB at most) and the histogram's buckets (a Map entry per
 * 1% band of values met; a few hundred for a column spanning five orders of magnitude), rounded up.
 */
export const CHUNK_COLUMN_BYTES = 32 * 1024;

export type ChunkColumn = NumericAccumulator | CategoricalAccumulator;

export interface ChunkProfile {
  /** Time chunks: whole periods since the epoch (timeChunkKey); row chunks: the chunk's index. */
  key: number;
  rows: number;
  columns: Map<string, ChunkColumn>;
}

export interface ChunkProfileState {
  key: number;
  rows: number;
  columns: Record<string, NumericProfileState | CategoricalProfileState>;
}

/** Text columns are left out of chunks: their vocabularies would be kept once per chunk. */
export function chunkedColumns(plan: ColumnPlan[]): ColumnPlan[] {
  return plan.filter((column) => column.kind !== 'text');
}

export class ChunkProfiler {
  private readonly chunks = new Map<number, ChunkProfile>();
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
    const values = (name: string): ColumnValues => batch.columns[index.get(name)!];
    // Rows of one chunk mostly come together (data is written in time order): each run is added as one slice.
    let start = 0;
    while (start < batch.rowCount) {
      const key = keys[start];
      let end = start + 1;
      while (end < batch.rowCount && keys[end] === key) end++;
      const chunk = this.chunk(key);
      chunk.rows += end - start;
      for (const column of this.columns) {
        const acc = chunk.columns.get(column.name)!;
        const col = values(column.name);
        if (acc instanceof NumericAccumulator) {
          if (col.kind !== 'number') throw new Error(`column ${column.name} was read as text`);
          const numbers = acc.instant ? toSeconds(col.values, start, end) : col.values.subarray(start, end);
          acc.addBatch(numbers, col.missing.subarray(start, end));
        } else if (col.kind === 'number') {
          const boolean = dataset.schema[index.get(column.name)!].type === 'boolean';
          acc.addNumbers(col.values.subarray(start, end), col.missing.subarray(start, end), boolean);
        } else {
          let all = cells.get(column.name);
          if (!all) cells.set(column.name, (all = textCells(col)));
          acc.addBatch(all.slice(start, end));
        }
      }
      start = end;
    }
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
    const bytes = this.columns.length * CHUNK_COLUMN_BYTES;
    if (!this.budget.reserve(bytes))
      throw new UserError(
        `chunk '${this.spec.text}' cuts the current data into more than ${this.chunks.size.toLocaleString('en-US')} chunks, which ` +
          `the memory budget cannot hold (${Math.round(bytes / 1024)} KB each for ${this.columns.length} columns). Choose a longer chunk, ` +
          'fewer columns, or raise memory-budget-mb.',
      );
    chunk = { key, rows: 0, columns: new Map() };
    for (const column of this.columns) chunk.columns.set(column.name, newChunkColumn(column));
    this.chunks.set(key, chunk);
    return chunk;
  }
}

function newChunkColumn(column: ColumnPlan): ChunkColumn {
  if (column.kind === 'categorical') return new CategoricalAccumulator();
  // Its own small budget: the chunk's reservation above already counts the sample.
  const values = new NumericValues({ budget: CHUNK_SAMPLE_SIZE * 8, sampleSize: CHUNK_SAMPLE_SIZE });
  values.switchToSketches();
  return new NumericAccumulator(values.budget, values, column.kind === 'datetime');
}

/** Epoch milliseconds (as the readers give datetimes) to seconds, the unit datetime columns are compared in. */
export function toSeconds(values: Float64Array, start = 0, end = values.length): Float64Array {
  const out = new Float64Array(end - start);
  for (let i = start; i < end; i++) out[i - start] = values[i] / 1000;
  return out;
}

export function chunkToState(chunk: ChunkProfile): ChunkProfileState {
  const columns: ChunkProfileState['columns'] = Object.create(null);
  for (const [name, acc] of chunk.columns) columns[name] = acc instanceof NumericAccumulator ? acc.toJSON(0) : acc.toJSON();
  return { key: chunk.key, rows: chunk.rows, columns };
}

export function chunkFromState(state: ChunkProfileState): ChunkProfile {
  const columns = new Map<string, ChunkColumn>();
  for (const [name, column] of Object.entries(state.columns))
    columns.set(
      name,
      column.type === 'categorical' ? CategoricalAccumulator.fromJSON(column) : NumericAccumulator.fromJSON(column, new MemoryBudget(0)),
    );
  return { key: state.key, rows: state.rows, columns };
}
