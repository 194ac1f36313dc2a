// Turns single cell values (as strings or as bytes of a CSV buffer) into typed values: missing tokens, numbers,
// booleans and ISO 8601 timestamps. Pure functions; the byte versions are the CSV reader's fast path.

/**
 * Cells that mean "no value", as pandas reads them by default: empty, NA, N/A, null, NULL, None, NaN, nan.
 * NaN counts as missing (not as a number), like pandas.
 */
export const MISSING_TOKENS: readonly string[] = ['', 'NA', 'N/A', 'null', 'NULL', 'None', 'NaN', 'nan'];
const MISSING_SET = new Set(MISSING_TOKENS);

/** Every missing token has at most 4 characters: longer cells skip the set lookup (a hot path for Parquet strings). */
const MAX_TOKEN_LENGTH = Math.max(...MISSING_TOKENS.map((token) => token.length));

export function isMissingToken(text: string): boolean {
  return text.length <= MAX_TOKEN_LENGTH && MISSING_SET.has(text);
}

/** Same as isMissingToken, on buf[start, end) without decoding a string. */
export function isMissingBytes(buf: Uint8Array, start: number, end: number): boolean {
  const len = end - start;
  if (len === 0) return true;
  if (len > 4 || len === 1) return false;
  const a = buf[start];
  const b = buf[start + 1];
  if (len === 2) return a === 78 && b === 65; // NA
  const c = buf[start + 2];
  if (len === 3) {
    if (a === 78 && b === 47 && c === 65) return true; // N/A
    if (a === 78 && b === 97 && c === 78) return true; // NaN
    return a === 110 && b === 97 && c === 110; // nan
  }
  const d = buf[start + 3];
  if (a === 110 && b === 117 && c === 108 && d === 108) return true; // null
  if (a === 78 && b === 85 && c === 76 && d === 76) return true; // NULL
  return a === 78 && b === 111 && c === 110 && d === 101; // None
}

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITY_PATTERN = /^([+-]?)(inf|infinity)$/i;

/** A number written the usual ways (1, -2.5, 1e-3, .5, inf, -Infinity), else undefined. Surrounding spaces allowed. */
export function parseNumberText(text: string): number | undefined {
  const t = text.trim();
  if (NUMBER_PATTERN.test(t)) return Number(t);
  const inf = INFINITY_PATTERN.exec(t);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  return undefined;
}

// Exact powers of ten: m / 10^d is correctly rounded when m < 2^53 and d <= 22 (Clinger's fast path), so the
// byte parser below gives the same double as Number() for the plain decimals that make up nearly all data.
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * Fast path for plain decimals in buf[start, end): optional sign, up to 15 digits with one optional point.
 * Returns NaN for anything else (exponents, inf, spaces, missing tokens); callers then use parseNumberText.
 */
export function parseSimpleNumberBytes(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  let c = buf[i];
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  for (; i < end; i++) {
    c = buf[i];
    const d = c - 48;
    if (d >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d;
      digits++;
      if (decimals >= 0) decimals++;
    } else if (c === 46 && decimals < 0) {
      decimals = 0;
    } else {
      return NaN;
    }
  }
  if (digits === 0 || digits > 15) return NaN;
  const value = decimals > 0 ? mantissa / POW10[decimals] : mantissa;
  return negative ? -value : value;
}

/** true/false in any case, else undefined. */
export function parseBooleanText(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  return undefined;
}

/** 1 for true, 0 for false (any case), -1 otherwise; on buf[start, end). */
export function parseBooleanBytes(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len === 4) {
    if ((buf[start] | 32) === 116 && (buf[start + 1] | 32) === 114 && (buf[start + 2] | 32) === 117 && (buf[start + 3] | 32) === 101)
      return 1;
  } else if (len === 5) {
    if (
      (buf[start] | 32) === 102 &&
      (buf[start + 1] | 32) === 97 &&
      (buf[start + 2] | 32) === 108 &&
      (buf[start + 3] | 32) === 115 &&
      (buf[start + 4] | 32) === 101
    )
      return 0;
  }
  return -1;
}

function digits2(buf: Uint8Array, i: number): number {
  const a = buf[i] - 48;
  const b = buf[i + 1] - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil).
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * ISO 8601 date or timestamp in buf[start, end) to epoch milliseconds, NaN when it is not one. Accepted:
 * YYYY-MM-DD, then optionally 'T' or ' ' and HH:MM[:SS[.fraction]], then optionally Z or ±HH[:MM]. A timestamp
 * without an offset is read as UTC so results do not depend on the runner's time zone.
 * A hand-written scanner rather than Date.parse or a regular expression: one pass over the cell's bytes (linear, no
 * backtracking, no string made per cell), and one meaning everywhere (Date.parse reads '2026-06-01 10:00' in the
 * machine's local time and accepts engine-specific forms).
 */
export function parseIsoDateBytes(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len < 10) return NaN;
  let ms: number;
  // Timestamps in a file mostly share their day: reuse the last day's value when the 10 date bytes repeat.
  const cache = lastDate;
  if (
    buf[start + 9] === cache[9] &&
    buf[start + 8] === cache[8] &&
    buf[start + 6] === cache[6] &&
    buf[start + 5] === cache[5] &&
    buf[start + 3] === cache[3] &&
    buf[start + 2] === cache[2] &&
    buf[start + 1] === cache[1] &&
    buf[start] === cache[0] &&
    buf[start + 4] === 45 &&
    buf[start + 7] === 45
  ) {
    ms = lastDateMs;
  } else {
    ms = parseDateBytes(buf, start);
    if (ms !== ms) return NaN;
    for (let k = 0; k < 10; k++) cache[k] = buf[start + k];
    lastDateMs = ms;
  }
  if (len === 10) return ms;
  return parseTimeBytes(buf, start, end, ms);
}

const lastDate = new Uint8Array(10);
let lastDateMs = NaN;

/** YYYY-MM-DD at buf[start] to epoch ms at midnight UTC, NaN when not a valid date. */
function parseDateBytes(buf: Uint8Array, start: number): number {
  const y1 = digits2(buf, start);
  const y2 = digits2(buf, start + 2);
  const month = digits2(buf, start + 5);
  const day = digits2(buf, start + 8);
  if (y1 < 0 || y2 < 0 || month < 1 || month > 12 || day < 1 || buf[start + 4] !== 45 || buf[start + 7] !== 45) return NaN;
  if (day > DAYS_IN_MONTH[month]) return NaN;
  const year = y1 * 100 + y2;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return NaN;
  return daysFromCivil(year, month, day) * 86400000;
}

/** The time of day and offset after a date (at buf[start + 10]) added to the date's epoch ms. */
function parseTimeBytes(buf: Uint8Array, start: number, end: number, dateMs: number): number {
  const len = end - start;
  let ms = dateMs;
  let i = start + 10;
  const sep = buf[i];
  if ((sep !== 84 && sep !== 32) || len < 16 || buf[i + 3] !== 58) return NaN;
  const hour = digits2(buf, i + 1);
  const minute = digits2(buf, i + 4);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return NaN;
  ms += hour * 3600000 + minute * 60000;
  i += 6;
  if (i < end && buf[i] === 58) {
    const second = digits2(buf, i + 1);
    if (second < 0 || second > 60) return NaN;
    ms += second * 1000;
    i += 3;
    if (i < end && (buf[i] === 46 || buf[i] === 44)) {
      i++;
      let scale = 100;
      let fraction = 0;
      const fractionStart = i;
      for (; i < end; i++) {
        const d = buf[i] - 48;
        if (d < 0 || d > 9) break;
        fraction += d * scale;
        scale /= 10;
      }
      if (i === fractionStart) return NaN;
      ms += Math.round(fraction * 1000) / 1000;
    }
  }
  if (i === end) return ms;
  const zone = buf[i];
  if (zone === 90 && i + 1 === end) return ms; // Z
  if (zone !== 43 && zone !== 45) return NaN;
  const offsetHours = digits2(buf, i + 1);
  if (offsetHours < 0 || offsetHours > 23) return NaN;
  i += 3;
  let offsetMinutes = 0;
  if (i < end) {
    if (buf[i] === 58) i++;
    offsetMinutes = digits2(buf, i);
    if (offsetMinutes < 0 || offsetMinutes > 59 || i + 2 !== end) return NaN;
  }
  const offset = (offsetHours * 60 + offsetMinutes) * 60000;
  return zone === 43 ? ms - offset : ms + offset;
}

const scratch = new Uint8Array(64);

/** parseIsoDateBytes for a string; NaN when it is not an ISO 8601 date or timestamp. */
export function parseIsoDateText(text: string): number {
  const t = text.trim();
  if (t.length > scratch.length) return NaN;
  for (let i = 0; i < t.length; i++) {
    const code = t.charCodeAt(i);
    if (code > 127) return NaN;
    scratch[i] = code;
  }
  return parseIsoDateBytes(scratch, 0, t.length);
}
