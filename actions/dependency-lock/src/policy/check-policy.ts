// The policy rules over parsed manifests: exact pins and hashes in requirements-style locks, hashes in locks,
// allowed indexes, URL/VCS dependencies pinned to a commit or archive hash, and licences.
import { pinnedVersion, urlPin } from '../manifests/pep508.js';
import type { LockedPackage, ParsedManifest } from '../manifests/types.js';
import { judgeLicence } from './licences.js';
import type { Policy } from './policy-file.js';
import type { Violation } from './violations.js';

const LOCK_KINDS = new Set(['poetry-lock', 'uv-lock', 'pipfile-lock', 'pylock', 'conda-lock']);

function normaliseIndex(url: string): string {
  return url.replace(/\/+$/, '').toLowerCase();
}

export function checkPolicy(
  manifests: ParsedManifest[],
  policy: Policy,
  licences: Map<string, string>,
): { violations: Violation[]; warnings: Violation[] } {
  const violations: Violation[] = [];
  const warnings: Violation[] = [];
  const allowed = new Set(policy.allowedIndexes.map(normaliseIndex));
  const checkIndex = (url: string, location: Violation['location'], pkg?: string) => {
    if (allowed.size === 0 || !/^https?:\/\//i.test(url) || allowed.has(normaliseIndex(url))) return;
    violations.push({
      rule: 'index',
      package: pkg,
      location,
      message: `index '${url}' is not in the policy's allowed-indexes`,
      fix: `use one of ${policy.allowedIndexes.join(', ')}, or add it to allowed-indexes`,
    });
  };
  for (const m of manifests) {
    for (const index of m.indexes) checkIndex(index.url, index.location);
    if (m.kind === 'requirements' && !/\.in$/.test(m.file)) {
      for (const r of m.requirements) {
        if (r.constraint) continue;
        if (r.url) {
          if (policy.requireUrlPins && !r.editable && !urlPin(r.url).pinned)
            violations.push({
              rule: 'url',
              package: r.key,
              location: r.location,
              message: `'${r.name}' comes from '${r.url}', which is not pinned to a commit or an archive hash`,
              fix: 'pin VCS URLs to a full commit (@<40-hex sha>) and archive URLs with #sha256=<digest>',
            });
        } else if (policy.requirePins && !pinnedVersion(r.specifier))
          violations.push({
            rule: 'pin',
            package: r.key,
            location: r.location,
            message: `'${r.name}${r.specifier}' is not pinned to one version`,
            fix: `pin it exactly, e.g. '${r.name}==<version>' (pip-compile or uv pip compile write pinned files)`,
          });
        if (policy.requireHashes && r.hashes.length === 0 && !r.editable)
          violations.push({
            rule: 'hash',
            package: r.key,
            location: r.location,
            message: `'${r.name}' has no --hash`,
            fix: 'add --hash=sha256:<digest> for each file (pip-compile --generate-hashes)',
          });
      }
    }
    if (LOCK_KINDS.has(m.kind)) {
      for (const p of m.packages) {
        if (p.index) checkIndex(p.index, p.location, p.key);
        const local = p.url?.startsWith('file:');
        if (policy.requireHashes && p.hashes.length === 0 && !local && !p.vcsCommit)
          violations.push({
            rule: 'hash',
            package: p.key,
            location: p.location,
            message: `'${p.name}' ${p.version} has no recorded hash`,
            fix: 'regenerate the lock with hashes',
          });
        if (policy.requireUrlPins && p.url && /^(git|hg|svn|bzr)\+/.test(p.url) && !p.vcsCommit)
          violations.push({
            rule: 'url',
            package: p.key,
            location: p.location,
            message: `'${p.name}' comes from '${p.url}' without a resolved commit`,
            fix: 'lock it to a commit',
          });
      }
    }
  }
  if (policy.licences.allow.length > 0 || policy.licences.deny.length > 0) {
    const seen = new Set<string>();
    for (const p of uniquePackages(manifests)) {
      if (p.ecosystem !== 'PyPI' || seen.has(p.key)) continue;
      seen.add(p.key);
      const licence = p.licence ?? licences.get(p.key);
      if (!licence) {
        if (policy.licences.unknown !== 'ignore')
          (policy.licences.unknown === 'fail' ? violations : warnings).push({
            rule: 'licence',
            package: p.key,
            location: p.location,
            message: `no licence data for '${p.name}' ${p.version}`,
            fix: 'add it to the licence metadata file named by licenses.metadata',
          });
        continue;
      }
      const verdict = judgeLicence(licence, policy.licences.allow, policy.licences.deny);
      if (verdict.ok === true) continue;
      (verdict.ok === false ? violations : warnings).push({
        rule: 'licence',
        package: p.key,
        location: p.location,
        message: `'${p.name}' ${p.version}: ${verdict.why}`,
        fix: 'replace the package, or add a policy exception with the reason (e.g. legal approval) and an expiry',
      });
    }
  }
  return { violations, warnings };
}

/** Locked packages across manifests, one per ecosystem, name and version (the first location kept). */
export function uniquePackages(manifests: ParsedManifest[]): LockedPackage[] {
  const byId = new Map<string, LockedPackage>();
  for (const m of manifests)
    for (const p of m.packages)
      if (p.version) {
        const id = `${p.ecosystem}:${p.key}:${p.version}`;
        const known = byId.get(id);
        if (!known) byId.set(id, { ...p, hashes: [...p.hashes] });
        else for (const h of p.hashes) if (!known.hashes.includes(h)) known.hashes.push(h);
      }
  return [...byId.values()];
}

/** Licence metadata: pip-licenses JSON ([{Name, Version, License}]) or a plain {name: licence} map. */
export function readLicenceMetadata(json: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const key = (n: string) => n.replace(/[-_.]+/g, '-').toLowerCase();
  if (Array.isArray(json))
    for (const e of json) {
      if (e && typeof e.Name === 'string' && typeof e.License === 'string') out.set(key(e.Name), e.License);
    }
  else if (json && typeof json === 'object') for (const [n, l] of Object.entries(json)) if (typeof l === 'string') out.set(key(n), l);
  return out;
}
