// Guesses a column's type from a sample of its values, the same way for every format. Pure function.
import type { ColumnType, RawValue } from './types.js';
import { isMissingToken, parseBooleanText, parseIsoDateText, parseNumberText } from './value-parsers.js';

/** Free text: at least this many words per value on average ... */
const TEXT_MIN_MEAN_WORDS = 3;
/** ... and more than this share of distinct values in the sample. */
const TEXT_MIN_UNIQUE_SHARE = 0.5;

/**
 * The type that every non-missing sample value fits, tried in this order: boolean (true/false), numerical
 * (numbers, inf), datetime (ISO 8601), then strings: 'text' when they look like free text (mean >= 3 words and
 * > 50% distinct), else 'categorical'. A column with no values in the sample is 'categorical'.
 */
export function inferColumnType(sample: readonly RawValue[]): ColumnType {
  let all = { boolean: true, numerical: true, datetime: true };
  const strings: string[] = [];
  for (const value of sample) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'string') {
      if (isMissingToken(value)) continue;
      strings.push(value);
      if (all.boolean && parseBooleanText(value) === undefined) all.boolean = false;
      if (all.numerical && parseNumberText(value) === undefined) all.numerical = false;
      if (all.datetime && Number.isNaN(parseIsoDateText(value))) all.datetime = false;
    } else if (typeof value === 'number') {
      if (Number.isNaN(value)) continue;
      strings.push(String(value));
      all = { boolean: false, numerical: all.numerical, datetime: false };
    } else if (typeof value === 'boolean') {
      strings.push(String(value));
      all = { boolean: all.boolean, numerical: false, datetime: false };
    } else {
      strings.push(value.toISOString());
      all = { boolean: false, numerical: false, datetime: all.datetime };
    }
  }
  if (strings.length === 0) return 'categorical';
  if (all.boolean) return 'boolean';
  if (all.numerical) return 'numerical';
  if (all.datetime) return 'datetime';
  return looksLikeFreeText(strings) ? 'text' : 'categorical';
}

function looksLikeFreeText(values: readonly string[]): boolean {
  let words = 0;
  for (const value of values) {
    const trimmed = value.trim();
    if (trimmed !== '') words += trimmed.split(/\s+/).length;
  }
  const distinct = new Set(values).size;
  return words / values.length >= TEXT_MIN_MEAN_WORDS && distinct / values.length > TEXT_MIN_UNIQUE_SHARE;
}
