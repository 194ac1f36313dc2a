// The validation result in Great Expectations' shape (ExpectationSuiteValidationResult), so that tools reading GX
// results read ours: success, statistics, and one result per expectation with its config, counts, unexpected
// values and 0-based row indices. data-gate's own facts (rule name, severity, where it was declared, sample rows)
// sit in each result's `meta`.
import type { DataWarning } from '#shared/data/types.js';
import type { ReportedValue } from '../expectations/evaluator.js';
import type { Severity, SkippedExpectation } from '../rules/rule-types.js';

export const RESULT_SCHEMA_VERSION = '1.0';

/** A failing row as people see it: where it is and the values the rule looked at. */
export interface FailingRow {
  /** 0-based data row in the dataset. */
  row: number;
  file: string;
  /** 1-based line in the file (CSV/TSV/JSON Lines), or the row's position in a Parquet file. */
  line: number;
  values: Record<string, ReportedValue>;
  /** Columns whose value did not fit the column's type, with the text found. */
  invalid?: Record<string, string>;
  /** Every column of the row, as the file writes it (result_format include_unexpected_rows). */
  whole_row?: Record<string, ReportedValue>;
}

/** An unexpected value as GX lists it: the cell, an [A, B] pair (column pairs), or a record (multicolumn rules). */
export type UnexpectedValue = ReportedValue | ReportedValue[] | Record<string, ReportedValue>;

/**
 * The `result` of one expectation, as GX 1.x's _format_map_output (row rules) or _validate (aggregates: observed_value)
 * writes it; which keys are present depends on result_format (BOOLEAN_ONLY: none; BASIC: counts and
 * partial_unexpected_list; SUMMARY, GX's default: also partial_unexpected_counts and partial_unexpected_index_list;
 * COMPLETE: also unexpected_list and unexpected_index_list).
 */
export interface ExpectationResultDetails {
  element_count?: number;
  missing_count?: number;
  missing_percent?: number | null;
  unexpected_count?: number;
  unexpected_percent?: number | null;
  unexpected_percent_total?: number | null;
  unexpected_percent_nonmissing?: number | null;
  partial_unexpected_list?: UnexpectedValue[];
  partial_unexpected_counts?: { value: UnexpectedValue; count: number }[];
  partial_unexpected_index_list?: number[];
  unexpected_list?: UnexpectedValue[];
  unexpected_index_list?: number[];
  /** include_unexpected_rows: the first partial_unexpected_count failing rows, every column. */
  unexpected_rows?: (Record<string, ReportedValue> | null)[];
  observed_value?: unknown;
  details?: Record<string, unknown>;
}

export interface ExpectationResult {
  success: boolean;
  expectation_config: { type: string; kwargs: Record<string, unknown>; meta: Record<string, unknown> };
  result: ExpectationResultDetails;
  exception_info: { raised_exception: boolean; exception_message: string | null; exception_traceback: string | null };
  meta: {
    rule: string;
    severity: Severity;
    kind: 'table' | 'row' | 'aggregate';
    /** "rules.yml:14" or "suite.json#3". */
    source: string;
    failing_rows: FailingRow[];
    /** Row rules: unexpected rows and the rows `mostly` applies to (whatever result_format keeps). */
    unexpected_count?: number;
    considered_count?: number;
    /** Column aggregates: rows and nulls of the column. */
    element_count?: number;
    missing_count?: number;
  };
}

export interface ValidationResult {
  success: boolean;
  statistics: {
    evaluated_expectations: number;
    successful_expectations: number;
    unsuccessful_expectations: number;
    success_percent: number | null;
  };
  results: ExpectationResult[];
  meta: {
    schema_version: string;
    data_gate: {
      /** The gate's verdict under fail-on (error-level rules by default). */
      passed: boolean;
      fail_on: FailOn;
      data: string[];
      rules_file: string;
      rows: number;
      /** Rows that broke at least one error-level row rule (the failed file's rows). */
      failed_rows: number;
      failed_error_rules: string[];
      failed_warning_rules: string[];
      skipped_files?: string[];
      /** Lines of the data with NUL bytes or bytes that are not UTF-8: read anyway, and reported. */
      data_warnings?: DataWarning[];
      /** Expectations skipped under unknown-expectations: warn. */
      skipped_expectations?: SkippedExpectation[];
      /** Rules that raised (exception_info.raised_exception): they fail the step whatever their severity. */
      raised_rules: string[];
      /** Worker threads the pass ran in: 2 when the rules split into groups reading disjoint columns of large data. */
      threads: number;
      run_time: string;
    };
  };
}

export type FailOn = 'error' | 'warning' | 'never';
