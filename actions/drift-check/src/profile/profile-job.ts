// Profiling one dataset as a job that can run in a worker thread (shared/src/runtime/bundle-worker.ts): the
// reference and the current data are then read at the same time, one per core. The profile comes back with its
// exact values in transferred Float64Arrays, not copied.
import { fileURLToPath } from 'node:url';
import { openDataset, type ColumnType } from '#shared/data/index.js';
import { UserError } from '#shared/errors.js';
import { registerWorkerJob, runJob, type JobProgress } from '#shared/runtime/bundle-worker.js';
import { profileDataset, type ColumnPlan, type DatasetProfile } from './dataset-profile.js';
import { MemoryBudget } from '#shared/stats/sketches/memory-budget.js';
import type { PerformanceColumns } from './performance-accumulator.js';
import { profileFromDocument, profileToDocument, type ProfileDocument } from './profile-file.js';

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
}

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

registerWorkerJob(JOB, async (input: ProfileJobInput, progress) => {
  const dataset = await openDataset(input.paths, {
    columnTypes: input.columnTypes,
    columns: input.columns,
    batchRows: batchRowsFor(input.columns.length),
    label: `input '${input.side}'`,
    onProgress: (p) => progress(`${input.side} ${p.file}`, p.bytesRead, p.totalBytes),
  });
  const profile = await profileDataset(dataset, input.plan, {
    budget: new MemoryBudget(input.budgetBytes),
    performance: input.performance,
  });
  if (profile.rows === 0) throw new UserError(`The ${input.side} data has no rows (${dataset.files.join(', ')}).`);
  // Typed: each exact column is sorted here, in this dataset's own thread, and handed over without a copy.
  const document = profileToDocument(profile, Infinity, true);
  const transfer = new Set<ArrayBuffer>();
  for (const state of Object.values(document.columns)) {
    const numeric = state.type === 'numerical' ? [state] : state.type === 'text' ? [state.length, state.non_letter_share] : [];
    for (const n of numeric) if (n.values instanceof Float64Array) transfer.add(n.values.buffer as ArrayBuffer);
  }
  return { result: document, transfer: [...transfer] };
});

/** Profiles one dataset, in a worker thread where the code runs from a bundle. */
export async function profileData(input: ProfileJobInput, budget: MemoryBudget, progress?: JobProgress):
  Promise<DatasetProfile> {
  const document = await runJob<ProfileDocument>(JOB, input, progress, WORKER_BUNDLES);
  return profileFromDocument(document, budget, input.paths.join(', '));
}
