// The validation pass over one group of rules: reads the dataset once, in columnar batches of just the columns the
// group needs, and feeds every rule of the group at once (row rules mark rows, aggregates fold, table rules wait for
// the row count); then a short second read fetches the values of rows only late rules (uniqueness) flagged. Returns
// each rule's GX-shaped result and, for error-level row rules, which rows broke them. Runs in a worker thread.
import { UserError } from '#shared/errors.js';
import { checkReadablePath } from '#shared/paths/index.js';
import { batchLocation, datasetColumnNames, openDataset } from '#shared/data/index.js';
import { formatOf } from '#shared/data/formats.js';
import { parquetColumnElements } from '#shared/data/parquet-reader.js';
import type { StoredColumn } from '../expectations/pandas-dtype.js';
import type { BatchLocation, ColumnType, DataWarning, Dataset, RecordBatch } from '#shared/data/types.js';
import {
  BatchContext,
  UNEXPECTED,
  IGNORED,
  type ColumnRead,
  type Evaluator,
  type ReportedValue,
  type RowEvaluator,
} from '../expectations/evaluator.js';
import { ExpectationRaised, type EvaluatorEnv } from '../expectations/kwargs.js';
import { conditionMask, selectRows } from '../expectations/row-filter.js';
import { columnsOf, EVALUATORS, TEXT_EXPECTATIONS } from '../expectations/registry.js';
import type { Rule, RuleSet } from '../rules/rule-types.js';
import { RowBitset } from './row-bitset.js';
import { firstRows } from '../expectations/row-set.js';
import { nameList, quote } from '#shared/data/quote.js';
import type { ExpectationResult, FailingRow, UnexpectedValue } from './validation-result.js';

/** Failing rows kept per rule for the summary and annotations. */
export const SAMPLE_ROWS = 10;
/** GX's partial_unexpected_count unless the result_format says otherwise (parse_result_format). */
export const DEFAULT_PARTIAL_COUNT = 20;

export interface RuleGroupOptions {
  data: string[];
  ruleSet: RuleSet;
  /** Indices in ruleSet.rules of the rules this pass evaluates. */
  ruleIndices: number[];
  /** Memory this group's rules together may use for exact uniqueness and quantiles before spilling or sketching. */
  budgetBytes: number;
  /** ISO timestamp: "now" for freshness rules. */
  now: string;
  /** Another group's pass checks the rows' shape: this one may skip row tails (OpenOptions.trustRowShape). */
  trustRowShape: boolean;
  /** The longest line a reader accepts (input max-line-mb; OpenOptions.maxLineBytes). */
  maxLineBytes?: number;
}

/** What a group's pass found; plain data and typed arrays, so it crosses from a worker thread as it is. */
export interface RuleGroupOutcome {
  files: string[];
  rows: number;
  columns: string[];
  results: { index: number; result: ExpectationResult }[];
  /** Error-level row rules: the rows each broke, one bit a row (RowBitset words). */
  failedRows: { index: number; name: string; words: Uint32Array }[];
  /** Lines with NUL bytes or invalid UTF-8, from the pass that checks the rows' shape (the others leave it empty). */
  warnings: DataWarning[];
}

/** GX's result_format after parse_result_format (great_expectations/expectations/expectation_configuration.py). */
export interface ResultFormat {
  format: 'BOOLEAN_ONLY' | 'BASIC' | 'SUMMARY' | 'COMPLETE';
  partialCount: number;
  /** Unexpected values and indices kept: all for COMPLETE, else the partial ones. */
  listLimit: number;
  /** GX's include_unexpected_rows: the whole rows (every column) of the first partial_unexpected_count failing rows. */
  includeRows: boolean;
}

/** The rule's result_format, else the rules file's, else GX 1.x's default SUMMARY (core/result_format.py). */
export function resultFormatOf(rule: Rule, fallback?: unknown): ResultFormat {
  const raw = rule.expectation.kwargs.result_format ?? fallback;
  const spec =
    typeof raw === 'string'
      ? { result_format: raw }
      : ((raw ?? {}) as { result_format?: string; partial_unexpected_count?: number; include_unexpected_rows?: boolean });
  const format = (spec.result_format ?? 'SUMMARY').toUpperCase() as ResultFormat['format'];
  const partialCount = typeof spec.partial_unexpected_count === 'number' ? spec.partial_unexpected_count : DEFAULT_PARTIAL_COUNT;
  const listLimit = format === 'COMPLETE' ? Infinity : partialCount;
  return { format, partialCount, listLimit, includeRows: spec.include_unexpected_rows === true && format !== 'BOOLEAN_ONLY' };
}

/** How GX lists a row rule's unexpected value: the cell, an [A, B] pair, or a record of every listed column. */
type ValueShape = 'cell' | 'pair' | 'record';

function valueShape(rule: Rule): ValueShape {
  const { kwargs, type } = rule.expectation;
  if (typeof kwargs.column_A === 'string') return 'pair';
  if (Array.isArray(kwargs.column_list) && !type.startsWith('expect_table_')) return 'record';
  return 'cell';
}

function unexpectedValue(ctx: BatchContext, columns: readonly string[], shape: ValueShape, i: number): UnexpectedValue {
  if (shape === 'pair') return columns.map((c) => ctx.value(c, i));
  if (shape === 'record') return Object.fromEntries(columns.map((c) => [c, ctx.value(c, i)]));
  return columns.length === 0 ? null : ctx.value(columns[0], i);
}

function sourceOf(rule: Rule): string {
  return rule.source.line !== undefined ? `${rule.source.file}:${rule.source.line}` : `${rule.source.file}#${rule.source.index + 1}`;
}

function describe(rule: Rule): string {
  return `rule ${rule.source.index + 1} '${rule.name}' (${sourceOf(rule)})`;
}

/** What one row rule has seen so far. */
class RowTally {
  rows = 0;
  ignored = 0;
  unexpected = 0;
  values: UnexpectedValue[] = [];
  /** include_unexpected_rows: every column of the first failing rows, by dataset row. */
  wholeRows: Map<number, Record<string, ReportedValue>> | undefined;
  indices: number[] = [];
  samples: FailingRow[] = [];
  readonly failed: RowBitset | undefined;

  constructor(
    readonly rule: Rule,
    readonly evaluator: RowEvaluator,
    readonly format: ResultFormat,
    readonly nullsUnexpected: boolean,
    readonly shape: ValueShape,
  ) {
    this.failed = rule.severity === 'error' ? new RowBitset() : undefined;
  }

  /** Records an unexpected row; `ctx` and `i` give its values when it is in the current batch. */
  record(row: number, ctx: BatchContext | undefined, i: number): void {
    this.unexpected++;
    this.failed?.set(row);
    // indices, not values: rows found at the end (uniqueness) come without their values, which are looked up after
    // for the listed ones only; counting values let every late row in (16M row numbers for one repeated value).
    const wantValue = this.indices.length < this.format.listLimit;
    if (wantValue) this.indices.push(row);
    if (!ctx) return;
    if (wantValue) this.values.push(unexpectedValue(ctx, this.evaluator.columns, this.shape, i));
    if (this.samples.length < SAMPLE_ROWS) this.samples.push(failingRow(ctx, this.evaluator.columns, i));
  }
}

function failingRow(ctx: BatchContext, columns: readonly string[], i: number): FailingRow {
  // No prototype: a column named __proto__ is a value like any other (on {} the assignment would set the prototype).
  const values: Record<string, ReportedValue> = Object.create(null);
  let invalid: Record<string, string> | undefined;
  for (const c of columns) {
    values[c] = ctx.value(c, i);
    const bad = ctx.invalidValue(c, i);
    if (bad !== undefined) (invalid ??= Object.create(null) as Record<string, string>)[c] = bad;
  }
  const row: FailingRow = { row: ctx.rowIndex(i), file: ctx.batch.file, line: ctx.batch.lines[i], values };
  if (invalid) row.invalid = invalid;
  return row;
}

interface Planned {
  rule: Rule;
  evaluator: Evaluator;
  tally?: RowTally;
  /** What the rule raised (GX's exception_info), once it has. */
  error?: string;
  /** The row_condition's identity within the pass, so rules with the same condition share one filtered batch. */
  conditionKey?: string;
  /** Rows where the condition held (table rules count these). */
  conditionRows: number;
}

/** A rule that raised before reading any data (GX raises while validating it, e.g. a range with no bound). */
function raisedBeforeData(rule: Rule, message: string): Planned {
  return {
    rule,
    evaluator: { kind: 'table', columns: [], finish: () => ({ success: false, observed_value: null }) },
    error: message,
    conditionRows: 0,
  };
}

/** The columns some rule judges as written text (strftime, regex, lengths): read as text whatever their declared type. */
export function columnsReadAsText(ruleSet: RuleSet): Set<string> {
  const asWritten = new Set<string>();
  for (const rule of ruleSet.rules)
    if (TEXT_EXPECTATIONS.has(rule.expectation.type))
      for (const column of columnsOf(rule.expectation.type, rule.expectation.kwargs, rule.condition)) asWritten.add(column);
  return asWritten;
}

/** Which columns are read, and as what: declared types first, text where a rule judges text as written. */
function readPlan(
  ruleSet: RuleSet,
  available: readonly string[],
  data: string[],
): { columns: string[]; overrides: Record<string, ColumnType>; declared: Record<string, ColumnType> } {
  const columns: string[] = [];
  const asWritten = columnsReadAsText(ruleSet);
  const overrides: Record<string, ColumnType> = Object.create(null);
  for (const rule of ruleSet.rules) {
    for (const column of columnsOf(rule.expectation.type, rule.expectation.kwargs, rule.condition)) {
      if (!available.includes(column))
        throw new UserError(
          `${describe(rule)}: column ${quote(column, 80)} is not in the data (${data.join(', ')}). Columns there: ${nameList(available)}.`,
        );
      if (!columns.includes(column)) columns.push(column);
    }
  }
  for (const [column, type] of Object.entries(ruleSet.columnTypes)) {
    if (!available.includes(column))
      throw new UserError(
        `${ruleSet.file}: 'columns' names ${quote(column, 80)}, which is not in the data. Columns there: ${nameList(available)}.`,
      );
    if (columns.includes(column)) overrides[column] = type;
  }
  // A rule judging text as written (strftime, regex, lengths) reads its column as text even where the rules file
  // declares it datetime (for a freshness rule on the same column): the other rules parse that text as declared
  // (BatchContext.numbers), so a format rule and a freshness rule live in one file.
  const declared: Record<string, ColumnType> = Object.create(null);
  for (const column of asWritten) {
    const type = overrides[column];
    if (type !== undefined && type !== 'text' && type !== 'categorical') declared[column] = type;
    overrides[column] = 'text';
  }
  return { columns, overrides, declared };
}

export async function evaluateRules(options: RuleGroupOptions): Promise<RuleGroupOutcome> {
  const ruleSet: RuleSet = { ...options.ruleSet, rules: options.ruleIndices.map((i) => options.ruleSet.rules[i]) };
  const now = new Date(options.now);
  const allColumns = await datasetColumnNames(options.data, { label: "input 'data'", maxLineBytes: options.maxLineBytes });
  const plan = readPlan(ruleSet, allColumns, options.data);
  const warnings: DataWarning[] = [];
  const dataset = await openDataset(options.data, {
    label: "input 'data'",
    columns: plan.columns.length > 0 ? plan.columns : [allColumns[0]],
    columnTypes: plan.overrides,
    keepInvalid: true,
    textAsUtf8: true,
    trustRowShape: options.trustRowShape,
    maxLineBytes: options.maxLineBytes,
    // One pass reports them: the one that reads every row whole.
    onWarning: options.trustRowShape ? undefined : (warning) => warnings.push(warning),
  });
  const reads: ColumnRead[] = dataset.schema.map((c) => ({ name: c.name, type: plan.declared[c.name] ?? c.type }));
  const index = new Map(reads.map((r, i) => [r.name, i]));
  const typeOf = (name: string): ColumnType => reads[index.get(name)!].type;
  const storedColumn = await storedColumns(dataset.files[0]);

  const heavyRules = ruleSet.rules.filter((r) => /unique|median|quantile/.test(r.expectation.type)).length;
  const budgetBytes = Math.max(16 << 10, Math.floor(options.budgetBytes / Math.max(1, heavyRules)));
  const sharedState = new Map<string, unknown>();
  const shared = <T>(key: string, create: () => T): T => {
    if (!sharedState.has(key)) sharedState.set(key, create());
    return sharedState.get(key) as T;
  };
  const planned: Planned[] = ruleSet.rules.map((rule) => {
    const factory = EVALUATORS[rule.expectation.type];
    if (!factory) throw new UserError(`${describe(rule)}: data-gate cannot evaluate '${rule.expectation.type}'.`);
    const env: EvaluatorEnv = {
      columnType: typeOf,
      storedColumn,
      budgetBytes,
      now,
      describe: () => describe(rule),
      shared,
      countRows: (path) => countRows(path, rule),
    };
    let evaluator: Evaluator;
    try {
      evaluator = factory(rule.expectation.kwargs, env);
    } catch (error) {
      if (error instanceof ExpectationRaised) return raisedBeforeData(rule, error.message);
      throw error;
    }
    const item: Planned = {
      rule,
      evaluator,
      conditionRows: 0,
      ...(rule.condition ? { conditionKey: JSON.stringify(rule.condition) } : {}),
    };
    if (evaluator.kind === 'row')
      item.tally = new RowTally(
        rule,
        evaluator,
        resultFormatOf(rule, ruleSet.resultFormat),
        rule.expectation.kwargs.nulls_count_as_unexpected === true,
        valueShape(rule),
      );
    return item;
  });
  const hasConditions = planned.some((p) => p.conditionKey !== undefined);

  let rows = 0;
  let status = new Uint8Array(0);
  // Where each batch starts in its file, so the look-up of late rows reads back only their batches.
  let locations: BatchLocation[] | undefined = [];
  try {
    for await (const batch of dataset.batches()) {
      const whole = new BatchContext(batch, reads, index);
      const n = batch.rowCount;
      if (status.length < n) status = new Uint8Array(n);
      const view = status.subarray(0, n);
      // Rules with a row_condition see the rows it keeps; one filtered batch per distinct condition.
      const filtered = hasConditions ? new Map<string, BatchContext>() : undefined;
      for (const item of planned) {
        if (item.error) continue;
        try {
          let ctx = whole;
          if (item.conditionKey !== undefined) {
            ctx = filtered!.get(item.conditionKey) ?? selectRows(whole, conditionMask(whole, item.rule.condition!));
            filtered!.set(item.conditionKey, ctx);
            item.conditionRows += ctx.rowCount;
          }
          const { evaluator } = item;
          if (evaluator.kind === 'aggregate') evaluator.update(ctx);
          else if (evaluator.kind === 'row') tallyBatch(item.tally!, ctx, ctx === whole ? view : status.subarray(0, ctx.rowCount));
        } catch (error) {
          if (error instanceof ExpectationRaised) item.error = error.message;
          else if (error instanceof UserError) throw error;
          else item.error = (error as Error).message;
        }
      }
      rows += n;
      const location = locations && batchLocation(batch);
      if (location) locations!.push(location);
      else locations = undefined;
    }
    await addLateRows(planned, options.data, reads, locations);
    await addWholeRows(planned, options.data, allColumns, locations);
    const results: RuleGroupOutcome['results'] = [];
    const failedRows: RuleGroupOutcome['failedRows'] = [];
    for (let k = 0; k < planned.length; k++) {
      const item = planned[k];
      const table = { columns: allColumns, rows: item.conditionKey !== undefined ? item.conditionRows : rows };
      results.push({ index: options.ruleIndices[k], result: await resultOf(item, table, ruleSet.resultFormat) });
      if (item.tally?.failed && !item.error)
        failedRows.push({ index: options.ruleIndices[k], name: item.rule.name, words: item.tally.failed.words });
    }
    return { files: dataset.files, rows, columns: allColumns, results, failedRows, warnings };
  } finally {
    await Promise.allSettled(planned.map((p) => ('dispose' in p.evaluator && p.evaluator.dispose ? p.evaluator.dispose() : undefined)));
  }
}

/** The format and Parquet types of the first data file: the pandas dtype GX would judge comes from them. */
async function storedColumns(file: string | undefined): Promise<(name: string) => StoredColumn> {
  const format = file === undefined ? 'csv' : formatOf(file);
  if (format !== 'parquet') return () => ({ format });
  const elements = await parquetColumnElements(file!);
  return (name) => ({ format, parquet: elements.get(name) });
}

/** The rows of another data file (expect_table_row_count_to_equal_other_table), read with the same readers. */
async function countRows(path: string, rule: Rule): Promise<number> {
  const label = `${describe(rule)}: 'other_table_name'`;
  const real = await checkReadablePath(path, label);
  const [first] = await datasetColumnNames([real], { label });
  const dataset = await openDataset([real], { label, columns: [first], keepInvalid: true, textAsUtf8: true });
  let rows = 0;
  for await (const batch of dataset.batches()) rows += batch.rowCount;
  return rows;
}

function tallyBatch(tally: RowTally, ctx: BatchContext, status: Uint8Array): void {
  tally.evaluator.evaluate(ctx, status);
  const n = status.length;
  tally.rows += n;
  for (let i = 0; i < n; i++) {
    const s = status[i];
    if (s === 0) continue;
    if (s === IGNORED && !tally.nullsUnexpected) tally.ignored++;
    else if (s === UNEXPECTED || s === IGNORED) tally.record(ctx.rowIndex(i), ctx, i);
  }
}

/**
 * Adds the rows uniqueness rules found at the end, then reads their values back: just the batches that hold them
 * where the first pass gave their locations (plain CSV/TSV), else one more pass up to the last row wanted; either way
 * only the rules' columns. The first pass has checked every row's shape, so this one skips row tails.
 */
async function addLateRows(
  planned: Planned[],
  data: string[],
  allReads: readonly ColumnRead[],
  locations: BatchLocation[] | undefined,
): Promise<void> {
  const late: { tally: RowTally; rows: number[] }[] = [];
  for (const item of planned) {
    const tally = item.tally;
    if (!tally?.evaluator.lateUnexpectedRows || item.error) continue;
    let rows: Iterable<number>;
    try {
      rows = await tally.evaluator.lateUnexpectedRows();
    } catch (error) {
      if (!(error instanceof ExpectationRaised)) throw error;
      item.error = error.message;
      continue;
    }
    for (const row of rows) tally.record(row, undefined, 0);
    // Only the first rows are looked up again: a column of one repeated value flags every row.
    late.push({ tally, rows: firstRows(rows, Math.max(tally.indices.length, SAMPLE_ROWS)) });
  }
  // Values and sample rows of the first flagged rows of each rule, found by reading the data once more.
  const wanted = new Map<number, RowTally[]>();
  for (const { tally, rows } of late) {
    const limit = Math.min(rows.length, Math.max(tally.indices.length, SAMPLE_ROWS));
    for (let k = 0; k < limit; k++) {
      const list = wanted.get(rows[k]) ?? [];
      list.push(tally);
      wanted.set(rows[k], list);
    }
  }
  if (wanted.size === 0) return;
  const columns = new Set(late.flatMap(({ tally }) => tally.evaluator.columns));
  const reads = allReads.filter((r) => columns.has(r.name));
  const index = new Map(reads.map((r, i) => [r.name, i]));
  const dataset = await openDataset(data, {
    label: "input 'data'",
    columns: reads.map((r) => r.name),
    columnTypes: Object.fromEntries(reads.map((r) => [r.name, r.type])),
    keepInvalid: true,
    textAsUtf8: true,
    trustRowShape: true,
  });
  const valueAt = new Map<RowTally, Map<number, UnexpectedValue>>();
  let remaining = wanted.size;
  const rowsWanted = [...wanted.keys()].sort((a, b) => a - b);
  for await (const batch of locations ? batchesHolding(dataset, locations, rowsWanted) : dataset.batches()) {
    const ctx = new BatchContext(batch, reads, index);
    for (let i = 0; i < batch.rowCount; i++) {
      const tallies = wanted.get(batch.firstRowIndex + i);
      if (!tallies) continue;
      remaining--;
      for (const tally of tallies) {
        let values = valueAt.get(tally);
        if (!values) valueAt.set(tally, (values = new Map()));
        values.set(batch.firstRowIndex + i, unexpectedValue(ctx, tally.evaluator.columns, tally.shape, i));
        if (tally.samples.length < SAMPLE_ROWS) tally.samples.push(failingRow(ctx, tally.evaluator.columns, i));
      }
    }
    if (remaining === 0) break;
  }
  for (const { tally } of late) {
    const values = valueAt.get(tally);
    tally.values = tally.indices.map((row) => values?.get(row) ?? null);
    tally.samples.sort((a, b) => a.row - b.row);
  }
}

/**
 * GX's include_unexpected_rows: the whole rows, every column as the file writes it, of each such rule's first
 * partial_unexpected_count failing rows, read back once for all those rules (only their batches where known).
 */
async function addWholeRows(
  planned: Planned[],
  data: string[],
  allColumns: string[],
  locations: BatchLocation[] | undefined,
): Promise<void> {
  const wanted = new Map<number, RowTally[]>();
  for (const { tally, error } of planned) {
    if (!tally?.format.includeRows || error) continue;
    tally.wholeRows = new Map();
    for (const row of tally.indices.slice(0, tally.format.partialCount)) wanted.set(row, [...(wanted.get(row) ?? []), tally]);
  }
  if (wanted.size === 0) return;
  const dataset = await openDataset(data, {
    label: "input 'data'",
    columns: allColumns,
    columnTypes: Object.fromEntries(allColumns.map((c) => [c, 'text'])),
    textAsUtf8: true,
    trustRowShape: true,
  });
  const reads: ColumnRead[] = dataset.schema.map((c) => ({ name: c.name, type: c.type }));
  const index = new Map(reads.map((r, i) => [r.name, i]));
  let remaining = wanted.size;
  const rows = [...wanted.keys()].sort((a, b) => a - b);
  for await (const batch of locations ? batchesHolding(dataset, locations, rows) : dataset.batches()) {
    const ctx = new BatchContext(batch, reads, index);
    for (let i = 0; i < batch.rowCount; i++) {
      const tallies = wanted.get(batch.firstRowIndex + i);
      if (!tallies) continue;
      remaining--;
      const values = Object.fromEntries(allColumns.map((c) => [c, ctx.value(c, i)]));
      for (const tally of tallies) tally.wholeRows!.set(batch.firstRowIndex + i, values);
    }
    if (remaining === 0) break;
  }
}

/** The batches at `locations` (ascending) that hold any of `rows` (ascending), each read again alone. */
async function* batchesHolding(
  dataset: Dataset,
  locations: readonly BatchLocation[],
  rows: readonly number[],
): AsyncGenerator<RecordBatch> {
  let k = 0;
  for (const location of locations) {
    while (k < rows.length && rows[k] < location.firstRowIndex) k++;
    if (k === rows.length) return;
    if (rows[k] < location.firstRowIndex + location.rowCount) yield await dataset.readBatchAgain(location);
  }
}

function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : (100 * part) / whole;
}

/** Python's ordering of two unexpected values for sorted(key=(-count, value)); undefined where Python raises. */
function pythonOrder(a: UnexpectedValue, b: UnexpectedValue): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let k = 0; k < Math.min(a.length, b.length); k++) {
      const order = pythonOrder(a[k], b[k]);
      if (order === undefined || order !== 0) return order;
    }
    return a.length - b.length;
  }
  return undefined;
}

/**
 * GX's partial_unexpected_counts: Counter(partial values).most_common(n) sorted by (-count, value), records flattened
 * to tuples; left out, as GX leaves it out, when Python could not sort the values (mixed types, None).
 */
export function partialUnexpectedCounts(
  values: readonly UnexpectedValue[],
  count: number,
): { value: UnexpectedValue; count: number }[] | undefined {
  const counts = new Map<string, { value: UnexpectedValue; count: number }>();
  for (const raw of values) {
    const value = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? Object.values(raw) : raw;
    const key = JSON.stringify(value);
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { value, count: 1 });
  }
  const entries = [...counts.values()];
  let sortable = true;
  entries.sort((a, b) => {
    if (a.count !== b.count) return b.count - a.count;
    const order = pythonOrder(a.value, b.value);
    if (order === undefined) sortable = false;
    return order ?? 0;
  });
  return sortable ? entries.slice(0, count) : undefined;
}

/** Expectations whose GX _validate passes nonnull_count=None: no missing counts, percents over every row. */
const COUNTS_EVERY_ROW = new Set(['expect_column_values_to_not_be_null', 'expect_column_values_to_be_null']);

/** GX's _format_map_output (great_expectations/expectations/expectation.py) for a row rule's tally. */
function mapResult(tally: RowTally, type: string): Record<string, unknown> {
  const { format, partialCount } = tally.format;
  if (format === 'BOOLEAN_ONLY') return {};
  const elementCount = tally.rows;
  const skipMissing = COUNTS_EVERY_ROW.has(type);
  const nonnull = skipMissing ? undefined : tally.rows - tally.ignored;
  const total = elementCount > 0 ? percent(tally.unexpected, elementCount) : null;
  const nonmissing = elementCount === 0 ? null : nonnull === undefined ? total : nonnull > 0 ? percent(tally.unexpected, nonnull) : null;
  const result: Record<string, unknown> = {
    element_count: elementCount,
    unexpected_count: tally.unexpected,
    unexpected_percent: nonmissing,
    partial_unexpected_list: tally.values.slice(0, partialCount),
  };
  if (!skipMissing) {
    result.missing_count = tally.ignored;
    result.missing_percent = elementCount > 0 ? percent(tally.ignored, elementCount) : null;
    result.unexpected_percent_total = total;
    result.unexpected_percent_nonmissing = nonmissing;
  }
  if (tally.wholeRows) result.unexpected_rows = tally.indices.slice(0, partialCount).map((row) => tally.wholeRows!.get(row) ?? null);
  if (format === 'BASIC') return result;
  if (partialCount > 0) {
    const counts = partialUnexpectedCounts(tally.values.slice(0, partialCount), partialCount);
    if (counts) result.partial_unexpected_counts = counts;
    result.partial_unexpected_index_list = tally.indices.slice(0, partialCount);
  }
  if (format === 'SUMMARY') return result;
  result.unexpected_list = tally.values;
  result.unexpected_index_list = tally.indices;
  return result;
}

async function resultOf(item: Planned, table: { columns: string[]; rows: number }, fallbackFormat: unknown): Promise<ExpectationResult> {
  const { rule, evaluator, tally } = item;
  const config = { type: rule.expectation.type, kwargs: rule.expectation.kwargs, meta: rule.expectation.meta ?? {} };
  const meta: ExpectationResult['meta'] = {
    rule: rule.name,
    severity: rule.severity,
    kind: evaluator.kind,
    source: sourceOf(rule),
    failing_rows: [] as FailingRow[],
  };
  // GX 1.x: a rule that raised has success false, an empty result and exception_info.raised_exception true.
  const failure = (message: string): ExpectationResult => ({
    success: false,
    expectation_config: config,
    result: {},
    exception_info: { raised_exception: true, exception_message: message, exception_traceback: null },
    meta,
  });
  if (item.error) return failure(item.error);
  const noException = { raised_exception: false, exception_message: null, exception_traceback: null };
  const verdict = tally?.evaluator.columnVerdict?.();
  if (verdict) {
    const format = tally!.format.format;
    return {
      success: verdict.success,
      expectation_config: config,
      result: format === 'BOOLEAN_ONLY' ? {} : { observed_value: verdict.observed_value },
      exception_info: noException,
      meta,
    };
  }
  if (tally) {
    const nonMissing = tally.rows - tally.ignored;
    const mostly = typeof rule.expectation.kwargs.mostly === 'number' ? rule.expectation.kwargs.mostly : 1;
    // GX: no row to judge is vacuously true; else (considered - unexpected) / considered >= mostly (_mostly_success).
    const considered = COUNTS_EVERY_ROW.has(rule.expectation.type) ? tally.rows : nonMissing;
    const success = considered === 0 || (considered - tally.unexpected) / considered >= mostly;
    meta.failing_rows = tally.wholeRows
      ? tally.samples.map((row) => ({ ...row, ...(tally.wholeRows!.has(row.row) ? { whole_row: tally.wholeRows!.get(row.row) } : {}) }))
      : tally.samples;
    meta.unexpected_count = tally.unexpected;
    meta.considered_count = considered;
    const details = evaluator.kind === 'row' && evaluator.details ? evaluator.details() : undefined;
    const result = mapResult(tally, rule.expectation.type);
    if (details && tally.format.format !== 'BOOLEAN_ONLY') result.details = details;
    return { success, expectation_config: config, result, exception_info: noException, meta };
  }
  try {
    let outcome;
    if (evaluator.kind === 'table') {
      await evaluator.prepare?.();
      outcome = evaluator.finish(table);
    } else if (evaluator.kind === 'aggregate') {
      await evaluator.prepare?.();
      outcome = evaluator.finish();
    } else throw new Error('row rule without a tally');
    // GX's aggregate and table rules return {observed_value} (and details where the expectation adds them).
    const result: Record<string, unknown> = {
      observed_value: outcome.observed_value,
      ...(outcome.details ? { details: outcome.details } : {}),
    };
    if (outcome.element_count !== undefined) {
      meta.element_count = outcome.element_count;
      meta.missing_count = outcome.missing_count ?? 0;
    }
    const format = resultFormatOf(rule, fallbackFormat).format;
    return {
      success: outcome.success,
      expectation_config: config,
      result: format === 'BOOLEAN_ONLY' ? {} : result,
      exception_info: noException,
      meta,
    };
  } catch (error) {
    if (error instanceof ExpectationRaised) return failure(error.message);
    if (error instanceof UserError) throw error;
    return failure((error as Error).message);
  }
}
