// Date checks for text cells: Python strftime formats (GX's expect_column_values_to_match_strftime_format, which
// uses datetime.strptime) turned into a regex plus range checks, and a lenient "parseable as a date" test standing in
// for dateutil. Hand-written: no npm library parses Python's strftime directives with strptime's rules.
//
// Matching takes linear time whatever the format: a rules file is user input, and the backtracking regex a format
// such as ten spaces or "%d%d%d%d..." compiles to ran past 100 s on one 41-character cell. A format whose every
// variable-width part is followed by a part that cannot start with the same characters ("%Y-%m-%d %H:%M") matches
// with JavaScript's RegExp, which then never backtracks more than a few characters; any other format matches with
// re2js (RE2: linear time, the same leftmost-first groups as a backtracking engine, ~5x slower).
import { RE2JS } from 're2js';
import { UserError } from '#shared/errors.js';
import { quote } from '#shared/data/quote.js';
import { parseIsoDateText } from '#shared/data/value-parsers.js';

type Field = 'year' | 'year2' | 'month' | 'day' | 'hour' | 'hour12' | 'minute' | 'second' | 'fraction' | 'yday' | 'ignored';

/** Which characters a part of a format can match, for telling whether the regex can backtrack. */
type CharClass = 'digit' | 'space' | 'alpha' | 'zone' | 'any';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const alternatives = (names: string[], short: boolean) => `(${names.map((n) => (short ? n.slice(0, 3) : n)).join('|')})`;

interface Directive {
  pattern: string;
  field: Field;
  chars: CharClass;
  /** Matches a varying number of characters. */
  variable: boolean;
}

const d = (pattern: string, field: Field, chars: CharClass, variable: boolean): Directive => ({ pattern, field, chars, variable });

/** strptime directive -> regex group and what it sets. */
const DIRECTIVES = new Map<string, Directive>([
  ['Y', d('(\\d{4})', 'year', 'digit', false)],
  ['y', d('(\\d{2})', 'year2', 'digit', false)],
  ['m', d('(\\d{1,2})', 'month', 'digit', true)],
  ['d', d('(\\d{1,2})', 'day', 'digit', true)],
  ['H', d('(\\d{1,2})', 'hour', 'digit', true)],
  ['I', d('(\\d{1,2})', 'hour12', 'digit', true)],
  ['M', d('(\\d{1,2})', 'minute', 'digit', true)],
  ['S', d('(\\d{1,2})', 'second', 'digit', true)],
  ['f', d('(\\d{1,6})', 'fraction', 'digit', true)],
  ['j', d('(\\d{1,3})', 'yday', 'digit', true)],
  ['p', d('(am|pm)', 'ignored', 'alpha', false)],
  ['z', d('(z|[+-]\\d{2}:?\\d{2}(?::?\\d{2})?)', 'ignored', 'zone', true)],
  ['Z', d('(utc|gmt|[a-z]{3,4})?', 'ignored', 'any', true)],
  ['b', d(alternatives(MONTHS, true), 'month', 'alpha', false)],
  ['h', d(alternatives(MONTHS, true), 'month', 'alpha', false)],
  ['B', d(alternatives(MONTHS, false), 'month', 'alpha', true)],
  ['a', d(alternatives(DAYS, true), 'ignored', 'alpha', false)],
  ['A', d(alternatives(DAYS, false), 'ignored', 'alpha', true)],
  ['w', d('([0-6])', 'ignored', 'digit', false)],
  ['u', d('([1-7])', 'ignored', 'digit', false)],
  ['U', d('(\\d{1,2})', 'ignored', 'digit', true)],
  ['W', d('(\\d{1,2})', 'ignored', 'digit', true)],
]);

function literalClass(ch: string): CharClass | string {
  if (/\d/.test(ch)) return 'digit';
  if (/[a-z]/i.test(ch)) return 'alpha';
  return ch;
}

/** Whether a variable part of class `a` may end where a part starting with class `b` begins. */
function overlaps(a: CharClass, b: CharClass | string): boolean {
  if (a === 'any' || b === 'any') return true;
  if (a === 'zone') return b === 'digit' || b === 'alpha' || b === '+' || b === '-' || b === ':' || b === 'zone';
  if (b === 'zone') return a === 'digit' || a === 'alpha';
  return a === b;
}

export interface StrftimeMatcher {
  (text: string): boolean;
}

/** A test that `text` parses with Python's datetime.strptime(text, format), in linear time. */
export function strftimeMatcher(format: string, describe: () => string): StrftimeMatcher {
  const fields: Field[] = [];
  let source = '';
  /** The class of each part, and whether it varies in width, for the backtracking check. */
  const parts: { chars: CharClass | string; variable: boolean }[] = [];
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch !== '%') {
      if (/\s/.test(ch)) {
        // strptime: a run of whitespace in the format matches a run of whitespace (at least one) in the text.
        while (i + 1 < format.length && /\s/.test(format[i + 1])) i++;
        source += '\\s+';
        parts.push({ chars: 'space', variable: true });
      } else {
        source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
        parts.push({ chars: literalClass(ch), variable: false });
      }
      continue;
    }
    const directive = format[++i];
    if (directive === '%') {
      source += '%';
      parts.push({ chars: '%', variable: false });
      continue;
    }
    const spec = directive === undefined ? undefined : DIRECTIVES.get(directive);
    if (!spec)
      throw new UserError(
        `${describe()}: strftime_format ${quote(format, 100)} has an unsupported directive ${quote(`%${directive ?? ''}`)}. Supported: ${[...DIRECTIVES.keys()].map((k) => `%${k}`).join(' ')} %%.`,
      );
    source += spec.pattern;
    fields.push(spec.field);
    parts.push({ chars: spec.chars, variable: spec.variable });
  }
  const backtracks = parts.some(
    (part, k) => part.variable && (part.chars === 'any' || (k + 1 < parts.length && overlaps(part.chars as CharClass, parts[k + 1].chars))),
  );
  const match = backtracks ? re2Groups(source) : nativeGroups(source);
  return (text: string) => {
    const groups = match(text);
    if (!groups) return false;
    let year = 1900;
    let month = 1;
    let day = 1;
    for (let g = 0; g < fields.length; g++) {
      const raw = groups(g + 1);
      if (raw === undefined || raw === null) continue;
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

type Groups = (group: number) => string | null | undefined;

/** A whole-text match with JavaScript's RegExp: only for formats that cannot backtrack (see the header). */
function nativeGroups(source: string): (text: string) => Groups | undefined {
  const regex = new RegExp(`^(?:${source})$`, 'i');
  return (text) => {
    const match = regex.exec(text);
    return match ? (g) => match[g] : undefined;
  };
}

/** A whole-text match with RE2 (linear time). */
function re2Groups(source: string): (text: string) => Groups | undefined {
  const regex = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  return (text) => {
    const matcher = regex.matcher(text);
    return matcher.matches() ? (g) => matcher.group(g) : undefined;
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
