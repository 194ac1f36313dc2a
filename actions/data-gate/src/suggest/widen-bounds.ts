// Bounds for suggested ranges: the observed [min, max] widened by a share of its span and rounded outward to a
// readable step, never narrower than what was observed, so the profiled data always passes. Pure functions.

export interface Bounds {
  min: number;
  max: number;
}

const DAY_MS = 86_400_000;

/**
 * [min, max] widened by `margin` x (max - min) on each side (x |min| for a constant column), rounded outward to the
 * power of ten below that padding. Whole-number data keeps whole-number bounds; data with no negative value keeps
 * a lower bound of at least 0 (Deequ's NonNegativeNumbersRule).
 */
export function widenNumberBounds(min: number, max: number, margin: number, wholeNumbers: boolean): Bounds {
  const span = max - min;
  const padding = margin * (span > 0 ? span : Math.abs(min));
  let low = min - padding;
  let high = max + padding;
  if (padding > 0 && Number.isFinite(padding)) {
    const step = wholeNumbers ? Math.max(1, 10 ** Math.floor(Math.log10(padding))) : 10 ** Math.floor(Math.log10(padding));
    const decimals = Math.min(20, Math.max(0, -Math.floor(Math.log10(step))));
    low = Number((Math.floor(low / step) * step).toFixed(decimals));
    high = Number((Math.ceil(high / step) * step).toFixed(decimals));
  }
  if (min >= 0 && low < 0) low = 0;
  // Rounding must never cut into the observed range (a guard for extreme magnitudes, where steps lose precision).
  return { min: normalizeZero(Math.min(low, min)), max: normalizeZero(Math.max(high, max)) };
}

/** Datetime bounds (epoch ms): widened like numbers, then to whole UTC days when the padding is a day or more. */
export function widenDatetimeBounds(min: number, max: number, margin: number): Bounds {
  const padding = margin * (max - min);
  if (padding >= DAY_MS) {
    return { min: Math.floor((min - padding) / DAY_MS) * DAY_MS, max: Math.ceil((max + padding) / DAY_MS) * DAY_MS };
  }
  return { min: Math.floor((min - padding) / 1000) * 1000, max: Math.ceil((max + padding) / 1000) * 1000 };
}

/** An ISO 8601 string for a bound: the date alone at UTC midnight, else the full UTC timestamp. */
export function isoBound(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return epochMs % DAY_MS === 0 ? iso.slice(0, 10) : iso;
}

function normalizeZero(value: number): number {
  return value === 0 ? 0 : value;
}
