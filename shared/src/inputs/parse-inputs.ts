// Typed parsing of action inputs. Each parser names the input, the value and what was expected when it refuses one,
// so every action validates its inputs the same way (see actions/<name>/src/inputs.ts).
import { load as loadYaml } from 'js-yaml';
import { InputError } from '../errors.js';

/** Reads one raw input; '' when the user gave none. */
export type InputReader = (name: string) => string;

export function optionalString(read: InputReader, name: string): string | undefined {
  const value = read(name).trim();
  return value === '' ? undefined : value;
}

export function requiredString(read: InputReader, name: string): string {
  const value = optionalString(read, name);
  if (value === undefined) throw new InputError(name, '', 'a value (this input is required)');
  return value;
}

/** Newline- or comma-separated list, blanks dropped (as docker/login-action's toolkit reads lists). */
export function list(read: InputReader, name: string): string[] {
  return read(name)
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

const TRUE = ['true', 'yes', 'on', '1'];
const FALSE = ['false', 'no', 'off', '0'];

export function boolean(read: InputReader, name: string, fallback: boolean): boolean {
  const value = read(name).trim().toLowerCase();
  if (value === '') return fallback;
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new InputError(name, value, "'true' or 'false'");
}

export interface NumberBounds {
  min?: number;
  max?: number;
  /** Exclusive bounds: the value must be strictly greater / smaller. */
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer?: boolean;
}

/** A number input; with a default it is always a number, without one undefined when the input is absent. */
export function number(read: InputReader, name: string, fallback: number, bounds?: NumberBounds): number;
export function number(read: InputReader, name: string, fallback: undefined, bounds?: NumberBounds): number | undefined;
export function number(read: InputReader, name: string, fallback: number | undefined, bounds: NumberBounds = {}): number | undefined {
  const raw = read(name).trim();
  if (raw === '') return fallback;
  return checkNumber(name, raw, Number(raw), bounds);
}

export function checkNumber(name: string, raw: string, value: number, bounds: NumberBounds): number {
  const expected = describeBounds(bounds);
  if (!Number.isFinite(value) || raw.trim() === '') throw new InputError(name, raw, expected);
  if (bounds.integer && !Number.isInteger(value)) throw new InputError(name, raw, expected);
  if (bounds.min !== undefined && (bounds.minExclusive ? value <= bounds.min : value < bounds.min))
    throw new InputError(name, raw, expected);
  if (bounds.max !== undefined && (bounds.maxExclusive ? value >= bounds.max : value > bounds.max))
    throw new InputError(name, raw, expected);
  return value;
}

function describeBounds(bounds: NumberBounds): string {
  const kind = bounds.integer ? 'an integer' : 'a number';
  const parts: string[] = [];
  if (bounds.min !== undefined) parts.push(`${bounds.minExclusive ? '>' : '>='} ${bounds.min}`);
  if (bounds.max !== undefined) parts.push(`${bounds.maxExclusive ? '<' : '<='} ${bounds.max}`);
  return parts.length ? `${kind} ${parts.join(' and ')}` : kind;
}

export function oneOf<T extends string>(read: InputReader, name: string, choices: readonly T[], fallback: T): T {
  const value = read(name).trim();
  if (value === '') return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new InputError(name, value, `one of ${choices.map((c) => `'${c}'`).join(', ')}`);
}

/** A YAML (or JSON) mapping given inline in the input. */
export function yamlMap(read: InputReader, name: string): Record<string, unknown> | undefined {
  const raw = read(name).trim();
  if (raw === '') return undefined;
  let parsed: unknown;
  try {
    parsed = loadYaml(raw);
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new InputError(name, raw, `a YAML mapping (it does not parse: ${reason})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new InputError(name, raw, 'a YAML mapping of names to values');
  return parsed as Record<string, unknown>;
}

/** A URL input; secret ones (webhooks) must be masked by the caller before anything is logged. */
export function url(read: InputReader, name: string): URL | undefined {
  const raw = read(name).trim();
  if (raw === '') return undefined;
  try {
    const parsed = new URL(raw);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed;
  } catch {
    // fall through to the error below
  }
  // The value may be a secret webhook URL: never echo it.
  throw new InputError(name, '***', 'an http(s) URL');
}

/** How a PR comment is posted: update one comment, post a new one each run, or none; true/false also accepted. */
export function commentMode(read: InputReader, name: string): 'update' | 'new' | 'off' {
  const raw = read(name).trim().toLowerCase();
  if (raw === 'true') return 'update';
  if (raw === 'false') return 'off';
  return oneOf(read, name, ['update', 'new', 'off'] as const, 'off');
}
