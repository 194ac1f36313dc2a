// How the current data is cut into chunks (input `chunk`, NannyML's chunkers): by calendar period of a timestamp
// column (`1d`, `1w`, `1mo`, in UTC) or by a number of rows. Pure: a row's timestamp or index in, its chunk out.

export type ChunkSpec =
  { by: 'rows'; size: number; text: string } | { by: 'time'; unit: 'd' | 'w' | 'mo'; count: number; text: string; timestampColumn: string };

/** `1d`, `7d`, `1w`, `2w`, `1mo`, `3mo`: a number (default 1) then d, w or mo. */
const PERIOD = /^(\d*)(d|w|mo)$/;
const ROWS = /^\d+$/;

/** The chunk text parsed, or a sentence saying what was expected (for the input error). */
export function parseChunk(text: string, timestampColumn: string | undefined): ChunkSpec | { expected: string } {
  const value = text.trim().toLowerCase();
  if (ROWS.test(value)) {
    const size = Number(value);
    if (!Number.isSafeInteger(size) || size < 1) return { expected: 'a positive number of rows, e.g. 100000' };
    return { by: 'rows', size, text: value };
  }
  const period = PERIOD.exec(value);
  if (!period) return { expected: 'a period (1d, 1w, 1mo, or a multiple such as 7d or 3mo) or a number of rows (e.g. 100000)' };
  const count = period[1] === '' ? 1 : Number(period[1]);
  if (!(count >= 1 && count <= 10_000)) return { expected: 'a period of 1 to 10000 days, weeks or months' };
  if (!timestampColumn) return { expected: `a number of rows, or set 'timestamp-column' to chunk by '${value}'` };
  return { by: 'time', unit: period[2] as 'd' | 'w' | 'mo', count, text: value, timestampColumn };
}

const DAY_MS = 86_400_000;
/** 1970-01-01 was a Thursday; weeks start on Monday (ISO 8601), 3 days later in the count of days. */
const MONDAY_OFFSET_DAYS = 3;

/**
 * The chunk of a timestamp (epoch ms, UTC) as an integer key: whole periods since the epoch (days and weeks, weeks
 * from Monday) or months since January 1970, divided by the multiple. Keys sort as the chunks do in time.
 */
export function timeChunkKey(spec: Extract<ChunkSpec, { by: 'time' }>, epochMs: number): number {
  const days = Math.floor(epochMs / DAY_MS);
  if (spec.unit === 'd') return Math.floor(days / spec.count);
  if (spec.unit === 'w') return Math.floor((days + MONDAY_OFFSET_DAYS) / (7 * spec.count));
  const date = new Date(days * DAY_MS);
  return Math.floor((date.getUTCFullYear() * 12 + date.getUTCMonth() - 1970 * 12) / spec.count);
}

/** Where a time chunk starts and ends (exclusive), as epoch ms. */
export function timeChunkBounds(spec: Extract<ChunkSpec, { by: 'time' }>, key: number): { start: number; end: number } {
  if (spec.unit === 'd') return { start: key * spec.count * DAY_MS, end: (key + 1) * spec.count * DAY_MS };
  if (spec.unit === 'w') {
    const start = (key * 7 * spec.count - MONDAY_OFFSET_DAYS) * DAY_MS;
    return { start, end: start + 7 * spec.count * DAY_MS };
  }
  const month = (k: number) => Date.UTC(1970, k * spec.count, 1);
  return { start: month(key), end: month(key + 1) };
}
