// The engine: manifests -> policy, sync and licence checks -> OSV -> model files, into one LockCheckResult.
// Reads files only through the workspace path rules; knows nothing of GitHub (main.ts publishes the result).
import { readFile, stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { DataError, UserError } from '#shared/errors.js';
import type { Logger } from '#shared/logger.js';
import { checkReadablePath } from '#shared/paths/index.js';
import { discoverManifests, parseManifest, workspaceReader } from './manifests/discover.js';
import type { LockedPackage, ParsedManifest, SourceLine } from './manifests/types.js';
import { scanModelFile, type ModelScan } from './models/scan-model-file.js';
import { affects, type OsvRecord } from './osv/affected.js';
import { recordSeverity, SEVERITY_ORDER, type Severity, type SeverityLevel } from './osv/cvss.js';
import { loadOfflineDatabase } from './osv/offline-db.js';
import { OsvUnavailable, queryOsv } from './osv/osv-api.js';
import { checkPolicy, readLicenceMetadata, uniquePackages } from './policy/check-policy.js';
import { DEFAULT_POLICY, isExpired, parsePolicy, type Policy } from './policy/policy-file.js';
import { checkSync } from './policy/sync.js';
import { applyExceptions, type Violation } from './policy/violations.js';

export type OsvSettings = { mode: 'online'; url: string } | { mode: 'offline'; db: string } | { mode: 'off' };

export interface LockCheckSettings {
  workspace: string;
  path: string;
  manifests: string[];
  models: string[];
  policy?: string;
  osv: OsvSettings;
  osvUnavailable: 'fail' | 'warn';
  severityThreshold: SeverityLevel;
  budgetBytes: number;
  today: Date;
  logger: Logger;
  /** Tests shorten the OSV retry delays. */
  osvRetryDelayMs?: number;
}

export interface VulnerabilityFinding {
  id: string;
  aliases: string[];
  package: string;
  key: string;
  version: string;
  severity: Severity;
  summary: string;
  fixed?: string;
  url: string;
  location: SourceLine;
  /** At or above severity-threshold and not ignored: counts towards failure. */
  counts: boolean;
  ignored?: { reason: string; expires: string };
}

export interface LockCheckResult {
  manifests: { file: string; kind: string; requirements: number; packages: number }[];
  packages: LockedPackage[];
  vulnerabilities: VulnerabilityFinding[];
  violations: Violation[];
  warnings: Violation[];
  models: (ModelScan & { accepted?: { reason: string; expires: string } })[];
  osv: { mode: OsvSettings['mode']; status: 'ok' | 'unavailable' | 'off'; message?: string; records: number };
  severityThreshold: SeverityLevel;
  counts: { vulnerabilities: number; violations: number; unsafeModels: number };
  passed: boolean;
  /** Wall time of each stage, for the benchmark and the curious. */
  timingsMs: { manifests: number; osv: number; models: number };
}

function display(workspace: string, path: string): string {
  const rel = relative(workspace, path);
  return rel.startsWith('..') ? path : rel;
}

async function readPolicy(settings: LockCheckSettings): Promise<Policy> {
  if (!settings.policy) return DEFAULT_POLICY;
  const real = await checkReadablePath(settings.policy, "input 'policy'");
  const text = await readFile(real, 'utf8').catch(() => {
    throw new UserError(`Cannot read the policy file '${settings.policy}' (input 'policy'): no such file.`);
  });
  return parsePolicy(text, display(settings.workspace, resolve(settings.policy)));
}

async function readLicences(policy: Policy, settings: LockCheckSettings): Promise<Map<string, string>> {
  const file = policy.licences.metadata;
  if (!file) return new Map();
  // Relative to the policy file, as its other paths are read by people.
  const path = resolve(settings.policy ? dirname(resolve(settings.policy)) : settings.workspace, file);
  const real = await checkReadablePath(path, "the policy's licenses.metadata");
  const text = await readFile(real, 'utf8').catch(() => {
    throw new DataError(`licenses.metadata names '${file}', which cannot be read`, {
      file: policy.file ?? 'policy',
      line: policy.licences.line,
    });
  });
  try {
    return readLicenceMetadata(JSON.parse(text));
  } catch {
    throw new DataError('not JSON: expected pip-licenses --format=json output or a {package: licence} map', { file, line: 1 });
  }
}

async function manifestPaths(settings: LockCheckSettings): Promise<string[]> {
  if (settings.manifests.length > 0) {
    const out: string[] = [];
    for (const pattern of settings.manifests) {
      const matches = /[*?[{]/.test(pattern)
        ? await glob(pattern, { cwd: settings.path, absolute: true, onlyFiles: true })
        : [resolve(settings.path, pattern)];
      if (matches.length === 0)
        throw new UserError(`Invalid value for input 'manifests': '${pattern}' matches no file under '${settings.path}'.`);
      out.push(...matches.sort());
    }
    return [...new Set(out)];
  }
  const root = await checkReadablePath(settings.path, "input 'path'");
  const found = await discoverManifests(root);
  return found.map((f) => resolve(settings.path, relative(root, f)));
}

async function osvRecords(
  packages: LockedPackage[],
  settings: LockCheckSettings,
): Promise<{ byKey: Map<string, OsvRecord[]>; status: LockCheckResult['osv'] }> {
  const osv = settings.osv;
  const pypi = packages.filter((p) => p.ecosystem === 'PyPI');
  const count = (m: Map<string, OsvRecord[]>) => new Set([...m.values()].flat().map((r) => r.id)).size;
  if (osv.mode === 'off') return { byKey: new Map(), status: { mode: 'off', status: 'off', records: 0 } };
  if (osv.mode === 'offline') {
    const real = await checkReadablePath(osv.db, "input 'osv-db'");
    const info = await stat(real).catch(() => undefined);
    if (!info)
      throw new UserError(
        `Invalid value for input 'osv-db': '${osv.db}' does not exist. Expected an OSV all.zip export or a folder of OSV JSON records.`,
      );
    const byKey = await loadOfflineDatabase(
      real,
      display(settings.workspace, resolve(osv.db)),
      new Set(pypi.map((p) => p.key)),
      info.isDirectory(),
    );
    return { byKey, status: { mode: 'offline', status: 'ok', records: count(byKey) } };
  }
  try {
    const byKey = await queryOsv(
      pypi.map((p) => ({ key: p.key, name: p.name, version: p.version })),
      { baseUrl: osv.url, logger: settings.logger, retryDelayMs: settings.osvRetryDelayMs },
    );
    return { byKey, status: { mode: 'online', status: 'ok', records: count(byKey) } };
  } catch (error) {
    if (!(error instanceof OsvUnavailable)) throw error;
    const message = `The OSV API at ${osv.url} is unavailable: ${error.message}`;
    if (settings.osvUnavailable === 'fail')
      throw new UserError(
        `${message}. Set osv-unavailable: warn to continue without vulnerability data, or osv: offline with an OSV export.`,
      );
    settings.logger.warning(`${message}. Vulnerabilities were not checked (osv-unavailable: warn).`);
    return { byKey: new Map(), status: { mode: 'online', status: 'unavailable', message, records: 0 } };
  }
}

function vulnerabilityFindings(
  packages: LockedPackage[],
  byKey: Map<string, OsvRecord[]>,
  policy: Policy,
  settings: LockCheckSettings,
): { findings: VulnerabilityFinding[]; expired: Violation[] } {
  const findings: VulnerabilityFinding[] = [];
  const rank = (level: Severity['level']) => (level === 'unknown' ? SEVERITY_ORDER.indexOf('medium') : SEVERITY_ORDER.indexOf(level));
  const expired: Violation[] = [];
  for (const ignore of policy.ignores)
    if (isExpired(ignore.expires, settings.today))
      expired.push({
        rule: 'exception-expired',
        package: ignore.package,
        location: { file: policy.file ?? 'policy', line: ignore.line },
        message: `the ignore of ${ignore.id} expired on ${ignore.expires}: ${ignore.reason}`,
        fix: 'upgrade past the vulnerability, or renew the ignore with a new expiry and reason',
      });
  for (const p of packages) {
    if (p.ecosystem !== 'PyPI') continue;
    for (const record of byKey.get(p.key) ?? []) {
      const match = affects(record, p.key, p.version);
      if (!match.affected) continue;
      const severity = recordSeverity(record, p.key);
      const ids = [record.id, ...(record.aliases ?? [])];
      const live = (expires: string) => !isExpired(expires, settings.today);
      const ignore =
        policy.ignores.find((i) => ids.includes(i.id) && (!i.package || i.package === p.key) && live(i.expires)) ??
        policy.exceptions.find((e) => e.target === p.key && e.rules.includes('vulnerability') && live(e.expires));
      findings.push({
        id: record.id,
        aliases: record.aliases ?? [],
        package: p.name,
        key: p.key,
        version: p.version,
        severity,
        summary: record.summary ?? record.details?.split('\n')[0]?.slice(0, 200) ?? '',
        fixed: match.fixed,
        url: `https://osv.dev/vulnerability/${record.id}`,
        location: p.location,
        counts: !ignore && rank(severity.level) >= SEVERITY_ORDER.indexOf(settings.severityThreshold),
        ignored: ignore ? { reason: ignore.reason, expires: ignore.expires } : undefined,
      });
    }
  }
  findings.sort((a, b) => rank(b.severity.level) - rank(a.severity.level) || a.key.localeCompare(b.key) || a.id.localeCompare(b.id));
  return { findings, expired };
}

async function scanModels(settings: LockCheckSettings, policy: Policy): Promise<LockCheckResult['models']> {
  if (settings.models.length === 0) return [];
  const files = new Set<string>();
  for (const pattern of settings.models)
    for (const f of await glob(pattern, {
      cwd: settings.path,
      absolute: true,
      onlyFiles: true,
      ignore: ['**/node_modules/**', '**/.git/**'],
    }))
      files.add(f);
  if (files.size === 0) settings.logger.warning(`models: no file under '${settings.path}' matches ${settings.models.join(', ')}.`);
  const allowed = new Set(policy.models.allow);
  const out: LockCheckResult['models'] = [];
  for (const file of [...files].sort()) {
    const real = await checkReadablePath(file, "input 'models'");
    const name = display(settings.workspace, file);
    const scan = await scanModelFile(real, name, {
      budgetBytes: settings.budgetBytes,
      allowed,
      unknownFails: policy.models.unknown === 'fail',
    });
    const exception = policy.exceptions.find(
      (e) => e.rules.includes('model') && e.target === name && !isExpired(e.expires, settings.today),
    );
    out.push(scan.unsafe && exception ? { ...scan, accepted: { reason: exception.reason, expires: exception.expires } } : scan);
  }
  return out;
}

export async function checkLocks(settings: LockCheckSettings): Promise<LockCheckResult> {
  let mark = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = Math.round(now - mark);
    mark = now;
    return ms;
  };
  const policy = await readPolicy(settings);
  const read = workspaceReader(settings.workspace);
  const manifests: ParsedManifest[] = [];
  const paths = await manifestPaths(settings);
  if (paths.length === 0)
    settings.logger.warning(`No manifest or lock file found under '${settings.path}': nothing to check. Set 'manifests' to name them.`);
  for (const path of paths) manifests.push(await parseManifest(path, read));
  const packages = uniquePackages(manifests);
  const licences = await readLicences(policy, settings);
  const checked = checkPolicy(manifests, policy, licences);
  const violations = applyExceptions([...checked.violations, ...checkSync(manifests)], policy, settings.today);
  const manifestsMs = lap();
  const { byKey, status } = await osvRecords(packages, settings);
  const vulns = vulnerabilityFindings(packages, byKey, policy, settings);
  violations.push(...vulns.expired);
  const osvMs = lap();
  const models = await scanModels(settings, policy);
  const counts = {
    vulnerabilities: vulns.findings.filter((v) => v.counts).length,
    violations: violations.filter((v) => !v.accepted).length,
    unsafeModels: models.filter((m) => m.unsafe && !m.accepted).length,
  };
  return {
    manifests: manifests.map((m) => ({ file: m.file, kind: m.kind, requirements: m.requirements.length, packages: m.packages.length })),
    packages,
    vulnerabilities: vulns.findings,
    violations,
    warnings: checked.warnings,
    models,
    osv: status,
    severityThreshold: settings.severityThreshold,
    counts,
    passed: counts.vulnerabilities === 0 && counts.violations === 0 && counts.unsafeModels === 0,
    timingsMs: { manifests: manifestsMs, osv: osvMs, models: lap() },
  };
}
