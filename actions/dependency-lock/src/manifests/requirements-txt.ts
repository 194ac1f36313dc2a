// pip's requirements file format (pip's own parser, req_file.py, is the reference): line continuations, comments,
// -r/-c includes (resolved relative to the including file, read through the workspace path rules by the caller's
// reader), --hash, index options, editable installs, direct URLs and VCS references, environment markers.
import { DataError } from '#shared/errors.js';
import { dirname, join } from 'node:path';
import { parsePep508, pinnedVersion, requirementFrom, RequirementSyntaxError, urlPin } from './pep508.js';
import { normaliseName, type LockedPackage, type ParsedManifest, type Requirement, type SourceLine } from './types.js';

export type ReadText = (path: string, includedFrom?: SourceLine) => Promise<{ text: string; display: string }>;

interface LogicalLine {
  text: string;
  line: number;
}

/** Joins "\"-continued lines and drops comments, keeping the first physical line's number. */
export function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  const physical = text.split(/\r?\n/);
  let pending = '';
  let start = 0;
  for (let i = 0; i < physical.length; i++) {
    let line = physical[i];
    if (!pending) start = i + 1;
    // A comment starts at '#' at the line start or after whitespace (a URL fragment '#egg=' has none before it).
    line = line.replace(/(^|\s)#.*$/, '$1');
    if (/\\\s*$/.test(line)) {
      pending += line.replace(/\\\s*$/, ' ');
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full) out.push({ text: full, line: start });
  }
  if (pending.trim()) out.push({ text: pending.trim(), line: start });
  return out;
}

const SHORT: Record<string, string> = {
  '-r': '--requirement',
  '-c': '--constraint',
  '-e': '--editable',
  '-i': '--index-url',
  '-f': '--find-links',
};
const IGNORED = new Set([
  '--no-binary',
  '--only-binary',
  '--pre',
  '--trusted-host',
  '--prefer-binary',
  '--no-index',
  '--require-hashes',
  '--use-feature',
  '--config-settings',
  '--global-option',
  '--find-links',
]);

/** Splits "a --hash=x --hash y" into words, keeping quoted parts whole. */
function words(text: string): string[] {
  return text.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
}

export async function parseRequirementsFile(
  path: string,
  read: ReadText,
  seen = new Set<string>(),
  constraint = false,
  includedFrom?: SourceLine,
): Promise<ParsedManifest> {
  const { text, display } = await read(path, includedFrom);
  const manifest: ParsedManifest = { kind: 'requirements', file: display, requirements: [], packages: [], indexes: [] };
  if (seen.has(display)) return manifest;
  seen.add(display);
  for (const logical of logicalLines(text)) {
    const location = { file: display, line: logical.line };
    const fail = (problem: string): never => {
      throw new DataError(problem, location);
    };
    const parts = words(logical.text);
    const first = parts[0];
    const option = SHORT[first] ?? (first.startsWith('--') ? first.split('=')[0] : undefined);
    const optionValue = (): string => {
      if (first.includes('=') && first.startsWith('--')) return first.slice(first.indexOf('=') + 1);
      if (/^-[rcefi]\S/.test(first)) return first.slice(2);
      return parts[1] ?? fail(`option '${first}' needs a value`);
    };
    if (option === '--requirement' || option === '--constraint') {
      const target = optionValue();
      if (/^[a-z]+:\/\//.test(target)) fail(`'${target}': included requirement files must be local files in the workspace, not URLs`);
      const included = await parseRequirementsFile(
        join(dirname(path), target),
        read,
        seen,
        constraint || option === '--constraint',
        location,
      );
      manifest.requirements.push(...included.requirements);
      manifest.packages.push(...included.packages);
      manifest.indexes.push(...included.indexes);
      continue;
    }
    if (option === '--index-url' || option === '--extra-index-url') {
      manifest.indexes.push({ url: optionValue(), location });
      continue;
    }
    if (option && option !== '--editable' && !option.startsWith('--hash')) {
      if (IGNORED.has(option) || /^-[fi]/.test(first)) continue;
      fail(`unknown pip option '${first}'`);
    }
    // A requirement, perhaps editable, followed by per-requirement options (--hash).
    let rest = parts;
    let editable = false;
    if (option === '--editable') {
      editable = true;
      rest = first.includes('=')
        ? [first.slice(first.indexOf('=') + 1), ...parts.slice(1)]
        : /^-e\S/.test(first)
          ? [first.slice(2), ...parts.slice(1)]
          : parts.slice(1);
    }
    const hashes: string[] = [];
    const spec: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const word = rest[i];
      if (word.startsWith('--hash')) {
        const value = word.includes('=') ? word.slice(word.indexOf('=') + 1) : rest[++i];
        if (!value || !/^(sha256|sha384|sha512):[0-9a-f]+$/i.test(value))
          fail(`'${word}${value && !word.includes('=') ? ` ${value}` : ''}' is not a hash: expected --hash=sha256:<hex digest>`);
        hashes.push(value.toLowerCase());
      } else if (word.startsWith('--')) {
        if (!['--config-settings', '--global-option', '--install-option'].includes(word.split('=')[0]))
          fail(`unknown per-requirement option '${word}'`);
        if (!word.includes('=')) i++;
      } else spec.push(word);
    }
    const reqText = spec.join(' ').replace(/^(["'])(.*)\1$/, '$2');
    if (!reqText) fail('a --hash with no requirement before it');
    let requirement: Requirement;
    try {
      requirement = directOrPep508(reqText, location);
    } catch (error) {
      if (error instanceof RequirementSyntaxError) fail(error.message);
      throw error;
    }
    requirement.hashes = hashes;
    requirement.editable = editable || undefined;
    if (constraint) requirement.constraint = true;
    manifest.requirements.push(requirement);
    const version = pinnedVersion(requirement.specifier);
    if (!constraint && version) manifest.packages.push(lockedFrom(requirement, version));
  }
  return manifest;
}

/** "pkg @ url", a bare URL or path ("git+https://...#egg=name", "./dist/x-1.0.whl"), or a PEP 508 requirement. */
function directOrPep508(text: string, location: SourceLine): Requirement {
  if (/^([a-z+]+:\/\/|[a-z+]+:|\.{0,2}\/)/i.test(text) && !/^[A-Za-z0-9._-]+\s*@/.test(text)) {
    const [urlPart, markerPart] = text.split(/\s+;\s*/);
    const egg = /#(?:.*&)?egg=([A-Za-z0-9._-]+)/.exec(urlPart)?.[1];
    const wheel = /\/([A-Za-z0-9_.]+)-(\d[^-/]*)(?:-[^/]*)?\.(?:whl|tar\.gz|zip)(?:#.*)?$/.exec(urlPart);
    const name = egg ?? wheel?.[1] ?? urlPart.split(/[/#]/).filter(Boolean).pop()!;
    return requirementFrom({ name, extras: [], specifier: '', url: urlPart, marker: markerPart }, location);
  }
  return requirementFrom(parsePep508(text), location);
}

export function lockedFrom(requirement: Requirement, version: string): LockedPackage {
  return {
    name: requirement.name,
    key: normaliseName(requirement.name),
    version,
    hashes: requirement.hashes,
    url: requirement.url,
    vcsCommit: requirement.url ? urlPin(requirement.url).commit : undefined,
    ecosystem: requirement.ecosystem,
    location: requirement.location,
  };
}
