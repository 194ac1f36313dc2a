// Quarantine: after validation, writes the rows that broke no error-level rule to `passed-path` and the others to
// `failed-path`, in the input's format, the failed file with one more column naming the rules each row broke. Rows
// are counted exactly as shared/src/data counts them, and every row lands in exactly one file, unaltered.
import { rm } from 'node:fs/promises';
import { UserError } from '#shared/errors.js';
import type { DataFormat } from '#shared/data/types.js';
import { formatOf } from '#shared/data/file-source.js';
import type { ValidationOutcome } from '../validate/validate-dataset.js';
import { quarantineDelimited } from './csv-quarantine.js';
import { quarantineJsonl } from './jsonl-quarantine.js';
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
    if (format === 'csv' || format === 'tsv') await quarantineDelimited({ ...target, delimiter: format === 'csv' ? ',' : '\t' });
    else if (format === 'jsonl') await quarantineJsonl(target);
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

/** Quarantine after a validation pass, when the user asked for a passed or a failed file. */
export async function quarantineRows(
  outcome: Pick<ValidationOutcome, 'files' | 'rows' | 'brokenRules'>,
  paths: { passedPath?: string; failedPath?: string },
): Promise<QuarantineSummary | undefined> {
  if (!paths.passedPath && !paths.failedPath) return undefined;
  return writeQuarantine({
    inputs: outcome.files.map((path) => ({ path, format: formatOf(path) })),
    ...paths,
    brokenRules: (row) => outcome.brokenRules(row),
    expectedRows: outcome.rows,
  });
}
