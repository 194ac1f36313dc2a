// The hashes a lock records of its manifest, recomputed as the tools compute them:
// - Poetry: Locker._get_content_hash (python-poetry/poetry src/poetry/packages/locker.py): sha256 of
//   json.dumps(relevant_content, sort_keys=True), relevant_content being [project]'s requires-python/dependencies/
//   optional-dependencies, [dependency-groups] (Poetry >= 2.3) and [tool.poetry]'s dependencies/source/extras/
//   dev-dependencies/group, or the [tool.poetry] keys alone at top level for older projects.
// - pipenv: Pipfile.calculate_hash (pypa/pipenv pipenv/utils/pipfile.py, plette's Pipfile.get_hash): sha256 of
//   json.dumps({_meta: {sources, requires}, default, develop, <categories>}, sort_keys=True, separators=(",", ":")),
//   package names PEP 503 normalised since pipenv 2025 (both forms are accepted, older locks used the names as written).
import { createHash } from 'node:crypto';
import { normaliseName } from '../manifests/types.js';
import { pythonJsonDumps } from './python-json.js';

type Table = Record<string, unknown>;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const table = (v: unknown): Table => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Table) : {});

const LEGACY_KEYS = ['dependencies', 'source', 'extras', 'dev-dependencies'];
const RELEVANT_KEYS = [...LEGACY_KEYS, 'group'];
const PROJECT_KEYS = ['requires-python', 'dependencies', 'optional-dependencies'];

export function poetryContentHash(pyproject: Table, withDependencyGroups = true): string {
  const project = table(pyproject.project);
  const groups = withDependencyGroups ? table(pyproject['dependency-groups']) : {};
  const poetry = table(table(pyproject.tool).poetry);
  const relevantProject: Table = {};
  for (const key of PROJECT_KEYS) if (project[key] !== undefined && project[key] !== null) relevantProject[key] = project[key];
  const hasProject = Object.keys(relevantProject).length > 0;
  const hasGroups = Object.keys(groups).length > 0;
  const relevantPoetry: Table = {};
  for (const key of RELEVANT_KEYS) {
    const data = poetry[key];
    if (data === undefined && (!LEGACY_KEYS.includes(key) || hasProject || hasGroups)) continue;
    relevantPoetry[key] = data ?? null;
  }
  let relevant: Table = {};
  if (hasProject) relevant.project = relevantProject;
  if (hasGroups) relevant['dependency-groups'] = groups;
  if (Object.keys(relevant).length > 0) relevant.tool = { poetry: relevantPoetry };
  else relevant = relevantPoetry;
  return sha256(pythonJsonDumps(relevant));
}

const PIPFILE_SECTIONS = new Set(['source', 'packages', 'dev-packages', 'requires', 'scripts', 'pipfile', 'pipenv']);
const DEFAULT_SOURCE = [{ name: 'pypi', url: 'https://pypi.org/simple', verify_ssl: true }];

export function pipfileHash(pipfile: Table, canonicalNames: boolean): string {
  const names = (section: unknown) => {
    const t = table(section);
    return canonicalNames ? Object.fromEntries(Object.entries(t).map(([k, v]) => [normaliseName(k), v])) : t;
  };
  const data: Table = {
    _meta: { sources: pipfile.source ?? DEFAULT_SOURCE, requires: pipfile.requires ?? {} },
    default: names(pipfile.packages),
    develop: names(pipfile['dev-packages']),
  };
  for (const [category, values] of Object.entries(pipfile)) {
    if (PIPFILE_SECTIONS.has(category) || category === 'default' || category === 'develop') continue;
    data[category] = names(values);
  }
  return sha256(pythonJsonDumps(data, { separators: [',', ':'] }));
}

/** Both forms pipenv has written: names as written (plette, pipenv < 2025) and PEP 503 normalised. */
export function pipfileHashes(pipfile: Table): string[] {
  return [pipfileHash(pipfile, false), pipfileHash(pipfile, true)];
}
