// Values as DVC's Python sees them, for stage names and interpolated strings: a YAML float stays a float
// (`1.0` is `1.0` in `train@1.0`, not `1`), and `str()` of it is Python's shortest repr ('1e-05', '1e+16'). The
// YAML schema keeps floats apart from ints as PyFloat; everything else loads as js-yaml's core schema.
import { CORE_SCHEMA, defineMappingTag, defineScalarTag, floatCoreTag, mapTag, NOT_RESOLVED, type Schema } from 'js-yaml';

export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return pythonFloatRepr(this.value);
  }
}

const pyFloatTag = defineScalarTag<PyFloat>(floatCoreTag.tagName, {
  implicit: true,
  implicitFirstChars: floatCoreTag.implicitFirstChars,
  resolve: (source, explicit, tagName) => {
    const value = floatCoreTag.resolve(source, explicit, tagName);
    return value === NOT_RESOLVED ? NOT_RESOLVED : new PyFloat(value);
  },
  identify: (data) => data instanceof PyFloat,
});

// A float mapping key (`2.5: ...` in a foreach mapping) becomes its Python str(), as DVC's to_str(key) names it.
const key = (k: unknown) => (k instanceof PyFloat ? k.toString() : k);
const pyMapTag = defineMappingTag<Record<string, unknown>>(mapTag.tagName, {
  create: mapTag.create as () => Record<string, unknown>,
  identify: mapTag.identify,
  represent: mapTag.represent,
  addPair: (container, k, value) => mapTag.addPair(container, key(k), value),
  has: (container, k) => mapTag.has(container, key(k)),
  keys: mapTag.keys as (c: Record<string, unknown>) => Iterable<unknown>,
  get: (container, k) => mapTag.get(container, key(k)),
});

/** js-yaml's YAML 1.2 core schema with floats loaded as PyFloat. */
export const PY_FLOAT_SCHEMA: Schema = CORE_SCHEMA.withTags(pyFloatTag, pyMapTag);

/**
 * Python's repr(float) (float_repr_style 'short'): the shortest digits that round-trip (which JS's toExponential()
 * also gives), in fixed notation for exponents -4..15 and scientific with a two-digit exponent outside.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e');
  const exp = Number(exponent);
  const digits = mantissa.replace('.', '');
  const sign = x < 0 ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  return `${sign}${whole}.${digits.slice(exp + 1) || '0'}`;
}

/** Replaces every PyFloat by its number: what the rest of the check reads. */
export function plainValues(value: unknown): unknown {
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) return value.map(plainValues);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValues(v)]));
  return value;
}
