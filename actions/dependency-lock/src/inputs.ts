// Every dependency-lock input, parsed and validated into one typed object.
import { join, resolve } from 'node:path';
import { InputError } from '#shared/errors.js';
import { list, number, oneOf, optionalString, url, type InputReader } from '#shared/inputs/parse-inputs.js';
import { readPublishChannels, type PublishChannels } from '#shared/publish/index.js';
import { FAIL_ON, type FailOn } from './fail-on.js';
import type { OsvSettings } from './lock-check.js';
import { SEVERITY_ORDER, type SeverityLevel } from './osv/cvss.js';

export interface DependencyLockInputs {
  path: string;
  manifests: string[];
  models: string[];
  policy?: string;
  osv: OsvSettings;
  osvUnavailable: 'fail' | 'warn';
  severityThreshold: SeverityLevel;
  failOn: FailOn;
  reportDir: string;
  sarifPath: string;
  sbomPath: string;
  memoryBudgetBytes: number;
  channels: PublishChannels;
}

export function readInputs(read: InputReader): DependencyLockInputs {
  const mode = oneOf(read, 'osv', ['online', 'offline', 'off'] as const, 'online');
  let osv: OsvSettings;
  if (mode === 'offline') {
    const db = optionalString(read, 'osv-db');
    if (!db)
      throw new InputError('osv-db', '', "an OSV export (the ecosystem's all.zip or a folder of OSV JSON records) when osv is 'offline'");
    osv = { mode, db: resolve(db) };
  } else if (mode === 'online') osv = { mode, url: (url(read, 'osv-url') ?? new URL('https://api.osv.dev')).href };
  else osv = { mode };
  const reportDir = resolve(optionalString(read, 'report-dir') ?? 'dependency-lock-report');
  return {
    path: resolve(optionalString(read, 'path') ?? '.'),
    manifests: list(read, 'manifests'),
    models: list(read, 'models'),
    policy: optionalString(read, 'policy'),
    osv,
    osvUnavailable: oneOf(read, 'osv-unavailable', ['fail', 'warn'] as const, 'fail'),
    severityThreshold: oneOf(read, 'severity-threshold', SEVERITY_ORDER, 'low'),
    failOn: oneOf(read, 'fail-on', FAIL_ON, 'violation'),
    reportDir,
    sarifPath: resolve(optionalString(read, 'sarif') ?? join(reportDir, 'dependency-lock.sarif')),
    sbomPath: resolve(optionalString(read, 'sbom') ?? join(reportDir, 'sbom.cdx.json')),
    memoryBudgetBytes: number(read, 'memory-budget-mb', 256, { min: 16, max: 65536 }) * 1024 * 1024,
    channels: readPublishChannels(read, { alertIssue: 'issue-on-failure' }),
  };
}
