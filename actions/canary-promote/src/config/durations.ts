// Durations as people type them into workflow_dispatch forms: 30m, 2h, 1h30m, 45s, 1d, or plain seconds.
import { InputError } from '#shared/errors.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

export function parseDuration(input: string, raw: string): number {
  const text = raw.trim();
  if (/^\d+$/.test(text) && Number(text) > 0) return Number(text);
  const parts = [...text.matchAll(/(\d+)([smhd])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text)
    throw new InputError(input, raw, 'a duration such as 30m, 2h, 1h30m or 90s');
  const seconds = parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]], 0);
  if (seconds <= 0) throw new InputError(input, raw, 'a duration longer than 0s');
  return seconds;
}
