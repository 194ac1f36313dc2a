// SARIF 2.1.0 for GitHub code scanning: one rule per OSV vulnerability (with security-severity, so code scanning
// ranks it) and one per policy rule and for unsafe models; each result points at the manifest line or model file.
import type { LockCheckResult } from '../lock-check.js';

const INFO = 'https://github.com/mlops-actions/mlops-actions/blob/main/action-docs/dependency-lock.md';
const LEVEL_SCORE = { low: '3.0', medium: '5.5', high: '8.0', critical: '9.5', unknown: '5.5' } as const;

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription?: { text: string };
  helpUri?: string;
  help?: { text: string; markdown?: string };
  defaultConfiguration: { level: 'error' | 'warning' | 'note' };
  properties?: Record<string, unknown>;
}

const uri = (file: string) => file.split('\\').join('/');
const location = (file: string, line?: number) => ({
  physicalLocation: { artifactLocation: { uri: uri(file), uriBaseId: '%SRCROOT%' }, ...(line ? { region: { startLine: line } } : {}) },
});

const POLICY_RULES: Record<string, string> = {
  pin: 'Dependency not pinned to one version',
  hash: 'Dependency without a hash',
  index: 'Package index not allowed',
  url: 'URL or VCS dependency not pinned',
  licence: 'Licence not allowed',
  sync: 'Lock out of sync with its manifest',
  'exception-expired': 'Policy exception expired',
};

export function buildSarif(result: LockCheckResult, version: string): object {
  const rules = new Map<string, SarifRule>();
  const results: object[] = [];
  for (const v of result.vulnerabilities) {
    if (!rules.has(v.id))
      rules.set(v.id, {
        id: v.id,
        name: 'VulnerableDependency',
        shortDescription: { text: `${v.id}: ${v.summary || 'known vulnerability'}`.slice(0, 1000) },
        helpUri: v.url,
        help: { text: `${v.summary}\n${v.fixed ? `Fixed in ${v.fixed}.` : 'No fixed version is known.'} ${v.url}` },
        defaultConfiguration: { level: 'error' },
        properties: {
          tags: ['security', 'vulnerability', 'dependency'],
          'security-severity': v.severity.score !== undefined ? v.severity.score.toFixed(1) : LEVEL_SCORE[v.severity.level],
          precision: 'very-high',
        },
      });
    results.push({
      ruleId: v.id,
      level: v.ignored ? 'note' : v.counts ? 'error' : 'warning',
      message: {
        text: `${v.package} ${v.version} is affected by ${v.id} (${v.severity.level}${v.severity.score !== undefined ? ` ${v.severity.score}` : ''})${v.fixed ? `; fixed in ${v.fixed}` : ''}${v.ignored ? `; ignored until ${v.ignored.expires}: ${v.ignored.reason}` : ''}.`,
      },
      locations: [location(v.location.file, v.location.line)],
      partialFingerprints: { 'dependencyLock/v1': `${v.id}:${v.key}:${v.version}` },
    });
  }
  for (const v of result.violations) {
    const id = `policy/${v.rule}`;
    if (!rules.has(id))
      rules.set(id, {
        id,
        name: POLICY_RULES[v.rule] ?? v.rule,
        shortDescription: { text: POLICY_RULES[v.rule] ?? v.rule },
        helpUri: INFO,
        defaultConfiguration: { level: 'error' },
        properties: { tags: ['supply-chain', 'policy'] },
      });
    results.push({
      ruleId: id,
      level: v.accepted ? 'note' : 'error',
      message: {
        text: `${v.message}. Fix: ${v.fix}.${v.accepted ? ` Accepted by a policy exception until ${v.accepted.expires}: ${v.accepted.reason}` : ''}`,
      },
      locations: [location(v.location.file, v.location.line)],
    });
  }
  for (const m of result.models) {
    if (!m.unsafe && !m.callables.some((c) => c.safety === 'unknown')) continue;
    const id = m.unsafe ? 'unsafe-model' : 'model-unknown-callable';
    if (!rules.has(id))
      rules.set(id, {
        id,
        name: m.unsafe ? 'UnsafeModelFile' : 'ModelUnknownCallable',
        shortDescription: { text: m.unsafe ? 'Model file can run code when loaded' : 'Model file imports callables not known to be safe' },
        helpUri: INFO,
        defaultConfiguration: { level: m.unsafe ? 'error' : 'warning' },
        properties: { tags: ['security', 'model', 'pickle'], 'security-severity': m.unsafe ? '9.0' : '4.0' },
      });
    const dangerous = m.callables.filter((c) => c.safety === 'dangerous').map((c) => `${c.module}.${c.name}`);
    const problems = m.problems.filter((p) => p.level === 'error').map((p) => p.message);
    const unknown = m.callables.filter((c) => c.safety === 'unknown').map((c) => `${c.module}.${c.name}`);
    const text = [
      dangerous.length ? `imports ${dangerous.join(', ')}` : '',
      problems.join('; '),
      unknown.length ? `unknown callables: ${unknown.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    results.push({
      ruleId: id,
      level: m.accepted ? 'note' : m.unsafe ? 'error' : 'warning',
      message: { text: `${m.file} (${m.format}): ${text}.` },
      locations: [location(m.file)],
      partialFingerprints: { 'dependencyLock/v1': `model:${m.sha256}` },
    });
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'mlops-actions dependency-lock', informationUri: INFO, semanticVersion: version, rules: [...rules.values()] },
        },
        automationDetails: { id: 'dependency-lock/' },
        results,
      },
    ],
  };
}
