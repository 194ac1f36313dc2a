// `dvc status` without DVC: each stage of dvc.yaml checked against dvc.lock by recomputing the hashes DVC would
// (see file-digest.ts and dvc-tree.ts), in DVC's own words (dvc/output.py workspace_status: 'deleted' when the
// path is gone, 'modified' when its hash differs, including an entry dvc.lock never recorded;
// dvc/dependency/param.py workspace_status: a param 'new', 'deleted' or 'modified'; 'changed command' when cmd
// differs). Every file is read once: deps shared between stages and outs that are another stage's deps are hashed
// in one pass under every algorithm they need, all files with bounded concurrency.
import { lstat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { checkReadablePath } from '#shared/paths/index.js';
import { checkRunPath } from '../runs/run-paths.js';
import type { HashAlgorithm } from '../hashing/file-digest.js';
import { hashInParallel } from '../hashing/parallel-hash.js';
import { dirHash, listTreeFiles } from './dvc-tree.js';
import { readLock, readParamsFile, readPipeline, type LockEntry } from './dvc-files.js';

export type DvcWord = 'modified' | 'deleted' | 'new';

export interface DvcEntryCheck {
  path: string;
  status?: DvcWord;
  expected?: string;
  actual?: string;
  nfiles?: number;
  size?: number;
}

export interface DvcStageCheck {
  stage: string;
  deps: DvcEntryCheck[];
  outs: DvcEntryCheck[];
  /** params file -> key -> word, only the changed keys. */
  params: Record<string, Record<string, DvcWord> | DvcWord>;
  changedCommand: boolean;
}

export interface DvcCheck {
  stages: DvcStageCheck[];
  entries: number;
  changed: number;
  files: number;
  bytes: number;
  /** Wall time of the check (reading dvc files, walking, hashing). */
  duration_s: number;
}

interface Target {
  entry: DvcEntryCheck;
  lock?: LockEntry;
  algorithm: HashAlgorithm;
  files?: { relpath: string; path: string; size: number }[];
  file?: string;
  fileSize?: number;
}

export interface DvcCheckOptions {
  concurrency?: number;
  threads?: number;
  /** A run's own copy the pipeline lies in: paths resolving inside it are read (see run-paths.ts). */
  runDir?: string;
}

export async function checkDvcPipeline(root: string, options: DvcCheckOptions = {}): Promise<DvcCheck> {
  const started = performance.now();
  const stages = await readPipeline(join(root, 'dvc.yaml'));
  const lock = await readLock(join(root, 'dvc.lock')).catch((error) => {
    if ((error as Error).message.includes('could not be read')) return new Map();
    throw error;
  });
  const targets: Target[] = [];
  const results: DvcStageCheck[] = [];
  for (const stage of stages) {
    const locked = lock.get(stage.name);
    const check: DvcStageCheck = {
      stage: stage.name,
      deps: [],
      outs: [],
      params: {},
      changedCommand: locked !== undefined && locked.cmd !== stage.cmd,
    };
    for (const [kind, paths] of [
      ['deps', stage.deps],
      ['outs', stage.outs],
    ] as const) {
      for (const path of paths) {
        const lockEntry = locked?.[kind].find((e: LockEntry) => posix.normalize(e.path) === posix.normalize(path));
        const entry: DvcEntryCheck = { path, expected: lockEntry?.md5 };
        check[kind].push(entry);
        // DVC 3 writes `hash: md5`; a DVC 2 entry has none and hashes text files dos2unix-normalised.
        const algorithm: HashAlgorithm = lockEntry && lockEntry.hash === undefined ? 'md5-dos2unix' : 'md5';
        targets.push(await locate(join(root, stage.wdir, path), { entry, lock: lockEntry, algorithm }, options.runDir));
      }
    }
    for (const [file, keys] of stage.params)
      check.params = { ...check.params, ...(await paramStatus(join(root, stage.wdir, file), file, keys, locked?.params[file])) };
    results.push(check);
  }

  // Each file read once, under every algorithm the entries naming it need (a folder can be a DVC 2 stage's out
  // and a DVC 3 stage's dep).
  const algorithmsByPath = new Map<string, { algorithms: Set<HashAlgorithm>; size: number }>();
  for (const t of targets)
    for (const f of t.files ?? (t.file ? [{ path: t.file, size: t.fileSize ?? 0 }] : [])) {
      if (!algorithmsByPath.has(f.path)) algorithmsByPath.set(f.path, { algorithms: new Set(), size: f.size });
      algorithmsByPath.get(f.path)!.algorithms.add(t.algorithm);
    }
  const jobs = [...algorithmsByPath].map(([path, { algorithms, size }]) => ({ path, algorithms: [...algorithms], size }));
  const digests = await hashInParallel(jobs, { concurrency: options.concurrency ?? 8, threads: options.threads });
  const byPath = new Map(jobs.map((j, i) => [j.path, digests[i]]));
  const digest = (algorithm: HashAlgorithm, path: string) => ({ hash: byPath.get(path)!.hashes[algorithm]!, size: byPath.get(path)!.size });

  let entries = 0;
  let changed = 0;
  for (const t of targets) {
    entries++;
    const { entry } = t;
    if (t.files) {
      const tree = dirHash(
        t.files.map((f) => ({ relpath: f.relpath, md5: digest(t.algorithm, f.path).hash, size: digest(t.algorithm, f.path).size })),
      );
      Object.assign(entry, { actual: tree.md5, nfiles: tree.nfiles, size: tree.size });
    } else if (t.file) {
      const d = digest(t.algorithm, t.file);
      Object.assign(entry, { actual: d.hash, size: d.size });
    }
    if (entry.status === undefined && entry.actual !== entry.expected) entry.status = 'modified';
    if (entry.status) changed++;
  }
  for (const r of results) if (r.changedCommand || Object.keys(r.params).length) changed++;
  return {
    stages: results,
    entries,
    changed,
    files: jobs.length,
    bytes: digests.reduce((s, d) => s + d.size, 0),
    duration_s: Math.round(performance.now() - started) / 1000,
  };
}

async function locate(path: string, target: Target, runDir: string | undefined): Promise<Target> {
  const stat = await lstat(path).catch(() => undefined);
  if (!stat) {
    target.entry.status = 'deleted';
    return target;
  }
  const label = `dvc entry '${target.entry.path}'`;
  const real = runDir ? await checkRunPath(path, runDir, label) : await checkReadablePath(path, label);
  const resolved = stat.isSymbolicLink() ? await lstat(real) : stat;
  if (resolved.isDirectory()) target.files = await listTreeFiles(real, label, runDir);
  else {
    target.file = real;
    target.fileSize = resolved.size;
  }
  return target;
}

/** DVC flattens params files with dotted keys: 'train.epochs' is params['train']['epochs']. */
function lookup(doc: Record<string, unknown>, key: string): { found: boolean; value?: unknown } {
  if (key in doc) return { found: true, value: doc[key] };
  let node: unknown = doc;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in (node as object))) return { found: false };
    node = (node as Record<string, unknown>)[part];
  }
  return { found: true, value: node };
}

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));

async function paramStatus(
  path: string,
  file: string,
  keys: string[],
  locked: Record<string, unknown> | undefined,
): Promise<DvcStageCheck['params']> {
  const actual = await readParamsFile(path);
  if (!actual) return { [file]: 'deleted' };
  if (!locked) return { [file]: 'new' };
  const names = keys.length ? keys : [...new Set([...Object.keys(actual), ...Object.keys(locked)])];
  const changed: Record<string, DvcWord> = {};
  for (const key of names) {
    const now = lookup(actual, key);
    if (!now.found) changed[key] = 'deleted';
    else if (!(key in locked)) changed[key] = 'new';
    else if (canonical(now.value) !== canonical(locked[key])) changed[key] = 'modified';
  }
  return Object.keys(changed).length ? { [file]: changed } : {};
}

/** The check as `dvc status` prints it. */
export function dvcStatusText(check: DvcCheck): string {
  const lines: string[] = [];
  for (const s of check.stages) {
    const body: string[] = [];
    const deps = s.deps.filter((e) => e.status);
    const params = Object.entries(s.params);
    if (deps.length || params.length) {
      body.push('\tchanged deps:');
      for (const e of deps) body.push(`\t\t${`${e.status}:`.padEnd(20)}${e.path}`);
      for (const [file, keys] of params) {
        if (typeof keys === 'string') body.push(`\t\t${`${keys}:`.padEnd(20)}${file}`);
        else {
          body.push(`\t\t${file}:`);
          for (const [key, word] of Object.entries(keys)) body.push(`\t\t\t${`${word}:`.padEnd(20)}${key}`);
        }
      }
    }
    const outs = s.outs.filter((e) => e.status);
    if (outs.length) {
      body.push('\tchanged outs:');
      for (const e of outs) body.push(`\t\t${`${e.status}:`.padEnd(20)}${e.path}`);
    }
    if (s.changedCommand) body.push('\tchanged command');
    if (body.length) lines.push(`${s.stage}:`, ...body);
  }
  return lines.length ? lines.join('\n') : 'Data and pipelines are up to date.';
}
