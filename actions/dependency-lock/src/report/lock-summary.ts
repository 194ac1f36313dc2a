// The job summary and PR comment: the verdict first, then vulnerabilities, policy violations (file:line), unsafe
// models with their callables, and how to fix each kind.
import { details, escapeMarkdownText, heading, markdownTable } from '#shared/reports/markdown.js';
import type { Verdict } from '#shared/publish/index.js';
import type { LockCheckResult } from '../lock-check.js';

export function lockVerdict(result: LockCheckResult): Verdict {
  const { counts } = result;
  const parts = [
    `${counts.vulnerabilities} vulnerabilit${counts.vulnerabilities === 1 ? 'y' : 'ies'} at or above ${result.severityThreshold}`,
    `${counts.violations} policy violation${counts.violations === 1 ? '' : 's'}`,
    `${counts.unsafeModels} unsafe model file${counts.unsafeModels === 1 ? '' : 's'}`,
  ];
  const checked = `${result.packages.length} locked packages in ${result.manifests.length} manifest${result.manifests.length === 1 ? '' : 's'}${result.models.length ? `, ${result.models.length} model files` : ''}`;
  const osvNote =
    result.osv.status === 'unavailable'
      ? ' (⚠️ OSV unavailable: vulnerabilities not checked)'
      : result.osv.status === 'off'
        ? ' (vulnerabilities not checked: osv is off)'
        : '';
  if (result.passed)
    return {
      passed: true,
      level: result.osv.status === 'unavailable' ? 'warn' : 'pass',
      markdown: `✅ **Dependencies locked and safe**: ${checked}; ${parts.join(', ')}${osvNote}`,
    };
  return { passed: false, level: 'fail', markdown: `🔴 **Dependency check failed**: ${parts.join(', ')} (${checked})${osvNote}` };
}

const where = (l: { file: string; line: number }) => `${l.file}:${l.line}`;

export function lockSummaryMarkdown(result: LockCheckResult, options: { compact: boolean; reportLink?: string; title?: string }): string {
  const out: string[] = [heading(options.title ?? 'Dependency lock'), `${lockVerdict(result).markdown}\n`];
  const limit = options.compact ? 20 : 500;
  const more = (n: number) => (n > limit ? `\n_…and ${n - limit} more in the report._\n` : '');
  if (result.vulnerabilities.length > 0) {
    out.push(heading('Vulnerabilities', 3));
    out.push(
      markdownTable(
        ['Package', 'Version', 'ID', 'Severity', 'Fixed in', 'Where'],
        result.vulnerabilities
          .slice(0, limit)
          .map((v) => [
            v.package,
            v.version,
            v.id,
            `${v.severity.level}${v.severity.score !== undefined ? ` (${v.severity.score.toFixed(1)})` : ''}${v.ignored ? ' · ignored' : v.counts ? '' : ' · below threshold'}`,
            v.fixed ?? '—',
            where(v.location),
          ]),
      ),
    );
    out.push(more(result.vulnerabilities.length));
  }
  const violations = result.violations;
  if (violations.length > 0) {
    out.push(heading('Policy violations', 3));
    out.push(
      markdownTable(
        ['Where', 'Rule', 'Problem'],
        violations
          .slice(0, limit)
          .map((v) => [
            where(v.location),
            v.rule,
            `${v.message}${v.accepted ? ` (accepted until ${v.accepted.expires}: ${v.accepted.reason})` : ''}`,
          ]),
      ),
    );
    out.push(more(violations.length));
  }
  const flagged = result.models.filter((m) => m.unsafe || m.callables.some((c) => c.safety === 'unknown'));
  if (flagged.length > 0) {
    out.push(heading('Model files', 3));
    out.push(
      markdownTable(
        ['File', 'Format', 'Verdict', 'Callables and problems'],
        flagged
          .slice(0, limit)
          .map((m) => [
            m.file,
            m.format,
            m.accepted ? 'accepted' : m.unsafe ? '🔴 unsafe' : '⚠️ unknown callables',
            [
              ...m.callables
                .filter((c) => c.safety !== 'safe')
                .map((c) => `${c.safety}: ${c.module}.${c.name}${c.entry ? ` (${c.entry})` : ''}`),
              ...m.problems.map((p) => `${p.level}: ${p.entry ? `${p.entry}: ` : ''}${p.message}`),
            ].join('\n'),
          ]),
      ),
    );
    out.push(more(flagged.length));
  }
  if (!options.compact && result.warnings.length > 0)
    out.push(
      details(
        `${result.warnings.length} warnings`,
        result.warnings.map((w) => `- ${where(w.location)}: ${escapeMarkdownText(w.message)}`).join('\n'),
      ),
    );
  if (!result.passed) {
    const fixes: string[] = [];
    if (result.counts.vulnerabilities)
      fixes.push(
        '- **Vulnerabilities**: upgrade to the version in "Fixed in" and re-lock; or, if it does not apply, add it to `ignore-vulnerabilities` in the policy with a reason and an expiry.',
      );
    const rules = new Set(violations.filter((v) => !v.accepted).map((v) => v.rule));
    const fixOf = (rule: string) => violations.find((v) => v.rule === rule && !v.accepted)?.fix;
    for (const rule of rules) fixes.push(`- **${rule}**: ${escapeMarkdownText(fixOf(rule) ?? '')}.`);
    if (result.counts.unsafeModels)
      fixes.push(
        '- **Unsafe models**: re-export the weights as safetensors (or `torch.save` of a state_dict loaded with `weights_only=True`); never load a file that imports os, subprocess, builtins.eval/exec/getattr or similar.',
      );
    out.push(heading('How to fix', 3), `${fixes.join('\n')}\n`);
  }
  if (options.reportLink) out.push(`\n[Full report, SARIF and SBOM](${options.reportLink})\n`);
  return out.join('\n');
}
