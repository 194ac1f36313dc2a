// The validation pass over one group of rules: reads the dataset once, in columnar batches of just the columns the
// group needs, and feeds every rule of the group at once (row rules mark rows, aggregates fold, table rules wait for
// the row count); then a short second read fetches the values of rows only late rules (uniqueness) flagged. Returns
// each rule's GX-shaped result and, for error-level row rules, which rows broke them. Runs in a worker thread.
import { UserError } from '#shared/errors.js';
import { batchLocation, datasetColumnNames, openDataset } from '#shared/data/index.js';
import type { BatchLocation, ColumnType, Dataset, RecordBatch } from '#shared/data/types.js';
import { BatchContext, UNEXPECTED, IGNORED, type ColumnRead, type Evaluator, type ReportedValue, type RowEvaluator } from '../expectations/evaluator.js';
import type { EvaluatorEnv } from '../expectations/kwargs.js';
import { columnsOf, EVALUATORS, TEXT_EXPECTATIONS } from '../expectations/registry.js';
import type { Rule, RuleSet } from '../rules/rule-types.js';
import { RowBitset } from './row-bitset.js';
import { firstRows } from '../expectations/row-set.js';
import type { ExpectationResult, FailingRow } from './validation-result.js';

/** Failing rows kept per rule for the summary and annotations. */
export const SAMPLE_ROWS = 10;
/** Unexpected values and indices listed per rule unless result_format is COMPLETE. */
export const DEFAULT_UNEXPECTED_LIMIT = 1000;
const DEFAULT_PARTIAL_COUNT = 20;

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
}

/** What a group's pass found; plain data and typed arrays, so it crosses from a worker thread as it is. */
export interface RuleGroupOutcome {
  files: string[];
  rows: number;
  columns: string[];
  results: { index: number; result: ExpectationResult }[];
  /** Error-level row rules: the rows each broke, one bit a row (RowBitset words). */
  failedRows: { index: number; name: string; words: Uint32Array }[];
}

interface ResultFormat {
  format: 'BOOLEAN_ONLY' | 'BASIC' | 'SUMMARY' | 'COMPLETE' | 'DEFAULT';
  partialCount: number;
  listLimit: number;
}

function resultFormatOf(rule: Rule): ResultFormat {
  const raw = rule.expectation.kwargs.result_format;
  const spec = typeof raw === 'string' ? { result_format: raw } : ((raw ?? {}) as { result_format?: string; partial_unexpected_count?: number });
  const format = (spec.result_format ?? 'DEFAULT').toUpperCase() as ResultFormat['format'];
  const partialCount = typeof spec.partial_unexpected_count === 'number' ? spec.partial_unexpected_count : DEFAULT_PARTIAL_COUNT;
  const listLimit = format === 'COMPLETE' ? Infinity : format === 'DEFAULT' ? DEFAULT_UNEXPECTED_LIMIT : partialCount;
  return { format, partialCount, listLimit };
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
  values: ReportedValue[] = [];
  indices: number[] = [];
  samples: FailingRow[] = [];
  readonly failed: RowBitset | undefined;

  constructor(
    readonly rule: Rule,
    readonly evaluator: RowEvaluator,
    readonly format: ResultFormat,
    readonly nullsUnexpected: boolean,
  ) {
    this.failed = rule.severity === 'error' ? new RowBitset() : undefined;
  }

  /** Records an unexpected row; `ctx` and `i` give its values when it is in the current batch. */
  record(row: number, ctx: BatchContext | undefined, i: number): void {
    this.unexpected++;
    this.failed?.set(row);
    const wantValue = this.values.length < this.format.listLimit;
    if (wantValue) this.indices.push(row);
    if (!ctx) return;
    const [first] = this.evaluator.columns;
    if (wantValue) this.values.push(first === undefined ? null : ctx.value(first, i));
    if (this.samples.length < SAMPLE_ROWS) this.samples.push(failingRow(ctx, this.evaluator.columns, i));
  }
}

function failingRow(ctx: BatchContext, columns: readonly string[], i: number): FailingRow {
  const values: Record<string, ReportedValue> = {};
  let invalid: Record<string, string> | undefined;
  for (const c of columns) {
    values[c] = ctx.value(c, i);
    const bad = ctx.invalidValue(c, i);
    if (bad !== undefined) (invalid ??= {})[c] = bad;
  }
  const row: FailingRow = { row: ctx.batch.firstRowIndex + i, file: ctx.batch.file, line: ctx.batch.lines[i], values };
  if (invalid) row.invalid = invalid;
  return row;
}

interface Planned {
  rule: Rule;
  evaluator: Evaluator;
  tally?: RowTally;
  error?: string;
}

/** Which columns are read, and as what: declared types first, text where a rule judges text as written. */
function readPlan(ruleSet: RuleSet, available: readonly string[], data: string[]): { columns: string[]; overrides: Record<string, ColumnType> } {
  const columns: string[] = [];
  const overrides: Record<string, ColumnType> = {};
  for (const rule of ruleSet.rules) {
    for (const column of columnsOf(rule.expectation.type, rule.expectation.kwargs)) {
      if (!available.includes(column))
        throw new UserError(`${describe(rule)}: column '${column}' is not in the data (${data.join(', ')}). Columns there: ${available.join(', ')}.`);
      if (!columns.includes(column)) columns.push(column);
      if (TEXT_EXPECTATIONS.has(rule.expectation.type) && ruleSet.columnTypes[column] === undefined) overrides[column] = 'text';
    }
  }
  for (const [column, type] of Object.entries(ruleSet.columnTypes)) {
    if (!available.includes(column)) throw new UserError(`${ruleSet.file}: 'columns' names '${column}', which is not in the data. Columns there: ${available.join(', ')}.`);
    if (columns.includes(column)) overrides[column] = type;
  }
  return { columns, overrides };
}

export async function evaluateRules(options: RuleGroupOptions): Promise<RuleGroupOutcome> {
  const ruleSet: RuleSet = { ...options.ruleSet, rules: options.ruleIndices.map((i) => options.ruleSet.rules[i]) };
  const now = new Date(options.now);
  const allColumns = await datasetColumnNames(options.data, { label: "input 'data'" });
  const plan = readPlan(ruleSet, allColumns, options.data);
  const dataset = await openDataset(options.data, {
    label: "input 'data'",
    columns: plan.columns.length > 0 ? plan.columns : [allColumns[0]],
    columnTypes: plan.overrides,
    keepInvalid: true,
    textAsUtf8: true,
    trustRowShape: options.trustRowShape,
  });
  const reads: ColumnRead[] = dataset.schema.map((c) => ({ name: c.name, type: c.type }));
  const index = new Map(reads.map((r, i) => [r.name, i]));
  const typeOf = (name: string): ColumnType => reads[index.get(name)!].type;

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
    const env: EvaluatorEnv = { columnType: typeOf, budgetBytes, now, describe: () => describe(rule), shared };
    const evaluator = factory(rule.expectation.kwargs, env);
    const item: Planned = { rule, evaluator };
    if (evaluator.kind === 'row') item.tally = new RowTally(rule, evaluator, resultFormatOf(rule), rule.expectation.kwargs.nulls_count_as_unexpected === true);
    return item;
  });

  let rows = 0;
  let status = new Uint8Array(0);
  // Where each batch starts in its file, so the look-up of late rows reads back only their batches.
  let locations: BatchLocation[] | undefined = [];
  try {
    for await (const batch of dataset.batches()) {
      const ctx = new BatchContext(batch, reads, index);
      const n = batch.rowCount;
      if (status.length < n) status = new Uint8Array(n);
      const view = status.subarray(0, n);
      for (const item of planned) {
        if (item.error) continue;
        try {
          const { evaluator } = item;
          if (evaluator.kind === 'aggregate') evaluator.update(ctx);
          else if (evaluator.kind === 'row') tallyBatch(item.tally!, ctx, view);
        } catch (error) {
          if (error instanceof UserError) throw error;
          item.error = (error as Error).message;
        }
      }
      rows += n;
      const location = locations && batchLocation(batch);
      if (location) locations!.push(location);
      else locations = undefined;
    }
    await addLateRows(planned, options.data, reads, locations);
    const results: RuleGroupOutcome['results'] = [];
    const failedRows: RuleGroupOutcome['failedRows'] = [];
    for (let k = 0; k < planned.length; k++) {
      const item = planned[k];
      results.push({ index: options.ruleIndices[k], result: await resultOf(item, { columns: allColumns, rows }) });
      if (item.tally?.failed && !item.error) failedRows.push({ index: options.ruleIndices[k], name: item.rule.name, words: item.tally.failed.words });
    }
    return { files: dataset.files, rows, columns: allColumns, results, failedRows };
  } finally {
    await Promise.allSettled(planned.map((p) => ('dispose' in p.evaluator && p.evaluator.dispose ? p.evaluator.dispose() : undefined)));
  }
}

function tallyBatch(tally: RowTally, ctx: BatchContext, status: Uint8Array): void {
  tally.evaluator.evaluate(ctx, status);
  const first = ctx.batch.firstRowIndex;
  const n = status.length;
  tally.rows += n;
  for (let i = 0; i < n; i++) {
    const s = status[i];
    if (s === 0) continue;
    if (s === IGNORED && !tally.nullsUnexpected) tally.ignored++;
    else if (s === UNEXPECTED || s === IGNORED) tally.record(first + i, ctx, i);
  }
}

/**
 * Adds the rows uniqueness rules found at the end, then reads their values back: just the batches that hold them
 * where the first pass gave their locations (plain CSV/TSV), else one more pass up to the last row wanted; either way
 * only the rules' columns. The first pass has checked every row's shape, so this one skips row tails.
 */
async function addLateRows(planned: Planned[], data: string[], allReads: readonly ColumnRead[], locations: BatchLocation[] | undefined): Promise<void> {
  const late: { tally: RowTally; rows: number[] }[] = [];
  for (const item of planned) {
    const tally = item.tally;
    if (!tally?.evaluator.lateUnexpectedRows || item.error) continue;
    const rows: Iterable<number> = await tally.evaluator.lateUnexpectedRows();
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
  const valueAt = new Map<RowTally, Map<number, ReportedValue>>();
  let remaining = wanted.size;
  const rowsWanted = [...wanted.keys()].sort((a, b) => a - b);
  for await (const batch of locations ? batchesHolding(dataset, locations, rowsWanted) : dataset.batches()) {
    const ctx = new BatchContext(batch, reads, index);
    for (let i = 0; i < batch.rowCount; i++) {
      const tallies = wanted.get(batch.firstRowIndex + i);
      if (!tallies) continue;
      remaining--;
      for (const tally of tallies) {
        const [first] = tally.evaluator.columns;
        let values = valueAt.get(tally);
        if (!values) valueAt.set(tally, (values = new Map()));
        values.set(batch.firstRowIndex + i, first === undefined ? null : ctx.value(first, i));
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

/** The batches at `locations` (ascending) that hold any of `rows` (ascending), each read again alone. */
async function* batchesHolding(dataset: Dataset, locations: readonly BatchLocation[], rows: readonly number[]): AsyncGenerator<RecordBatch> {
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

async function resultOf(item: Planned, table: { columns: string[]; rows: number }): Promise<ExpectationResult> {
  const { rule, evaluator, tally } = item;
  const config = { type: rule.expectation.type, kwargs: rule.expectation.kwargs, meta: rule.expectation.meta ?? {} };
  const meta = { rule: rule.name, severity: rule.severity, kind: evaluator.kind, source: sourceOf(rule), failing_rows: [] as FailingRow[] };
  const failure = (message: string): ExpectationResult => ({
    success: false,
    expectation_config: config,
    result: {},
    exception_info: { raised_exception: true, exception_message: message, exception_traceback: null },
    meta,
  });
  if (item.error) return failure(item.error);
  const noException = { raised_exception: false, exception_message: null, exception_traceback: null };
  if (tally) {
    const format = tally.format;
    const nonMissing = tally.rows - tally.ignored;
    const mostly = typeof rule.expectation.kwargs.mostly === 'number' ? rule.expectation.kwargs.mostly : 1;
    const success = nonMissing === 0 || (nonMissing - tally.unexpected) / nonMissing >= mostly;
    meta.failing_rows = tally.samples;
    const details = evaluator.kind === 'row' && evaluator.details ? evaluator.details() : undefined;
    const result = {
      element_count: tally.rows,
      missing_count: tally.ignored,
      missing_percent: percent(tally.ignored, tally.rows),
      unexpected_count: tally.unexpected,
      unexpected_percent: percent(tally.unexpected, nonMissing) ?? 0,
      unexpected_percent_total: percent(tally.unexpected, tally.rows) ?? 0,
      unexpected_percent_nonmissing: percent(tally.unexpected, nonMissing) ?? 0,
      partial_unexpected_list: tally.values.slice(0, format.partialCount),
      unexpected_list: tally.values,
      unexpected_index_list: tally.indices,
      observed_value: null,
      ...(details || tally.unexpected > tally.indices.length
        ? { details: { ...details, ...(tally.unexpected > tally.indices.length ? { unexpected_lists_truncated_to: tally.indices.length } : {}) } }
        : {}),
    };
    return { success, expectation_config: config, result: format.format === 'BOOLEAN_ONLY' ? {} : result, exception_info: noException, meta };
  }
  try {
    let outcome;
    if (evaluator.kind === 'table') outcome = evaluator.finish(table);
    else if (evaluator.kind === 'aggregate') {
      await evaluator.prepare?.();
      outcome = evaluator.finish();
    } else throw new Error('row rule without a tally');
    const result = {
      element_count: outcome.element_count ?? null,
      missing_count: outcome.missing_count ?? null,
      missing_percent: outcome.element_count !== undefined ? percent(outcome.missing_count ?? 0, outcome.element_count) : null,
      unexpected_count: null,
      unexpected_percent: null,
      unexpected_percent_total: null,
      unexpected_percent_nonmissing: null,
      partial_unexpected_list: [],
      unexpected_list: [],
      unexpected_index_list: [],
      observed_value: outcome.observed_value,
      ...(outcome.details ? { details: outcome.details } : {}),
    };
    return { success: outcome.success, expectation_config: config, result: resultFormatOf(rule).format === 'BOOLEAN_ONLY' ? {} : result, exception_info: noException, meta };
  } catch (error) {
    if (error instanceof UserError) throw error;
    return failure((error as Error).message);
  }
}
