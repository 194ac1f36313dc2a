// GX's conditional expectations in the streaming pass: a rule with a row_condition sees a batch of just the rows
// where the condition holds (as pandas' DataFrame.query hands GX a smaller frame), with each row's dataset index
// kept so failing rows keep their row numbers and lines. Rules without a condition never come here, so they pay
// nothing for it. Comparisons follow pandas: a null is never equal, less or greater (only != holds).
import { INVALID_CELL, type ColumnValues, type RecordBatch } from '#shared/data/types.js';
import { parseIsoDateText } from '#shared/data/value-parsers.js';
import type { Literal, RowCondition } from '../rules/row-condition.js';
import { BatchContext } from './evaluator.js';
import { isNumberType } from './value-sets.js';

function compare(a: number | string, op: string, b: number | string): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

/** The literal as the column compares it: a number for number columns (dates as epoch ms), else text. */
function literalFor(value: Literal, numeric: boolean, datetime: boolean): number | string | boolean | null {
  if (value !== null && typeof value === 'object') return datetime ? parseIsoDateText(value.date) : value.date;
  if (typeof value === 'boolean') return numeric ? (value ? 1 : 0) : value ? 'True' : 'False';
  if (typeof value === 'string' && datetime) {
    const ms = parseIsoDateText(value);
    return ms === ms ? ms : value;
  }
  return value;
}

/** 1 where `condition` holds for row i of the batch. */
export function conditionMask(ctx: BatchContext, condition: RowCondition): Uint8Array {
  const n = ctx.rowCount;
  const out = new Uint8Array(n);
  switch (condition.kind) {
    case 'and':
    case 'or': {
      const a = conditionMask(ctx, condition.left);
      const b = conditionMask(ctx, condition.right);
      for (let i = 0; i < n; i++) out[i] = condition.kind === 'and' ? a[i] & b[i] : a[i] | b[i];
      return out;
    }
    case 'not': {
      const a = conditionMask(ctx, condition.operand);
      for (let i = 0; i < n; i++) out[i] = a[i] ^ 1;
      return out;
    }
    case 'null': {
      const nulls = ctx.nulls(condition.column);
      for (let i = 0; i < n; i++) out[i] = condition.isNull ? nulls[i] : nulls[i] ^ 1;
      return out;
    }
    default:
  }
  const type = ctx.typeOf(condition.column);
  const numeric = isNumberType(type);
  const datetime = type === 'datetime';
  const values =
    condition.kind === 'in'
      ? condition.values.map((v) => literalFor(v, numeric, datetime))
      : [literalFor(condition.value, numeric, datetime)];
  const test = (cell: number | string | null): boolean => {
    if (condition.kind === 'in') {
      const found = cell !== null && values.includes(cell);
      return condition.negated ? !found : found;
    }
    const [value] = values;
    if (cell === null || value === null || typeof value === 'boolean')
      return condition.op === '!=' ? cell !== value : cell === value && condition.op === '==';
    // pandas: a number and a string are never equal (and order raises; here: false).
    if (typeof cell !== typeof value) return condition.op === '!=';
    return compare(cell, condition.op, value);
  };
  if (numeric) {
    const { values: numbers, missing } = ctx.numbers(condition.column);
    for (let i = 0; i < n; i++) {
      const m = missing[i];
      out[i] = test(m === 1 ? null : m === INVALID_CELL ? (ctx.invalidValue(condition.column, i) ?? '') : numbers[i]) ? 1 : 0;
    }
  } else {
    const texts = ctx.strings(condition.column);
    for (let i = 0; i < n; i++) {
      const t = texts[i];
      // A number literal against a text column: pandas compares numbers when the column holds numbers.
      out[i] = test(t !== null && typeof values[0] === 'number' && t.trim() !== '' && !Number.isNaN(Number(t)) ? Number(t) : t) ? 1 : 0;
    }
  }
  return out;
}

function selectColumn(column: ColumnValues, keep: Int32Array): ColumnValues {
  const n = keep.length;
  if (column.kind === 'number') {
    const values = new Float64Array(n);
    const missing = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      values[k] = column.values[keep[k]];
      missing[k] = column.missing[keep[k]];
    }
    return { kind: 'number', values, missing };
  }
  if (column.kind === 'string') return { kind: 'string', values: Array.from(keep, (i) => column.values[i]) };
  const offsets = new Int32Array(n + 1);
  let bytes = 0;
  for (let k = 0; k < n; k++) bytes += column.offsets[keep[k] + 1] - column.offsets[keep[k]];
  const data = new Uint8Array(bytes);
  const missing = new Uint8Array(n);
  let at = 0;
  for (let k = 0; k < n; k++) {
    const i = keep[k];
    data.set(column.data.subarray(column.offsets[i], column.offsets[i + 1]), at);
    at += column.offsets[i + 1] - column.offsets[i];
    offsets[k + 1] = at;
    missing[k] = column.missing[i];
  }
  return { ...column, data, offsets, missing };
}

/** A context over the rows of `ctx` where `mask` is 1, each row keeping its dataset index and line. */
export function selectRows(ctx: BatchContext, mask: Uint8Array): BatchContext {
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i];
  const keep = new Int32Array(count);
  const rowMap = new Float64Array(count);
  const position = new Int32Array(mask.length).fill(-1);
  for (let i = 0, k = 0; i < mask.length; i++)
    if (mask[i] === 1) {
      position[i] = k;
      keep[k] = i;
      rowMap[k++] = ctx.rowIndex(i);
    }
  const batch: RecordBatch = ctx.batch;
  const selected: RecordBatch = {
    file: batch.file,
    rowCount: count,
    firstRowIndex: count > 0 ? rowMap[0] : batch.firstRowIndex,
    lines: Uint32Array.from(keep, (i) => batch.lines[i]),
    columns: batch.columns.map((column) => selectColumn(column, keep)),
    invalid: batch.invalid?.filter((cell) => position[cell.row] >= 0).map((cell) => ({ ...cell, row: position[cell.row] })),
  };
  const { reads, index } = ctx.layout;
  return new BatchContext(selected, reads, index, rowMap);
}
