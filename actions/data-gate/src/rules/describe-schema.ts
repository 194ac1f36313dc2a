// Words for what a keyword argument should be and what it was, for messages such as
// "'min_value' must be a number or an ISO date string, got 'abc'".
import type { JsonSchema } from './expectation-catalog.js';

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'a boolean',
  null: 'null',
  array: 'a list',
  object: 'a mapping',
};

function joinOr(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}`;
}

function range(schema: JsonSchema): string {
  const { minimum, maximum, exclusiveMinimum } = schema;
  if (typeof minimum === 'number' && typeof maximum === 'number') return ` between ${minimum} and ${maximum}`;
  if (typeof minimum === 'number') return minimum === 0 ? ' (0 or more)' : ` of at least ${minimum}`;
  if (typeof exclusiveMinimum === 'number') return ` greater than ${exclusiveMinimum}`;
  if (typeof maximum === 'number') return ` of at most ${maximum}`;
  return '';
}

/** What a value matching `schema` is, in words: its title if it has one, else derived from type, enum, anyOf. */
export function describeSchema(schema: JsonSchema): string {
  const text = describe(schema);
  return text === 'a boolean' ? 'true or false' : text;
}

function describe(schema: JsonSchema): string {
  if (typeof schema.title === 'string') return schema.title;
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((value) => showValue(value)).join(', ')}`;
  if (Array.isArray(schema.anyOf)) return joinOr((schema.anyOf as JsonSchema[]).map(describe));
  const types = [schema.type].flat().filter((type): type is string => typeof type === 'string');
  if (types.length === 0) return 'a value';
  const words = types.map((type) => TYPE_WORDS[type] ?? type);
  const bounded = types.some((type) => type === 'number' || type === 'integer');
  let text = joinOr(words);
  if (bounded) text = joinOr(words.map((word) => (word === 'null' ? word : `${word}${range(schema)}`)));
  if (types.includes('array')) {
    const { minItems, maxItems } = schema;
    if (typeof minItems === 'number' && minItems === maxItems) text = `a list of ${minItems} items`;
    else if (typeof minItems === 'number' && minItems > 0) text = `a list of at least ${minItems} item${minItems === 1 ? '' : 's'}`;
  }
  if (types.includes('string') && typeof schema.minLength === 'number' && schema.minLength > 0)
    text = text.replace('a string', 'a non-empty string');
  return text;
}

/** A value as the user wrote it, short: strings quoted, long structures cut. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return String(value);
  // Infinity and NaN (Python's json writes them bare) show as themselves, not as JSON's null.
  const text = JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
