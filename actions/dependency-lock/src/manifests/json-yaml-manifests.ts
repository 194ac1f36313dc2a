// Pipfile.lock (JSON), conda environment.yml (with its pip: section) and conda-lock.yml, with lines.
import { DataError } from '#shared/errors.js';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { parseRequirementsFile } from './requirements-txt.js';
import { normaliseName, type LockedPackage, type ParsedManifest, type Requirement, type SourceLine } from './types.js';

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function parseJson(text: string, file: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new DataError('expected a JSON object', { file, line: 1 });
    return value;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const position = /position (\d+)/.exec(error.message)?.[1] ?? jsonErrorOffset(text);
    const lineCol = /line (\d+) column (\d+)/.exec(error.message);
    const line = lineCol ? Number(lineCol[1]) : position ? lineOfOffset(text, Number(position)) : 1;
    throw new DataError(
      `not valid JSON: ${error.message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)/, '')}`,
      { file, line },
    );
  }
}

/** Where JSON text first goes wrong (Node 20's JSON.parse messages carry no position): a small recursive descent. */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') string();
    else {
      const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
      if (!m) fail();
      i += m![0].length;
    }
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail();
    i++;
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (offset) {
    return offset as number;
  }
}

// ---- Pipfile.lock ------------------------------------------------------------------------------------------------

export function parsePipfileLock(text: string, file: string): ParsedManifest {
  const data = parseJson(text, file);
  const lines = text.split(/\r?\n/);
  const find = (needle: string, from = 1) => {
    for (let i = Math.max(from, 1); i <= lines.length; i++) if (lines[i - 1].includes(needle)) return i;
    return from;
  };
  const meta = (data._meta ?? {}) as Record<string, any>;
  const manifest: ParsedManifest = { kind: 'pipfile-lock', file, requirements: [], packages: [], indexes: [] };
  const hash = meta.hash?.sha256;
  if (typeof hash === 'string') manifest.lockMeta = { pipfileHash: hash, line: find('"sha256"') };
  const metaLine = find('"_meta"');
  for (const s of Array.isArray(meta.sources) ? meta.sources : [])
    if (typeof s?.url === 'string') manifest.indexes.push({ url: s.url, location: { file, line: find(s.url, metaLine) } });
  const indexByName = new Map<string, string>((Array.isArray(meta.sources) ? meta.sources : []).map((s: any) => [s.name, s.url]));
  for (const [section, body] of Object.entries(data)) {
    if (section === '_meta' || !body || typeof body !== 'object') continue;
    const sectionLine = find(`"${section}": {`);
    for (const [name, entry] of Object.entries(body as Record<string, any>)) {
      const location = { file, line: find(`"${name}": {`, sectionLine) };
      const version = typeof entry?.version === 'string' ? entry.version.replace(/^===?/, '') : undefined;
      const url = entry?.git ? `git+${entry.git}@${entry.ref ?? ''}` : (entry?.file ?? (entry?.path ? `file:${entry.path}` : undefined));
      manifest.packages.push({
        name,
        key: normaliseName(name),
        version: version ?? (entry?.ref ? String(entry.ref).slice(0, 12) : ''),
        hashes: (Array.isArray(entry?.hashes) ? entry.hashes : []).map((h: string) => String(h).toLowerCase()),
        index: entry?.index ? (indexByName.get(entry.index) ?? entry.index) : undefined,
        url,
        vcsCommit: entry?.git && /^[0-9a-f]{40}$/.test(entry.ref ?? '') ? entry.ref : undefined,
        ecosystem: 'PyPI',
        location,
      });
    }
  }
  return manifest;
}

// ---- YAML --------------------------------------------------------------------------------------------------------

function parseYaml(text: string, file: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new DataError(`not valid YAML: ${e.message.split('\n')[0]}`, { file, line: e.linePos?.[0]?.line ?? 1 });
  }
  const lineOf = (node: YamlNode | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  return { doc, lineOf };
}

/** conda MatchSpec: "channel::name=1.2.3=build", "name==1.2", "name>=1.2,<2", "name 1.2.*". */
function condaSpec(spec: string, location: SourceLine): { requirement: Requirement; version?: string } {
  const text = spec.trim().replace(/^[^:]+::/, '');
  const m = /^([A-Za-z0-9_.-]+)\s*(.*)$/.exec(text);
  if (!m) throw new DataError(`'${spec}' is not a conda package spec (expected name, name=version or name==version)`, location);
  const rest = m[2].trim();
  let version: string | undefined;
  const exact = /^==?\s*([^=*,<>!|\s]+)(?:=\S+)?$/.exec(rest) ?? /^([0-9][^=*,<>!|\s]*)(?:\s+\S+)?$/.exec(rest);
  if (exact && (rest.startsWith('==') || /^=[^=]+=\S+$/.test(rest) || /^=?[0-9][^*]*$/.test(rest))) version = exact[1];
  // conda's "=1.2" means 1.2.*, "==1.2" exactly 1.2, "1.2 build" as "=1.2"; ranges are written as in PEP 440.
  const fuzzy = rest.replace(/^=/, '').split(/[=\s]/)[0];
  const specifier = !rest
    ? ''
    : /^(==|>|<|!|~)/.test(rest)
      ? rest.replace(/\s+/g, '')
      : /^=[^=]+=/.test(rest)
        ? `==${fuzzy}`
        : `==${fuzzy.replace(/\.\*$/, '')}.*`;
  return {
    requirement: { name: m[1], key: normaliseName(m[1]), specifier, extras: [], hashes: [], ecosystem: 'conda', location },
    version,
  };
}

export async function parseCondaEnvironment(text: string, file: string): Promise<ParsedManifest> {
  const { doc, lineOf } = parseYaml(text, file);
  const manifest: ParsedManifest = { kind: 'conda-env', file, requirements: [], packages: [], indexes: [] };
  const root = doc.contents;
  if (!isMap(root)) throw new DataError("not a conda environment file: expected a mapping with 'dependencies'", { file, line: 1 });
  const deps = root.get('dependencies', true);
  if (deps !== undefined && !isSeq(deps)) throw new DataError("'dependencies' must be a list", { file, line: lineOf(deps as YamlNode) });
  const channels = root.get('channels', true);
  if (isSeq(channels))
    for (const c of channels.items) if (isScalar(c)) manifest.indexes.push({ url: String(c.value), location: { file, line: lineOf(c) } });
  for (const item of isSeq(deps) ? deps.items : []) {
    if (isScalar(item)) {
      const location = { file, line: lineOf(item) };
      const { requirement, version } = condaSpec(String(item.value), location);
      manifest.requirements.push(requirement);
      if (version)
        manifest.packages.push({ name: requirement.name, key: requirement.key, version, hashes: [], ecosystem: 'conda', location });
    } else if (isMap(item) && isSeq(item.get('pip', true))) {
      // The pip: section is a requirements file in YAML: parse each line with the requirements parser, keeping lines.
      for (const pipItem of (item.get('pip', true) as any).items) {
        const line = lineOf(pipItem);
        const parsed = await parseRequirementsFile(
          file,
          async () => ({ text: `${'\n'.repeat(line - 1)}${String(pipItem.value)}\n`, display: file }),
          new Set(),
        );
        manifest.requirements.push(...parsed.requirements);
        manifest.packages.push(...parsed.packages);
        manifest.indexes.push(...parsed.indexes);
      }
    }
  }
  return manifest;
}

export function parseCondaLock(text: string, file: string): ParsedManifest {
  const { doc, lineOf } = parseYaml(text, file);
  const root = doc.contents;
  if (!isMap(root) || !isSeq(root.get('package', true)))
    throw new DataError("not a conda-lock file: expected 'version', 'metadata' and a 'package' list", { file, line: 1 });
  const manifest: ParsedManifest = { kind: 'conda-lock', file, requirements: [], packages: [], indexes: [] };
  const seen = new Set<string>();
  for (const node of (root.get('package', true) as any).items as YamlNode[]) {
    const location = { file, line: lineOf(node) };
    const p = (node as any).toJSON() as Record<string, any>;
    if (!p?.name || p.version === undefined) throw new DataError('a package entry without name and version', location);
    const manager = p.manager === 'pip' ? 'PyPI' : 'conda';
    const id = `${manager}:${p.name}:${p.version}`;
    if (seen.has(id)) continue; // one entry per platform
    seen.add(id);
    const hashes = Object.entries((p.hash ?? {}) as Record<string, string>).map(([alg, v]) => `${alg}:${v}`.toLowerCase());
    const pkg: LockedPackage = {
      name: p.name,
      key: normaliseName(p.name),
      version: String(p.version),
      hashes,
      url: p.url,
      ecosystem: manager,
      location,
    };
    manifest.packages.push(pkg);
  }
  return manifest;
}
