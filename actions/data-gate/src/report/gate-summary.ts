// What people read: the verdict first, then every rule with its severity, result, unexpected count and observed
// value, then a few failing rows of each broken rule (row number, file:line, values). Pure: result in, markdown out.
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
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** One sentence with the verdict, e.g. "data-gate failed: 2 error rules broke (1,204 of 50,000 rows failed); 1 warning." */
export function gateVerdict(result: ValidationResult): string {
  const gate = result.meta.data_gate;
  const errors = gate.failed_error_rules.length;
  const warnings = gate.failed_warning_rules.length;
  const rows = gate.failed_rows > 0 ? ` (${gate.failed_rows.toLocaleString('en-US')} of ${gate.rows.toLocaleString('en-US')} rows failed)` : '';
  const warned = warnings > 0 ? `; ${plural(warnings, 'warning rule')} broke` : '';
  const total = result.statistics.evaluated_expectations;
  if (!gate.passed) {
    const why = errors > 0 ? `${plural(errors, 'error rule')} broke${rows}${warned}` : `${plural(warnings, 'warning rule')} broke and fail-on is warning`;
    return `❌ **data-gate failed**: ${why}. ${result.statistics.successful_expectations} of ${total} rules passed on ${plural(gate.rows, 'row')}.`;
  }
  const note = errors > 0 ? ` (fail-on is never, but ${plural(errors, 'error rule')} broke${rows})` : '';
  return `✅ **data-gate passed**: ${result.statistics.successful_expectations} of ${total} rules passed on ${plural(gate.rows, 'row')}${warned}${note}.`;
}

function shortValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof value === 'number') text = Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(10)));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function status(r: ExpectationResult): string {
  if (r.exception_info.raised_exception) return '💥 error';
  if (r.success) return '✅ pass';
  return r.meta.severity === 'error' ? '❌ fail' : '⚠️ warn';
}

function unexpected(r: ExpectationResult): [string, string] {
  const result = r.result as Partial<ExpectationResult['result'] & { unexpected_count: number | null; unexpected_percent: number | null }>;
  if (typeof result.unexpected_count !== 'number') return ['', ''];
  return [result.unexpected_count.toLocaleString('en-US'), formatPercent((result.unexpected_percent ?? 0) / 100)];
}

function observed(r: ExpectationResult): string {
  if (r.exception_info.raised_exception) return r.exception_info.exception_message ?? '';
  const result = r.result as { observed_value?: unknown };
  return shortValue(result.observed_value);
}

/** Failing rules first (errors, then warnings), then passing ones, each group in rules-file order. */
function ordered(results: readonly ExpectationResult[]): ExpectationResult[] {
  const rank = (r: ExpectationResult) => (r.success ? 2 : r.meta.severity === 'error' ? 0 : 1);
  return results.map((r, i) => ({ r, i })).sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i).map(({ r }) => r);
}

function failingRowsTable(r: ExpectationResult): string {
  const rows = r.meta.failing_rows.slice(0, 5);
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0].values);
  const table = markdownTable(
    ['Row', 'Where', ...columns],
    rows.map((row) => [String(row.row), `${row.file}:${row.line}`, ...columns.map((c) => (row.invalid?.[c] !== undefined ? `${shortValue(row.invalid[c])} (not a valid value)` : shortValue(row.values[c])))]),
  );
  const count = (r.result as { unexpected_count?: number | null }).unexpected_count ?? rows.length;
  return `**${escapeMarkdownText(r.meta.rule)}** (${r.meta.severity}, ${r.meta.source}): first ${rows.length} of ${count.toLocaleString('en-US')} failing rows\n\n${table}`;
}

export function gateSummaryMarkdown(result: ValidationResult, options: SummaryOptions = {}): string {
  const gate = result.meta.data_gate;
  const parts = [heading(options.title ?? 'Data gate'), gateVerdict(result), ''];
  parts.push(`Data: ${gate.data.map((f) => `\`${f}\``).join(', ')} · rules: \`${gate.rules_file}\` · fail-on: ${gate.fail_on}\n`);
  const table = markdownTable(
    ['Rule', 'Severity', 'Result', 'Unexpected', '%', 'Observed'],
    ordered(result.results).map((r) => [r.meta.rule, r.meta.severity, status(r), ...unexpected(r), observed(r)]),
    ['left', 'left', 'left', 'right', 'right', 'left'],
  );
  parts.push(options.compact && result.results.length > 30 ? details(`All ${result.results.length} rules`, table) : table);
  if (!options.compact) {
    const failing = ordered(result.results).filter((r) => !r.success && r.meta.failing_rows.length > 0);
    if (failing.length > 0) parts.push(heading('Failing rows', 3), failing.map(failingRowsTable).join('\n'));
  }
  const q = options.quarantine;
  if (q) {
    const where = [q.passedPath ? `${plural(q.passedRows, 'row')} passed → \`${q.passedPath}\`` : undefined, q.failedPath ? `${plural(q.failedRows, 'row')} failed → \`${q.failedPath}\`` : undefined].filter(Boolean);
    parts.push(`Quarantine: ${where.join('; ')}.\n`);
  }
  if (options.annotations && options.annotations.notShown > 0)
    parts.push(`${plural(options.annotations.shown, 'failing line')} annotated in the files; ${options.annotations.notShown.toLocaleString('en-US')} more not annotated (max-annotations).\n`);
  if (options.skippedFiles && options.skippedFiles.length > 0)
    parts.push(details(`changed-only: ${plural(options.skippedFiles.length, 'unchanged data file')} skipped`, options.skippedFiles.map((f) => `- \`${f}\``).join('\n')));
  if (options.reportLink) parts.push(`[Full result](${options.reportLink})\n`);
  return parts.join('\n');
}
