// Quarantine: after validation, writes the rows that broke no error-level rule to `passed-path` and the others to
// `failed-path`, in the input's format, the failed file with one more column naming the rules each row broke. Rows
// are counted exactly as shared/src/data counts them, and every row lands in exactly one file, unaltered.
import { rm } from 'node:fs/promises';
import { UserError } from '#shared/errors.js';
import type { DataFormat } from '#shared/data/types.js';
import { formatOf } from '#shared/data/file-source.js';
import type { RuleSet } from '../rules/rule-types.js';
import type { ValidationOutcome } from '../validate/validate-dataset.js';
import { quarantineDelimited } from './csv-quarantine.js';
import { quarantineJsonl } from './jsonl-quarantine.js';
import { keepFirstCopies, type DuplicatesPolicy } from './keep-first.js';
import { checkOutputPath, formatName } from './output-paths.js';
import { OutputSink } from './output-sink.js';
import { quarantineParquet } from './parquet-quarantine.js';
import { RowRouter, type BrokenRules } from './row-router.js';

export const DEFAULT_RULE_COLUMN = 'data_gate_failed_rules';

export interface QuarantineInput {
  path: string;
  format: DataFormat;
}

export interface QuarantineOptions {
  /** The dataset's files in the order openDataset reads them. */
  inputs: QuarantineInput[];
  passedPath?: string;
  failedPath?: string;
  /** Names of the error-level rules row `rowIndex` (0-based over the whole dataset) broke; undefined or [] = passed. */
  brokenRules: BrokenRules;
  /** Column added to the failed file (default 'data_gate_failed_rules'). */
  ruleColumn?: string;
  /** The number of data rows the validation pass counted; a mismatch is an internal error, never silent. */
  expectedRows: number;
  /** The longest CSV/TSV row the reader accepts (input max-line-mb). */
  maxLineBytes?: number;
}

export interface QuarantineSummary {
  passedRows: number;
  failedRows: number;
  passedPath?: string;
  failedPath?: string;
}

/** The rows of the dataset written to the passed and failed files; throws (and removes both files) on any failure. */
export async function writeQuarantine(options: QuarantineOptions): Promise<QuarantineSummary> {
  const { inputs, passedPath, failedPath } = options;
  const ruleColumn = options.ruleColumn ?? DEFAULT_RULE_COLUMN;
  if (inputs.length === 0) throw new Error('writeQuarantine: no input files');
  const format = inputs[0].format;
  const other = inputs.find((input) => input.format !== format);
  if (other) {
    throw new UserError(
      `Quarantine writes the input's format, but the data mixes ${formatName(format)} ('${inputs[0].path}') and ` +
        `${formatName(other.format)} ('${other.path}'). Validate files of one format per step to use 'passed-path' or 'failed-path'.`,
    );
  }
  const files = inputs.map((input) => input.path);
  if (passedPath !== undefined) checkOutputPath('passed-path', passedPath, format, files);
  if (failedPath !== undefined) checkOutputPath('failed-path', failedPath, format, files);
  if (passedPath !== undefined && failedPath !== undefined && passedPath === failedPath) {
    throw new UserError(`Inputs 'passed-path' and 'failed-path' are the same file '${passedPath}'. Give two different paths.`);
  }
  if (passedPath === undefined && failedPath === undefined) return { passedRows: 0, failedRows: 0 };

  const sinks: OutputSink[] = [];
  try {
    const passed = passedPath === undefined ? undefined : await OutputSink.open('passed-path', passedPath);
    if (passed) sinks.push(passed);
    const failed = failedPath === undefined ? undefined : await OutputSink.open('failed-path', failedPath);
    if (failed) sinks.push(failed);
    const router = new RowRouter(options.brokenRules);
    const target = { files, router, passed, failed, ruleColumn };
    if (format === 'csv' || format === 'tsv') {
      await quarantineDelimited({ ...target, delimiter: format === 'csv' ? ',' : '\t', maxLineBytes: options.maxLineBytes });
    } else if (format === 'jsonl') await quarantineJsonl(target);
    else await quarantineParquet(target);
    if (router.next !== options.expectedRows) {
      throw new Error(
        `Quarantine read ${router.next} rows but validation counted ${options.expectedRows}: the files changed while data-gate ` +
          'ran, or the two readers disagree (a bug). No quarantine files were written.',
      );
    }
    for (const sink of sinks) await sink.close();
    return { passedRows: router.passedRows, failedRows: router.failedRows, passedPath, failedPath };
  } catch (error) {
    for (const sink of sinks) {
      sink.destroy();
      await rm(sink.path, { force: true });
    }
    throw error;
  }
}

export interface QuarantineRequest {
  passedPath?: string;
  failedPath?: string;
  /** Input duplicates: keep-first sends only the later copies of a duplicate group to the failed file. */
  duplicates?: DuplicatesPolicy;
  /** The rules validated (keep-first finds their uniqueness rules' key columns). */
  ruleSet: RuleSet;
  /** Input memory-budget-mb, for keep-first's duplicate tracking. */
  budgetBytes: number;
  maxLineBytes?: number;
}

/** Quarantine after a validation pass, when the user asked for a passed or a failed file. */
export async function quarantineRows(
  outcome: Pick<ValidationOutcome, 'files' | 'rows' | 'brokenRules'>,
  request: QuarantineRequest,
): Promise<QuarantineSummary | undefined> {
  const { passedPath, failedPath, maxLineBytes } = request;
  if (!passedPath && !failedPath) return undefined;
  let brokenRules: BrokenRules = (row) => outcome.brokenRules(row);
  if (request.duplicates === 'keep-first') {
    const { ruleSet, budgetBytes } = request;
    brokenRules = await keepFirstCopies({ files: outcome.files, ruleSet, brokenRules, budgetBytes, maxLineBytes });
  }
  return writeQuarantine({
    inputs: outcome.files.map((path) => ({ path, format: formatOf(path) })),
    passedPath,
    failedPath,
    brokenRules,
    expectedRows: outcome.rows,
    maxLineBytes,
  });
}
