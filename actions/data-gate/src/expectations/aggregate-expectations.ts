// Column aggregate expectations: one observed value per column (min, mean, median, distinct values, the most common
// value, KL divergence from an expected partition, the newest timestamp), folded batch by batch with bounded memory
// and checked at the end, with GX's names, kwargs and observed values.
import { UserError } from '#shared/errors.js';
import { relativeEntropy } from '#shared/stats/distances/binned-distances.js';
import { INVALID_CELL, type ColumnType } from '#shared/data/types.js';
import { DuplicateFinder } from './duplicate-finder.js';
import { isParquetDate } from './pandas-dtype.js';
import type { AggregateEvaluator, AggregateOutcome, BatchContext } from './evaluator.js';
import {
  columnArg,
  ExpectationRaised,
  inRange,
  listArg,
  numberArg,
  optionalBoolean,
  rangeArgs,
  stringArg,
  type EvaluatorEnv,
  type Kwargs,
  type Range,
} from './kwargs.js';
import { Moments, NumericValues, SKETCH_RELATIVE_ERROR, type Interpolation } from './numeric-values.js';
import { isNumberType, valueSetArg, type ValueSet } from './value-sets.js';

type AggregateFactory = (kwargs: Kwargs, env: EvaluatorEnv) => AggregateEvaluator;

/** Distinct values listed in an observed value at most; the decision itself never depends on this cap. */
const DISTINCT_LIST_LIMIT = 1000;
/** Distinct values counted exactly for the most common value; past it, Misra-Gries heavy hitters. */
const COUNTED_VALUES_LIMIT = 100_000;

/** Folds a column's non-null numbers (numbers, dates as epoch ms; text parsed), counting rows, nulls and bad cells. */
class NumberFold {
  rows = 0;
  nulls = 0;
  invalid = 0;
  /** The batch folded last: a fold shared by several rules folds each batch once. */
  private last: BatchContext['batch'] | undefined;
  constructor(
    private readonly column: string,
    private readonly each: (value: number) => void,
  ) {}

  update(ctx: BatchContext): void {
    if (ctx.batch === this.last) return;
    this.last = ctx.batch;
    const { values, missing } = ctx.numbers(this.column);
    this.rows += values.length;
    for (let i = 0; i < values.length; i++) {
      const m = missing[i];
      if (m === 0) this.each(values[i]);
      else if (m === 1) this.nulls++;
      else this.invalid++;
    }
  }

  counts(): Pick<AggregateOutcome, 'element_count' | 'missing_count'> {
    return { element_count: this.rows, missing_count: this.nulls };
  }

  details(extra: Record<string, unknown> = {}): Record<string, unknown> | undefined {
    const d = { ...extra, ...(this.invalid > 0 ? { values_not_numbers: this.invalid } : {}) };
    return Object.keys(d).length > 0 ? d : undefined;
  }
}

/** Shows a number of a datetime column as an ISO timestamp, as GX shows pandas Timestamps. */
function shown(value: number, type: ColumnType): unknown {
  if (value !== value) return null;
  return type === 'datetime' ? new Date(value).toISOString() : value;
}

/** Running moments of a column's numbers (and its values too, for medians). */
function momentsFold(column: string, values?: NumericValues): { moments: Moments; fold: NumberFold } {
  // The values' holder keeps the moments too.
  if (values) return { moments: values.moments, fold: new NumberFold(column, (v) => values.add(v)) };
  const moments = new Moments();
  return { moments, fold: new NumberFold(column, (v) => moments.add(v)) };
}

function statisticRule(
  kwargs: Kwargs,
  env: EvaluatorEnv,
  pick: (m: Moments, values: NumericValues | undefined) => number,
  needsValues = false,
  raisesOnText = true,
): AggregateEvaluator {
  const column = columnArg(kwargs, env);
  const type = env.columnType(column);
  const range: Range = rangeArgs(kwargs, type, env);
  const values = needsValues ? new NumericValues(env.budgetBytes) : undefined;
  // min, max, mean, sum and stdev of one column all read the same moments: one fold serves them all.
  const { moments, fold } = values ? momentsFold(column, values) : env.shared(`moments:${column}`, () => momentsFold(column));
  return {
    kind: 'aggregate',
    columns: [column],
    update: (ctx) => fold.update(ctx),
    finish() {
      // pandas cannot average text: GX's column.mean/std/sum/median metrics raise on a column holding any (an object
      // column); min and max compare text, and data-gate reports those cells as values that are not numbers instead.
      if (fold.invalid > 0 && raisesOnText)
        throw new ExpectationRaised(
          `TypeError: could not convert string to float: column '${column}' has ${fold.invalid} value(s) that are not numbers`,
        );
      const observed = pick(moments, values);
      const sketched =
        values && !values.exact
          ? { estimate: `relative error ${SKETCH_RELATIVE_ERROR} (values past the memory budget were sketched)` }
          : {};
      return {
        success: observed === observed && inRange(observed, range),
        observed_value: shown(observed, type),
        ...fold.counts(),
        details: fold.details(sketched),
      };
    },
  };
}

/**
 * A Parquet DATE column is an object column of datetime.date in pandas: column.min()/max() raise when it holds a null
 * (NaN is a float), and _validate_metric_value_between (expectation.py) raises comparing a date with a string bound,
 * parsing strings only for datetime values. With no null and no bound, GX reports the extreme date.
 */
function dateObjectExtreme(kwargs: Kwargs, env: EvaluatorEnv, op: '<=' | '>=', inner: AggregateEvaluator): AggregateEvaluator {
  const column = columnArg(kwargs, env);
  if (!isParquetDate(env.storedColumn(column))) return inner;
  let nulls = false;
  const compare = typeof kwargs.min_value === 'string' ? '>=' : typeof kwargs.max_value === 'string' ? '<=' : undefined;
  return {
    ...inner,
    update(ctx) {
      if (!nulls && ctx.nulls(column).includes(1)) nulls = true;
      inner.update(ctx);
    },
    finish() {
      if (nulls) throw new ExpectationRaised(`TypeError: '${op}' not supported between instances of 'datetime.date' and 'float'`);
      if (compare) throw new ExpectationRaised(`TypeError: '${compare}' not supported between instances of 'datetime.date' and 'str'`);
      return inner.finish();
    },
  };
}

/** Distinct non-null values of a column, keyed as the column compares them; exact, with the list capped for display. */
class DistinctValues {
  readonly counts = new Map<number | string, number>();
  /** True once more than COUNTED_VALUES_LIMIT values were seen: counts are then Misra-Gries estimates. */
  approximate = false;
  rows = 0;
  nulls = 0;

  constructor(
    readonly column: string,
    readonly numeric: boolean,
  ) {}

  update(ctx: BatchContext): void {
    if (this.numeric) {
      const { values, missing } = ctx.numbers(this.column);
      this.rows += values.length;
      for (let i = 0; i < values.length; i++) {
        const m = missing[i];
        if (m === 1) this.nulls++;
        else this.add(m === INVALID_CELL ? (ctx.invalidValue(this.column, i) ?? '') : values[i]);
      }
    } else {
      const texts = ctx.strings(this.column);
      this.rows += texts.length;
      for (const t of texts) {
        if (t === null) this.nulls++;
        else this.add(t);
      }
    }
  }

  private add(value: number | string): void {
    const counts = this.counts;
    const known = counts.get(value);
    if (known !== undefined) {
      counts.set(value, known + 1);
      return;
    }
    if (counts.size < COUNTED_VALUES_LIMIT) {
      counts.set(value, 1);
      return;
    }
    // Misra-Gries: decrement every counter; a value more frequent than n / limit keeps a counter.
    this.approximate = true;
    for (const [key, count] of counts) {
      if (count <= 1) counts.delete(key);
      else counts.set(key, count - 1);
    }
  }
}

function sortedValues(values: Iterable<number | string>): (number | string)[] {
  return [...values].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0,
  );
}

/** The rule's three distinct-values checks; each decides from membership, so no cap changes a verdict. */
function distinctSetRule(kwargs: Kwargs, env: EvaluatorEnv, check: 'in' | 'equal' | 'contain'): AggregateEvaluator {
  const column = columnArg(kwargs, env);
  const type = env.columnType(column);
  const numeric = isNumberType(type);
  // GX 1.x _validate: to_be_in_set takes `value_set or []` and an empty set holds; equal/contain call set(value_set),
  // which raises on None (expectations/core/expect_column_distinct_values_to_*.py).
  if (kwargs.value_set === null && check !== 'in') throw new ExpectationRaised("TypeError: 'NoneType' object is not iterable");
  const set: ValueSet = valueSetArg(kwargs, type, env);
  const vacuous = check === 'in' && set.entries.length === 0;
  const inSet = (v: number | string) => (typeof v === 'number' ? set.numbers.has(v) : set.texts.has(v));
  const seenMembers = new Set<number | string>();
  let outside = 0;
  const outsideValues: (number | string)[] = [];
  const observed = new Set<number | string>();
  let rows = 0;
  let nulls = 0;
  const visit = (v: number | string) => {
    if (inSet(v)) seenMembers.add(v);
    else if (!observed.has(v)) {
      outside++;
      if (outsideValues.length < DISTINCT_LIST_LIMIT) outsideValues.push(v);
    }
    if (observed.size < DISTINCT_LIST_LIMIT || observed.has(v)) observed.add(v);
  };
  return {
    kind: 'aggregate',
    columns: [column],
    update(ctx) {
      if (numeric) {
        const { values, missing } = ctx.numbers(column);
        rows += values.length;
        for (let i = 0; i < values.length; i++) {
          if (missing[i] === 1) nulls++;
          else visit(missing[i] === INVALID_CELL ? (ctx.invalidValue(column, i) ?? '') : values[i]);
        }
      } else {
        const texts = ctx.strings(column);
        rows += texts.length;
        for (const t of texts) {
          if (t === null) nulls++;
          else visit(t);
        }
      }
    },
    finish() {
      const expectedCount = (numeric ? set.numbers.size : set.texts.size) + (set.hasNull ? 1 : 0);
      const allPresent = seenMembers.size === expectedCount;
      const success = check === 'in' ? vacuous || outside === 0 : check === 'contain' ? allPresent : outside === 0 && allPresent;
      const observedList = sortedValues(observed).map((v) => (typeof v === 'number' ? shown(v, type) : v));
      const details: Record<string, unknown> = { value_counts_outside_set: outside };
      if (outside > 0) details.values_outside_set = sortedValues(outsideValues).map((v) => (typeof v === 'number' ? shown(v, type) : v));
      if (check !== 'in' && !allPresent) {
        details.missing_from_data = set.entries.filter((e) => e.key === undefined || !seenMembers.has(e.key)).map((e) => e.item);
      }
      if (observed.size >= DISTINCT_LIST_LIMIT) details.observed_value_truncated_to = DISTINCT_LIST_LIMIT;
      return { success, observed_value: observedList, element_count: rows, missing_count: nulls, details };
    },
  };
}

function distinctCountRule(kwargs: Kwargs, env: EvaluatorEnv, proportion: boolean): AggregateEvaluator {
  const column = columnArg(kwargs, env);
  const range = rangeArgs(kwargs, 'numerical', env);
  const finder = new DuplicateFinder({ budgetBytes: env.budgetBytes, collectRows: false });
  let rows = 0;
  let nulls = 0;
  let distinct = 0;
  return {
    kind: 'aggregate',
    columns: [column],
    update(ctx) {
      // Dataset row numbers without a call a row (ctx.rowIndex): a row_condition's batch maps its rows back.
      const { rowMap } = ctx;
      const first = ctx.batch.firstRowIndex;
      const isNull = ctx.nulls(column);
      const { hi, lo } = ctx.keys(column);
      rows += isNull.length;
      for (let i = 0; i < isNull.length; i++) {
        if (isNull[i] === 1) nulls++;
        else finder.add(hi[i], lo[i], rowMap ? rowMap[i] : first + i);
      }
    },
    async prepare() {
      distinct = await finder.distinctCount();
    },
    finish() {
      const nonNull = rows - nulls;
      const observed = proportion ? (nonNull === 0 ? 0 : distinct / nonNull) : distinct;
      return {
        success: inRange(observed, range),
        observed_value: observed,
        element_count: rows,
        missing_count: nulls,
        details: { counted: finder.method },
      };
    },
    dispose: () => finder.dispose(),
  };
}

function mostCommonRule(kwargs: Kwargs, env: EvaluatorEnv): AggregateEvaluator {
  const column = columnArg(kwargs, env);
  const type = env.columnType(column);
  const numeric = isNumberType(type);
  const set = valueSetArg(kwargs, type, env);
  const tiesOkay = optionalBoolean(kwargs, 'ties_okay', false);
  const distinct = new DistinctValues(column, numeric);
  return {
    kind: 'aggregate',
    columns: [column],
    update: (ctx) => distinct.update(ctx),
    finish() {
      let best = 0;
      for (const count of distinct.counts.values()) if (count > best) best = count;
      const modes = sortedValues([...distinct.counts].filter(([, c]) => c === best && best > 0).map(([v]) => v));
      const inSet = (v: number | string) => (typeof v === 'number' ? set.numbers.has(v) : set.texts.has(v));
      const success = modes.length > 0 && (tiesOkay ? modes.some(inSet) : modes.length === 1 && inSet(modes[0]));
      return {
        success,
        observed_value: modes.map((v) => (typeof v === 'number' ? shown(v, type) : v)),
        element_count: distinct.rows,
        missing_count: distinct.nulls,
        details: distinct.approximate
          ? {
              estimate: `Misra-Gries over ${COUNTED_VALUES_LIMIT} counters: exact for any value more frequent than 1/${COUNTED_VALUES_LIMIT} of the rows`,
            }
          : undefined,
      };
    },
  };
}

/** scipy.stats.entropy(pk, qk): both renormalised; infinite where pk > 0 = qk (the shared KL divergence, unfloored). */
export function entropy(pk: readonly number[], qk: readonly number[]): number {
  return relativeEntropy(pk, qk);
}

/** scipy.stats.entropy's result as GX reports it: inf or nan is observed_value null (and fails any threshold). */
function klOutcome(kl: number, threshold: number | undefined): { success: boolean; observed_value: number | null } {
  return { success: threshold === undefined ? true : kl <= threshold, observed_value: Number.isFinite(kl) ? kl : null };
}

/**
 * GX's expect_column_kl_divergence_to_be_less_than, following its _validate line by line
 * (great_expectations/expectations/core/expect_column_kl_divergence_to_be_less_than.py): a categorical partition
 * compares value shares, unseen values sharing tail_weight_holdout; a binned one compares np.histogram shares plus
 * the tails (values below and above the bins, or the infinite end bins), with tail_weight_holdout,
 * internal_weight_holdout and tail_weights as GX applies them, and raises where GX raises.
 */
function klRule(kwargs: Kwargs, env: EvaluatorEnv): AggregateEvaluator {
  const column = columnArg(kwargs, env);
  const type = env.columnType(column);
  const threshold = kwargs.threshold === null || kwargs.threshold === undefined ? undefined : numberArg(kwargs, 'threshold', env);
  const partition = kwargs.partition_object as
    { values?: unknown[]; bins?: unknown[]; weights?: unknown[]; tail_weights?: unknown[] } | undefined;
  const tail = typeof kwargs.tail_weight_holdout === 'number' ? kwargs.tail_weight_holdout : 0;
  const internal = typeof kwargs.internal_weight_holdout === 'number' ? kwargs.internal_weight_holdout : 0;
  if (!partition || typeof partition !== 'object' || !Array.isArray(partition.weights))
    throw new UserError(`${env.describe()}: 'partition_object' must be {values, weights} or {bins, weights}.`);
  if (threshold !== undefined && threshold < 0)
    throw new ExpectationRaised('ValueError: Threshold must be specified, greater than or equal to zero.');
  if (tail < 0 || tail > 1) throw new ExpectationRaised('ValueError: tail_weight_holdout must be between zero and one.');
  if (internal < 0 || internal > 1) throw new ExpectationRaised('ValueError: internal_weight_holdout must be between zero and one.');
  if (tail !== 0 && partition.tail_weights)
    throw new ExpectationRaised('ValueError: tail_weight_holdout must be 0 when using tail_weights in partition object');
  const weights = listArg(partition, 'weights', env).map(Number);
  if (Array.isArray(partition.bins))
    return binnedKl(column, partition.bins.map(Number), weights, partition.tail_weights?.map(Number), {
      tail,
      internal,
      threshold,
      kwargs,
      env,
    });
  if (internal > 0) throw new ExpectationRaised('ValueError: Internal weight holdout cannot be used for discrete data.');
  const values = listArg(partition, 'values', env);
  if (values.length !== weights.length)
    throw new UserError(`${env.describe()}: 'partition_object' has ${values.length} values but ${weights.length} weights.`);
  const distinct = new DistinctValues(column, isNumberType(type));
  const keyOf = (v: unknown): number | string => (isNumberType(type) && typeof v === 'number' ? v : String(v));
  return {
    kind: 'aggregate',
    columns: [column],
    update: (ctx) => distinct.update(ctx),
    finish() {
      const nonnull = distinct.rows - distinct.nulls;
      const expectedKeys = values.map(keyOf);
      const known = new Set(expectedKeys);
      // pd.concat([expected, observed], axis=1): the expected values first, then the others as value_counts lists them.
      const unexpected = [...distinct.counts].filter(([k]) => !known.has(k)).sort((a, b) => b[1] - a[1]);
      const pk = [...expectedKeys.map((k) => (distinct.counts.get(k) ?? 0) / nonnull), ...unexpected.map(([, count]) => count / nonnull)];
      const qk =
        unexpected.length > 0
          ? [...weights.map((w) => w * (1 - tail)), ...unexpected.map(() => tail / unexpected.length)]
          : weights.slice();
      const index = [...values, ...unexpected.map(([k]) => (typeof k === 'number' ? shown(k, type) : k))];
      return {
        ...klOutcome(entropy(pk, qk), threshold),
        element_count: distinct.rows,
        missing_count: distinct.nulls,
        details: { observed_partition: { values: index, weights: pk }, expected_partition: { values: index, weights: qk } },
      };
    },
  };
}

function binnedKl(
  column: string,
  bins: number[],
  weights: number[],
  tailWeights: number[] | undefined,
  options: { tail: number; internal: number; threshold: number | undefined; kwargs: Kwargs; env: EvaluatorEnv },
): AggregateEvaluator {
  const { tail, internal, threshold, kwargs, env } = options;
  if (kwargs.bucketize_data === false)
    throw new ExpectationRaised(
      'ValueError: KL Divergence cannot be computed with a continuous partition object and the bucketize_data parameter set to false.',
    );
  if (bins.length !== weights.length + 1 || bins.some((b, i) => i > 0 && !(b > bins[i - 1])))
    throw new UserError(
      `${env.describe()}: 'partition_object.bins' must be ${weights.length + 1} increasing edges for ${weights.length} weights.`,
    );
  const leftInfinite = bins[0] === -Infinity;
  const rightInfinite = bins[bins.length - 1] === Infinity;
  if (leftInfinite && rightInfinite && tail > 0)
    throw new ExpectationRaised('ValueError: tail_weight_holdout cannot be used for partitions with infinite endpoints.');
  if ((leftInfinite || rightInfinite) && tailWeights)
    throw new ExpectationRaised('ValueError: There can be no tail weights for partitions with one or both endpoints at infinity');
  const hist = new Float64Array(weights.length);
  let below = 0;
  let above = 0;
  const last = bins[bins.length - 1];
  const fold = new NumberFold(column, (v) => {
    if (v < bins[0]) below++;
    else if (v > last) above++;
    else {
      // numpy.histogram: bins are [a, b) except the last, [a, b].
      let lo = 0;
      let hi = weights.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (v >= bins[mid]) lo = mid;
        else hi = mid - 1;
      }
      hist[lo]++;
    }
  });
  return {
    kind: 'aggregate',
    columns: [column],
    update: (ctx) => fold.update(ctx),
    finish() {
      if (fold.invalid > 0)
        throw new ExpectationRaised(
          `TypeError: '<' not supported between instances of 'str' and 'float' (column '${column}' has ${fold.invalid} value(s) that are not numbers)`,
        );
      const nonnull = fold.rows - fold.nulls;
      let observed = [...hist].map((c) => c / nonnull);
      let expected = weights.map((w) => w * (1 - tail - internal));
      if (internal > 0) {
        const zeros = expected.filter((w) => w === 0).length;
        if (zeros > 0) expected = expected.map((w) => (w === 0 ? internal / zeros : w));
      }
      let expectedBins = bins;
      let combExpected: number[];
      let combObserved: number[];
      let expectedTail: number[];
      let observedTail: number[];
      if (leftInfinite && rightInfinite) {
        expectedBins = bins.slice(1, -1);
        combExpected = expected;
        expectedTail = [expected[0], expected[expected.length - 1]];
        combObserved = observed;
        observedTail = [observed[0], observed[observed.length - 1]];
        expected = expected.slice(1, -1);
        observed = observed.slice(1, -1);
      } else if (leftInfinite) {
        expectedBins = bins.slice(1);
        combExpected = [...expected, tail];
        expectedTail = [expected[0], tail];
        combObserved = [...observed, above / nonnull];
        observedTail = [observed[0], above / nonnull];
        expected = expected.slice(1);
        observed = observed.slice(1);
      } else if (rightInfinite) {
        expectedBins = bins.slice(0, -1);
        combExpected = [tail, ...expected];
        expectedTail = [tail, expected[expected.length - 1]];
        combObserved = [below / nonnull, ...observed];
        observedTail = [below / nonnull, observed[observed.length - 1]];
        expected = expected.slice(0, -1);
        observed = observed.slice(0, -1);
      } else {
        expectedTail = tailWeights ? [tailWeights[0], tailWeights[1]] : [tail / 2, tail / 2];
        combExpected = [expectedTail[0], ...expected, expectedTail[1]];
        combObserved = [below / nonnull, ...observed, above / nonnull];
        observedTail = [below / nonnull, above / nonnull];
      }
      return {
        ...klOutcome(entropy(combObserved, combExpected), threshold),
        ...fold.counts(),
        details: {
          observed_partition: { bins: expectedBins, weights: observed, tail_weights: observedTail },
          expected_partition: { bins: expectedBins, weights: expected, tail_weights: expectedTail },
        },
      };
    },
  };
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d|w)$/i;
const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** "36h", "7d", "30m", "2w", "PT6H", "P1DT2H" or a number of seconds, in milliseconds. */
export function parseMaxAge(value: unknown, env: EvaluatorEnv): number {
  if (typeof value === 'number' && value > 0) return value * 1000;
  if (typeof value === 'string') {
    const simple = DURATION.exec(value.trim());
    if (simple) {
      const unit = simple[2].toLowerCase();
      const seconds = { s: 1, sec: 1, m: 60, min: 60, h: 3600, d: 86400, w: 604800 }[unit] ?? 1;
      return Number(simple[1]) * seconds * 1000;
    }
    const iso = ISO_DURATION.exec(value.trim());
    if (iso && value.trim() !== 'P' && value.trim().toUpperCase() !== 'PT') {
      const [, w, d, h, m, s] = iso.map((x) => Number(x ?? 0));
      return (((w * 7 + d) * 24 + h) * 3600 + m * 60 + s) * 1000;
    }
  }
  throw new UserError(
    `${env.describe()}: 'max_age' must be a duration like "36h", "7d", "30m", "PT6H" or a number of seconds, got ${JSON.stringify(value)}.`,
  );
}

function freshnessRule(kwargs: Kwargs, env: EvaluatorEnv): AggregateEvaluator {
  const column = columnArg(kwargs, env);
  const maxAge = parseMaxAge(kwargs.max_age, env);
  const now = kwargs.now === undefined ? env.now.getTime() : Date.parse(stringArg(kwargs, 'now', env));
  if (now !== now) throw new UserError(`${env.describe()}: 'now' must be an ISO 8601 timestamp.`);
  if (env.columnType(column) !== 'datetime')
    throw new UserError(
      `${env.describe()}: column '${column}' is read as ${env.columnType(column)}, not datetime; declare it under 'columns:' in the rules file (e.g. ${column}: datetime).`,
    );
  let newest = -Infinity;
  const fold = new NumberFold(column, (v) => {
    if (v > newest) newest = v;
  });
  return {
    kind: 'aggregate',
    columns: [column],
    update: (ctx) => fold.update(ctx),
    finish() {
      const age = now - newest;
      return {
        success: Number.isFinite(newest) && age <= maxAge,
        observed_value: Number.isFinite(newest) ? new Date(newest).toISOString() : null,
        ...fold.counts(),
        details: fold.details({
          now: new Date(now).toISOString(),
          age_hours: Number.isFinite(age) ? Math.round((age / 3600000) * 1000) / 1000 : null,
          max_age_hours: maxAge / 3600000,
        }),
      };
    },
  };
}

function quantileRule(kwargs: Kwargs, env: EvaluatorEnv): AggregateEvaluator {
  const column = columnArg(kwargs, env);
  const type = env.columnType(column);
  const ranges = kwargs.quantile_ranges as { quantiles?: unknown; value_ranges?: unknown } | undefined;
  const quantiles = Array.isArray(ranges?.quantiles) ? (ranges.quantiles as unknown[]) : [];
  const valueRanges = Array.isArray(ranges?.value_ranges) ? (ranges.value_ranges as unknown[]) : [];
  if (quantiles.length === 0 || quantiles.length !== valueRanges.length || quantiles.some((q) => typeof q !== 'number' || q < 0 || q > 1))
    throw new UserError(
      `${env.describe()}: 'quantile_ranges' must be {quantiles: [numbers in 0..1], value_ranges: [[min, max], ...]} with one range per quantile.`,
    );
  const bounds = valueRanges.map((r) => {
    if (!Array.isArray(r) || r.length !== 2)
      throw new UserError(`${env.describe()}: each of 'quantile_ranges.value_ranges' must be [min, max] (null for no bound).`);
    return rangeArgs({ min_value: r[0], max_value: r[1] }, type, env);
  });
  // GX on pandas: Series.quantile(q, interpolation=allow_relative_error or "nearest").
  const interpolation = (typeof kwargs.allow_relative_error === 'string' ? kwargs.allow_relative_error : 'nearest') as Interpolation;
  if (!['linear', 'lower', 'higher', 'midpoint', 'nearest'].includes(interpolation))
    throw new UserError(
      `${env.describe()}: 'allow_relative_error' must be one of linear, lower, higher, midpoint, nearest (pandas interpolations).`,
    );
  const values = new NumericValues(env.budgetBytes);
  const fold = new NumberFold(column, (v) => values.add(v));
  return {
    kind: 'aggregate',
    columns: [column],
    update: (ctx) => fold.update(ctx),
    finish() {
      const observed = values.quantiles(quantiles as number[], interpolation);
      const success = observed.every((v, i) => v === v && inRange(v, bounds[i]));
      return {
        success,
        observed_value: { quantiles, values: observed.map((v) => shown(v, type)) },
        ...fold.counts(),
        details: fold.details(
          values.exact ? {} : { estimate: `relative error ${SKETCH_RELATIVE_ERROR} (values past the memory budget were sketched)` },
        ),
      };
    },
  };
}

export const AGGREGATE_EXPECTATIONS: Record<string, AggregateFactory> = {
  expect_column_min_to_be_between: (kwargs, env) =>
    dateObjectExtreme(
      kwargs,
      env,
      '<=',
      statisticRule(kwargs, env, (m) => (m.count === 0 ? NaN : m.min), false, false),
    ),
  expect_column_max_to_be_between: (kwargs, env) =>
    dateObjectExtreme(
      kwargs,
      env,
      '>=',
      statisticRule(kwargs, env, (m) => (m.count === 0 ? NaN : m.max), false, false),
    ),
  expect_column_mean_to_be_between: (kwargs, env) => statisticRule(kwargs, env, (m) => m.mean),
  expect_column_sum_to_be_between: (kwargs, env) => statisticRule(kwargs, env, (m) => m.sum),
  expect_column_stdev_to_be_between: (kwargs, env) => statisticRule(kwargs, env, (m) => m.stdev),
  expect_column_median_to_be_between: (kwargs, env) => statisticRule(kwargs, env, (_, v) => v!.quantile(0.5, 'linear'), true),
  expect_column_quantile_values_to_be_between: quantileRule,
  expect_column_unique_value_count_to_be_between: (kwargs, env) => distinctCountRule(kwargs, env, false),
  expect_column_proportion_of_unique_values_to_be_between: (kwargs, env) => distinctCountRule(kwargs, env, true),
  expect_column_distinct_values_to_be_in_set: (kwargs, env) => distinctSetRule(kwargs, env, 'in'),
  expect_column_distinct_values_to_equal_set: (kwargs, env) => distinctSetRule(kwargs, env, 'equal'),
  expect_column_distinct_values_to_contain_set: (kwargs, env) => distinctSetRule(kwargs, env, 'contain'),
  expect_column_most_common_value_to_be_in_set: mostCommonRule,
  expect_column_kl_divergence_to_be_less_than: klRule,
  expect_column_max_timestamp_to_be_recent: freshnessRule,
};
