// What people read: the verdict first, then every rule with its severity, result, unexpected count and observed
// value, then what to fix for each broken rule (its parameters, `mostly` against the share met, its failing rows by
// file:line; row indices stay in the JSON), rules that raised, and expectations skipped. Pure: result in, markdown out.
import { isAbsolute, relative, sep } from 'node:path';
import { details, escapeMarkdownText, formatPercent, heading, markdownTable } from '#shared/reports/markdown.js';
import type { ExpectationResult, ValidationResult } from '../validate/validation-result.js';

export interface SummaryOptions {
  title?: string;
  /** Shorter form for PR comments: no failing-row tables. */
  compact?: boolean;
  reportLink?: string;
  /** Failing lines annotated in the files, and how many more were not. */
  annotations?: { shown: number; notShown: number };
  /** Data files left out by changed-only. */
  skippedFiles?: string[];
  quarantine?: { passedRows: number; failedRows: number; passedPath?: string; failedPath?: string };
  /** Paths inside it are shown relative to it (GITHUB_WORKSPACE; the CLI's current folder); the JSON keeps them whole. */
  workspace?: string;
}

/** A path (or "path:line") as people read it: relative to the workspace when inside it, else as it is. */
export function workspacePath(path: string, workspace: string | undefined): string {
  if (!workspace || !isAbsolute(path)) return path;
  const rel = relative(workspace, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return path;
  return rel.split(sep).join('/');
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** One sentence with the verdict, e.g. "data-gate failed: 2 error rules broke (1,204 of 50,000 rows failed); 1 warning." */
export function gateVerdict(result: ValidationResult): string {
  const gate = result.meta.data_gate;
  const errors = gate.failed_error_rules.length;
  const warnings = gate.failed_warning_rules.length;
  const rows =
    gate.failed_rows > 0 ? ` (${gate.failed_rows.toLocaleString('en-US')} of ${gate.rows.toLocaleString('en-US')} rows failed)` : '';
  const warned = warnings > 0 ? `; ${plural(warnings, 'warning rule')} broke` : '';
  const total = result.statistics.evaluated_expectations;
  const raised = gate.raised_rules?.length ?? 0;
  if (!gate.passed && raised > 0)
    return `❌ **data-gate failed**: ${plural(raised, 'rule')} raised an error and could not be judged (${gate.raised_rules.map((r) => `'${r}'`).join(', ')})${errors > 0 ? `; ${plural(errors, 'error rule')} broke${rows}` : ''}${warned}. ${result.statistics.successful_expectations} of ${total} rules passed on ${plural(gate.rows, 'row')}.`;
  if (!gate.passed) {
    const why =
      errors > 0
        ? `${plural(errors, 'error rule')} broke${rows}${warned}`
        : `${plural(warnings, 'warning rule')} broke and fail-on is warning`;
    return `❌ **data-gate failed**: ${why}. ${result.statistics.successful_expectations} of ${total} rules passed on ${plural(gate.rows, 'row')}.`;
  }
  const note = errors > 0 ? ` (fail-on is never, but ${plural(errors, 'error rule')} broke${rows})` : '';
  return `✅ **data-gate passed**: ${result.statistics.successful_expectations} of ${total} rules passed on ${plural(gate.rows, 'row')}${warned}${note}.`;
}

function shortValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text =
    typeof value === 'string'
      ? value
      : (JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) ?? String(value));
  if (typeof value === 'number') text = Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(10)));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function status(r: ExpectationResult): string {
  if (r.exception_info.raised_exception) return '💥 error';
  if (r.success) return '✅ pass';
  return r.meta.severity === 'error' ? '❌ fail' : '⚠️ warn';
}

/**
 * A share as a percentage with as many decimals as it takes to tell it from 0 and 100 and from `threshold` (a
 * `mostly` of 0.9999 is compared with 99.9896%, never with "<0.1%" or ">99.9%").
 */
export function preciseShare(share: number, threshold?: number): string {
  if (!Number.isFinite(share)) return formatPercent(share);
  let digits = 1;
  const differs = (a: number, b: number) => (a * 100).toFixed(digits) !== (b * 100).toFixed(digits);
  while (
    digits < 8 &&
    ((share > 0 && !differs(share, 0)) ||
      (share < 1 && !differs(share, 1)) ||
      (threshold !== undefined && share !== threshold && !differs(share, threshold)))
  )
    digits++;
  return `${Number((share * 100).toFixed(digits))}%`;
}

function unexpected(r: ExpectationResult): [string, string] {
  const count = r.meta.unexpected_count;
  const considered = r.meta.considered_count;
  if (typeof count !== 'number' || typeof considered !== 'number') return ['', ''];
  const mostly = r.expectation_config.kwargs.mostly;
  return [
    count.toLocaleString('en-US'),
    considered === 0 ? '' : preciseShare(count / considered, typeof mostly === 'number' ? 1 - mostly : undefined),
  ];
}

/** The kwargs that say what the rule wants (bounds, sets, regexes), as written: the rule's columns and GX plumbing left out. */
const NOT_PARAMETERS = new Set([
  'column',
  'column_A',
  'column_B',
  'column_list',
  'result_format',
  'catch_exceptions',
  'include_config',
  'meta',
  'mostly',
  'condition_parser',
]);

export function ruleParameters(r: ExpectationResult): string {
  const parts = Object.entries(r.expectation_config.kwargs)
    .filter(([name, value]) => !NOT_PARAMETERS.has(name) && value !== null && value !== undefined)
    .map(([name, value]) => `${name}: ${shortValue(value)}`);
  return parts.join(', ');
}

/** "99.99% required, 99.9896% met: 53 of 508,239 rows failed" for a row rule; '' for others. */
export function mostlyLine(r: ExpectationResult): string {
  const count = r.meta.unexpected_count;
  const considered = r.meta.considered_count;
  if (typeof count !== 'number' || typeof considered !== 'number' || considered === 0) return '';
  const mostly = typeof r.expectation_config.kwargs.mostly === 'number' ? r.expectation_config.kwargs.mostly : 1;
  const met = (considered - count) / considered;
  return `${preciseShare(mostly, met)} required, ${preciseShare(met, mostly)} met: ${count.toLocaleString('en-US')} of ${plural(considered, 'row')} failed`;
}

function observed(r: ExpectationResult): string {
  if (r.exception_info.raised_exception) return r.exception_info.exception_message ?? '';
  const result = r.result as { observed_value?: unknown };
  return shortValue(result.observed_value);
}

/** Failing rules first (errors, then warnings), then passing ones, each group in rules-file order. */
function ordered(results: readonly ExpectationResult[]): ExpectationResult[] {
  const rank = (r: ExpectationResult) => (r.success ? 2 : r.meta.severity === 'error' ? 0 : 1);
  return results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
    .map(({ r }) => r);
}

/** What to fix for one broken rule: its parameters, mostly against the share met, observed value, failing rows. */
function brokenRule(r: ExpectationResult, shown: (path: string) => string): string {
  const lines = [
    `**${escapeMarkdownText(r.meta.rule)}** (${r.meta.severity}, ${shown(r.meta.source)}) \`${r.expectation_config.type}\``,
    '',
  ];
  const parameters = ruleParameters(r);
  if (parameters) lines.push(`- Parameters: ${escapeMarkdownText(parameters)}`);
  const mostly = mostlyLine(r);
  if (mostly) lines.push(`- ${mostly}`);
  const observedValue = (r.result as { observed_value?: unknown }).observed_value;
  if (observedValue !== undefined && observedValue !== null) lines.push(`- Observed: ${escapeMarkdownText(shortValue(observedValue))}`);
  const rows = r.meta.failing_rows.slice(0, 5);
  if (rows.length > 0) {
    // One numbering people can use: the file and line (the 0-based row index is in the JSON result).
    // Whole rows where the rule asked for them (result_format include_unexpected_rows), else the rule's columns.
    const whole = rows.every((row) => row.whole_row);
    const columns = Object.keys(whole ? rows[0].whole_row! : rows[0].values);
    const cell = (row: (typeof rows)[number], c: string) =>
      row.invalid?.[c] !== undefined
        ? `${shortValue(row.invalid[c])} (not a valid value)`
        : shortValue(whole ? row.whole_row![c] : row.values[c]);
    const table = markdownTable(
      ['Where', ...columns],
      rows.map((row) => [`${shown(row.file)}:${row.line}`, ...columns.map((c) => cell(row, c))]),
    );
    const count = r.meta.unexpected_count ?? rows.length;
    lines.push('', `First ${rows.length} of ${count.toLocaleString('en-US')} failing rows:`, '', table);
  }
  return lines.join('\n');
}

export function gateSummaryMarkdown(result: ValidationResult, options: SummaryOptions = {}): string {
  const gate = result.meta.data_gate;
  const shown = (path: string) => workspacePath(path, options.workspace);
  const parts = [heading(options.title ?? 'Data gate'), gateVerdict(result), ''];
  parts.push(
    `Data: ${gate.data.map((f) => `\`${shown(f)}\``).join(', ')} · rules: \`${shown(gate.rules_file)}\` · fail-on: ${gate.fail_on}\n`,
  );
  const table = markdownTable(
    ['Rule', 'Severity', 'Result', 'Unexpected', '%', 'Observed'],
    ordered(result.results).map((r) => [r.meta.rule, r.meta.severity, status(r), ...unexpected(r), observed(r)]),
    ['left', 'left', 'left', 'right', 'right', 'left'],
  );
  parts.push(options.compact && result.results.length > 30 ? details(`All ${result.results.length} rules`, table) : table);
  const raised = result.results.filter((r) => r.exception_info.raised_exception);
  if (raised.length > 0)
    parts.push(
      heading('Rules that raised', 3),
      raised
        .map(
          (r) =>
            `- **${escapeMarkdownText(r.meta.rule)}** (${shown(r.meta.source)}): ${escapeMarkdownText(r.exception_info.exception_message ?? '')}`,
        )
        .join('\n'),
      '',
    );
  const skippedRules = gate.skipped_expectations ?? [];
  if (skippedRules.length > 0)
    parts.push(
      heading('Skipped expectations', 3),
      `unknown-expectations is warn: ${plural(skippedRules.length, 'expectation')} data-gate cannot run ${skippedRules.length === 1 ? 'was' : 'were'} skipped.\n`,
      skippedRules.map((s) => `- \`${s.type}\` (${shown(s.source)}): ${s.reason}`).join('\n'),
      '',
    );
  if (!options.compact) {
    const failing = ordered(result.results).filter((r) => !r.success && !r.exception_info.raised_exception);
    if (failing.length > 0) parts.push(heading('What to fix', 3), failing.map((r) => brokenRule(r, shown)).join('\n\n'), '');
  }
  const q = options.quarantine;
  if (q) {
    const where = [
      q.passedPath ? `${plural(q.passedRows, 'row')} passed → \`${shown(q.passedPath)}\`` : undefined,
      q.failedPath ? `${plural(q.failedRows, 'row')} failed → \`${shown(q.failedPath)}\`` : undefined,
    ].filter(Boolean);
    parts.push(`Quarantine: ${where.join('; ')}.\n`);
  }
  if (options.annotations && options.annotations.notShown > 0)
    parts.push(
      `${plural(options.annotations.shown, 'failing line')} annotated in the files; ${options.annotations.notShown.toLocaleString('en-US')} more not annotated (max-annotations).\n`,
    );
  if (options.skippedFiles && options.skippedFiles.length > 0)
    parts.push(
      details(
        `changed-only: ${plural(options.skippedFiles.length, 'unchanged data file')} skipped`,
        options.skippedFiles.map((f) => `- \`${shown(f)}\``).join('\n'),
      ),
    );
  if (options.reportLink) parts.push(`[Full result](${options.reportLink})\n`);
  return parts.join('\n');
}
