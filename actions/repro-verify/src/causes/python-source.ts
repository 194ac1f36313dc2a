// A careful line/token reader for Python, not a parser: comments removed, string literals (single, double,
// triple-quoted, with prefixes such as f/r/b) blanked in a `code` view and kept in a `raw` view, and physical lines
// joined into statements while brackets are open, so rules can match calls that span lines.

export interface Statement {
  /** 1-based line of the statement's first character. */
  line: number;
  /** Comments removed, string contents replaced by spaces (quotes kept). */
  code: string;
  /** Comments removed, strings kept (f-string placeholders, paths, 'cuda'). */
  raw: string;
}

export function pythonStatements(text: string): Statement[] {
  const statements: Statement[] = [];
  let code = '';
  let raw = '';
  let line = 1;
  let startLine = 1;
  let depth = 0;
  let i = 0;
  const n = text.length;
  const flush = () => {
    if (code.trim() !== '') statements.push({ line: startLine, code: code.trim(), raw: raw.trim() });
    code = '';
    raw = '';
  };
  while (i < n) {
    const c = text[i];
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      if (code.trim() === '') startLine = line;
      code += quote;
      raw += quote;
      i += quote.length;
      while (i < n && !text.startsWith(quote, i)) {
        if (text[i] === '\\' && i + 1 < n) {
          raw += text.slice(i, i + 2);
          code += '  ';
          if (text[i + 1] === '\n') line++;
          i += 2;
          continue;
        }
        if (text[i] === '\n') {
          line++;
          if (!triple) break; // an unterminated string ends at the line (Python would refuse it)
        }
        raw += text[i];
        code += text[i] === '\n' ? '\n' : ' ';
        i++;
      }
      if (text.startsWith(quote, i)) {
        code += quote;
        raw += quote;
        i += quote.length;
      }
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      code += ' ';
      raw += ' ';
      i += 2;
      line++;
      continue;
    }
    if (c === '\n') {
      line++;
      i++;
      if (depth > 0) {
        code += ' ';
        raw += ' ';
        continue;
      }
      flush();
      startLine = line;
      continue;
    }
    if (c === ';' && depth === 0) {
      flush();
      startLine = line;
      i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    if (code.trim() === '' && c.trim() !== '') startLine = line;
    code += c;
    raw += c;
    i++;
  }
  flush();
  return statements;
}

/** The text between the parentheses of the first call of `name(` in `code`, brackets balanced. */
export function callArguments(code: string, name: RegExp): string | undefined {
  const m = name.exec(code);
  if (!m) return undefined;
  let i = m.index + m[0].length;
  let depth = 1;
  const start = i;
  for (; i < code.length && depth > 0; i++) {
    if ('([{'.includes(code[i])) depth++;
    else if (')]}'.includes(code[i])) depth--;
  }
  return code.slice(start, i - 1);
}
