// Validates a dataset against a rule set: splits the rules into groups reading disjoint columns, runs each group's
// single streaming pass in its own worker thread (two on a 2-core runner), and joins their results into one
// GX-shaped validation result, in rules-file order, plus which rows broke which error-level rules (for quarantine).
import { stat } from 'node:fs/promises';
import { resolveFiles } from '#shared/data/file-source.js';
import type { DataWarning } from '#shared/data/types.js';
import { datasetColumnNames } from '#shared/data/index.js';
import { evaluateRules, type RuleGroupOptions, type RuleGroupOutcome } from './evaluate-rules.js';
import { RowBitset } from './row-bitset.js';
import { ruleGroups } from './rule-groups.js';
import { evaluateRulesInWorker } from './validate-job.js';
import type { RuleSet } from '../rules/rule-types.js';
import { RESULT_SCHEMA_VERSION, type ExpectationResult, type FailOn, type ValidationResult } from './validation-result.js';

export { DEFAULT_PARTIAL_COUNT, SAMPLE_ROWS } from './evaluate-rules.js';

/** Below this much data a second thread costs more (its start, a second scan) than it saves. */
const PARALLEL_MIN_BYTES = 32 << 20;
/**
 * Two worker threads, not one per core: each holds ~100 MB of its own (heap, batches), so on the 5M-row benchmark 3
 * threads peaked at 540 MB and 4 at 590-610 MB, past the 512 MB the issue allows, for a CPU total that grew 10-25%.
 */
const THREADS = 2;

export interface ValidateOptions {
  data: string[];
  ruleSet: RuleSet;
  failOn: FailOn;
  /** Memory all rules together may use for exact uniqueness and quantiles before spilling or sketching. */
  budgetBytes: number;
  now?: Date;
  /** Force one pass in this thread (tests), or allow worker threads (default: by data size). */
  threads?: 1 | 2;
  /** The longest line (row) a reader accepts: input max-line-mb (default 64 MiB). */
  maxLineBytes?: number;
}

export interface ValidationOutcome {
  result: ValidationResult;
  files: string[];
  rows: number;
  /** Names of the error-level row rules row `row` broke, or undefined when it broke none. */
  brokenRules(row: number): string[] | undefined;
  /** Lines with NUL bytes or invalid UTF-8 (also in result.meta.data_gate.data_warnings): warn about them. */
  warnings: DataWarning[];
}

async function totalBytes(files: string[]): Promise<number> {
  let total = 0;
  for (const file of files) total += (await stat(file)).size;
  return total;
}

export async function validateDataset(options: ValidateOptions): Promise<ValidationOutcome> {
  const now = options.now ?? new Date();
  const rules = options.ruleSet.rules;
  // Globs are resolved once here; each group's pass gets the file list.
  const files = await resolveFiles(options.data, "input 'data'");
  const threads = options.threads ?? ((await totalBytes(files)) >= PARALLEL_MIN_BYTES ? THREADS : 1);
  const groups =
    threads > 1
      ? ruleGroups(rules, threads, await datasetColumnNames(files, { label: "input 'data'", maxLineBytes: options.maxLineBytes }))
      : [];
  const base = { data: files, ruleSet: options.ruleSet, now: now.toISOString(), maxLineBytes: options.maxLineBytes };
  let outcomes: RuleGroupOutcome[];
  if (groups.length <= 1) {
    outcomes = [
      await evaluateRules({ ...base, ruleIndices: rules.map((_, i) => i), budgetBytes: options.budgetBytes, trustRowShape: false }),
    ];
  } else {
    const budgetBytes = Math.floor(options.budgetBytes / groups.length);
    // Exactly one group checks every row's field count; the others may skip row tails (trustRowShape).
    outcomes = await Promise.all(
      groups.map((group) =>
        evaluateRulesInWorker({
          ...base,
          ruleIndices: group.rules,
          budgetBytes,
          trustRowShape: !group.checksRowShape,
        } satisfies RuleGroupOptions),
      ),
    );
  }
  return joinOutcomes(outcomes, options, now);
}

function joinOutcomes(outcomes: RuleGroupOutcome[], options: ValidateOptions, now: Date): ValidationOutcome {
  const [first] = outcomes;
  const warnings = outcomes.flatMap((o) => o.warnings ?? []);
  const results: ExpectationResult[] = [];
  for (const outcome of outcomes) for (const { index, result } of outcome.results) results[index] = result;
  const failed = outcomes
    .flatMap((o) => o.failedRows)
    .sort((a, b) => a.index - b.index)
    .map((f) => ({ name: f.name, rows: RowBitset.fromWords(f.words) }));
  const successful = results.filter((r) => r.success).length;
  const failedError = results.filter((r) => !r.success && r.meta.severity === 'error').map((r) => r.meta.rule);
  const failedWarning = results.filter((r) => !r.success && r.meta.severity === 'warning').map((r) => r.meta.rule);
  // A rule that raised could not be judged: like a GX checkpoint, the gate fails whatever the rule's severity.
  const raised = results.filter((r) => r.exception_info.raised_exception).map((r) => r.meta.rule);
  const passed =
    raised.length === 0 && (options.failOn === 'warning' ? failedError.length + failedWarning.length === 0 : failedError.length === 0);
  const result: ValidationResult = {
    success: successful === results.length,
    statistics: {
      evaluated_expectations: results.length,
      successful_expectations: successful,
      unsuccessful_expectations: results.length - successful,
      success_percent: results.length === 0 ? null : (100 * successful) / results.length,
    },
    results,
    meta: {
      schema_version: RESULT_SCHEMA_VERSION,
      data_gate: {
        passed,
        fail_on: options.failOn,
        data: first.files,
        rules_file: options.ruleSet.file,
        rows: first.rows,
        failed_rows: RowBitset.unionCount(failed.map((f) => f.rows)),
        failed_error_rules: failedError,
        failed_warning_rules: failedWarning,
        raised_rules: raised,
        ...(options.ruleSet.skipped ? { skipped_expectations: options.ruleSet.skipped } : {}),
        ...(warnings.length > 0 ? { data_warnings: warnings } : {}),
        threads: outcomes.length,
        run_time: now.toISOString(),
      },
    },
  };
  return {
    result,
    files: first.files,
    rows: first.rows,
    warnings,
    brokenRules(row: number) {
      let names: string[] | undefined;
      for (const f of failed) if (f.rows.has(row)) (names ??= []).push(f.name);
      return names;
    },
  };
}
