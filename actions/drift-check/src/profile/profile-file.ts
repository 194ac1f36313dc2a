// The saved, mergeable profile (mode: profile): written by one job, read back as `reference` or `current` by another,
// several shard profiles merged into one. Exact values travel only while a column is small enough.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DataError, UserError } from '#shared/errors.js';
import { CategoricalAccumulator, type CategoricalProfileState } from './categorical-accumulator.js';
import type { ColumnAccumulator, DatasetProfile } from './dataset-profile.js';
import { mergeProfiles } from './dataset-profile.js';
import type { MemoryBudget } from '#shared/stats/sketches/memory-budget.js';
import { NumericAccumulator, type NumericProfileState } from './numeric-accumulator.js';
import { PerformanceAccumulator } from './performance-accumulator.js';
import { TextAccumulator, type TextProfileState } from './text-accumulator.js';

export const PROFILE_KIND = 'mlops-actions/drift-profile';
/**
 * 1.1: datetime columns' histograms are kept at INSTANT_RELATIVE_ERROR (each histogram states its own alpha, so 1.0
 * profiles, whose datetime sketches hold 0.5%, still load and merge, at their coarser accuracy).
 */
export const PROFILE_SCHEMA_VERSION = '1.1';
/** Columns with at most this many values keep them exactly in the profile, so exact tests stay exact. */
export const PROFILE_EXACT_VALUES = 100_000;

type ColumnState = NumericProfileState | CategoricalProfileState | TextProfileState;

export interface ProfileDocument {
  schema_version: string;
  kind: typeof PROFILE_KIND;
  rows: number;
  sources: string[];
  columns: Record<string, ColumnState>;
  performance?: object;
}

export function isProfilePath(path: string): boolean {
  return /\.profile\.json$/i.test(path);
}

/** The profile as a document; `typed` keeps exact values in Float64Arrays (between threads, not in files). */
export function profileToDocument(profile: DatasetProfile, maxExactValues: number, typed = false): ProfileDocument {
  // No prototype: on {} a column named __proto__ would set the prototype instead of adding the column.
  const columns: Record<string, ColumnState> = Object.create(null);
  for (const [name, acc] of profile.columns) {
    columns[name] = acc instanceof CategoricalAccumulator ? acc.toJSON() : acc.toJSON(maxExactValues, typed);
  }
  return {
    schema_version: PROFILE_SCHEMA_VERSION,
    kind: PROFILE_KIND,
    rows: profile.rows,
    sources: profile.sources,
    columns,
    performance: profile.performance?.toJSON(),
  };
}

export async function writeProfile(path: string, profile: DatasetProfile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(profileToDocument(profile, PROFILE_EXACT_VALUES)));
}

export async function readProfile(path: string, budget: MemoryBudget): Promise<DatasetProfile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`Cannot read profile ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}.`);
  }
  let document: ProfileDocument;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new DataError(`not a JSON profile (${(error as Error).message})`, { file: path });
  }
  if (document?.kind !== PROFILE_KIND)
    throw new DataError(`not a drift-check profile (expected "kind": "${PROFILE_KIND}")`, { file: path });
  if (String(document.schema_version).split('.')[0] !== PROFILE_SCHEMA_VERSION.split('.')[0])
    throw new DataError(`profile schema_version ${document.schema_version} is not supported (expected ${PROFILE_SCHEMA_VERSION})`, {
      file: path,
    });
  return profileFromDocument(document, budget, path);
}

/** Rebuilds the accumulators of a profile document (from a file, or from a worker thread). */
export function profileFromDocument(document: ProfileDocument, budget: MemoryBudget, path: string): DatasetProfile {
  const columns = new Map<string, ColumnAccumulator>();
  for (const [name, state] of Object.entries(document.columns)) {
    if (state.type === 'numerical' || state.type === 'datetime') columns.set(name, NumericAccumulator.fromJSON(state, budget));
    else if (state.type === 'categorical') columns.set(name, CategoricalAccumulator.fromJSON(state));
    else if (state.type === 'text') columns.set(name, TextAccumulator.fromJSON(state, budget));
    else throw new DataError(`column '${name}' has an unknown type`, { file: path });
  }
  return {
    rows: document.rows,
    sources: document.sources ?? [path],
    columns,
    performance: document.performance ? PerformanceAccumulator.fromJSON(document.performance) : undefined,
  };
}

/** Reads one or more shard profiles and merges them into the profile of the whole dataset. */
export async function readMergedProfiles(paths: string[], budget: MemoryBudget): Promise<DatasetProfile> {
  const [first, ...rest] = await Promise.all(paths.map((p) => readProfile(p, budget)));
  for (const [i, other] of rest.entries()) {
    const mismatch = columnMismatch(first, other);
    if (mismatch) throw new DataError(`profile columns differ from ${paths[0]}: ${mismatch}`, { file: paths[i + 1] });
    mergeProfiles(first, other);
  }
  return first;
}

function columnMismatch(a: DatasetProfile, b: DatasetProfile): string | undefined {
  for (const [name, acc] of a.columns) {
    const other = b.columns.get(name);
    if (!other) return `column '${name}' is missing`;
    if (other.constructor !== acc.constructor) return `column '${name}' has another type`;
  }
  for (const name of b.columns.keys()) if (!a.columns.has(name)) return `extra column '${name}'`;
  return undefined;
}
