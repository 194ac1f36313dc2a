// Quoting data in messages and logs: a cell, a header or a line comes from a file anyone may have written, so a
// message shows at most `max` characters of it, with control characters, invalid UTF-8 (U+FFFD) and other
// unprintable characters escaped, never a 50 MB line or a binary header copied into one log line.

/** Characters of data a message quotes by default. */
export const QUOTE_MAX = 200;

// C0/C1 controls, DEL, the replacement character, lone surrogates, line and paragraph separators, bidi controls.
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point: they are escaped, not shown
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeChar(ch: string): string {
  switch (ch) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '\0':
      return '\\0';
    default: {
      const code = ch.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    }
  }
}

/**
 * `value` in single quotes, at most `max` characters of it (then "... (N more characters)"), unprintable characters
 * escaped (\n, \0, \x1b, \ufffd). Bytes are decoded as UTF-8 first; only the first few KB of a long value are read.
 */
export function quote(value: string | Uint8Array, max = QUOTE_MAX): string {
  const total = typeof value === 'string' ? value.length : value.length;
  let text =
    typeof value === 'string'
      ? value.slice(0, max + 1)
      : Buffer.from(value.buffer, value.byteOffset, Math.min(value.length, max * 4 + 4)).toString('utf8');
  if (typeof value !== 'string' && value.length > max * 4 + 4) text = text.slice(0, max + 1);
  let cut = false;
  if (text.length > max) {
    cut = true;
    text = text.slice(0, max);
    // Never end on half of a surrogate pair.
    if (/[\ud800-\udbff]$/.test(text)) text = text.slice(0, -1);
  }
  const shown = text.replace(UNPRINTABLE, escapeChar).replaceAll("'", "\\'");
  if (!cut) return `'${shown}'`;
  const unit = typeof value === 'string' ? 'characters' : 'bytes';
  const more = typeof value === 'string' ? total - text.length : total - Buffer.byteLength(text);
  return `'${shown}'... (${more.toLocaleString('en-US')} more ${unit})`;
}

/** A list of names, each quoted, at most `maxItems` of them (then "and N more"). */
export function quoteList(names: readonly string[], maxItems = 20, max = 80): string {
  const shown = names.slice(0, maxItems).map((n) => quote(n, max));
  return names.length > maxItems ? `${shown.join(', ')} and ${(names.length - maxItems).toLocaleString('en-US')} more` : shown.join(', ');
}

/**
 * Names as a person reads them in a message: plain names as they are, any other (long, or with characters
 * `quote` escapes) quoted; at most `maxItems` of them, then "and N more". For headers, which may be binary.
 */
export function nameList(names: readonly string[], maxItems = 30, max = 80): string {
  const shown = names.slice(0, maxItems).map((n) => {
    const quoted = quote(n, max);
    return quoted === `'${n}'` && !n.includes(',') ? n : quoted;
  });
  return names.length > maxItems ? `${shown.join(', ')} and ${(names.length - maxItems).toLocaleString('en-US')} more` : shown.join(', ');
}
