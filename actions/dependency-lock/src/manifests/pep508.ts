// PEP 508 dependency specifiers ("name[extra1,extra2] >=1.0,<2 ; python_version < '3.11'" or "name @ url ; marker"),
// parsed by hand: the grammar is small and we need the parts (name, extras, specifier, url, marker), not evaluation.
import { normaliseName, type Requirement, type SourceLine } from './types.js';

export class RequirementSyntaxError extends Error {}

const NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*/;

export interface Pep508 {
  name: string;
  extras: string[];
  specifier: string;
  url?: string;
  marker?: string;
}

/** Parses one PEP 508 string; throws RequirementSyntaxError with what was expected. */
export function parsePep508(text: string): Pep508 {
  const match = NAME.exec(text);
  if (!match) throw new RequirementSyntaxError(`'${text}' is not a requirement: expected a package name first`);
  const name = match[1];
  let rest = text.slice(match[0].length);
  let extras: string[] = [];
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']');
    if (end < 0) throw new RequirementSyntaxError(`'${text}': the extras '[' is never closed`);
    extras = rest
      .slice(1, end)
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    rest = rest.slice(end + 1).trim();
  }
  let marker: string | undefined;
  let url: string | undefined;
  if (rest.startsWith('@')) {
    // A URL ends at whitespace; the marker follows " ;".
    const body = rest.slice(1).trim();
    const semi = body.search(/\s;/);
    url = (semi >= 0 ? body.slice(0, semi) : body).trim();
    if (semi >= 0) marker = body.slice(semi).replace(/^\s*;/, '').trim();
    if (!url) throw new RequirementSyntaxError(`'${text}': expected a URL after '@'`);
    return { name, extras, specifier: '', url, marker: marker || undefined };
  }
  const semi = rest.indexOf(';');
  if (semi >= 0) {
    marker = rest.slice(semi + 1).trim();
    rest = rest.slice(0, semi);
  }
  let specifier = rest.trim();
  if (specifier.startsWith('(') && specifier.endsWith(')')) specifier = specifier.slice(1, -1).trim();
  specifier = specifier.replace(/\s+/g, '');
  if (specifier && !/^(?:(?:===|~=|==|!=|<=|>=|<|>)[A-Za-z0-9._*+!-]+)(?:,(?:===|~=|==|!=|<=|>=|<|>)[A-Za-z0-9._*+!-]+)*$/.test(specifier))
    throw new RequirementSyntaxError(`'${text}': '${specifier}' is not a PEP 440 version specifier (e.g. '==1.2.3' or '>=1,<2')`);
  return { name, extras, specifier, marker: marker || undefined };
}

export function requirementFrom(parsed: Pep508, location: SourceLine, extra: Partial<Requirement> = {}): Requirement {
  return {
    name: parsed.name,
    key: normaliseName(parsed.name),
    specifier: parsed.specifier,
    extras: parsed.extras,
    marker: parsed.marker,
    url: parsed.url,
    hashes: [],
    ecosystem: 'PyPI',
    location,
    ...extra,
  };
}

/** The exact version a specifier pins ('==1.2.3' or '===1.2.3'), if it pins one without wildcards. */
export function pinnedVersion(specifier: string): string | undefined {
  const m = /^===?([^,*]+)$/.exec(specifier);
  return m ? m[1] : undefined;
}

/** A VCS or archive URL pinned to something immutable: a full commit hash, or an archive with a #sha256= fragment. */
export function urlPin(url: string): { pinned: boolean; commit?: string } {
  const vcs = /^(git|hg|svn|bzr)\+/.test(url);
  if (vcs) {
    const at = /@([^@#/]+)(?:#.*)?$/.exec(url.replace(/^[a-z+]+:\/\/[^/]*@/, (m) => m.replace(/@$/, '!')));
    const ref = at?.[1];
    if (ref && /^[0-9a-f]{40}$/i.test(ref)) return { pinned: true, commit: ref };
    return { pinned: false };
  }
  if (/^file:/.test(url) || !/^[a-z]+:/.test(url)) return { pinned: true };
  return { pinned: /#(sha256|sha384|sha512)=[0-9a-f]+/i.test(url) };
}
