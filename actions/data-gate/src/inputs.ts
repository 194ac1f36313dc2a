// Every data-gate input parsed and validated in one place, into one typed settings object.
import { InputError } from '#shared/errors.js';
import { boolean, list, number, oneOf, optionalString, type InputReader } from '#shared/inputs/parse-inputs.js';
import { readPublishChannels, type PublishChannels } from '#shared/publish/index.js';
import { DUPLICATES_POLICIES, type DuplicatesPolicy } from './quarantine/keep-first.js';
import type { UnknownExpectations } from './rules/rule-types.js';
import type { FailOn } from './validate/validation-result.js';

export const FAIL_ON = ['error', 'warning', 'never'] as const;

/** validate: check the data against rules (our YAML) or a GX suite; suggest: write starter rules from a profile. */
export type DataGateMode = { mode: 'validate'; rules: { kind: 'rules' | 'suite'; path: string } } | { mode: 'suggest'; suggestOut: string };

export type DataGateInputs = DataGateMode & {
  data: string[];
  failOn: FailOn;
  /** `fail` (default): an expectation data-gate cannot run refuses the rules; `warn`: it is skipped and listed. */
  unknownExpectations: UnknownExpectations;
  passedPath?: string;
  failedPath?: string;
  /** Quarantine of a uniqueness rule's rows: `all` fail (GX's view), or `keep-first` passes each group's first row. */
  duplicates: DuplicatesPolicy;
  changedOnly: boolean;
  maxAnnotations: number;
  reportDir: string;
  memoryBudgetBytes: number;
  /** Input max-line-mb in bytes: the longest line a data file may have. */
  maxLineBytes: number;
  /** PR comment, check run (and the token changed-only uses). */
  channels: PublishChannels;
};

export function readInputs(read: InputReader): DataGateInputs {
  const mode = oneOf(read, 'mode', ['validate', 'suggest'] as const, 'validate');
  const data = list(read, 'data');
  if (data.length === 0) throw new InputError('data', '', 'a path, glob or list of CSV, TSV, JSON Lines or Parquet files');
  const rules = optionalString(read, 'rules');
  const suite = optionalString(read, 'suite');
  if (rules && suite) throw new InputError('suite', suite, "no value when 'rules' is given: use one rules source");
  let modeInputs: DataGateMode;
  if (mode === 'suggest') modeInputs = { mode, suggestOut: optionalString(read, 'suggest-out') ?? 'data-gate-rules.suggested.yml' };
  else if (rules) modeInputs = { mode, rules: { kind: 'rules', path: rules } };
  else if (suite) modeInputs = { mode, rules: { kind: 'suite', path: suite } };
  else throw new InputError('rules', '', "a rules file (or a GX suite in 'suite'); one of them is required with mode 'validate'");
  const passedPath = optionalString(read, 'passed-path');
  const failedPath = optionalString(read, 'failed-path');
  if (passedPath && failedPath && passedPath === failedPath)
    throw new InputError('failed-path', failedPath, "a different path from 'passed-path'");
  return {
    ...modeInputs,
    data,
    failOn: oneOf(read, 'fail-on', FAIL_ON, 'error'),
    unknownExpectations: oneOf(read, 'unknown-expectations', ['fail', 'warn'] as const, 'fail'),
    passedPath,
    failedPath,
    duplicates: oneOf(read, 'duplicates', DUPLICATES_POLICIES, 'all'),
    changedOnly: boolean(read, 'changed-only', false),
    maxAnnotations: number(read, 'max-annotations', 10, { min: 0, integer: true }),
    reportDir: optionalString(read, 'report-dir') ?? 'data-gate-report',
    memoryBudgetBytes: number(read, 'memory-budget-mb', 256, { min: 16, integer: true }) * 1024 * 1024,
    maxLineBytes: Math.round(number(read, 'max-line-mb', 64, { min: 0.001, max: 1536 }) * 1024 * 1024),
    channels: readPublishChannels(read),
  };
}
