// Python's json.dumps, byte for byte, for the values a TOML file holds: Poetry and pipenv hash their manifests'
// json.dumps(..., sort_keys=True) output, so a recomputed hash matches only if the text matches exactly
// (ensure_ascii escapes, ", " and ": " separators or the compact ones, keys sorted by code point).
export interface PythonJsonOptions {
  separators?: [string, string];
}

function escapeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += s[i];
  }
  return `${out}"`;
}

function pythonFloat(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
  return String(x).replace(/e\+?/, (m) => (m === 'e+' ? 'e+' : 'e'));
}

export function pythonJsonDumps(value: unknown, options: PythonJsonOptions = {}): string {
  const [item, key] = options.separators ?? [', ', ': '];
  const dump = (v: unknown): string => {
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'string') return escapeString(v);
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) ? String(v) : pythonFloat(v);
    if (Array.isArray(v)) return `[${v.map(dump).join(item)}]`;
    if (v instanceof Date) return escapeString(v.toISOString());
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${escapeString(k)}${key}${dump(x)}`).join(item)}}`;
  };
  return dump(value);
}
