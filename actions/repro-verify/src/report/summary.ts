// What people see: the verdict and score first, then what differs with its values, the environment diff, and the
// likely causes with links to their lines.
import type { LineAnnotation } from '#shared/publish/index.js';
import type { MetricSample } from '#shared/notify/pushgateway.js';
import { escapeMarkdownCell as escapeMarkdown } from '#shared/reports/markdown.js';
import type { EnvironmentManifest } from '../environment/manifest.js';
import type { ReproReport } from './report-types.js';

/** The GPU and the CUDA determinism knobs, for people on GPU runners. */
export function gpuMarkdown(manifest: EnvironmentManifest): string | undefined {
  const { gpu, cuda_determinism: knobs } = manifest;
  if (!gpu) return undefined;
  const names = [...new Set(gpu.devices.map((d) => d.name))]
    .map((n) => `${gpu.devices.filter((d) => d.name === n).length}x ${n}`)
    .join(', ');
  return [
    '### GPU',
    '',
    `${escapeMarkdown(names)}; driver ${gpu.driver_version ?? '?'}, CUDA ${gpu.cuda_version ?? '?'}.`,
    '',
    `- cuDNN benchmark: ${knobs.cudnn_benchmark ? `**on** at \`${knobs.cudnn_benchmark}\`` : 'not turned on in the sources'}`,
    `- deterministic algorithms: ${knobs.deterministic_algorithms ? `on at \`${knobs.deterministic_algorithms}\`` : '**not turned on** in the sources'}`,
    `- CUBLAS_WORKSPACE_CONFIG: ${knobs.cublas_workspace_config ? `\`${knobs.cublas_workspace_config}\`` : '**unset**'}`,
    '',
  ].join('\n');
}

export interface SummaryLinks {
  /** e.g. https://github.com/o/r/blob/<sha>/ ; findings link to `${blobBase}${file}#L${line}`. */
  blobBase?: string;
  /** The GPU section (gpuMarkdown), shown after the environment diff. */
  gpu?: string;
  reportLink?: string;
  /** This run written as a baseline, relative to the workspace: the summary says how to keep it as an artifact. */
  baselineFile?: string;
}

/** How to keep a good run's baseline as an artifact and compare later runs with it (baseline-artifact). */
export function keepBaselineMarkdown(baselineFile: string): string {
  return [
    '### Keep this run as the baseline',
    '',
    `This run was written as a baseline to \`${escapeMarkdown(baselineFile)}\` (the \`repro-verify-report\` artifact holds it too). To compare later runs with it, upload it as an artifact on the default branch and name that artifact in \`baseline-artifact\` (the job needs \`actions: read\`):`,
    '',
    '```yaml',
    '- uses: actions/upload-artifact@v4',
    '  with:',
    '    name: repro-baseline',
    `    path: ${baselineFile}`,
    '    retention-days: 90',
    '# a later run:',
    '- uses: mlops-actions/mlops-actions/actions/repro-verify@v1',
    '  with:',
    '    baseline-artifact: repro-baseline',
    '```',
    '',
  ].join('\n');
}

export function verdictMarkdown(report: ReproReport): string {
  const pct = `${Math.round(report.score * 1000) / 10}%`;
  return report.reproducible
    ? `✅ **Reproducible**: ${report.runs.length || 'the'} run(s) agree (score ${report.score}, ${pct})`
    : `🔴 **Not reproducible**: score ${report.score} (${pct} of outputs and metrics reproduce)`;
}

const fmt = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toPrecision(8).replace(/\.?0+$/, '');
const short = (h: string | null | undefined) => (h ? `\`${h.slice(0, 12)}\`` : '—');

export function summaryMarkdown(report: ReproReport, links: SummaryLinks, options: { compact: boolean; title?: string }): string {
  const out = [`## ${options.title ?? 'Reproducibility check'}`, '', verdictMarkdown(report), ''];
  const badOutputs = report.outputs.filter((o) => o.status !== 'identical');
  const badMetrics = report.metrics.filter((m) => m.status !== 'identical');
  const hasBaseline =
    report.outputs.some((o) => o.baseline_hash !== undefined) || report.metrics.some((m) => m.baseline_value !== undefined);
  out.push(
    `${report.outputs.length} output(s), ${report.metrics.length} metric(s), ${report.runs.length} run(s)${hasBaseline ? ', compared with the baseline' : ''}.`,
    '',
  );
  if (badMetrics.length) {
    out.push(
      '### Metrics that moved',
      '',
      `| metric | file | ${hasBaseline ? 'baseline | ' : ''}values per run | abs diff | rel diff | status |`,
      `|---|---|${hasBaseline ? '---|' : ''}---|---|---|---|`,
    );
    for (const m of badMetrics.slice(0, options.compact ? 10 : 100))
      out.push(
        `| \`${escapeMarkdown(m.key)}\` | ${escapeMarkdown(m.file)} | ${hasBaseline ? `${fmt(m.baseline_value)} | ` : ''}${m.values.map(fmt).join(', ')} | ${fmt(m.abs_diff)} | ${fmt(m.rel_diff)} | ${m.status} |`,
      );
    out.push('');
  }
  if (badOutputs.length) {
    out.push(
      '### Outputs that differ',
      '',
      `| output | status | ${hasBaseline ? 'baseline | ' : ''}sha256 per run | bytes per run |`,
      `|---|---|${hasBaseline ? '---|' : ''}---|---|`,
    );
    for (const o of badOutputs.slice(0, options.compact ? 10 : 100))
      out.push(
        `| \`${escapeMarkdown(o.path)}\` | ${o.status} | ${hasBaseline ? `${short(o.baseline_hash)} | ` : ''}${o.hashes.map(short).join(', ')} | ${o.sizes.map(fmt).join(', ')} |`,
      );
    out.push('');
    if (!options.compact)
      for (const o of badOutputs.filter((x) => x.diff))
        out.push(
          `<details><summary>diff of <code>${escapeMarkdown(o.path)}</code></summary>`,
          '',
          '```diff',
          o.diff!.replace(/```/g, '`​``'),
          '```',
          '</details>',
          '',
        );
  }
  if (report.dvc && report.dvc.changed > 0) out.push('### DVC pipeline', '', '```', report.dvc.status_text, '```', '');
  if (report.environment_diff.length) {
    out.push('### Environment changes since the baseline', '');
    // '->' stays readable: only what could open HTML is escaped in these lines.
    for (const c of report.environment_diff.slice(0, options.compact ? 15 : 200))
      out.push(`- ${c.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\n/g, ' ')}`);
    out.push('');
  }
  if (links.gpu && !options.compact) out.push(links.gpu);
  if (report.findings.length) {
    out.push('### Likely causes (ranked)', '');
    for (const f of report.findings.slice(0, options.compact ? 5 : 50)) {
      const place = `${f.file}:${f.line}`;
      const where = links.blobBase ? `[${escapeMarkdown(place)}](${links.blobBase}${encodeURI(f.file)}#L${f.line})` : `\`${place}\``;
      out.push(`${f.rank}. ${where} (${f.rule}, likelihood ${f.likelihood}): ${escapeMarkdown(f.message)}`);
    }
    out.push('');
  }
  if (links.baselineFile && report.reproducible && !options.compact) out.push(keepBaselineMarkdown(links.baselineFile));
  if (links.reportLink) out.push(`Full report: ${links.reportLink}`);
  return out.join('\n');
}

/** Findings as warning annotations on their lines. */
export function findingAnnotations(report: ReproReport): LineAnnotation[] {
  return report.findings.map((f) => ({
    level: 'warning' as const,
    title: `repro-verify: ${f.rule} (rank ${f.rank})`,
    message: f.message,
    file: f.file,
    line: f.line,
  }));
}

/** What a Pushgateway gets: the score, the verdict and counts by status. */
export function publishedMetrics(report: ReproReport): MetricSample[] {
  const count = (status: string) =>
    report.outputs.filter((o) => o.status === status).length + report.metrics.filter((m) => m.status === status).length;
  return [
    { name: 'repro_score', value: report.score, help: 'Share of outputs and metrics that reproduce' },
    { name: 'repro_reproducible', value: report.reproducible ? 1 : 0, help: '1 when every output and metric reproduced' },
    ...(['identical', 'within_tolerance', 'differs', 'missing'] as const).map((status) => ({
      name: 'repro_items',
      value: count(status),
      labels: { status },
      help: 'Outputs and metrics by status',
    })),
    { name: 'repro_findings', value: report.findings.length, help: 'Likely causes of nondeterminism found in the sources' },
  ];
}
