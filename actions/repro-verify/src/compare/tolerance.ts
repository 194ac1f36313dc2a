// Whether metric values agree: exactly, within the tolerance (absolute or relative, global or per key), or not.
export interface Bound {
  abs: number;
  rel: number;
}

export interface Tolerance {
  global: Bound;
  /** Per metric key (its dotted name), overriding the global bound's fields it names. */
  keys: Map<string, Partial<Bound>>;
}

export const EXACT: Tolerance = { global: { abs: 0, rel: 0 }, keys: new Map() };

export function boundFor(tolerance: Tolerance, key: string): Bound {
  return { ...tolerance.global, ...tolerance.keys.get(key) };
}

export interface MetricAgreement {
  status: 'identical' | 'within_tolerance' | 'differs' | 'missing';
  abs_diff: number | null;
  rel_diff: number | null;
}

/**
 * All values against the first (the reference: the baseline when there is one, else run 1). Two values agree when
 * |a - b| <= max(abs, rel * max(|a|, |b|)); NaN agrees only with NaN.
 */
export function compareValues(values: (number | null)[], bound: Bound): MetricAgreement {
  if (values.some((v) => v === null)) return { status: 'missing', abs_diff: null, rel_diff: null };
  const nums = values as number[];
  const ref = nums[0];
  let absDiff = 0;
  let relDiff = 0;
  let identical = true;
  let within = true;
  for (const v of nums.slice(1)) {
    if (Object.is(v, ref) || v === ref || (Number.isNaN(v) && Number.isNaN(ref))) continue;
    identical = false;
    const d = Math.abs(v - ref);
    const scale = Math.max(Math.abs(v), Math.abs(ref));
    const r = scale === 0 ? 0 : d / scale;
    absDiff = Math.max(absDiff, Number.isNaN(d) ? Infinity : d);
    relDiff = Math.max(relDiff, Number.isNaN(r) ? Infinity : r);
    if (!(d <= Math.max(bound.abs, bound.rel * scale))) within = false;
  }
  return { status: identical ? 'identical' : within ? 'within_tolerance' : 'differs', abs_diff: absDiff, rel_diff: relDiff };
}
