// Every data-gate input parsed and validated in one place, into one typed settings object.
import { InputError } from '#shared/errors.js';
import { boolean, commentMode, list, number, oneOf, optionalString, type InputReader } from '#shared/inputs/parse-inputs.js';
import type { FailOn } from './validate/validation-result.js';

export interface DataGateInputs {
  mode: 'validate' | 'suggest';
  data: string[];
  rules?: string;
  suite?: string;
  failOn: FailOn;
  passedPath?: string;
  failedPath?: string;
  changedOnly: boolean;
  maxAnnotations: number;
  reportDir: string;
  commentOnPr: 'update' | 'new' | 'off';
  checkRun: boolean;
  suggestOut: string;
  memoryBudgetBytes: number;
  githubToken?: string;
}

export function readInputs(read: InputReader): DataGateInputs {
  const mode = oneOf(read, 'mode', ['validate', 'suggest'] as const, 'validate');
  const data = list(read, 'data');
  if (data.length === 0) throw new InputError('data', '', 'a path, glob or list of CSV, TSV, JSON Lines or Parquet files');
  const rules = optionalString(read, 'rules');
  const suite = optionalString(read, 'suite');
  if (mode === 'validate' && !rules && !suite) throw new InputError('rules', '', "a rules file (or a GX suite in 'suite'); one of them is required with mode 'validate'");
  if (rules && suite) throw new InputError('suite', suite, "no value when 'rules' is given: use one rules source");
  const passedPath = optionalString(read, 'passed-path');
  const failedPath = optionalString(read, 'failed-path');
  if (passedPath && failedPath && passedPath === failedPath) throw new InputError('failed-path', failedPath, "a different path from 'passed-path'");
  return {
    mode,
    data,
    rules,
    suite,
    failOn: oneOf(read, 'fail-on', ['error', 'warning', 'never'] as const, 'error'),
    passedPath,
    failedPath,
    changedOnly: boolean(read, 'changed-only', false),
    maxAnnotations: number(read, 'max-annotations', 10, { min: 0, integer: true })!,
    reportDir: optionalString(read, 'report-dir') ?? 'data-gate-report',
    commentOnPr: commentMode(read, 'comment-on-pr'),
    checkRun: boolean(read, 'check-run', false),
    suggestOut: optionalString(read, 'suggest-out') ?? 'data-gate-rules.suggested.yml',
    memoryBudgetBytes: number(read, 'memory-budget-mb', 256, { min: 16, integer: true })! * 1024 * 1024,
    githubToken: optionalString(read, 'github-token'),
  };
}
