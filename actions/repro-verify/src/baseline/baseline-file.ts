// A baseline: the manifest and output hashes (and metric values) of an earlier, good run, as one JSON file that
// can be committed, uploaded as an artifact or kept in the Actions cache. A baseline written by a newer version
// (higher schema_version) is refused with a clear message rather than half-read.
import { readFile } from 'node:fs/promises';
import { DataError } from '#shared/errors.js';
import { MANIFEST_SCHEMA_VERSION, type EnvironmentManifest } from '../environment/manifest.js';
import type { BaselineFiles } from '../compare/compare-runs.js';

export const BASELINE_SCHEMA_VERSION = '1.0';
export const BASELINE_KIND = 'repro-verify-baseline';

export interface BaselineDocument {
  schema_version: string;
  kind: typeof BASELINE_KIND;
  created_at: string;
  manifest: EnvironmentManifest;
  outputs: { path: string; sha256: string; size: number }[];
  metrics: { file: string; key: string; value: number }[];
}

export function buildBaseline(manifest: EnvironmentManifest, files: BaselineFiles, now = new Date()): BaselineDocument {
  return {
    schema_version: BASELINE_SCHEMA_VERSION,
    kind: BASELINE_KIND,
    created_at: now.toISOString(),
    manifest,
    outputs: [...files.outputs].map(([path, d]) => ({ path, sha256: d.hash, size: d.size })),
    metrics: [...files.metrics].flatMap(([file, values]) => [...values].map(([key, value]) => ({ file, key, value }))),
  };
}

export function baselineFiles(doc: BaselineDocument): BaselineFiles {
  const metrics = new Map<string, Map<string, number>>();
  for (const m of doc.metrics) {
    if (!metrics.has(m.file)) metrics.set(m.file, new Map());
    metrics.get(m.file)!.set(m.key, m.value);
  }
  return { outputs: new Map(doc.outputs.map((o) => [o.path, { hash: o.sha256, size: o.size }])), metrics };
}

export function parseBaseline(text: string, file: string): BaselineDocument {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new DataError(`the baseline is not valid JSON (${(error as Error).message})`, { file });
  }
  if (!doc || typeof doc !== 'object' || doc.kind !== BASELINE_KIND)
    throw new DataError(`not a repro-verify baseline (expected "kind": "${BASELINE_KIND}")`, { file });
  const version = doc.schema_version;
  const manifestVersion = doc.manifest?.schema_version;
  if (
    major(version) === undefined ||
    major(version)! > major(BASELINE_SCHEMA_VERSION)! ||
    (major(manifestVersion) ?? 0) > major(MANIFEST_SCHEMA_VERSION)!
  )
    throw new DataError(
      `the baseline has schema_version ${version}${manifestVersion ? ` (manifest ${manifestVersion})` : ''}, newer than this action reads (${BASELINE_SCHEMA_VERSION}). Update repro-verify, or record a new baseline with this version.`,
      { file },
    );
  if (!Array.isArray(doc.outputs) || !Array.isArray(doc.metrics) || typeof doc.manifest !== 'object')
    throw new DataError('the baseline lacks its manifest, outputs or metrics', { file });
  return doc as BaselineDocument;
}

function major(version: unknown): number | undefined {
  const m = /^(\d+)\.\d+/.exec(String(version));
  return m ? Number(m[1]) : undefined;
}

export async function readBaseline(path: string): Promise<BaselineDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new DataError('the baseline file could not be read (is the path right?)', { file: path });
  }
  return parseBaseline(text, path);
}
