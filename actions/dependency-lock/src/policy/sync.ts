// Is each lock in sync with its manifest (same folder)? Recorded hashes recomputed (poetry.lock content-hash,
// Pipfile.lock _meta.hash), uv.lock's recorded requirements compared with pyproject.toml, and every declared
// requirement present in the lock at a version its specifier accepts.
import { satisfies, valid } from '@renovatebot/pep440';
import { dirname } from 'node:path';
import type { ParsedManifest, Requirement } from '../manifests/types.js';
import { pipfileHashes, poetryContentHash } from './lock-hashes.js';
import type { Violation } from './violations.js';

/** PEP 440 check of a version against a specifier that may hold Poetry's "||" alternatives. */
export function versionSatisfies(version: string, specifier: string): boolean | undefined {
  if (!specifier) return true;
  if (!valid(version)) return undefined;
  return specifier.split('||').some((alt) => !alt || satisfies(version, alt));
}

const sortedSpec = (s: string) => s.replace(/\s+/g, '').split(',').filter(Boolean).sort().join(',');

function declaredInLock(manifest: ParsedManifest, lock: ParsedManifest, skipMarked: boolean, tool: string): Violation[] {
  const out: Violation[] = [];
  const locked = new Map<string, string[]>();
  for (const p of lock.packages) locked.set(p.key, [...(locked.get(p.key) ?? []), p.version]);
  for (const r of manifest.requirements) {
    if (r.url || r.constraint || r.key === 'python') continue;
    const versions = locked.get(r.key);
    if (!versions) {
      if (skipMarked && r.marker) continue;
      out.push({
        rule: 'sync',
        package: r.key,
        location: r.location,
        message: `'${r.name}' is declared in ${manifest.file} but missing from ${lock.file}`,
        fix: `update the lock (${tool})`,
      });
      continue;
    }
    if (versions.some((v) => versionSatisfies(v, r.specifier) !== false)) continue;
    out.push({
      rule: 'sync',
      package: r.key,
      location: r.location,
      message: `${lock.file} locks '${r.name}' at ${versions.join(', ')}, which does not satisfy '${r.specifier}' in ${manifest.file}`,
      fix: `update the lock (${tool})`,
    });
  }
  return out;
}

function uvRecorded(pyproject: ParsedManifest, lock: ParsedManifest): Violation[] {
  const recorded = lock.lockMeta?.uvRequirements;
  if (!recorded) return [];
  const id = (r: Requirement) => `${r.group === 'main' || r.group?.startsWith('extra:') ? r.group : `group:${r.group}`}|${r.key}`;
  const declared = new Map(pyproject.requirements.filter((r) => r.group).map((r) => [id(r), r]));
  const inLock = new Map(recorded.map((r) => [id(r), r]));
  const out: Violation[] = [];
  const fix = "run 'uv lock' and commit uv.lock";
  for (const [key, r] of declared) {
    const l = inLock.get(key);
    if (!l)
      out.push({
        rule: 'sync',
        package: r.key,
        location: r.location,
        message: `'${r.name}' (${r.group}) is in pyproject.toml but not among uv.lock's recorded requirements`,
        fix,
      });
    else if (sortedSpec(l.specifier) !== sortedSpec(r.specifier) || ((l.url ?? '') !== (r.url ?? '') && !r.url))
      out.push({
        rule: 'sync',
        package: r.key,
        location: r.location,
        message: `'${r.name}' is '${r.specifier || r.url || 'any'}' in pyproject.toml but '${l.specifier || 'any'}' in ${lock.file}`,
        fix,
      });
  }
  for (const [key, l] of inLock)
    if (!declared.has(key))
      out.push({
        rule: 'sync',
        package: l.key,
        location: l.location,
        message: `${lock.file} records '${l.name}' (${l.group}), which pyproject.toml no longer declares`,
        fix,
      });
  return out;
}

export function checkSync(manifests: ParsedManifest[]): Violation[] {
  const out: Violation[] = [];
  const byDir = new Map<string, ParsedManifest[]>();
  for (const m of manifests) byDir.set(dirname(m.file), [...(byDir.get(dirname(m.file)) ?? []), m]);
  for (const group of byDir.values()) {
    const of = (kind: string) => group.find((m) => m.kind === kind);
    const pyproject = of('pyproject');
    const poetryLock = of('poetry-lock');
    const uvLock = of('uv-lock');
    const pipfile = of('pipfile');
    const pipfileLock = of('pipfile-lock');
    if (pyproject && poetryLock) {
      const recorded = poetryLock.lockMeta?.poetryContentHash;
      const data = pyproject.data as Record<string, unknown>;
      if (recorded && recorded !== poetryContentHash(data) && recorded !== poetryContentHash(data, false))
        out.push({
          rule: 'sync',
          location: { file: poetryLock.file, line: poetryLock.lockMeta?.line ?? 1 },
          message: `${poetryLock.file}'s content-hash does not match ${pyproject.file}: the lock is stale`,
          fix: "run 'poetry lock' and commit poetry.lock",
        });
      out.push(...declaredInLock(pyproject, poetryLock, false, 'poetry lock'));
    }
    if (pyproject && uvLock) {
      out.push(...uvRecorded(pyproject, uvLock));
      out.push(...declaredInLock(pyproject, uvLock, false, 'uv lock'));
    }
    if (pipfile && pipfileLock) {
      const recorded = pipfileLock.lockMeta?.pipfileHash;
      if (recorded && !pipfileHashes(pipfile.data as Record<string, unknown>).includes(recorded))
        out.push({
          rule: 'sync',
          location: { file: pipfileLock.file, line: pipfileLock.lockMeta?.line ?? 1 },
          message: `${pipfileLock.file}'s _meta hash does not match ${pipfile.file}: the lock is stale`,
          fix: "run 'pipenv lock' and commit Pipfile.lock",
        });
      out.push(...declaredInLock(pipfile, pipfileLock, true, 'pipenv lock'));
    }
    const reqIn = group.find((m) => m.kind === 'requirements' && m.file.endsWith('.in'));
    const reqTxt = reqIn && group.find((m) => m.file === reqIn.file.replace(/\.in$/, '.txt'));
    if (reqIn && reqTxt) out.push(...declaredInLock(reqIn, reqTxt, true, 'pip-compile'));
    const env = of('conda-env');
    const condaLock = of('conda-lock');
    if (env && condaLock) out.push(...declaredInLock(env, condaLock, false, 'conda-lock'));
  }
  return out;
}
