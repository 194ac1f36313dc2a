// What people read: the total and the reconciliation line first, then cost by team, project and model (tables and
// a mermaid pie), budgets with forecast and status, anomalies, top drivers, rule overlaps, tag policy and the pull
// request's cost. The compact form (PR comments, issues, check runs) keeps the head and the PR section.
import { escapeMarkdownText, formatPercent, heading, markdownTable } from '#shared/reports/markdown.js';
import { mermaidString } from '#shared/reports/mermaid.js';
import type { SummaryOptions } from '#shared/publish/index.js';
import { centsNumber, formatMoney } from '../money/money.js';
import type { CostReportResult } from '../cost-engine.js';
import { ROUNDING_RULE, reconciliationLine } from './cost-report-files.js';
import type { CostTrend, TrendRow } from '../history/cost-trend.js';

const STATUS = { ok: '🟢 ok', 'forecast-over': '🟠 forecast over', over: '🔴 over' } as const;

export function verdictLine(result: CostReportResult): string {
  const money = (c: bigint) => formatMoney(c, result.currency);
  const over = result.budgets.filter((b) => b.status !== 'ok').length;
  const head = `**${money(result.rounded.totalCents)}** for ${result.window.label}`;
  return over > 0
    ? `🔴 ${head}: ${over} budget(s) over or forecast over`
    : `🟢 ${head}${result.budgets.length ? ': every budget on track' : ''}`;
}

export function costSummary(result: CostReportResult, options: SummaryOptions): string {
  const money = (c: bigint) => formatMoney(c, result.currency);
  const r = result.rounded;
  const out: string[] = [heading(options.title ?? 'Cost report', options.compact ? 3 : 2), `${verdictLine(result)}\n`];
  const balanced = !/DOES NOT BALANCE/.test(reconciliationLine(result));
  out.push(`${balanced ? '✅' : '❌'} **Reconciliation:** ${escapeMarkdownText(reconciliationLine(result))}\n`);
  if (result.pullRequest) out.push(pullRequestSection(result, money));
  if (options.compact) {
    if (result.budgets.length) out.push(budgetTable(result, money));
    if (options.reportLink) out.push(`[Full report](${options.reportLink})\n`);
    return out.join('\n');
  }
  out.push(`<sub>Rounding: ${ROUNDING_RULE}.</sub>\n`);
  out.push(
    markdownTable(
      ['Source', 'Total', 'Notes'],
      result.sources.map((s) => [
        s.name,
        money(s.totalCents),
        [...s.notes, s.outsideLines ? `${s.outsideLines} line(s) outside the window left out` : ''].filter(Boolean).join('; '),
      ]),
      ['left', 'right', 'left'],
    ),
  );
  for (const dim of ['team', 'project', 'model'] as const) {
    const rows = r.byDimension[dim].map((t) => [
      t.name,
      money(t.cents),
      formatPercent(r.totalCents === 0n ? 0 : Number(t.cents) / Number(r.totalCents)),
    ]);
    rows.push([
      'unallocated',
      money(r.unallocatedCents),
      formatPercent(r.totalCents === 0n ? 0 : Number(r.unallocatedCents) / Number(r.totalCents)),
    ]);
    out.push(heading(`By ${dim}`, 3) + markdownTable([dim, 'Cost', 'Share'], rows, ['left', 'right', 'right']));
    if (dim === 'team')
      out.push(
        pie(
          `Cost by team (${result.currency})`,
          rows.map((row, i) => [row[0] as string, i < r.byDimension.team.length ? r.byDimension.team[i].cents : r.unallocatedCents]),
        ),
      );
  }
  out.push(
    heading('Groups', 3) +
      markdownTable(
        ['Team', 'Project', 'Model', 'Direct', 'Shared', 'Cost', 'Share'],
        r.groups.map((g) => [
          g.key.team || '—',
          g.key.project || '—',
          g.key.model || '—',
          money(g.directCents),
          money(g.sharedCents),
          money(g.cents),
          formatPercent(g.share),
        ]),
        ['left', 'left', 'left', 'right', 'right', 'right', 'right'],
      ),
  );
  if (result.history?.trend) out.push(trendSection(result.history.trend));
  if (result.budgets.length) out.push(heading('Budgets', 3) + budgetTable(result, money));
  if (result.anomalies.length)
    out.push(
      heading('Anomalies', 3) +
        markdownTable(
          ['Day', 'Group', 'Cost', 'Median', 'Robust z', 'Driven by'],
          result.anomalies.map((a) => [
            a.date,
            a.group,
            a.cost.toFixed(2),
            a.median.toFixed(2),
            Number.isFinite(a.z) ? a.z.toFixed(1) : '∞',
            a.drivers.map((d) => `${d.resource} (${d.cost.toFixed(2)} vs ${d.typical.toFixed(2)} a day)`).join('; '),
          ]),
        ),
    );
  if (result.drivers.length)
    out.push(
      heading('Top cost drivers', 3) +
        markdownTable(
          ['Resource', 'Group', 'Cost'],
          result.drivers.map((d) => [d.resource, d.group, money(d.cents)]),
          ['left', 'left', 'right'],
        ) +
        (result.driversTruncated ? '\n<sub>Only the first resources seen were tracked (memory-budget-mb).</sub>\n' : ''),
    );
  if (result.overlaps.length)
    out.push(
      heading('Overlapping rules', 3) +
        markdownTable(
          ['First rule (wins)', 'Also matches', 'Lines'],
          result.overlaps.map((o) => [`${o.first.name} (line ${o.first.line})`, `${o.later.name} (line ${o.later.line})`, o.lines]),
        ),
    );
  if (result.tagPolicyChecked > 0 || result.tagViolations.length)
    out.push(
      heading('Tag policy', 3) +
        (result.tagViolations.length === 0
          ? `All ${result.tagPolicyChecked} resource(s) carry the required tags.\n`
          : markdownTable(
              ['Resource', 'File', 'Missing'],
              result.tagViolations.map((v) => [v.resource, `${v.file}:${v.line}`, v.missing.join(', ')]),
            )),
    );
  if (options.reportLink) out.push(`[Full report (JSON, CSV)](${options.reportLink})\n`);
  return out.join('\n');
}

/** Month over month (or window over window) from the history branch: a table per group and a line of the totals. */
function trendSection(trend: CostTrend): string {
  const money = (c: number) => formatMoney(BigInt(c), trend.currency);
  const last = trend.periods.length - 1;
  const header = trend.periods.map((p) => `${p.label}${p.complete ? '' : ' (so far)'}`);
  const change = (row: TrendRow) =>
    row.changeCents === undefined
      ? '—'
      : `${row.changeCents > 0 ? '+' : row.changeCents < 0 ? '−' : '±'}${money(Math.abs(row.changeCents))}` +
        (row.changeShare === undefined ? '' : ` (${row.changeShare > 0 ? '+' : ''}${formatPercent(row.changeShare)})`);
  const rows = trend.rows.map((row) => [row.key ? row.label : `**${row.label}**`, ...row.cents.map(money), change(row)]);
  const parts = [
    heading(last > 0 ? `Trend: ${trend.periods[last].label} against ${trend.periods[last - 1].label}` : 'Trend', 3),
    markdownTable(['Group', ...header, 'Change'], rows, ['left', ...header.map(() => 'right' as const), 'right']),
  ];
  if (last === 0) parts.push('<sub>The history branch has no earlier period like this one yet; the next run will show the change.</sub>\n');
  if (trend.otherCurrencyRuns) parts.push(`<sub>${trend.otherCurrencyRuns} earlier run(s) in another currency left out.</sub>\n`);
  const total = trend.rows.find((r) => r.label === 'total')!;
  if (last > 0)
    parts.push(
      [
        '```mermaid',
        'xychart-beta',
        `    title "Total cost (${trend.currency})"`,
        `    x-axis [${trend.periods.map((p) => JSON.stringify(p.label)).join(', ')}]`,
        `    y-axis "${trend.currency}"`,
        `    bar [${total.cents.map((c) => (c / 100).toFixed(2)).join(', ')}]`,
        '```',
        '',
      ].join('\n'),
    );
  return parts.join('\n');
}

function budgetTable(result: CostReportResult, money: (c: bigint) => string): string {
  return markdownTable(
    ['Scope', 'Name', 'Month', 'Budget', 'Actual', 'Forecast', 'Status'],
    result.budgets.map((b) => [
      b.scope,
      b.name,
      `${b.month} (${b.daysElapsed}/${b.daysInMonth} days)`,
      money(b.budgetCents),
      money(b.actualCents),
      money(b.forecastCents),
      STATUS[b.status],
    ]),
    ['left', 'left', 'left', 'right', 'right', 'right', 'left'],
  );
}

function pullRequestSection(result: CostReportResult, money: (c: bigint) => string): string {
  const pr = result.pullRequest!;
  const delta =
    pr.deltaCents === undefined
      ? 'no base-branch runs to compare with'
      : `${pr.deltaCents >= 0n ? '+' : ''}${money(pr.deltaCents)} vs the base branch's typical ${money(pr.baselineCents!)}`;
  const rows = pr.workflows.map((w) => [w.path, w.runs, money(w.cents), w.baselineCents === undefined ? '—' : money(w.baselineCents)]);
  return `**This pull request's workflow runs:** ${money(pr.cents)} (${pr.minutes} min; GPU jobs ${money(pr.gpuCents)}), ${delta}.\n\n${markdownTable(['Workflow', 'Runs', 'Cost', 'Typical on base'], rows, ['left', 'right', 'right', 'right'])}`;
}

function pie(title: string, slices: [string, bigint][]): string {
  const shown = slices.filter(([, c]) => c > 0n);
  if (shown.length === 0) return '';
  return [
    '```mermaid',
    `pie showData title ${title.replace(/[\r\n"]/g, ' ')}`,
    ...shown.map(([name, c]) => `    ${mermaidString(name)} : ${centsNumber(c)}`),
    '```',
    '',
  ].join('\n');
}
