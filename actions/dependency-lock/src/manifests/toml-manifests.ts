// pyproject.toml (PEP 621 [project], [dependency-groups], Poetry's [tool.poetry] sections), poetry.lock, uv.lock,
// Pipfile and pylock.toml (PEP 751): each into requirements and locked packages with their lines.
import { DataError } from '#shared/errors.js';
import { parsePep508, requirementFrom, RequirementSyntaxError } from './pep508.js';
import { poetryToPep440 } from './poetry-constraint.js';
import { asArray, asString, asTable, parseToml, TomlLines, type TomlTable } from './toml-source.js';
import { normaliseName, type LockedPackage, type ParsedManifest, type Requirement, type SourceLine } from './types.js';

function pep508At(text: string, location: SourceLine, extra: Partial<Requirement> = {}): Requirement {
  try {
    return requirementFrom(parsePep508(text), location, extra);
  } catch (error) {
    if (error instanceof RequirementSyntaxError) throw new DataError(error.message, location);
    throw error;
  }
}

function hashList(value: unknown): string[] {
  return asArray(value)
    .map((h) => (typeof h === 'string' ? h : asString(asTable(h)?.hash)))
    .filter((h): h is string => !!h)
    .map((h) => h.toLowerCase());
}

function locked(name: string, version: string, location: SourceLine, extra: Partial<LockedPackage> = {}): LockedPackage {
  return { name, key: normaliseName(name), version, hashes: [], ecosystem: 'PyPI', location, ...extra };
}

// ---- pyproject.toml ----------------------------------------------------------------------------------------------

/** A Poetry dependency value: "^1.2", or { version, extras, markers, git, rev, url, path, source }. */
function poetryRequirement(name: string, value: unknown, location: SourceLine, group: string): Requirement[] {
  const entries = Array.isArray(value) ? value : [value];
  return entries.map((entry) => {
    const table = asTable(entry);
    const constraint = typeof entry === 'string' ? entry : (asString(table?.version) ?? '*');
    let url: string | undefined;
    if (table?.git) {
      const ref = asString(table.rev) ?? asString(table.tag) ?? asString(table.branch);
      url = `git+${table.git}${ref ? `@${ref}` : ''}`;
    } else if (table?.url) url = asString(table.url);
    else if (table?.path) url = `file:${table.path}`;
    return {
      name,
      key: normaliseName(name),
      specifier: url ? '' : poetryToPep440(constraint),
      extras: asArray(table?.extras).map(String),
      marker: asString(table?.markers),
      url,
      editable: table?.develop === true || undefined,
      hashes: [],
      group,
      ecosystem: 'PyPI' as const,
      location,
    };
  });
}

export function parsePyproject(text: string, file: string): ParsedManifest {
  const data = parseToml(text, file);
  const lines = new TomlLines(text);
  const manifest: ParsedManifest = { kind: 'pyproject', file, requirements: [], packages: [], indexes: [], data };
  const project = asTable(data.project);
  const projectLine = lines.table('project') ?? 1;
  const at = (needle: string, from: number): SourceLine => ({ file, line: lines.find(JSON.stringify(needle).slice(1, -1), from, from) });
  for (const dep of asArray(project?.dependencies))
    manifest.requirements.push(pep508At(String(dep), at(String(dep), projectLine), { group: 'main' }));
  const optional = asTable(project?.['optional-dependencies']) ?? {};
  const optionalLine = lines.table('project.optional-dependencies') ?? projectLine;
  for (const [extra, deps] of Object.entries(optional))
    for (const dep of asArray(deps))
      manifest.requirements.push(pep508At(String(dep), at(String(dep), optionalLine), { group: `extra:${extra}` }));
  const groups = asTable(data['dependency-groups']) ?? {};
  const groupsLine = lines.table('dependency-groups') ?? 1;
  for (const [group, deps] of Object.entries(groups))
    for (const dep of asArray(deps)) if (typeof dep === 'string') manifest.requirements.push(pep508At(dep, at(dep, groupsLine), { group }));

  // uv's legacy [tool.uv] dev-dependencies, recorded in uv.lock as the 'dev' group.
  const uvDev = asArray(asTable(asTable(data.tool)?.uv)?.['dev-dependencies']);
  const uvLine = lines.table('tool.uv') ?? 1;
  for (const dep of uvDev) if (typeof dep === 'string') manifest.requirements.push(pep508At(dep, at(dep, uvLine), { group: 'dev' }));

  const poetry = asTable(asTable(data.tool)?.poetry);
  if (poetry) {
    const section = (table: TomlTable | undefined, header: string, group: string) => {
      const headerLine = lines.table(header) ?? 0;
      for (const [name, value] of Object.entries(table ?? {})) {
        if (name.toLowerCase() === 'python') continue;
        manifest.requirements.push(...poetryRequirement(name, value, { file, line: lines.keyLine(headerLine, name) }, group));
      }
    };
    section(asTable(poetry.dependencies), 'tool.poetry.dependencies', 'main');
    section(asTable(poetry['dev-dependencies']), 'tool.poetry.dev-dependencies', 'dev');
    for (const [group, body] of Object.entries(asTable(poetry.group) ?? {}))
      section(asTable(asTable(body)?.dependencies), `tool.poetry.group.${group}.dependencies`, group);
    const sourceLines = lines.arrayTables('tool.poetry.source');
    asArray(poetry.source).forEach((s, i) => {
      const url = asString(asTable(s)?.url);
      if (url) manifest.indexes.push({ url, location: { file, line: sourceLines[i] ?? 1 } });
    });
  }
  const uvIndexLines = lines.arrayTables('tool.uv.index');
  asArray(asTable(asTable(data.tool)?.uv)?.index).forEach((s, i) => {
    const url = asString(asTable(s)?.url);
    if (url) manifest.indexes.push({ url, location: { file, line: uvIndexLines[i] ?? 1 } });
  });
  return manifest;
}

// ---- poetry.lock -------------------------------------------------------------------------------------------------

export function parsePoetryLock(text: string, file: string): ParsedManifest {
  const data = parseToml(text, file);
  const lines = new TomlLines(text);
  const headers = lines.arrayTables('package');
  const manifest: ParsedManifest = { kind: 'poetry-lock', file, requirements: [], packages: [], indexes: [] };
  asArray(data.package).forEach((entry, i) => {
    const p = asTable(entry) ?? {};
    const location = { file, line: lines.keyLine(headers[i] ?? 0, 'name') };
    const name = asString(p.name);
    const version = asString(p.version);
    if (!name || !version) throw new DataError('a [[package]] without a name and version', location);
    const source = asTable(p.source);
    const type = asString(source?.type);
    const extra: Partial<LockedPackage> = { hashes: hashList(p.files) };
    if (type === 'git') {
      extra.url = `git+${source?.url}@${source?.resolved_reference ?? source?.reference ?? ''}`;
      extra.vcsCommit = asString(source?.resolved_reference);
    } else if (type === 'url') extra.url = asString(source?.url);
    else if (type === 'legacy') extra.index = asString(source?.url);
    else if (type === 'directory' || type === 'file') extra.url = `file:${source?.url}`;
    manifest.packages.push(locked(name, version, location, extra));
  });
  const metadata = asTable(data.metadata);
  const hash = asString(metadata?.['content-hash']);
  if (hash) manifest.lockMeta = { poetryContentHash: hash, line: lines.keyLine(lines.table('metadata') ?? 0, 'content-hash') };
  return manifest;
}

// ---- uv.lock -----------------------------------------------------------------------------------------------------

export function parseUvLock(text: string, file: string): ParsedManifest {
  const data = parseToml(text, file);
  const lines = new TomlLines(text);
  const headers = lines.arrayTables('package');
  const manifest: ParsedManifest = { kind: 'uv-lock', file, requirements: [], packages: [], indexes: [] };
  asArray(data.package).forEach((entry, i) => {
    const p = asTable(entry) ?? {};
    const location = { file, line: lines.keyLine(headers[i] ?? 0, 'name') };
    const name = asString(p.name);
    if (!name) throw new DataError('a [[package]] without a name', location);
    const source = asTable(p.source) ?? {};
    if (source.editable !== undefined || source.virtual !== undefined) {
      // The project itself: its metadata records the requirements uv resolved from pyproject.toml.
      const metadata = asTable(p.metadata) ?? {};
      const recorded: Requirement[] = [];
      const add = (value: unknown, group: string) => {
        const r = asTable(value);
        const reqName = asString(r?.name);
        if (!reqName) return;
        const extra = asString(r?.marker)?.match(/extra\s*==\s*['"]([^'"]+)['"]/)?.[1];
        recorded.push({
          name: reqName,
          key: normaliseName(reqName),
          specifier: (asString(r?.specifier) ?? '').replace(/\s+/g, ''),
          extras: asArray(r?.extra).map(String),
          marker: asString(r?.marker),
          url: asString(r?.git) ?? asString(r?.url) ?? asString(r?.path) ?? asString(r?.editable),
          hashes: [],
          group: extra ? `extra:${extra}` : group,
          ecosystem: 'PyPI',
          location: { file, line: lines.find(`name = "${reqName}"`, headers[i] ?? 1) },
        });
      };
      for (const r of asArray(metadata['requires-dist'])) add(r, 'main');
      for (const [group, deps] of Object.entries(asTable(metadata['requires-dev']) ?? {})) for (const r of asArray(deps)) add(r, group);
      manifest.lockMeta = { uvRequirements: recorded, line: location.line };
      return;
    }
    const version = asString(p.version);
    if (!version) throw new DataError(`package '${name}' has no version`, location);
    const extra: Partial<LockedPackage> = {
      hashes: [asTable(p.sdist)?.hash, ...asArray(p.wheels).map((w) => asTable(w)?.hash)]
        .filter((h): h is string => typeof h === 'string')
        .map((h) => h.toLowerCase()),
    };
    if (source.registry) extra.index = asString(source.registry);
    if (source.git) {
      extra.url = `git+${source.git}`;
      extra.vcsCommit = /#([0-9a-f]{40})$/.exec(String(source.git))?.[1];
    }
    if (source.url) extra.url = asString(source.url);
    if (source.path || source.directory) extra.url = `file:${source.path ?? source.directory}`;
    manifest.packages.push(locked(name, version, location, extra));
  });
  return manifest;
}

// ---- Pipfile -----------------------------------------------------------------------------------------------------

export function parsePipfile(text: string, file: string): ParsedManifest {
  const data = parseToml(text, file);
  const lines = new TomlLines(text);
  const manifest: ParsedManifest = { kind: 'pipfile', file, requirements: [], packages: [], indexes: [], data };
  const sourceLines = lines.arrayTables('source');
  asArray(data.source).forEach((s, i) => {
    const url = asString(asTable(s)?.url);
    if (url) manifest.indexes.push({ url, location: { file, line: sourceLines[i] ?? 1 } });
  });
  for (const [section, body] of Object.entries(data)) {
    if (['source', 'requires', 'scripts', 'pipenv', 'pipfile'].includes(section)) continue;
    const table = asTable(body);
    if (!table) continue;
    const headerLine = lines.table(section) ?? 0;
    const group = section === 'packages' ? 'default' : section === 'dev-packages' ? 'develop' : section;
    for (const [name, value] of Object.entries(table)) {
      const t = asTable(value);
      const spec = typeof value === 'string' ? value : (asString(t?.version) ?? '*');
      let url: string | undefined;
      if (t?.git) url = `git+${t.git}${t.ref ? `@${t.ref}` : ''}`;
      else if (t?.file) url = asString(t.file);
      else if (t?.path) url = `file:${t.path}`;
      manifest.requirements.push({
        name,
        key: normaliseName(name),
        specifier: url || spec === '*' ? '' : spec.replace(/\s+/g, ''),
        extras: asArray(t?.extras).map(String),
        marker: asString(t?.markers),
        url,
        editable: t?.editable === true || undefined,
        hashes: [],
        group,
        ecosystem: 'PyPI',
        location: { file, line: lines.keyLine(headerLine, name) },
      });
    }
  }
  return manifest;
}

// ---- pylock.toml (PEP 751) ---------------------------------------------------------------------------------------

export function parsePylock(text: string, file: string): ParsedManifest {
  const data = parseToml(text, file);
  const lines = new TomlLines(text);
  if (data['lock-version'] === undefined) throw new DataError("not a pylock.toml: 'lock-version' is missing (PEP 751)", { file, line: 1 });
  const headers = lines.arrayTables('packages');
  const manifest: ParsedManifest = { kind: 'pylock', file, requirements: [], packages: [], indexes: [] };
  asArray(data.packages).forEach((entry, i) => {
    const p = asTable(entry) ?? {};
    const location = { file, line: lines.keyLine(headers[i] ?? 0, 'name') };
    const name = asString(p.name);
    if (!name) throw new DataError('a [[packages]] entry without a name', location);
    const hashesOf = (h: unknown) => Object.entries(asTable(asTable(h)?.hashes) ?? {}).map(([alg, v]) => `${alg}:${v}`.toLowerCase());
    const vcs = asTable(p.vcs);
    const archive = asTable(p.archive);
    const extra: Partial<LockedPackage> = {
      hashes: [...hashesOf(p.sdist), ...asArray(p.wheels).flatMap(hashesOf), ...hashesOf(archive)],
      index: asString(p.index),
    };
    if (vcs) {
      extra.url = `${vcs.type ?? 'git'}+${vcs.url}@${vcs['commit-id'] ?? vcs['requested-revision'] ?? ''}`;
      extra.vcsCommit = asString(vcs['commit-id']);
    } else if (archive) extra.url = asString(archive.url);
    const version = asString(p.version) ?? (vcs ? asString(vcs['commit-id'])?.slice(0, 12) : undefined) ?? '';
    manifest.packages.push(locked(name, version, location, extra));
  });
  return manifest;
}
