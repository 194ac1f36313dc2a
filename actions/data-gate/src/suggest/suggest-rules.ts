// mode: suggest. Profiles a trusted dataset in one streaming pass and proposes starter rules in the spirit of
// Deequ's constraint suggestions, with bounds chosen so that the profiled data passes its own suggestions.
import type { ColumnSchema, ColumnType, Dataset } from '#shared/data/types.js';
import { UserError } from '#shared/errors.js';
import { formatOf } from '#shared/data/formats.js';
import { ColumnProfiler, type ColumnProfile } from './column-profile.js';
import { typeRule } from './gx-type-names.js';
import { HYPERLOGLOG_STANDARD_ERROR } from './hyperloglog.js';
import { isoBound, widenDatetimeBounds, widenNumberBounds } from './widen-bounds.js';

export interface SuggestedRule {
  /** Full GX expectation name, e.g. 'expect_column_values_to_not_be_null'. */
  expectation: string;
  /** GX keyword arguments, exactly GX's names. */
  kwargs: Record<string, unknown>;
  severity: 'error' | 'warning';
  /** Why the rule was suggested, from what was observed (written as a comment in the rules file). */
  why: string;
}

export interface Suggestions {
  rows: number;
  /** The types the profile read each column as, to pin in the rules file's `columns:`. */
  columnTypes: Record<string, ColumnType>;
  rules: SuggestedRule[];
}

export interface SuggestOptions {
  /** Largest value set suggested for a low-cardinality column (default 100). */
  maxSetSize?: number;
  /** Share of the observed span added below and above a range (default 0.1). */
  rangeMargin?: number;
  /** Distinct values per column checked exactly for uniqueness; past it a HyperLogLog estimate (default 2^20). */
  exactDistinctBudget?: number;
}

export const DEFAULT_MAX_SET_SIZE = 100;
export const DEFAULT_RANGE_MARGIN = 0.1;
export const DEFAULT_EXACT_DISTINCT_BUDGET = 1 << 20;
/** Nearly complete: at least this share of values present gets a `mostly` not-null rule (a warning). */
const NEARLY_COMPLETE = 0.9;
/** A string column whose name does not say "key" needs this many values, all distinct, to count as one. */
const MIN_VALUES_FOR_UNNAMED_KEY = 20;
/** loan_id, customer-key, orderId, invoice_no, UUID, ... */
const KEY_NAME =
  /(^|[_\-\s.])(id|key|uuid|guid|code|no|num|number)$|^(id|key|uuid|guid)$|[a-z0-9](Id|ID|Key|Uuid|UUID|Guid|Code|No|Num|Number)$/i;

interface Settings {
  maxSetSize: number;
  rangeMargin: number;
  exactDistinctBudget: number;
}

export async function suggestRules(dataset: Dataset, options: SuggestOptions = {}): Promise<Suggestions> {
  const settings = checkOptions(options);
  const profilers = dataset.schema.map(
    (column) =>
      new ColumnProfiler(column.name, column.type, {
        maxSetSize: settings.maxSetSize,
        trackUniqueness: mayBeKey(column),
        exactDistinctBudget: settings.exactDistinctBudget,
      }),
  );
  let rows = 0;
  for await (const batch of dataset.batches()) {
    rows += batch.rowCount;
    for (let c = 0; c < profilers.length; c++) profilers[c].add(batch.columns[c], batch.rowCount);
  }
  if (rows === 0) throw new UserError(`Cannot suggest rules from ${dataset.files.join(', ')}: it has no data rows to profile.`);
  const profiles = profilers.map((profiler) => profiler.finish());
  const parquet = dataset.files.length > 0 && formatOf(dataset.files[0]) === 'parquet';
  return {
    rows,
    columnTypes: Object.fromEntries(dataset.schema.map((column) => [column.name, column.type])),
    rules: [...tableRules(rows, dataset.schema), ...profiles.flatMap((profile) => columnRules(profile, settings, parquet))],
  };
}

function checkOptions(options: SuggestOptions): Settings {
  const {
    maxSetSize = DEFAULT_MAX_SET_SIZE,
    rangeMargin = DEFAULT_RANGE_MARGIN,
    exactDistinctBudget = DEFAULT_EXACT_DISTINCT_BUDGET,
  } = options;
  if (!Number.isInteger(maxSetSize) || maxSetSize < 1)
    throw new UserError(`Suggest option maxSetSize must be a positive whole number, got ${maxSetSize}.`);
  if (!Number.isFinite(rangeMargin) || rangeMargin < 0)
    throw new UserError(`Suggest option rangeMargin must be a number of 0 or more, got ${rangeMargin}.`);
  if (!Number.isInteger(exactDistinctBudget) || exactDistinctBudget < 1) {
    throw new UserError(`Suggest option exactDistinctBudget must be a positive whole number, got ${exactDistinctBudget}.`);
  }
  return { maxSetSize, rangeMargin, exactDistinctBudget };
}

/** Strings may be keys whatever their name; numbers only when the name says so (amounts are often all distinct). */
function mayBeKey(column: ColumnSchema): boolean {
  return column.type === 'categorical' || (column.type === 'numerical' && KEY_NAME.test(column.name));
}

function tableRules(rows: number, schema: ColumnSchema[]): SuggestedRule[] {
  return [
    {
      expectation: 'expect_table_row_count_to_be_between',
      kwargs: { min_value: Math.floor(rows / 2), max_value: rows * 2 },
      severity: 'warning',
      why: `profiled ${count(rows)} rows; the bounds are half and twice that, to catch a truncated or doubled load`,
    },
    {
      expectation: 'expect_table_columns_to_match_ordered_list',
      kwargs: { column_list: schema.map((column) => column.name) },
      severity: 'error',
      why: `the profiled data had these ${schema.length} columns in this order`,
    },
  ];
}

function columnRules(profile: ColumnProfile, settings: Settings, parquet: boolean): SuggestedRule[] {
  const column = profile.name;
  if (profile.present === 0) return []; // nothing observed to suggest from
  const type = typeRule(profile, parquet);
  const rules: SuggestedRule[] = [
    { expectation: type.expectation, kwargs: { column, ...type.kwargs }, severity: 'error', why: `${type.why} (Deequ's RetainTypeRule)` },
  ];
  const completeness = completenessRule(profile);
  if (completeness) rules.push(completeness);
  const unique = uniquenessRule(profile);
  if (unique) rules.push(unique);
  const valueSet = valueSetRule(profile, settings.maxSetSize);
  if (valueSet) rules.push(valueSet);
  const range = rangeRule(profile, settings.rangeMargin);
  if (range) rules.push(range);
  if (!valueSet && (profile.type === 'text' || profile.type === 'categorical')) rules.push(lengthRule(profile, settings.rangeMargin));
  return rules;
}

function completenessRule(profile: ColumnProfile): SuggestedRule | undefined {
  const kwargs = { column: profile.name };
  if (profile.present === profile.rows) {
    return {
      expectation: 'expect_column_values_to_not_be_null',
      kwargs,
      severity: 'error',
      why: `no value was missing in ${count(profile.rows)} rows (Deequ's CompleteIfCompleteRule)`,
    };
  }
  const completeness = profile.present / profile.rows;
  if (completeness < NEARLY_COMPLETE) return undefined;
  // Rounded down to 3 decimals, so the observed share still reaches it.
  let mostly = Math.floor(completeness * 1000) / 1000;
  if (mostly > completeness) mostly = Math.round(mostly * 1000 - 1) / 1000;
  return {
    expectation: 'expect_column_values_to_not_be_null',
    kwargs: { ...kwargs, mostly },
    severity: 'warning',
    why: `${percentDown(completeness)} of values were present (${count(profile.present)} of ${count(profile.rows)}); mostly is that share rounded down (Deequ's RetainCompletenessRule)`,
  };
}

function uniquenessRule(profile: ColumnProfile): SuggestedRule | undefined {
  const distinctness = profile.distinctness;
  if (!distinctness?.allDistinct || distinctness.values < 2) return undefined;
  const named = KEY_NAME.test(profile.name);
  if (!named && !(profile.type === 'categorical' && distinctness.values >= MIN_VALUES_FOR_UNNAMED_KEY)) return undefined;
  const looks = named ? 'its name says it is a key' : 'it holds labels, so it looks like a key';
  if (distinctness.method === 'exact') {
    return {
      expectation: 'expect_column_values_to_be_unique',
      kwargs: { column: profile.name },
      severity: 'error',
      why: `all ${count(distinctness.values)} present values were distinct (checked exactly) and ${looks}`,
    };
  }
  const error = percent(2 * HYPERLOGLOG_STANDARD_ERROR);
  return {
    expectation: 'expect_column_values_to_be_unique',
    kwargs: { column: profile.name },
    severity: 'warning',
    why: `about ${count(distinctness.distinct ?? 0)} distinct values in ${count(distinctness.values)} (a HyperLogLog estimate, +/- ${error}, as there were too many to check exactly), so approximately unique, and ${looks} (Deequ's UniqueIfApproximatelyUnique); a warning, as repeats were not ruled out`,
  };
}

function valueSetRule(profile: ColumnProfile, maxSetSize: number): SuggestedRule | undefined {
  const counts = profile.valueCounts;
  if (!counts || counts.size > maxSetSize) return undefined;
  // Values must repeat (each seen twice on average), else the set is just a list of what happened to be there.
  if (profile.present < 2 * counts.size) return undefined;
  if (profile.type === 'boolean' && counts.size === 2) return undefined; // the type rule already says true or false
  const values = [...counts.keys()];
  const value_set = profile.type === 'boolean' ? values.map((v) => v === 1).sort() : (values as string[]).sort();
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
  const shown = top.map(([v, n]) => `${profile.type === 'boolean' ? String(v === 1) : v} x${count(n)}`).join(', ');
  return {
    expectation: 'expect_column_values_to_be_in_set',
    kwargs: { column: profile.name, value_set },
    severity: 'warning',
    why: `${counts.size} distinct value${counts.size === 1 ? '' : 's'} in ${count(profile.present)} (at most ${maxSetSize} suggested; most common: ${shown}) (Deequ's CategoricalRangeRule)`,
  };
}

function rangeRule(profile: ColumnProfile, margin: number): SuggestedRule | undefined {
  const { min, max } = profile;
  const share = percent(margin);
  if (profile.type === 'numerical') {
    if (!Number.isFinite(min) || !Number.isFinite(max)) return undefined; // inf in the data: no finite range holds it
    const bounds = widenNumberBounds(min, max, margin, profile.wholeNumbers);
    const notNegative =
      min >= 0 && bounds.min === 0 ? "; kept at 0 or above as no value was negative (Deequ's NonNegativeNumbersRule)" : '';
    return {
      expectation: 'expect_column_values_to_be_between',
      kwargs: { column: profile.name, min_value: bounds.min, max_value: bounds.max },
      severity: 'warning',
      why: `observed ${min} to ${max}; widened by ${share} of that span and rounded outward${notNegative}`,
    };
  }
  if (profile.type === 'datetime') {
    const bounds = widenDatetimeBounds(min, max, margin);
    return {
      expectation: 'expect_column_values_to_be_between',
      kwargs: { column: profile.name, min_value: isoBound(bounds.min), max_value: isoBound(bounds.max) },
      severity: 'warning',
      why: `observed ${isoBound(min)} to ${isoBound(max)}; widened by ${share} of that span. Newer data will go past the upper bound: move it, or check freshness with expect_column_max_timestamp_to_be_recent instead`,
    };
  }
  return undefined;
}

function lengthRule(profile: ColumnProfile, margin: number): SuggestedRule {
  const { minLength, maxLength } = profile;
  // Fixed-length values (codes, hashes) keep their exact length; varying ones get the margin.
  const bounds = minLength === maxLength ? { min: minLength, max: maxLength } : widenNumberBounds(minLength, maxLength, margin, true);
  const observed =
    minLength === maxLength
      ? `every value had ${minLength} characters`
      : `values had ${minLength} to ${maxLength} characters; widened by ${percent(margin)} of that span`;
  return {
    expectation: 'expect_column_value_lengths_to_be_between',
    kwargs: { column: profile.name, min_value: bounds.min, max_value: bounds.max },
    severity: 'warning',
    why: observed,
  };
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Rounded down, so 99.999% does not read as 100%. */
function percentDown(share: number): string {
  return `${Math.floor(share * 10000) / 100}%`;
}

function percent(share: number): string {
  return `${Number((share * 100).toFixed(2))}%`;
}
