// The verdict over runs (and the baseline): each output by hash, each metric by value within tolerance. Pure:
// digests and parsed metrics in, statuses out; the engine adds diffs from the files.
import type { MetricResult, OutputResult, OutputStatus } from '../report/report-types.js';
import { reproduces } from '../report/report-types.js';
import { boundFor, compareValues, type Tolerance } from './tolerance.js';

export interface RunFiles {
  /** Output path (relative to the working directory) -> digest. */
  outputs: Map<string, { hash: string; size: number }>;
  /** Metrics file -> key -> value. */
  metrics: Map<string, Map<string, number>>;
}

export interface BaselineFiles {
  outputs: Map<string, { hash: string; size: number }>;
  metrics: Map<string, Map<string, number>>;
}

export function compareMetrics(runs: RunFiles[], tolerance: Tolerance, baseline?: BaselineFiles): MetricResult[] {
  const files = new Set<string>();
  for (const r of [...runs, ...(baseline ? [baseline] : [])]) for (const f of r.metrics.keys()) files.add(f);
  const results: MetricResult[] = [];
  for (const file of [...files].sort()) {
    const keys = new Set<string>();
    for (const r of [...runs, ...(baseline ? [baseline] : [])]) for (const k of r.metrics.get(file)?.keys() ?? []) keys.add(k);
    for (const key of keys) {
      const values = runs.map((r) => r.metrics.get(file)?.get(key) ?? null);
      const base = baseline ? (baseline.metrics.get(file)?.get(key) ?? null) : undefined;
      // The baseline, when it has the key, is the reference the runs are held to.
      const agreement = compareValues(base !== undefined && base !== null ? [base, ...values] : values, boundFor(tolerance, key));
      results.push({ key, file, values, ...(base !== undefined ? { baseline_value: base } : {}), ...agreement });
    }
  }
  return results;
}

export function compareOutputs(runs: RunFiles[], metrics: MetricResult[], baseline?: BaselineFiles): OutputResult[] {
  const paths = new Set<string>();
  for (const r of runs) for (const p of r.outputs.keys()) paths.add(p);
  for (const p of baseline?.outputs.keys() ?? []) paths.add(p);
  return [...paths].sort().map((path) => {
    const digests = runs.map((r) => r.outputs.get(path));
    const hashes = digests.map((d) => d?.hash ?? null);
    const base = baseline ? (baseline.outputs.get(path)?.hash ?? null) : undefined;
    let status: OutputStatus;
    if (hashes.some((h) => h === null)) status = 'missing';
    else if (hashes.every((h) => h === hashes[0]) && (base === undefined || base === null || base === hashes[0])) status = 'identical';
    else {
      const own = metrics.filter((m) => m.file === path);
      status = own.length > 0 && own.every((m) => reproduces(m.status)) ? 'within_tolerance' : 'differs';
    }
    return { path, status, hashes, sizes: digests.map((d) => d?.size ?? null), ...(base !== undefined ? { baseline_hash: base } : {}) };
  });
}

/** Share of outputs and metrics that reproduce (1 when there is nothing to compare, which inputs.ts prevents). */
export function reproducibilityScore(
  outputs: OutputResult[],
  metrics: MetricResult[],
  extra: { total: number; ok: number } = { total: 0, ok: 0 },
): number {
  const total = outputs.length + metrics.length + extra.total;
  if (total === 0) return 1;
  const ok = outputs.filter((o) => reproduces(o.status)).length + metrics.filter((m) => reproduces(m.status)).length + extra.ok;
  return Math.round((ok / total) * 10000) / 10000;
}
