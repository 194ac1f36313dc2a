// Value patterns of attribution rules: `*` matches any run of characters ('/' included, so resource ids and
// workflow paths match alike), `?` one character; everything else is literal and case-sensitive.
//
// Hand-written rather than picomatch or a RegExp because rules are the user's text matched against millions of
// values: a regex of several `*` can backtrack polynomially. Here the pattern is cut at its stars into literal
// pieces; the first must start the value, the last must end it, and each middle piece is taken at its leftmost
// match (which is always safe for `*` patterns), so no position is ever revisited: O(value length x piece length).

export interface Glob {
  source: string;
  test(value: string): boolean;
}

export function compileGlob(pattern: string): Glob {
  if (!pattern.includes('*') && !pattern.includes('?')) return { source: pattern, test: (value) => value === pattern };
  const pieces = pattern.split('*');
  if (pieces.length === 1) return { source: pattern, test: (value) => value.length === pattern.length && pieceAt(value, pattern, 0) };
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  const middle = pieces.slice(1, -1).filter((p) => p !== '');
  const minLength = pieces.reduce((n, p) => n + p.length, 0);
  return {
    source: pattern,
    test(value: string): boolean {
      if (value.length < minLength) return false;
      if (!pieceAt(value, first, 0)) return false;
      const end = value.length - last.length;
      if (!pieceAt(value, last, end)) return false;
      let at = first.length;
      for (const piece of middle) {
        const found = findPiece(value, piece, at, end);
        if (found < 0) return false;
        at = found + piece.length;
      }
      return at <= end;
    },
  };
}

/** Whether `piece` (with `?` wildcards) matches value at `at`. */
function pieceAt(value: string, piece: string, at: number): boolean {
  if (at < 0 || at + piece.length > value.length) return false;
  for (let i = 0; i < piece.length; i++) {
    const c = piece.charCodeAt(i);
    if (c !== 63 && c !== value.charCodeAt(at + i)) return false;
  }
  return true;
}

/** Leftmost start >= from of `piece` ending by `limit`, or -1. */
function findPiece(value: string, piece: string, from: number, limit: number): number {
  if (!piece.includes('?')) {
    const i = value.indexOf(piece, from);
    return i >= 0 && i + piece.length <= limit ? i : -1;
  }
  for (let i = from; i + piece.length <= limit; i++) if (pieceAt(value, piece, i)) return i;
  return -1;
}
