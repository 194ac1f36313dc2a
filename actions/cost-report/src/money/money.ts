// Exact money arithmetic. Amounts are integers of 10^-12 currency units ("pico"): a cost line is parsed from its
// decimal text straight into integers (never through a float), summed exactly, and rounded only when reported:
// round half to even to the cent, then largest remainder so that rounded parts add up to the rounded whole.

export const PICO_PER_UNIT = 1_000_000_000_000n;
export const PICO_PER_MICRO = 1_000_000;
const PICO_PER_CENT = 10_000_000_000n;

/**
 * A running sum that takes amounts as (micro, frac) pairs of plain numbers: micro = whole 10^-6 units, frac = the
 * remaining 10^-12 units (|frac| < 10^6, same sign). Both stay exact integers in a double for billions of lines.
 */
export class MoneySum {
  micro = 0;
  frac = 0;
  add(micro: number, frac: number): void {
    this.micro += micro;
    this.frac += frac;
  }
  pico(): bigint {
    return toPico(this.micro, this.frac);
  }
}

export function toPico(micro: number, frac: number): bigint {
  if (!Number.isSafeInteger(micro) || !Number.isSafeInteger(frac))
    throw new RangeError('a cost sum passed 9 billion currency units, beyond exact arithmetic of this report');
  return BigInt(micro) * BigInt(PICO_PER_MICRO) + BigInt(frac);
}

/** Splits pico units into the (micro, frac) pair MoneySum takes. */
export function fromPico(pico: bigint): [number, number] {
  const micro = pico / BigInt(PICO_PER_MICRO);
  return [Number(micro), Number(pico - micro * BigInt(PICO_PER_MICRO))];
}

/** The (micro, frac) result of the last successful parseAmountBytes call (kept here to allocate nothing per row). */
export const parsed = { micro: 0, frac: 0 };

/**
 * Parses a plain decimal (sign, up to 9 integer digits, up to 12 decimals) from buf[start, end) into `parsed`.
 * Returns false for anything else (exponents, spaces, longer numbers): the caller then uses parseAmountText.
 */
export function parseAmountBytes(buf: Uint8Array, start: number, end: number): boolean {
  let i = start;
  let negative = false;
  if (buf[i] === 45 || buf[i] === 43) {
    negative = buf[i] === 45;
    i++;
  }
  let whole = 0;
  let wholeDigits = 0;
  for (; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) break;
    whole = whole * 10 + d;
    wholeDigits++;
  }
  let micro = 0;
  let frac = 0;
  let decimals = 0;
  if (i < end && buf[i] === 46) {
    i++;
    for (; i < end; i++) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) return false;
      decimals++;
      if (decimals <= 6) micro = micro * 10 + d;
      else if (decimals <= 12) frac = frac * 10 + d;
      else return false;
    }
  }
  if (i !== end || wholeDigits > 9 || wholeDigits + decimals === 0) return false;
  if (decimals < 6) micro *= POW10[6 - decimals];
  if (decimals > 6 && decimals < 12) frac *= POW10[12 - decimals];
  micro += whole * 1_000_000;
  parsed.micro = negative ? -micro : micro;
  parsed.frac = negative ? -frac : frac;
  return true;
}
const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000];

const DECIMAL = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

/**
 * Any decimal text (exponents included: "1.5E-7") as exact pico units; digits past 10^-12 are rounded half to even.
 * Undefined when the text is not a number.
 */
export function parseAmountText(text: string): bigint | undefined {
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const digits = `${m[2]}${m[3] ?? ''}`.replace(/^0+(?=\d)/, '') || '0';
  const exponent = Number(m[4] ?? 0) - (m[3] ?? '').length + 12;
  if (!Number.isFinite(exponent) || Math.abs(exponent) > 400) return undefined;
  let value: bigint;
  if (exponent >= 0) value = BigInt(digits) * 10n ** BigInt(exponent);
  else value = divideHalfEven(BigInt(digits), 10n ** BigInt(-exponent));
  return m[1] === '-' ? -value : value;
}

/** a / b rounded half to even (b > 0). */
export function divideHalfEven(a: bigint, b: bigint): bigint {
  let q = a / b;
  let r = a - q * b;
  if (r < 0n) {
    q -= 1n;
    r += b;
  }
  const twice = 2n * r;
  if (twice > b || (twice === b && q % 2n !== 0n)) q += 1n;
  return q;
}

/** Pico units to whole cents, half to even: the report's one rounding rule. */
export function roundToCents(pico: bigint): bigint {
  return divideHalfEven(pico, PICO_PER_CENT);
}

/**
 * Rounds parts to cents so that they add up to `totalCents` (largest remainder / Hamilton): each part is floored,
 * then the cents left over go one each to the parts with the largest remainders (ties: the earlier part).
 */
export function largestRemainderCents(parts: bigint[], totalCents: bigint): bigint[] {
  if (parts.length === 0) return [];
  const floors = parts.map((p) => floorDiv(p, PICO_PER_CENT));
  let left = totalCents - floors.reduce((a, b) => a + b, 0n);
  const order = parts
    .map((p, i) => ({ i, rem: p - floors[i] * PICO_PER_CENT }))
    .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  const result = floors.slice();
  // left is at most parts.length in either direction; negative when the total was rounded down past the floors.
  for (let k = 0; left > 0n; k = (k + 1) % order.length, left--) result[order[k].i] += 1n;
  for (let k = order.length - 1; left < 0n; k = (k - 1 + order.length) % order.length, left++) result[order[k].i] -= 1n;
  return result;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** Splits `pico` exactly into parts proportional to non-negative integer weights (largest remainder in pico). */
export function splitPico(pico: bigint, weights: bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum <= 0n) throw new Error('splitPico needs a positive weight');
  const negative = pico < 0n;
  const amount = negative ? -pico : pico;
  const shares = weights.map((w) => (amount * w) / sum);
  let left = amount - shares.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((w, i) => ({ i, rem: (amount * w) % sum }))
    .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (let k = 0; left > 0n; k++, left--) shares[order[k].i] += 1n;
  return negative ? shares.map((s) => -s) : shares;
}

/** Cents as a decimal string, e.g. 123456n -> "1234.56", -5n -> "-0.05". */
export function centsText(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const text = `${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

/** Cents as a number of currency units (for JSON reports and metrics; exact to the cent as decimal text). */
export function centsNumber(cents: bigint): number {
  return Number(centsText(cents));
}

/** "$1,234.56" for USD, "1,234.56 EUR" otherwise. */
export function formatMoney(cents: bigint, currency: string): string {
  const [whole, part] = centsText(cents).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return currency === 'USD'
    ? `${grouped.startsWith('-') ? '-$' + grouped.slice(1) : '$' + grouped}.${part}`
    : `${grouped}.${part} ${currency}`;
}

/** Pico units as currency units (a float, for statistics and charts only, never for totals). */
export function picoToNumber(pico: bigint): number {
  return Number(pico) / 1e12;
}

/** A non-negative decimal rate (exchange rate, price) as an exact fraction numerator / 10^scale. */
export interface DecimalRate {
  numerator: bigint;
  scale: bigint;
}

export function parseRate(text: string): DecimalRate | undefined {
  const pico = parseAmountText(text);
  if (pico === undefined || pico < 0n) return undefined;
  return { numerator: pico, scale: PICO_PER_UNIT };
}

/** amount x rate, half to even at 10^-12. */
export function multiplyRate(pico: bigint, rate: DecimalRate): bigint {
  return divideHalfEven(pico * rate.numerator, rate.scale);
}
