// The job summary: decision and score first, then one table row per metric (baseline vs canary, estimate with its
// interval, classification, critical), the traffic step taken, links to the pull request and the registry change,
// and the audit record.
import { escapeMarkdownCell, markdownTable } from '#shared/reports/markdown.js';
import type { AuditRecord, CanaryResult } from './canary-result.js';
import type { RolloutOutcome } from '../rollout/apply-decision.js';

const ICON = { promote: '🟢', continue: '🟡', rollback: '🔴' } as const;

export function verdictLine(result: CanaryResult): string {
  return `${ICON[result.decision]} **${result.decision}**: score ${result.score.toFixed(1)} / 100, traffic ${result.current_weight}% → ${result.next_weight}%`;
}

function num(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
  return String(Math.round(v * 1000) / 1000);
}

function side(s: Record<string, number | null>): string {
  if ('rate' in s) return `${num(s.rate)} (${s.successes}/${s.trials})`;
  if (!s.count) return 'no data';
  return `mean ${num(s.mean)}, p50 ${num(s.p50)}, p95 ${num(s.p95)} (n=${s.count})`;
}

export function canarySummary(
  result: CanaryResult,
  rollout: RolloutOutcome,
  audit: AuditRecord | undefined,
  options: { compact: boolean; reportLink?: string; title?: string },
): string {
  const out: string[] = [`## ${options.title ?? 'Canary analysis'}`, '', verdictLine(result), '', escapeMarkdownCell(result.reason), ''];
  const rows = result.metrics.map((m) => [
    escapeMarkdownCell(m.name),
    side(m.baseline),
    side(m.canary),
    m.interval ? `${num(m.estimate)} [${num(m.interval[0])}, ${num(m.interval[1])}]` : num(m.estimate),
    m.p_value !== undefined
      ? `p = ${num(m.p_value)}`
      : `P(better) = ${num(m.probability_better ?? null)}, loss ${num(m.expected_loss ?? null)}`,
    m.classification === 'Pass' ? 'Pass' : `**${m.classification}**`,
    m.critical ? 'yes' : '',
  ]);
  out.push(markdownTable(['Metric', 'Baseline', 'Canary', 'Estimate [interval]', 'Test', 'Classification', 'Critical'], rows), '');
  const m = rollout.manifest;
  const step = m.changed ? `Traffic step: canary ${m.fromWeight}% → ${m.toWeight}%` : `Traffic: canary stays at ${m.fromWeight}%`;
  const pr = m.pullRequest
    ? ` — [pull request #${m.pullRequest.number}](${m.pullRequest.url}) (${m.pullRequest.action})`
    : m.commit
      ? ` — commit ${m.commit.slice(0, 7)} on \`${m.branch}\``
      : '';
  out.push(`- ${step}${pr}${m.note ? ` (${m.note})` : ''}`);
  const r = rollout.registry;
  if (r) {
    const change = r.changed
      ? `alias \`${r.alias}\` of \`${r.model}\`: version ${r.from ?? '(unset)'} → ${r.to}`
      : `alias \`${r.alias}\` of \`${r.model}\` unchanged (version ${r.from ?? 'unset'})`;
    out.push(`- Registry: [${change}](${r.url})${r.note ? ` (${r.note})` : ''}`);
  }
  if (rollout.dryRun) out.push('- Dry run: nothing was changed.');
  if (options.reportLink) out.push(`- [Full report](${options.reportLink})`);
  if (!options.compact && audit)
    out.push('', '<details><summary>Audit record</summary>', '', '```json', JSON.stringify(audit, null, 2), '```', '', '</details>');
  return out.join('\n') + '\n';
}
