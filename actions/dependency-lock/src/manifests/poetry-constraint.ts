// Poetry's version constraints ("^1.2", "~1.2.3", "1.2.*", "*", ">=1,<2", "1.0 || 2.0") as PEP 440 specifiers,
// following poetry-core's semver parser (caret: up to the next change of the left-most non-zero part; tilde:
// the next minor, or next major when only a major is given). Alternatives stay joined by "||".
export function poetryToPep440(constraint: string): string {
  return constraint
    .split('||')
    .map((alt) =>
      alt
        .trim()
        .split(/\s*,\s*|\s+(?=[<>=!~^])/)
        .filter(Boolean)
        .map(one)
        .filter(Boolean)
        .join(','),
    )
    .join('||');
}

function bump(parts: number[], index: number): string {
  const out = parts.slice(0, index + 1);
  out[index] += 1;
  return out.join('.');
}

function one(c: string): string {
  c = c.trim();
  if (c === '*' || c === '') return '';
  const caret = /^\^\s*(\d+(?:\.\d+)*)(.*)$/.exec(c);
  if (caret) {
    const parts = caret[1].split('.').map(Number);
    const first = parts.findIndex((p) => p !== 0);
    const index = first < 0 ? Math.max(parts.length - 1, 0) : Math.min(first, parts.length - 1);
    const upper = bump(parts.length === 1 ? parts : parts, index);
    return `>=${caret[1]}${caret[2]},<${upper}`;
  }
  const tilde = /^~(?!=)\s*(\d+(?:\.\d+)*)(.*)$/.exec(c);
  if (tilde) {
    const parts = tilde[1].split('.').map(Number);
    return `>=${tilde[1]}${tilde[2]},<${bump(parts, parts.length === 1 ? 0 : 1)}`;
  }
  if (/^\d/.test(c)) return `==${c}`;
  if (/^=\d/.test(c)) return `=${c}`;
  return c.replace(/\s+/g, '');
}
