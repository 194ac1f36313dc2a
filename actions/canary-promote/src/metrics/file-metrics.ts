// Metrics from files: `baseline` and `canary` as CSV/TSV/JSON Lines/Parquet (read by the shared column readers) or
// JSON (an array of objects, or an object of arrays), one column or key per metric, one sample per row.
import { readFile, stat } from 'node:fs/promises';
import { DataError, UserError } from '#shared/errors.js';
import { openDataset } from '#shared/data/index.js';
import type { MetricConfig } from '../config/metrics-config.js';
import { SampleBuffer, type Arm } from './metric-samples.js';

/** Column name -> buffer of its values (NaN for a missing cell). */
export type FileColumns = Map<string, SampleBuffer>;

export function fileColumnsOf(metrics: MetricConfig[]): string[] {
  const columns = new Set<string>();
  for (const m of metrics) {
    if (m.source !== 'file') continue;
    if (m.column) columns.add(m.column);
    if (m.kind === 'rate' && m.successes) columns.add(m.successes);
    if (m.kind === 'rate' && m.trials) columns.add(m.trials);
  }
  return [...columns];
}

export async function readFileColumns(path: string, arm: Arm, columns: string[], budgetBytes: number): Promise<FileColumns> {
  const label = `input '${arm}'`;
  // half the budget for each arm, shared by its columns
  const capacity = Math.max(1024, Math.floor(budgetBytes / 2 / 8 / Math.max(1, columns.length)));
  const out: FileColumns = new Map(columns.map((c) => [c, new SampleBuffer(capacity)]));
  if (/\.json$/i.test(path)) {
    await readJsonFile(path, label, columns, out, budgetBytes);
    return out;
  }
  const dataset = await openDataset(path, { label, columns, columnTypes: Object.fromEntries(columns.map((c) => [c, 'numerical'])) });
  for await (const batch of dataset.batches()) {
    batch.columns.forEach((column, index) => {
      if (column.kind !== 'number') return;
      const buffer = out.get(columns[index])!;
      for (let i = 0; i < batch.rowCount; i++) buffer.push(column.missing[i] ? NaN : column.values[i]);
    });
  }
  return out;
}

async function readJsonFile(path: string, label: string, columns: string[], out: FileColumns, budgetBytes: number): Promise<void> {
  const size = (await stat(path)).size;
  // JSON is parsed whole: refuse what would not fit instead of running out of memory
  if (size * 4 > budgetBytes)
    throw new UserError(
      `${label}: ${path} is ${Math.round(size / 1048576)} MB of JSON, too large for memory-budget-mb; use CSV, JSON Lines or Parquet, which are streamed.`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new DataError(`is not valid JSON (${(error as Error).message})`, { file: path });
  }
  // null, "", "NaN", "NA" and "null" are missing values (NaN, then the metric's nan-strategy); other text is a mistake
  const push = (column: string, value: unknown, where: string) => {
    if (value === null || value === undefined || (typeof value === 'string' && /^(nan|na|null)?$/i.test(value.trim())))
      return out.get(column)!.push(NaN);
    const n = typeof value === 'string' ? Number(value.trim()) : value;
    if (typeof n !== 'number' || !Number.isFinite(n))
      throw new DataError(`${where}: ${JSON.stringify(value)} is not a number`, { file: path, column });
    out.get(column)!.push(n);
  };

  if (Array.isArray(parsed)) {
    parsed.forEach((row, i) => {
      if (row === null || typeof row !== 'object' || Array.isArray(row))
        throw new DataError(`row ${i + 1} is not an object with one key per metric`, { file: path });
      for (const column of columns) {
        if (!(column in row)) throw new DataError(`row ${i + 1} has no key '${column}'`, { file: path, column });
        push(column, (row as Record<string, unknown>)[column], `row ${i + 1}`);
      }
    });
    return;
  }
  if (parsed !== null && typeof parsed === 'object') {
    for (const column of columns) {
      const values = (parsed as Record<string, unknown>)[column];
      if (!Array.isArray(values))
        throw new DataError(`has no array '${column}' (expected an object of arrays, one per metric, or an array of rows)`, {
          file: path,
          column,
        });
      values.forEach((v, i) => push(column, v, `'${column}'[${i}]`));
    }
    return;
  }
  throw new DataError('must be an array of rows or an object of arrays, one per metric', { file: path });
}
