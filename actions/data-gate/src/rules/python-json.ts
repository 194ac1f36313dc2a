// Reads JSON as Python's json module writes it. GX saves suites with json.dump, which writes float('inf'),
// float('-inf') and float('nan') as bare Infinity, -Infinity and NaN (allow_nan=True is Python's default), e.g. a KL
// divergence partition with infinite end bins; JSON.parse refuses those. Rather than a second JSON parser, the bare
// tokens (and only those: never inside a string) are swapped for marker strings, which JSON.parse's reviver turns
// back into numbers. The swap keeps every newline, so JSON.parse's positions still give the right line.

const BARE = [
  { token: '-Infinity', value: -Infinity },
  { token: 'Infinity', value: Infinity },
  { token: 'NaN', value: NaN },
];

/** The text with bare Infinity/-Infinity/NaN outside strings replaced by `"<marker><token>"`; undefined if none. */
export function replaceBareNonFinite(text: string, marker: string): string | undefined {
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    if (c !== 0x2d && c !== 0x49 && c !== 0x4e) continue; // '-', 'I', 'N'
    const bare = BARE.find(({ token }) => text.startsWith(token, i) && !/[A-Za-z0-9_]/.test(text[i + token.length] ?? ''));
    if (!bare) continue;
    out += `${text.slice(last, i)}"${marker}${bare.token}"`;
    i += bare.token.length - 1;
    last = i + 1;
  }
  return last === 0 ? undefined : out + text.slice(last);
}

/** JSON.parse, also accepting Python's bare Infinity, -Infinity and NaN as numbers. */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // A marker the text does not hold, so no string of the user's can be taken for a replaced token.
    let marker = 'gx-non-finite:';
    while (text.includes(marker)) marker = `~${marker}`;
    const replaced = replaceBareNonFinite(text, marker);
    if (replaced === undefined) throw error;
    try {
      return JSON.parse(replaced, (_, value: unknown) =>
        typeof value === 'string' && value.startsWith(marker)
          ? BARE.find(({ token }) => token === value.slice(marker.length))!.value
          : value,
      );
    } catch (second) {
      // The complaint about the text as the user wrote it: markers out of the message, positions mapped back.
      const message = (second as Error).message.split(`"${marker}`).join('').split(marker).join('');
      const position = /position (\d+)/.exec(message);
      if (!position) throw new SyntaxError(message, { cause: second });
      const line = replaced.slice(0, Number(position[1])).split('\n').length;
      const lineStart =
        text
          .split('\n')
          .slice(0, line - 1)
          .join('\n').length + (line > 1 ? 1 : 0);
      throw new SyntaxError(message.replace(/position \d+/, `position ${lineStart}`), { cause: second });
    }
  }
}
