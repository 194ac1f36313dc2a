// Drift of each chunk of the current data against the whole reference (inputs timestamp-column and chunk), as
// NannyML's chunked results: every chunk column is judged by the method and threshold its whole column was, so a
// column's line across chunks reads on one scale. Pure: profiles and settings in, the report's `chunks` out.
import { compareColumn, type DriftSettings } from './drift-engine.js';
import type { ChunkColumnDrift, ChunkDrift, DriftReport } from './drift-report.js';
import { NumericAccumulator } from './profile/numeric-accumulator.js';
import type { ChunkProfile } from './profile/chunk-profiles.js';
import { timeChunkBounds, type ChunkSpec } from './profile/chunk-spec.js';
import type { DatasetProfile } from './profile/dataset-profile.js';

/** The report with `chunks` added when the current data was chunked; the report itself otherwise. */
export function withChunkDrift(
  report: DriftReport,
  reference: DatasetProfile,
  current: DatasetProfile | undefined,
  spec: ChunkSpec | undefined,
  settings: DriftSettings,
): DriftReport {
  if (!spec || !current?.chunks) return report;
  return { ...report, chunks: current.chunks.map((chunk) => chunkDrift(chunk, reference, report, spec, settings)) };
}

function chunkDrift(
  chunk: ChunkProfile,
  reference: DatasetProfile,
  report: DriftReport,
  spec: ChunkSpec,
  settings: DriftSettings,
): ChunkDrift {
  const columns: ChunkColumnDrift[] = [];
  // The columns of the whole comparison, in its order (most drifted first); text columns are not chunked.
  for (const whole of report.columns) {
    const current = chunk.columns.get(whole.name);
    const ref = reference.columns.get(whole.name);
    if (!current || !ref) continue;
    // The whole column's method and threshold, so that a chunk's size cannot switch them; a numerical column with at
    // most 5 values in the reference is left to Evidently's rule (compared as categories), as its whole column was.
    const fewValued = ref instanceof NumericAccumulator && ref.distinct !== null;
    const pin = { method: whole.method, threshold: whole.threshold };
    const pinned = fewValued ? settings : { ...settings, columnMethods: { ...settings.columnMethods, [whole.name]: pin } };
    const compared = compareColumn(whole.name, ref, current, reference.rows, pinned, { reference: 0, current: 0 }, false);
    if (!compared) continue;
    columns.push({
      name: whole.name,
      method: compared.method,
      statistic: compared.statistic,
      p_value: compared.p_value,
      threshold: compared.threshold,
      drift_score: compared.drift_score,
      drifted: compared.drifted,
    });
  }
  const drifted = columns.filter((c) => c.drifted).length;
  const bounds =
    spec.by === 'rows'
      ? { start: chunk.key * spec.size, end: chunk.key * spec.size + chunk.rows }
      : mapBounds(timeChunkBounds(spec, chunk.key), (ms) => new Date(ms).toISOString());
  return { ...bounds, rows: chunk.rows, drift_share: columns.length ? drifted / columns.length : 0, columns };
}

function mapBounds(bounds: { start: number; end: number }, f: (ms: number) => string): { start: string; end: string } {
  return { start: f(bounds.start), end: f(bounds.end) };
}
