// The rules data-gate checks, whichever file they came from (our YAML rules file or a Great Expectations suite):
// each is a GX expectation configuration (type + kwargs, GX 1.x shape) with a severity and a place it was declared.
import type { ColumnType } from '#shared/data/types.js';
import type { RowCondition } from './row-condition.js';

/** `error` fails the gate (and sends failing rows to the failed file); `warning` is only reported. */
export type Severity = 'error' | 'warning';

export const SEVERITIES: readonly Severity[] = ['error', 'warning'];

/** An expectation exactly as Great Expectations 1.x writes it in a suite: `type` is the full snake_case name. */
export interface ExpectationConfiguration {
  /** e.g. 'expect_column_values_to_not_be_null' */
  type: string;
  /** GX keyword arguments, e.g. { column: 'age', min_value: 0, mostly: 0.99 } (result_format included if given). */
  kwargs: Record<string, unknown>;
  meta?: Record<string, unknown>;
}

/** Where a rule was declared: the rules or suite file, the 1-based line of the rule when known, its 0-based index. */
export interface RuleSource {
  file: string;
  line?: number;
  index: number;
}

export interface Rule {
  /**
   * How reports and the quarantine column name the rule: the user's `name`, else `<type without expect_>(<columns>)`,
   * made unique within the rule set by a `#2`, `#3` suffix.
   */
  name: string;
  severity: Severity;
  /** The user's free-text description of the rule (rules file `description`, GX 1.x `description`), for reports. */
  description?: string;
  expectation: ExpectationConfiguration;
  source: RuleSource;
  /** The parsed kwargs.row_condition: the rule sees only the rows where it holds (GX's conditional expectations). */
  condition?: RowCondition;
}

/** An expectation data-gate cannot run, skipped under `unknown-expectations: warn`. */
export interface SkippedExpectation {
  type: string;
  /** "suite.json:12" or "rules.yml#3". */
  source: string;
  reason: string;
}

/** How unknown expectation names are treated: `fail` refuses the rules (default), `warn` skips and lists them. */
export type UnknownExpectations = 'fail' | 'warn';

export type RuleSetFormat = 'rules-file' | 'gx-suite-0.x' | 'gx-suite-1.x';

export interface RuleSet {
  format: RuleSetFormat;
  /** The file the rules came from. */
  file: string;
  /** The suite's or rules file's name, if it has one. */
  name?: string;
  rules: Rule[];
  /** Column types declared in the rules file (`columns:`), used instead of inference when reading the data. */
  columnTypes: Record<string, ColumnType>;
  /** Expectations skipped under `unknown-expectations: warn`, listed in the result and the summary. */
  skipped?: SkippedExpectation[];
  /** The rules file's top-level `result_format`: every rule's unless the rule sets its own (GX's default SUMMARY). */
  resultFormat?: unknown;
}
