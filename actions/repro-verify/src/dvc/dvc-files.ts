// dvc.yaml (what a pipeline declares) and dvc.lock (what the last `dvc repro` recorded) read into typed stages.
// Only the fields the check needs: cmd, wdir, deps, outs (metrics and plots are outs too), params.
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { load as loadYaml, YAMLException, type Schema } from 'js-yaml';
import { DataError } from '#shared/errors.js';
import { expandStages } from './dvc-parametrize.js';
import { plainValues, PY_FLOAT_SCHEMA } from './python-values.js';

export interface PipelineStage {
  name: string;
  cmd: string;
  wdir: string;
  deps: string[];
  outs: string[];
  /** Params file -> keys; an empty list tracks every top-level key of the file. */
  params: Map<string, string[]>;
}

export interface LockEntry {
  path: string;
  /** Absent in DVC 2 lock files, whose md5s are of dos2unix-normalised text. */
  hash?: string;
  md5?: string;
  size?: number;
  nfiles?: number;
}

export interface LockStage {
  cmd: string;
  deps: LockEntry[];
  outs: LockEntry[];
  params: Record<string, Record<string, unknown>>;
}

export const DEFAULT_PARAMS_FILE = 'params.yaml';

async function readText(path: string, label: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new DataError(`${label} could not be read (is the path right?)`, { file: path });
  }
}

async function readYaml(path: string, label: string, text?: string, schema?: Schema): Promise<unknown> {
  text ??= await readText(path, label);
  try {
    return loadYaml(text, schema ? { schema } : undefined);
  } catch (error) {
    const mark = error instanceof YAMLException ? error.mark : undefined;
    throw new DataError(`${label} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, {
      file: path,
      line: mark ? mark.line + 1 : undefined,
    });
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const command = (cmd: unknown): string =>
  Array.isArray(cmd) ? cmd.map(String).join('\n') : cmd === undefined || cmd === null ? '' : String(cmd);

/** An out or dep as dvc.yaml writes it: `path` or `{path: {cache: false, ...}}`. */
function entryPath(entry: unknown): string {
  if (isRecord(entry)) return Object.keys(entry)[0];
  return String(entry);
}

export async function readPipeline(path: string): Promise<PipelineStage[]> {
  const text = await readText(path, 'dvc.yaml');
  // Floats stay floats until the templating is expanded: `train@1.0` is DVC's name, not `train@1`.
  const doc = await readYaml(path, 'dvc.yaml', text, PY_FLOAT_SCHEMA);
  if (!isRecord(doc) || !isRecord(doc.stages)) throw new DataError("dvc.yaml has no 'stages' mapping", { file: path });
  const stages: PipelineStage[] = [];
  for (const expanded of await expandStages(doc.stages, doc.vars, { file: path, text, dir: dirname(path) })) {
    const { name } = expanded;
    const raw = plainValues(expanded.definition) as Record<string, unknown>;
    const params = new Map<string, string[]>();
    for (const p of (raw.params as unknown[] | undefined) ?? []) {
      if (isRecord(p)) for (const [file, keys] of Object.entries(p)) params.set(file, Array.isArray(keys) ? keys.map(String) : []);
      else params.set(DEFAULT_PARAMS_FILE, [...(params.get(DEFAULT_PARAMS_FILE) ?? []), String(p)]);
    }
    const list = (key: string) => ((raw[key] as unknown[] | undefined) ?? []).map(entryPath);
    stages.push({
      name,
      cmd: command(raw.cmd),
      wdir: typeof raw.wdir === 'string' ? raw.wdir : '.',
      deps: list('deps'),
      outs: [...list('outs'), ...list('metrics'), ...list('plots')],
      params,
    });
  }
  return stages;
}

export async function readLock(path: string): Promise<Map<string, LockStage>> {
  const doc = await readYaml(path, 'dvc.lock');
  const stages = new Map<string, LockStage>();
  if (doc === undefined || doc === null) return stages;
  if (!isRecord(doc) || !isRecord(doc.stages))
    throw new DataError("dvc.lock has no 'stages' mapping (expected schema '2.0')", { file: path });
  for (const [name, raw] of Object.entries(doc.stages)) {
    if (!isRecord(raw)) continue;
    const entries = (key: string): LockEntry[] =>
      ((raw[key] as unknown[] | undefined) ?? []).filter(isRecord).map((e) => ({
        path: String(e.path),
        hash: typeof e.hash === 'string' ? e.hash : undefined,
        md5: typeof e.md5 === 'string' ? e.md5 : undefined,
        size: typeof e.size === 'number' ? e.size : undefined,
        nfiles: typeof e.nfiles === 'number' ? e.nfiles : undefined,
      }));
    stages.set(name, {
      cmd: command(raw.cmd),
      deps: entries('deps'),
      outs: entries('outs'),
      params: isRecord(raw.params) ? (raw.params as Record<string, Record<string, unknown>>) : {},
    });
  }
  return stages;
}

/** A params file (YAML or JSON; TOML by extension) as DVC reads it. */
export async function readParamsFile(path: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    if (path.endsWith('.toml')) {
      const { parse } = await import('smol-toml');
      return parse(text) as Record<string, unknown>;
    }
    const doc = loadYaml(text);
    return isRecord(doc) ? doc : {};
  } catch (error) {
    throw new DataError(`params file does not parse: ${(error as Error).message.split('\n')[0]}`, { file: path });
  }
}
