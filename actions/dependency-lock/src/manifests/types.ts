// What every manifest and lock parser produces: declared requirements and locked packages, each with the file and
// line it came from, so findings (policy, vulnerabilities, sync) point at the line to change.

export interface SourceLine {
  /** Relative to the workspace (or as given). */
  file: string;
  line: number;
}

export type ManifestKind =
  'requirements' | 'pyproject' | 'poetry-lock' | 'uv-lock' | 'pipfile' | 'pipfile-lock' | 'pylock' | 'conda-env' | 'conda-lock';

/** A declared dependency: a PEP 508 requirement, or a conda spec. */
export interface Requirement {
  /** As written. */
  name: string;
  /** PEP 503 normalised. */
  key: string;
  /** PEP 440 specifier, '' when none ("requests"). */
  specifier: string;
  extras: string[];
  marker?: string;
  /** Direct reference: https://..., file:..., git+https://...@rev */
  url?: string;
  editable?: boolean;
  /** sha256:..., from --hash options. */
  hashes: string[];
  /** Group / category: 'main', 'dev', an optional-dependencies extra... */
  group?: string;
  /** A -c constraints file's entry: constrains versions, installs nothing. */
  constraint?: boolean;
  /** conda packages are not PyPI packages. */
  ecosystem: 'PyPI' | 'conda';
  location: SourceLine;
}

export interface LockedPackage {
  name: string;
  key: string;
  version: string;
  hashes: string[];
  /** Index URL the package comes from, when the lock says. */
  index?: string;
  url?: string;
  /** For VCS: the commit it is pinned to, when any. */
  vcsCommit?: string;
  licence?: string;
  ecosystem: 'PyPI' | 'conda';
  location: SourceLine;
}

export interface ParsedManifest {
  kind: ManifestKind;
  file: string;
  /** Declared requirements (manifests; requirements files are both). */
  requirements: Requirement[];
  /** Exact versions (locks; a fully pinned requirements file). */
  packages: LockedPackage[];
  /** Index URLs the file names (--index-url, [[source]], [[tool.poetry.source]]...). */
  indexes: { url: string; location: SourceLine }[];
  /** Lock only: what it records about its manifest, to compare with it. */
  lockMeta?: {
    poetryContentHash?: string;
    pipfileHash?: string;
    /** uv.lock's recorded requirements of the root project. */
    uvRequirements?: Requirement[];
    /** Line of the recorded hash. */
    line?: number;
  };
  /** Raw data a sync check needs (pyproject's parsed TOML, Pipfile's parsed TOML). */
  data?: unknown;
}

/** PEP 503: runs of -, _ and . become one -, lower case. */
export function normaliseName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}
