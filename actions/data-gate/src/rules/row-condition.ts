// GX's row_condition, parsed once when the rules are loaded into a small expression tree that the validation pass
// evaluates batch by batch. Two syntaxes, as GX has them:
// - condition_parser 'great_expectations' (GX 1.x great_expectations/expectations/row_conditions.py):
//   col("x") > 5, col("x") == "a", col("x") <= date("2023-03-13"), col("x").notnull(); data-gate also combines them
//   with &, |, ~ and parentheses and adds .isnull() and .isin([...]).
// - condition_parser 'pandas' (DataFrame.query): x > 5, `a b` == "v", x in ["a", "b"], x not in [...],
//   x.notnull() / isnull() / notna() / isna(), and/or/not, &, |, ~, parentheses.
// Anything else (@variables, arithmetic, function calls, chained comparisons) is refused, naming the construct.

export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type Literal = number | string | boolean | null | { date: string };

export type RowCondition =
  | { kind: 'and' | 'or'; left: RowCondition; right: RowCondition }
  | { kind: 'not'; operand: RowCondition }
  | { kind: 'compare'; column: string; op: ComparisonOperator; value: Literal }
  | { kind: 'in'; column: string; values: Literal[]; negated: boolean }
  | { kind: 'null'; column: string; isNull: boolean };

export type ConditionParser = 'great_expectations' | 'pandas';

export class RowConditionError extends Error {}

interface Token {
  type: 'name' | 'number' | 'string' | 'op' | 'punct' | 'word';
  text: string;
  at: number;
}

const OPS = ['==', '!=', '<=', '>=', '<', '>'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const at = i;
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j++];
      }
      if (j >= text.length) throw new RowConditionError(`an unterminated string starting at position ${at + 1}`);
      tokens.push({ type: 'string', text: value, at });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) throw new RowConditionError(`an unterminated \`column name\` at position ${at + 1}`);
      tokens.push({ type: 'name', text: text.slice(i + 1, end), at });
      i = end + 1;
      continue;
    }
    const number = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (
      number &&
      (c !== '+' && c !== '-'
        ? true
        : tokens.length === 0 ||
          tokens.at(-1)!.type === 'op' ||
          tokens.at(-1)!.text === '(' ||
          tokens.at(-1)!.text === '[' ||
          tokens.at(-1)!.text === ',')
    ) {
      tokens.push({ type: 'number', text: number[0], at });
      i += number[0].length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ type: 'op', text: op, at });
      i += op.length;
      continue;
    }
    if ('()[],.&|~'.includes(c)) {
      tokens.push({ type: 'punct', text: c, at });
      i++;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (word) {
      tokens.push({ type: 'word', text: word[0], at });
      i += word[0].length;
      continue;
    }
    throw new RowConditionError(
      `'${text.slice(i, i + 10)}' at position ${at + 1} (${c === '@' ? 'pandas @variables are not supported: write the value itself' : 'not part of the supported syntax'})`,
    );
  }
  return tokens;
}

/** Parses `text` written for `parser`; a RowConditionError names the construct that is not supported. */
export function parseRowCondition(text: string, parser: ConditionParser): RowCondition {
  const tokens = tokenize(text);
  let k = 0;
  const peek = () => tokens[k];
  const describe = (t: Token | undefined) =>
    t ? `'${t.type === 'string' ? `"${t.text}"` : t.text}' at position ${t.at + 1}` : 'the end of the condition';
  const unexpected = (what: string): never => {
    throw new RowConditionError(`${describe(peek())}: expected ${what}`);
  };
  const isWord = (word: string) => peek()?.type === 'word' && peek().text === word;
  const isPunct = (p: string) => peek()?.type === 'punct' && peek().text === p;
  const expectPunct = (p: string) => (isPunct(p) ? k++ : unexpected(`'${p}'`));

  const literal = (): Literal => {
    const t = peek();
    if (!t) return unexpected('a value');
    if (t.type === 'number') {
      k++;
      return Number(t.text);
    }
    if (t.type === 'string') {
      k++;
      return t.text;
    }
    if (t.type === 'word' && ['True', 'False', 'true', 'false'].includes(t.text)) {
      k++;
      return t.text.toLowerCase() === 'true';
    }
    if (t.type === 'word' && (t.text === 'None' || t.text === 'null')) {
      k++;
      return null;
    }
    if (t.type === 'word' && t.text === 'date') {
      k++;
      expectPunct('(');
      const value = peek();
      if (value?.type !== 'string') unexpected('a date string in date("...")');
      k++;
      expectPunct(')');
      return { date: value.text };
    }
    if (t.type === 'name' || t.type === 'word')
      throw new RowConditionError(`${describe(t)}: comparing two columns is not supported; compare a column with a value`);
    return unexpected('a number, a string, True, False or None');
  };

  const list = (): Literal[] => {
    const close = isPunct('[') ? ']' : isPunct('(') ? ')' : unexpected("a list '[...]'");
    k++;
    const values: Literal[] = [];
    while (!isPunct(close)) {
      values.push(literal());
      if (isPunct(',')) k++;
      else if (!isPunct(close)) unexpected(`',' or '${close}'`);
    }
    k++;
    return values;
  };

  /** A column reference: col("x") for great_expectations; a name or `quoted name` for pandas. */
  const column = (): string => {
    const t = peek();
    if (parser === 'great_expectations') {
      if (!(t?.type === 'word' && t.text === 'col')) return unexpected('col("column")');
      k++;
      expectPunct('(');
      const name = peek();
      if (name?.type !== 'string') unexpected('a quoted column name in col("...")');
      k++;
      expectPunct(')');
      return name.text;
    }
    if (t?.type === 'name') {
      k++;
      return t.text;
    }
    if (t?.type === 'word' && !['and', 'or', 'not', 'in'].includes(t.text)) {
      k++;
      return t.text;
    }
    return unexpected('a column name');
  };

  const methods: Record<string, (col: string) => RowCondition> = {
    notnull: (col) => ({ kind: 'null', column: col, isNull: false }),
    notNull: (col) => ({ kind: 'null', column: col, isNull: false }),
    notna: (col) => ({ kind: 'null', column: col, isNull: false }),
    isnull: (col) => ({ kind: 'null', column: col, isNull: true }),
    isNull: (col) => ({ kind: 'null', column: col, isNull: true }),
    isna: (col) => ({ kind: 'null', column: col, isNull: true }),
    isin: (col) => ({ kind: 'in', column: col, values: list(), negated: false }),
  };

  const atom = (): RowCondition => {
    if (isPunct('(')) {
      k++;
      const inner = or();
      expectPunct(')');
      return inner;
    }
    if (isPunct('~') || isWord('not')) {
      k++;
      return { kind: 'not', operand: atom() };
    }
    const col = column();
    if (isPunct('.')) {
      k++;
      const name = peek();
      if (name?.type !== 'word' || !(name.text in methods))
        throw new RowConditionError(`${describe(name)}: the method is not supported (supported: ${Object.keys(methods).join(', ')})`);
      k++;
      if (name.text === 'isin') {
        expectPunct('(');
        const node = methods.isin(col);
        expectPunct(')');
        return node;
      }
      expectPunct('(');
      expectPunct(')');
      return methods[name.text](col);
    }
    if (parser === 'pandas' && (isWord('in') || isWord('not'))) {
      const negated = isWord('not');
      k++;
      if (negated) {
        if (!isWord('in')) unexpected("'in' after 'not'");
        k++;
      }
      return { kind: 'in', column: col, values: list(), negated };
    }
    const op = peek();
    if (op?.type !== 'op') return unexpected(`a comparison (${OPS.join(' ')})${parser === 'great_expectations' ? ' or .notnull()' : ''}`);
    k++;
    const value = literal();
    if (peek()?.type === 'op')
      throw new RowConditionError(`${describe(peek())}: chained comparisons are not supported; join two comparisons with &`);
    return { kind: 'compare', column: col, op: op.text as ComparisonOperator, value };
  };

  const and = (): RowCondition => {
    let left = atom();
    while (isPunct('&') || (parser === 'pandas' && isWord('and'))) {
      k++;
      left = { kind: 'and', left, right: atom() };
    }
    return left;
  };

  function or(): RowCondition {
    let left = and();
    while (isPunct('|') || (parser === 'pandas' && isWord('or'))) {
      k++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  }

  if (tokens.length === 0) throw new RowConditionError('an empty condition');
  const tree = or();
  if (k < tokens.length) unexpected("'&', '|' or the end of the condition");
  return tree;
}

/** The columns a condition reads, in order of appearance. */
export function conditionColumns(condition: RowCondition): string[] {
  const out: string[] = [];
  function visit(node: RowCondition): void {
    if ('left' in node) {
      visit(node.left);
      visit(node.right);
    } else if ('operand' in node) visit(node.operand);
    else if (!out.includes(node.column)) out.push(node.column);
  }
  visit(condition);
  return out;
}
