// value_set kwargs as a column compares them: numbers for number columns (ISO dates as epoch ms, booleans as 0/1),
// text for text columns, so that `value_set: [1, 2]` matches the cell "2" of a numerical column as GX does.
import type { ColumnType } from '#shared/data/types.js';
import { boundValue, listArg, type EvaluatorEnv, type Kwargs } from './kwargs.js';

export function isNumberType(type: ColumnType): boolean {
  return type === 'numerical' || type === 'datetime' || type === 'boolean';
}

export interface ValueSet {
  numbers: Set<number>;
  texts: Set<string>;
  /** The kwarg's items as the user wrote them, in order, with the key each compares by (none for null). */
  entries: { item: unknown; key: number | string | undefined }[];
  /**
   * The set holds null: a value like any other in GX (Python's None), which no non-null cell equals, so
   * distinct_values_to_equal_set / _contain_set with null in the set fail (nulls are never among the observed values).
   */
  hasNull: boolean;
}

export function valueSetArg(kwargs: Kwargs, type: ColumnType, env: EvaluatorEnv, name = 'value_set'): ValueSet {
  const all = kwargs[name] === null ? [] : listArg(kwargs, name, env);
  const hasNull = all.includes(null);
  const items = all.filter((item) => item !== null);
  const numbers = new Set<number>();
  const texts = new Set<string>();
  const entries: ValueSet['entries'] = [];
  for (const item of items) {
    texts.add(String(item));
    let value: number | undefined;
    if (typeof item === 'boolean') value = item ? 1 : 0;
    else if (type === 'boolean' && typeof item === 'string') value = /^true$/i.test(item) ? 1 : /^false$/i.test(item) ? 0 : undefined;
    else if (isNumberType(type)) value = boundValue(item, name, type, env);
    if (value !== undefined) numbers.add(value);
    entries.push({ item, key: isNumberType(type) ? value : String(item) });
  }
  if (hasNull) entries.push({ item: null, key: undefined });
  return { numbers, texts, entries, hasNull };
}
