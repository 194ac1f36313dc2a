// Annotations on the manifest lines and model files, and the Pushgateway metrics, from a LockCheckResult.
import type { LineAnnotation } from '#shared/publish/index.js';
import type { MetricSample } from '#shared/notify/pushgateway.js';
import type { LockCheckResult } from '../lock-check.js';

export function lockAnnotations(result: LockCheckResult): LineAnnotation[] {
  return [
    ...result.vulnerabilities
      .filter((v) => v.counts)
      .map((v) => ({
        level: 'error' as const,
        title: `${v.id} (${v.severity.level})`,
        message: `${v.package} ${v.version}: ${v.summary}${v.fixed ? ` Fixed in ${v.fixed}.` : ''}`,
        ...v.location,
      })),
    ...result.violations
      .filter((v) => !v.accepted)
      .map((v) => ({ level: 'error' as const, title: `policy: ${v.rule}`, message: `${v.message}. Fix: ${v.fix}.`, ...v.location })),
    ...result.models
      .filter((m) => m.unsafe && !m.accepted)
      .map((m) => ({
        level: 'error' as const,
        title: 'unsafe model file',
        message: [
          ...m.callables.filter((c) => c.safety === 'dangerous').map((c) => `imports ${c.module}.${c.name}`),
          ...m.problems.filter((p) => p.level === 'error').map((p) => p.message),
        ].join('; '),
        file: m.file,
      })),
  ];
}

export function lockMetrics(result: LockCheckResult): MetricSample[] {
  return [
    {
      name: 'dependency_lock_vulnerabilities',
      help: 'Vulnerabilities at or above the severity threshold',
      value: result.counts.vulnerabilities,
    },
    { name: 'dependency_lock_policy_violations', help: 'Policy violations', value: result.counts.violations },
    { name: 'dependency_lock_unsafe_models', help: 'Unsafe model files', value: result.counts.unsafeModels },
    { name: 'dependency_lock_packages', help: 'Locked packages checked', value: result.packages.length },
  ];
}
