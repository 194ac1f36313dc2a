// Date checks for text cells: Python strftime formats (GX's expect_column_values_to_match_strftime_format, which
// uses datetime.strptime) turned into a regex plus range checks, and a lenient "parseable as a date" test standing in
// for dateutil. Hand-written: no npm library parses Python's strftime directives with strptime's rules.
import { UserError } from '#shared/errors.js';
import { parseIsoDateText } from '#shared/data/value-parsers.js';

type Field = 'year' | 'year2' | 'month' | 'day' | 'hour' | 'hour12' | 'minute' | 'second' | 'fraction' | 'yday' | 'ignored';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const alternatives = (names: string[], short: boolean) => `(${names.map((n) => (short ? n.slice(0, 3) : n)).join('|')})`;

/** strptime directive -> regex group and what it sets. */
const DIRECTIVES: Record<string, { pattern: string; field: Field }> = {
  Y: { pattern: '(\\d{4})', field: 'year' },
  y: { pattern: '(\\d{2})', field: 'year2' },
  m: { pattern: '(\\d{1,2})', field: 'month' },
  d: { pattern: '(\\d{1,2})', field: 'day' },
  H: { pattern: '(\\d{1,2})', field: 'hour' },
  I: { pattern: '(\\d{1,2})', field: 'hour12' },
  M: { pattern: '(\\d{1,2})', field: 'minute' },
  S: { pattern: '(\\d{1,2})', field: 'second' },
  f: { pattern: '(\\d{1,6})', field: 'fraction' },
  j: { pattern: '(\\d{1,3})', field: 'yday' },
  p: { pattern: '(am|pm)', field: 'ignored' },
  z: { pattern: '(z|[+-]\\d{2}:?\\d{2}(?::?\\d{2})?)', field: 'ignored' },
  Z: { pattern: '(utc|gmt|[a-z]{3,4})?', field: 'ignored' },
  b: { pattern: alternatives(MONTHS, true), field: 'month' },
  h: { pattern: alternatives(MONTHS, true), field: 'month' },
  B: { pattern: alternatives(MONTHS, false), field: 'month' },
  a: { pattern: alternatives(DAYS, true), field: 'ignored' },
  A: { pattern: alternatives(DAYS, false), field: 'ignored' },
  w: { pattern: '([0-6])', field: 'ignored' },
  u: { pattern: '([1-7])', field: 'ignored' },
  U: { pattern: '(\\d{1,2})', field: 'ignored' },
  W: { pattern: '(\\d{1,2})', field: 'ignored' },
};

export interface StrftimeMatcher {
  (text: string): boolean;
}

/** A test that `text` parses with Python's datetime.strptime(text, format). */
export function strftimeMatcher(format: string, describe: () => string): StrftimeMatcher {
  const fields: Field[] = [];
  let source = '^';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch !== '%') {
      // strptime: whitespace in the format matches any run of whitespace (including none).
      source += /\s/.test(ch) ? '\\s*' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    const directive = format[++i];
    if (directive === '%') {
      source += '%';
      continue;
    }
    const spec = directive === undefined ? undefined : DIRECTIVES[directive];
    if (!spec) throw new UserError(`${describe()}: strftime_format '${format}' has an unsupported directive '%${directive ?? ''}'. Supported: ${Object.keys(DIRECTIVES).map((d) => `%${d}`).join(' ')} %%.`);
    source += spec.pattern;
    fields.push(spec.field);
  }
  const regex = new RegExp(`${source}$`, 'i');
  return (text: string) => {
    const match = regex.exec(text);
    if (!match) return false;
    let year = 1900;
    let month = 1;
    let day = 1;
    for (let g = 0; g < fields.length; g++) {
      const raw = match[g + 1];
      if (raw === undefined) continue;
      const field = fields[g];
      const asName = MONTHS.findIndex((m) => m.startsWith(raw.toLowerCase()) && raw.length >= 3);
      const value = field === 'month' && asName >= 0 ? asName + 1 : Number(raw);
      if (field === 'year') year = value;
      else if (field === 'year2') year = value < 69 ? 2000 + value : 1900 + value;
      else if (field === 'month') month = value;
      else if (field === 'day') day = value;
      else if (field === 'hour' && value > 23) return false;
      else if (field === 'hour12' && (value < 1 || value > 12)) return false;
      else if (field === 'minute' && value > 59) return false;
      else if (field === 'second' && value > 61) return false;
      else if (field === 'yday' && (value < 1 || value > 366)) return false;
    }
    if (month < 1 || month > 12 || day < 1) return false;
    return day <= daysInMonth(year, month);
  };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const NUMERIC_ONLY = /^\s*[+-]?\d+(\.\d+)?\s*$/;

/**
 * Stand-in for GX's dateutil-parseable check: ISO 8601 (any precision), RFC 2822 and the common written forms
 * JavaScript's Date parser reads ("7 March 2024", "March 7, 2024", "2024/03/07 10:00"). A bare number is not a date.
 */
export function isParseableDate(text: string): boolean {
  const t = text.trim();
  if (t === '' || NUMERIC_ONLY.test(t)) return false;
  const iso = parseIsoDateText(t);
  if (iso === iso) return true;
  return !Number.isNaN(Date.parse(t));
}
