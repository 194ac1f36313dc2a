// Python's json.dumps(obj, sort_keys=True) with its defaults (ensure_ascii=True, separators ', ' and ': '), for the
// values DVC serialises: the bytes of a `.dir` manifest must be Python's to the byte, or its md5 differs.
export type PyJson = string | number | boolean | null | PyJson[] | { [key: string]: PyJson };

/** json's ESCAPE_ASCII: '"', '\\', and everything outside ' '..'~'; \uXXXX lowercase, surrogate pairs as two. */
export function pythonJsonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c <= 0x7e) out += text[i];
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else out += `\\u${c.toString(16).padStart(4, '0')}`; // UTF-16 code units: astral characters become pairs
  }
  return `${out}"`;
}

/** Python's str ordering: by code point (JavaScript's default sort compares UTF-16 code units). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

export function pythonJsonDumps(value: PyJson): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return pythonJsonString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pythonFloat(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  const keys = Object.keys(value).sort(compareCodePoints);
  return `{${keys.map((k) => `${pythonJsonString(k)}: ${pythonJsonDumps(value[k])}`).join(', ')}}`;
}

function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const repr = String(x);
  return /[.e]/.test(repr) ? repr.replace(/e([+-])(\d)$/, 'e$10$2') : `${repr}.0`;
}
