// Profiling one dataset as a job that can run in a worker thread (shared/src/runtime/bundle-worker.ts): the
// reference and the current data are then read at the same time, one per core. The profile comes back with its
// exact values in transferred Float64Arrays, not copied.
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { formatOf, openDataset, type ColumnType } from '#shared/data/index.js';
import { UserError } from '#shared/errors.js';
import { registerWorkerJob, runJob, type JobProgress } from '#shared/runtime/bundle-worker.js';
import { profileDataset, type ColumnPlan, type DatasetProfile } from './dataset-profile.js';
import { MemoryBudget } from '#shared/stats/sketches/memory-budget.js';
import type { PerformanceColumns } from './performance-accumulator.js';
import { profileFromDocument, profileToDocument, type ProfileDocument } from './profile-file.js';
import { ChunkProfiler, chunkFromState, chunkToState, chunkTransferables, type ChunkProfileState } from './chunk-profiles.js';
import type { ChunkSpec } from './chunk-spec.js';

export interface ProfileJobInput {
  side: 'reference' | 'current';
  paths: string[];
  /** Only these columns are parsed (the plan's and the performance columns); the rest of each row is skipped. */
  columns: string[];
  columnTypes: Record<string, ColumnType>;
  plan: ColumnPlan[];
  /** The share of the memory budget this dataset's exact values may take. */
  budgetBytes: number;
  performance?: PerformanceColumns;
  /** Input max-line-mb in bytes (OpenOptions.maxLineBytes). */
  maxLineBytes?: number;
  /** Profile each chunk too (the current data, inputs timestamp-column and chunk). */
  chunk?: ChunkSpec;
}

/** The profile, and its chunks' profiles when the data was chunked. */
type JobResult = ProfileDocument & { chunks?: ChunkProfileState[] };

/** Of a chunked dataset's budget, the share its chunks' sketches may take; the rest holds exact values as before. */
const CHUNK_BUDGET_SHARE = 0.5;

const JOB = 'drift-check:profile';

/**
 * Cells in one batch: 65,536 rows of a narrow table (the reader's default, its fastest), fewer rows of a wide one.
 * Every column of a batch is allocated at the batch's row count, so 10,000 columns of 65,536 rows took 2.8 GB to
 * read a 4 MB file; 256 rows of them take 23 MB.
 */
const BATCH_CELLS = 1 << 20;

export function batchRowsFor(columns: number): number {
  return Math.max(256, Math.min(65_536, Math.floor(BATCH_CELLS / Math.max(1, columns))));
}

/** dist/worker/index.js beside the action's bundle, or, from the CLI's bundle (cli/dist), the action's. */
const WORKER_BUNDLES = ['./worker/index.js', '../../actions/drift-check/dist/worker/index.js'].map((relative) =>
  fileURLToPath(new URL(relative, import.meta.url)),
);

/**
 * Each profiling thread's young generation, in MB. Node 24's default (V8 13 sizes it from the heap limit) let each
 * thread's scavenged space grow to ~150 MB, which put the 2 x 1.35 GB pair at 560-700 MB; 16 MB (about Node 20's
 * default) held a thread at ~80 MB above its exact values, at the same speed.
 */
const WORKER_YOUNG_GENERATION_MB = 16;

registerWorkerJob(JOB, profileJob);

async function profileJob(input: ProfileJobInput, progress: JobProgress): Promise<{ result: JobResult; transfer: ArrayBuffer[] }> {
  const bytesRead = new Map<string, number>();
  const dataset = await openDataset(input.paths, {
    columnTypes: input.columnTypes,
    columns: input.columns,
    batchRows: batchRowsFor(input.columns.length),
    label: `input '${input.side}'`,
    maxLineBytes: input.maxLineBytes,
    onProgress: (p) => {
      bytesRead.set(p.file, p.bytesRead);
      progress(`${input.side} ${p.file}`, p.bytesRead, p.totalBytes);
    },
  });
  const totalBytes = await textBytes(dataset.files);
  const chunkBytes = input.chunk ? Math.floor(input.budgetBytes * CHUNK_BUDGET_SHARE) : 0;
  const profile = await profileDataset(dataset, input.plan, {
    budget: new MemoryBudget(input.budgetBytes - chunkBytes),
    chunker: input.chunk && new ChunkProfiler(input.chunk, input.plan, new MemoryBudget(chunkBytes)),
    performance: input.performance,
    // Rows per byte so far, times the bytes of every file: CSV, TSV and JSON Lines (gzipped or not; the ratio is
    // then per compressed byte). Parquet reads only some columns' bytes, so its ratio would mislead.
    projectRows: (rows) => {
      let read = 0;
      for (const n of bytesRead.values()) read += n;
      return totalBytes !== undefined && read > 0 ? (rows * totalBytes) / read : undefined;
    },
  });
  if (profile.rows === 0) throw new UserError(`The ${input.side} data has no rows (${dataset.files.join(', ')}).`);
  // Typed: each exact column is sorted here, in this dataset's own thread, and handed over without a copy.
  const document: JobResult = profileToDocument(profile, Infinity, true);
  if (profile.chunks) document.chunks = profile.chunks.map(chunkToState);
  const transfer = new Set<ArrayBuffer>();
  for (const state of Object.values(document.columns)) {
    const numeric =
      state.type === 'numerical' || state.type === 'datetime'
        ? [state]
        : state.type === 'text'
          ? [state.length, state.non_letter_share]
          : [];
    for (const n of numeric) if (n.values instanceof Float64Array) transfer.add(n.values.buffer as ArrayBuffer);
  }
  for (const chunk of document.chunks ?? []) for (const buffer of chunkTransferables(chunk)) transfer.add(buffer);
  return { result: document, transfer: [...transfer] };
}

/** The bytes of the files when all are text formats (CSV, TSV, JSON Lines), else undefined. */
async function textBytes(files: string[]): Promise<number | undefined> {
  if (files.some((file) => formatOf(file) === 'parquet')) return undefined;
  let total = 0;
  for (const file of files) total += (await stat(file)).size;
  return total;
}

/**
 * Files smaller than this in all are profiled in this thread: a worker's own V8 isolate and copy of the bundle take
 * ~100 MB, more than such data does (10,000 columns x 200 rows, 4 MB a side, peaked at 480-600 MB with two workers).
 */
const IN_THREAD_BYTES = 16 << 20;

async function isSmall(paths: string[]): Promise<boolean> {
  let total = 0;
  for (const path of paths) total += (await stat(path)).size;
  return total < IN_THREAD_BYTES;
}

/** Profiles one dataset: small data in this thread, larger data in a worker thread where the code runs from a bundle. */
export async function profileData(input: ProfileJobInput, budget: MemoryBudget, progress: JobProgress = () => {}): Promise<DatasetProfile> {
  const document = (await isSmall(input.paths))
    ? (await profileJob(input, progress)).result
    : await runJob<JobResult>(JOB, input, progress, WORKER_BUNDLES, { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB });
  const profile = profileFromDocument(document, budget, input.paths.join(', '));
  if (document.chunks) profile.chunks = document.chunks.map(chunkFromState);
  return profile;
}
