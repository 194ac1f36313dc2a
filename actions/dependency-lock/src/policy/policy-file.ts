// The policy file (YAML): what a dependency set must satisfy, and the per-package exceptions (each with a reason
// and an expiry date) and vulnerability ignores. Every entry keeps its line so a violation about the policy itself
// (an expired exception) points at it.
import { DataError } from '#shared/errors.js';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { normaliseName } from '../manifests/types.js';

export type PolicyRule = 'pin' | 'hash' | 'index' | 'url' | 'licence' | 'sync' | 'vulnerability' | 'model';
export const POLICY_RULES: PolicyRule[] = ['pin', 'hash', 'index', 'url', 'licence', 'sync', 'vulnerability', 'model'];

export interface PolicyException {
  /** PEP 503 key, or a model file path for rule 'model'. */
  target: string;
  rules: PolicyRule[];
  reason: string;
  expires: string;
  line: number;
}

export interface VulnerabilityIgnore {
  id: string;
  /** Limited to one package (PEP 503 key), or any. */
  package?: string;
  reason: string;
  expires: string;
  line: number;
}

export interface Policy {
  file?: string;
  requirePins: boolean;
  requireHashes: boolean;
  allowedIndexes: string[];
  /** VCS and URL dependencies must be pinned to a commit or an archive hash. */
  requireUrlPins: boolean;
  licences: { allow: string[]; deny: string[]; metadata?: string; unknown: 'warn' | 'fail' | 'ignore'; line?: number };
  models: { unknown: 'warn' | 'fail'; allow: string[] };
  exceptions: PolicyException[];
  ignores: VulnerabilityIgnore[];
}

export const DEFAULT_POLICY: Policy = {
  requirePins: true,
  requireHashes: false,
  allowedIndexes: [],
  requireUrlPins: true,
  licences: { allow: [], deny: [], unknown: 'ignore' },
  models: { unknown: 'warn', allow: [] },
  exceptions: [],
  ignores: [],
};

const KEYS = [
  'require-pins',
  'require-hashes',
  'allowed-indexes',
  'require-url-pins',
  'licenses',
  'licences',
  'models',
  'exceptions',
  'ignore-vulnerabilities',
  'version',
];

export function parsePolicy(text: string, file: string): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length)
    throw new DataError(`not valid YAML: ${doc.errors[0].message.split('\n')[0]}`, { file, line: doc.errors[0].linePos?.[0]?.line ?? 1 });
  const lineOf = (node: unknown) => ((node as YamlNode | undefined)?.range ? lineCounter.linePos((node as YamlNode).range![0]).line : 1);
  const root = doc.contents;
  if (root === null) return { ...DEFAULT_POLICY, file };
  if (!isMap(root))
    throw new DataError(
      'a policy file is a mapping (require-pins, require-hashes, allowed-indexes, licenses, models, exceptions, ignore-vulnerabilities)',
      { file, line: 1 },
    );
  const fail = (node: unknown, problem: string): never => {
    throw new DataError(problem, { file, line: lineOf(node) });
  };
  for (const pair of root.items) {
    const key = String((pair.key as any)?.value ?? pair.key);
    if (!KEYS.includes(key))
      fail(pair.key, `unknown policy key '${key}'. Expected one of ${KEYS.filter((k) => k !== 'licences' && k !== 'version').join(', ')}`);
  }
  const node = (key: string) => root.get(key, true) as YamlNode | undefined;
  const bool = (key: string, fallback: boolean) => {
    const v: unknown = (root.toJSON() as Record<string, unknown>)[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') fail(node(key), `'${key}' must be true or false`);
    return v as boolean;
  };
  const strings = (value: unknown, nodeForLine: unknown, what: string): string[] => {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(nodeForLine, `${what} must be a list of strings`);
    return value as string[];
  };
  const date = (value: unknown, at: unknown, what: string): string => {
    const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value ?? '');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(text))) fail(at, `${what} needs 'expires' as a date (YYYY-MM-DD)`);
    return text;
  };
  const policy: Policy = {
    ...DEFAULT_POLICY,
    file,
    requirePins: bool('require-pins', DEFAULT_POLICY.requirePins),
    requireHashes: bool('require-hashes', DEFAULT_POLICY.requireHashes),
    requireUrlPins: bool('require-url-pins', DEFAULT_POLICY.requireUrlPins),
    allowedIndexes: strings(root.toJSON()['allowed-indexes'], node('allowed-indexes'), "'allowed-indexes'").map((u) =>
      u.replace(/\/+$/, ''),
    ),
  };
  const json = root.toJSON() as Record<string, any>;
  const licences = json.licenses ?? json.licences;
  if (licences !== undefined) {
    const at = node('licenses') ?? node('licences');
    if (!licences || typeof licences !== 'object' || Array.isArray(licences))
      fail(at, "'licenses' must be a mapping with allow, deny, metadata and unknown");
    const unknown = licences.unknown ?? 'ignore';
    if (!['warn', 'fail', 'ignore'].includes(unknown)) fail(at, "'licenses.unknown' must be warn, fail or ignore");
    policy.licences = {
      allow: strings(licences.allow, at, "'licenses.allow'"),
      deny: strings(licences.deny, at, "'licenses.deny'"),
      metadata: licences.metadata,
      unknown,
      line: lineOf(at),
    };
  }
  if (json.models !== undefined) {
    const at = node('models');
    const unknown = json.models?.unknown ?? 'warn';
    if (!['warn', 'fail'].includes(unknown)) fail(at, "'models.unknown' must be warn or fail");
    policy.models = { unknown, allow: strings(json.models?.allow, at, "'models.allow'") };
  }
  const exceptions = node('exceptions');
  if (exceptions !== undefined) {
    if (!isSeq(exceptions)) fail(exceptions, "'exceptions' must be a list of {package, rules, reason, expires}");
    policy.exceptions = (exceptions as any).items.map((item: YamlNode) => {
      const e = (item as any).toJSON?.() ?? {};
      const target = e.package ?? e.model;
      if (typeof target !== 'string') fail(item, "an exception needs 'package' (or 'model' for a model file)");
      if (typeof e.reason !== 'string' || !e.reason.trim()) fail(item, `the exception for '${target}' needs a 'reason'`);
      const rules =
        e.rules === undefined
          ? e.model
            ? ['model']
            : POLICY_RULES.filter((r) => r !== 'model')
          : strings(e.rules, item, "an exception's 'rules'");
      for (const r of rules)
        if (!POLICY_RULES.includes(r as PolicyRule))
          fail(item, `unknown rule '${r}' in the exception for '${target}'. Expected ${POLICY_RULES.join(', ')}`);
      return {
        target: e.model ? target : normaliseName(target),
        rules,
        reason: e.reason,
        expires: date(e.expires, item, `the exception for '${target}'`),
        line: lineOf(item),
      };
    });
  }
  const ignores = node('ignore-vulnerabilities');
  if (ignores !== undefined) {
    if (!isSeq(ignores)) fail(ignores, "'ignore-vulnerabilities' must be a list of {id, reason, expires}");
    policy.ignores = (ignores as any).items.map((item: YamlNode) => {
      const e = (item as any).toJSON?.() ?? {};
      if (typeof e.id !== 'string') fail(item, "an ignored vulnerability needs an 'id' (e.g. GHSA-xxxx-xxxx-xxxx or PYSEC-2024-1)");
      if (typeof e.reason !== 'string' || !e.reason.trim()) fail(item, `the ignore of '${e.id}' needs a 'reason'`);
      return {
        id: e.id,
        package: e.package ? normaliseName(e.package) : undefined,
        reason: e.reason,
        expires: date(e.expires, item, `the ignore of '${e.id}'`),
        line: lineOf(item),
      };
    });
  }
  return policy;
}

/** Expired: the day after `expires` has begun (UTC). */
export function isExpired(expires: string, today: Date): boolean {
  return today.toISOString().slice(0, 10) > expires;
}
