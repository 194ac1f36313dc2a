// Test helper: a fresh temporary folder per test file to write small data files into, and a reader that collects a
// dataset's batches into plain columns for assertions.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dataset, RecordBatch } from '#shared/data/index.js';
import { textCells } from '#shared/data/utf8-cells.js';

export interface TempFolder {
  dir: string;
  write(name: string, content: string | Buffer): string;
  remove(): void;
}

export function tempFolder(): TempFolder {
  const dir = mkdtempSync(join(tmpdir(), 'data-test-'));
  return {
    dir,
    write(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Cell = number | string | null;

/** All batches, and each column as one array (numbers, strings, null for missing). */
export async function readColumns(dataset: Dataset): Promise<{ batches: RecordBatch[]; columns: Record<string, Cell[]>; lines: number[] }> {
  const batches: RecordBatch[] = [];
  const columns: Record<string, Cell[]> = Object.fromEntries(dataset.schema.map((c) => [c.name, []]));
  const lines: number[] = [];
  for await (const batch of dataset.batches()) {
    batches.push(batch);
    lines.push(...batch.lines);
    batch.columns.forEach((column, c) => {
      const target = columns[dataset.schema[c].name];
      if (column.kind !== 'number') target.push(...textCells(column));
      else for (let i = 0; i < batch.rowCount; i++) target.push(column.missing[i] ? null : column.values[i]);
    });
  }
  return { batches, columns, lines };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}
