// dvc.yaml's templating, expanded as DVC does before a stage is compared with its dvc.lock entry (ported from DVC's
// dvc/parsing/__init__.py, context.py and interpolate.py):
// - `vars`: params.yaml of the dvc.yaml's folder when it exists, then each `vars` item (a file, `file:key1,key2`, or
//   an inline mapping), merged; a stage's own `vars` load relative to its wdir. Redefining a value is an error.
// - `${a.b}`, `${a[0]}`: a whole-string `${x}` keeps x's type; inside a longer string x must be a primitive and is
//   written as Python's str() (true/false, 1.0, 1e-05; a mapping in `cmd` becomes `--key value` flags). `\${` escapes.
// - `foreach` + `do`: a list of primitives names stages `name@<value>`, a list with mappings or lists
//   `name@<index>`, a mapping `name@<key>`; `${item}` (and `${key}` for a mapping) in the template.
// - `matrix`: the product of its lists (the last one varying fastest), named `name@v1-v2` with `<dim><index>` for a
//   composite value; `${item.<dim>}` and `${key}` (the joined name) in the template.
// Anything else (a foreach without do, a matrix that is no mapping of lists, a file type DVC reads and we do not)
// is a DataError at the stage's line.
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { DataError } from '#shared/errors.js';
import { PyFloat, PY_FLOAT_SCHEMA } from './python-values.js';

export interface ExpandedStage {
  name: string;
  definition: Record<string, unknown>;
}

export interface PipelineSource {
  /** dvc.yaml's path, for messages. */
  file: string;
  text: string;
  /** The folder of dvc.yaml: vars files and wdir are relative to it. */
  dir: string;
}

type Context = Record<string, unknown>;
const JOIN = '@';
const DEFAULT_PARAMS_FILE = 'params.yaml';
// DVC's KEYCRE: `${...}` not preceded by a backslash, shortest inner match.
const KEYCRE = /(?<!\\)\$\{(.*?)\}/g;
// DVC's pyparsing grammar: word (('.' word) | ('[' word ']'))*, a word being any characters but . [ ].
const EXPRESSION = /^[^.[\]]+(?:\.[^.[\]]+|\[[^.[\]]+\])*$/;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyFloat);
const isComposite = (v: unknown) => Array.isArray(v) || isRecord(v);

/** Python's type() name, for DVC's messages. */
function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (v instanceof PyFloat) return 'float';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'dict';
  if (typeof v === 'number') return 'int';
  return typeof v === 'boolean' ? 'bool' : 'str';
}

/** Python's shlex.quote. */
function shellQuote(s: string): string {
  if (s === '') return "''";
  return /[^\w@%+=:,./-]/.test(s) ? `'${s.replace(/'/g, `'"'"'`)}'` : s;
}

function flatten(obj: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(obj).flatMap(([k, v]) =>
    isRecord(v) ? flatten(v, `${prefix}${k}.`) : [[`${prefix}${k}`, v] as [string, unknown]],
  );
}

/** DVC's to_str: str() with booleans as true/false, and a mapping as command-line flags (parsing defaults). */
export function toStr(value: unknown): string {
  if (value === true || value === false) return value ? 'true' : 'false';
  if (value === null || value === undefined) return 'None';
  if (isRecord(value)) {
    let out = '';
    for (const [k, v] of flatten(value)) {
      if (v === true) out += `--${k} `;
      else if (v === false) continue;
      else if (typeof v === 'string') out += `--${k} ${shellQuote(v)} `;
      else if (Array.isArray(v))
        v.forEach((item, n) => {
          if (isComposite(item)) throw new InterpolationError(`Cannot interpolate nested iterable in '${k}'`);
          const text = typeof item === 'string' ? shellQuote(item) : toStr(item);
          out += n > 0 ? `${text} ` : `--${k} ${text} `;
        });
      else out += `--${k} ${toStr(v)} `;
    }
    return out.trimEnd();
  }
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === 'string' ? `'${v}'` : toStr(v))).join(', ')}]`;
  return String(value);
}

class InterpolationError extends Error {
  /** The `${...}` inside that failed, to find its line. */
  expression?: string;
}

/** `a.b`, `a[0].c` looked up in the context (DVC's Context.select with normalize_key). */
function select(context: Context, expression: string): unknown {
  if (!EXPRESSION.test(expression))
    throw new InterpolationError(`'\${${expression}}' is not a valid expression (expected name, name.key or name[index])`);
  let node: unknown = context;
  for (const part of expression.replace(/\[/g, '.').replace(/\]/g, '').split('.')) {
    if (Array.isArray(node) && /^-?\d+$/.test(part)) {
      const i = Number(part);
      node = node[i < 0 ? node.length + i : i];
      if (node === undefined) throw new InterpolationError(`Could not find '${expression}'`);
    } else if (isRecord(node) && Object.hasOwn(node, part)) node = node[part];
    else throw new InterpolationError(`Could not find '${expression}'`);
  }
  return node;
}

/** DVC's validate_value: only primitives inside strings, except in foreach data and a mapping in cmd. */
function validate(value: unknown, field: string | undefined): void {
  if (value === null || !isComposite(value) || field === undefined || field.includes('foreach')) return;
  if (isRecord(value) && field === 'cmd') return;
  throw new InterpolationError(`Cannot interpolate data of type '${pyType(value)}'`);
}

function lookup(context: Context, expression: string, field: string | undefined): unknown {
  try {
    const value = select(context, expression);
    validate(value, field);
    return value;
  } catch (error) {
    if (error instanceof InterpolationError) error.expression ??= expression;
    throw error;
  }
}

function resolveString(src: string, context: Context, field: string | undefined): unknown {
  const matches = [...src.matchAll(KEYCRE)];
  if (matches.length === 1 && matches[0][0] === src) {
    const value = lookup(context, matches[0][1], field);
    // A mapping in cmd: DVC hands the dict on; as a command it means its flags.
    return isRecord(value) && field === 'cmd' ? toStr(value) : value;
  }
  let out = '';
  let index = 0;
  for (const m of matches) {
    const value = lookup(context, m[1], field);
    out += src.slice(index, m.index) + toStr(value);
    index = m.index! + m[0].length;
  }
  return (out + src.slice(index)).replace(/\\\$\{/g, '${');
}

/** DVC's Context.resolve: strings interpolated everywhere in the value, mapping keys too. */
function resolve(value: unknown, context: Context, field: string | undefined): unknown {
  if (typeof value === 'string') return resolveString(value, context, field);
  if (Array.isArray(value)) return value.map((v) => resolve(v, context, field));
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [toStr(resolve(k, context, field)), resolve(v, context, field)]));
  return value;
}

function hasInterpolation(value: unknown): boolean {
  if (typeof value === 'string') return [...value.matchAll(KEYCRE)].length > 0;
  if (Array.isArray(value)) return value.some(hasInterpolation);
  return isRecord(value) && Object.entries(value).some(([k, v]) => hasInterpolation(k) || hasInterpolation(v));
}

/** 1-based line of a stage's key under `stages:`, and of the first line in its block containing `needle`. */
export function stageLine(text: string, stage: string, needle?: string): number | undefined {
  const lines = text.split('\n');
  const top = lines.findIndex((l) => /^stages\s*:/.test(l));
  const escaped = stage.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const head = new RegExp(`^(\\s+)(['"]?)${escaped}\\2\\s*:`);
  for (let i = Math.max(top, 0) + 1; i < lines.length; i++) {
    const m = head.exec(lines[i]);
    if (!m) continue;
    if (needle === undefined) return i + 1;
    for (let j = i; j < lines.length; j++) {
      if (j > i && lines[j].trim() && !lines[j].startsWith(`${m[1]} `) && !lines[j].trim().startsWith('#')) break;
      if (lines[j].includes(needle)) return j + 1;
    }
    return i + 1;
  }
  return undefined;
}

export async function expandStages(stages: Record<string, unknown>, vars: unknown, source: PipelineSource): Promise<ExpandedStage[]> {
  const fail = (stage: string | undefined, message: string, needle?: string): never => {
    throw new DataError(message, { file: source.file, line: stage ? stageLine(source.text, stage, needle) : undefined });
  };
  if (vars !== undefined && !Array.isArray(vars)) fail(undefined, `'vars' must be a list of files and mappings, got ${pyType(vars)}`);
  if (hasInterpolation(vars)) fail(undefined, "failed to parse 'vars' in 'dvc.yaml': interpolating is not allowed");
  const context: Context = {};
  const globalLoaded: Loaded = { imports: new Map(), origins: new Map() };
  // DVC clones the context with what it imported for a stage's own vars: a stage may load a file the top already did.
  const loadVars = async (
    target: Context,
    loaded: Loaded,
    items: unknown[],
    wdir: string,
    stage: string | undefined,
    useDefault: boolean,
  ) => {
    try {
      if (useDefault) {
        const path = normalize(join(wdir, DEFAULT_PARAMS_FILE));
        const doc = await readVarsFile(path, DEFAULT_PARAMS_FILE, true);
        if (doc) {
          merge(target, doc, DEFAULT_PARAMS_FILE, loaded);
          loaded.imports.set(path, null);
        }
      }
      for (const [index, item] of items.entries()) {
        if (isRecord(item)) merge(target, item, `${stage ? `${stage}.` : ''}vars[${index}]`, loaded);
        else if (typeof item === 'string') {
          const [file, keys] = [
            item.split(':')[0],
            item.includes(':')
              ? item
                  .slice(item.indexOf(':') + 1)
                  .split(',')
                  .filter(Boolean)
              : null,
          ];
          const path = normalize(join(wdir, file));
          const before = loaded.imports.get(path);
          if (before !== undefined) {
            if (!keys && before === null) continue; // the same whole file twice is allowed
            if ((!keys && Array.isArray(before)) || (keys && (before === null || keys.some((k) => before.includes(k)))))
              throw new InterpolationError(
                `cannot load '${item}' as it's ${keys && before === null ? 'already loaded' : 'partially loaded already'}`,
              );
          }
          const doc = (await readVarsFile(path, file, false))!;
          const selected: Context = {};
          for (const k of keys ?? Object.keys(doc)) {
            if (!Object.hasOwn(doc, k)) throw new InterpolationError(`could not find '${k}' in '${file}'`);
            selected[k] = doc[k];
          }
          merge(target, selected, file, loaded);
          loaded.imports.set(path, keys ? [...(Array.isArray(before) ? before : []), ...keys] : null);
        } else throw new InterpolationError(`a vars item must be a file name or a mapping, got ${pyType(item)}`);
      }
    } catch (error) {
      if (!(error instanceof InterpolationError)) throw error;
      fail(
        stage,
        `failed to parse '${stage ? `stages.${stage}.vars` : 'vars'}' in 'dvc.yaml': ${error.message}`,
        stage ? 'vars' : undefined,
      );
    }
  };
  await loadVars(context, globalLoaded, (vars as unknown[] | undefined) ?? [], source.dir, undefined, true);

  const resolveStage = async (group: string, name: string, template: Record<string, unknown>, extra?: Context) => {
    let ctx: Context = extra ? { ...context, ...extra } : context;
    const field = (key: string, value: unknown) => {
      try {
        return resolve(value, ctx, key);
      } catch (error) {
        if (!(error instanceof InterpolationError)) throw error;
        const needle = error.expression !== undefined ? `\${${error.expression}}` : `${key}:`;
        return fail(group, `failed to parse 'stages.${name}.${key}' in 'dvc.yaml': ${error.message}`, needle);
      }
    };
    const wdir = template.wdir === undefined ? '.' : toStr(field('wdir', template.wdir));
    const { vars: stageVars, ...rest } = template;
    if (stageVars !== undefined) {
      if (!Array.isArray(stageVars)) fail(group, `'stages.${name}.vars' must be a list, got ${pyType(stageVars)}`, 'vars:');
      if (hasInterpolation(stageVars))
        fail(group, `failed to parse 'stages.${name}.vars' in 'dvc.yaml': interpolating is not allowed`, 'vars:');
      ctx = structuredClone(ctx) as Context;
      const loaded = { imports: new Map(globalLoaded.imports), origins: new Map(globalLoaded.origins) };
      await loadVars(ctx, loaded, stageVars as unknown[], join(source.dir, wdir), group, false);
    }
    const definition = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, field(k, v)]));
    return { name, definition };
  };

  const out: ExpandedStage[] = [];
  for (const [group, raw] of Object.entries(stages)) {
    if (!isRecord(raw)) fail(group, `stage '${group}' is not a mapping`);
    const def = raw as Record<string, unknown>;
    if ('matrix' in def) {
      if ('foreach' in def || 'do' in def)
        fail(group, `stage '${group}' has 'matrix' with 'foreach' or 'do': a matrix stage's keys are the stage itself`, 'matrix');
      const { matrix, ...template } = def;
      let resolved: unknown;
      try {
        resolved = resolve(matrix, context, undefined);
      } catch (error) {
        if (!(error instanceof InterpolationError)) throw error;
        fail(group, `failed to parse 'stages.${group}.matrix' in 'dvc.yaml': ${error.message}`, 'matrix');
      }
      if (!isRecord(resolved) || Object.keys(resolved).length === 0)
        fail(
          group,
          `failed to resolve 'stages.${group}.matrix' in 'dvc.yaml': expected a mapping of lists, got ${pyType(resolved)}`,
          'matrix',
        );
      const dims = Object.entries(resolved as Record<string, unknown>);
      for (const [dim, values] of dims)
        if (!Array.isArray(values))
          fail(group, `failed to resolve 'stages.${group}.matrix.${dim}' in 'dvc.yaml': expected a list, got ${pyType(values)}`, `${dim}:`);
      for (const combination of product(dims.map(([, v]) => v as unknown[]))) {
        const item: Context = {};
        const fragments: string[] = [];
        combination.forEach((i, d) => {
          const [dim, values] = dims[d];
          const value = (values as unknown[])[i];
          item[dim] = value;
          fragments.push(isComposite(value) ? `${dim}${i}` : toStr(value));
        });
        const key = fragments.join('-');
        out.push(await resolveStage(group, `${group}${JOIN}${key}`, template, { key, item }));
      }
    } else if ('foreach' in def) {
      if (!isRecord(def.do)) fail(group, `foreach stage '${group}' needs a 'do' mapping: the stage each item becomes`, 'foreach');
      const extraKeys = Object.keys(def).filter((k) => k !== 'foreach' && k !== 'do');
      if (extraKeys.length)
        fail(group, `foreach stage '${group}' has '${extraKeys[0]}' beside foreach and do: move it into 'do'`, `${extraKeys[0]}:`);
      let iterable: unknown;
      try {
        iterable = resolve(def.foreach, context, undefined);
      } catch (error) {
        if (!(error instanceof InterpolationError)) throw error;
        fail(group, `failed to parse 'stages.${group}.foreach' in 'dvc.yaml': ${error.message}`, 'foreach');
      }
      if (!isComposite(iterable))
        fail(
          group,
          `failed to resolve 'stages.${group}.foreach' in 'dvc.yaml': expected list/dictionary, got ${pyType(iterable)}`,
          'foreach',
        );
      const entries = new Map<string, [unknown, boolean]>();
      if (Array.isArray(iterable)) {
        const byIndex = iterable.some(isComposite);
        iterable.forEach((v, i) => entries.set(byIndex ? String(i) : toStr(v), [v, false]));
      } else for (const [k, v] of Object.entries(iterable as Record<string, unknown>)) entries.set(toStr(k), [v, true]);
      for (const [key, [item, withKey]] of entries)
        out.push(await resolveStage(group, `${group}${JOIN}${key}`, def.do as Record<string, unknown>, withKey ? { item, key } : { item }));
    } else out.push(await resolveStage(group, group, def));
  }
  return out;
}

/** itertools.product over index lists: the last dimension varies fastest. */
function* product(lists: unknown[][]): Generator<number[]> {
  if (lists.some((l) => l.length === 0)) return;
  const idx = lists.map(() => 0);
  for (;;) {
    yield [...idx];
    let d = lists.length - 1;
    while (d >= 0 && ++idx[d] === lists[d].length) idx[d--] = 0;
    if (d < 0) return;
  }
}

/** What a context was loaded from: files (whole, or some keys) and the source of each value, for DVC's messages. */
interface Loaded {
  imports: Map<string, string[] | null>;
  origins: Map<string, string>;
}

/** DVC's merge_update: mappings merge recursively, any other value defined twice is an error. */
function merge(target: Context, other: Context, source: string, loaded: Loaded, path = ''): void {
  for (const [k, v] of Object.entries(other)) {
    const at = `${path}${k}`;
    if (!Object.hasOwn(target, k)) {
      target[k] = v;
      loaded.origins.set(at, source);
    } else if (isRecord(target[k]) && isRecord(v)) merge(target[k] as Context, v, source, loaded, `${at}.`);
    else {
      const parts = at.split('.');
      const origin = parts.map((_, i) => loaded.origins.get(parts.slice(0, parts.length - i).join('.'))).find(Boolean);
      throw new InterpolationError(`cannot redefine '${at}' from '${source}' as it already exists${origin ? ` in '${origin}'` : ''}`);
    }
  }
}

/** A vars file as DVC's load_path reads it: YAML (JSON is YAML too); the others DVC reads are refused by name. */
async function readVarsFile(path: string, label: string, optional: boolean): Promise<Context | undefined> {
  if (/\.(toml|py)$/i.test(path))
    throw new InterpolationError(`'${label}': vars from .toml and .py files are not supported here (use YAML or JSON)`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    if (optional) return undefined;
    throw new InterpolationError(`'${label}' does not exist`);
  }
  let doc: unknown;
  try {
    doc = loadYaml(text, { schema: PY_FLOAT_SCHEMA });
  } catch (error) {
    throw new InterpolationError(`'${label}' does not parse: ${(error as Error).message.split('\n')[0]}`);
  }
  if (doc === undefined || doc === null) return {};
  if (!isRecord(doc)) throw new InterpolationError(`expected a dictionary, got '${pyType(doc)}' in file '${label}'`);
  return doc;
}
