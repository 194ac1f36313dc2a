// A byte-table DFA for the common run of data-validation regexes (classes, escapes such as \d and \w, groups,
// alternation, quantifiers, ^ and $ at the ends), run straight on the UTF-8 bytes of ASCII cells: an email check
// costs ~50 ns a cell where re2js on a decoded string costs ~400. Like re2js it cannot backtrack, so it takes time
// linear in the cell. refa builds the automaton (parse, NFA, subset construction, minimisation); written here is
// only the check that a pattern means the same in RE2 and in refa's JavaScript syntax (rewriting . and \s, and class
// bodies, into RE2's meaning), and the table it runs on. Patterns outside that subset, and cells with bytes past
// ASCII, go to re2js (safe-regex.ts).
import { DFA, JS, NFA } from 'refa';

/** Past this many states the table is not worth building (and a pattern like a{1,900} stays with re2js). */
const MAX_STATES = 4000;
const MAX_NFA_NODES = 20000;
const DEAD = 0xffff;
/** A byte >= 0x80: the cell is not ASCII, and the caller asks re2js. */
const NOT_ASCII = 0xfffe;

export interface AsciiRegexDfa {
  /** Whether the pattern matches somewhere in data[start, end) (re.search), or undefined when a byte is not ASCII. */
  test(data: Uint8Array, start: number, end: number): boolean | undefined;
}

/** The pattern in refa's JavaScript syntax with the same meaning on ASCII text, or undefined outside the subset. */
interface Translated {
  source: string;
  anchoredStart: boolean;
  anchoredEnd: boolean;
}

/** Escapes that mean the same in RE2 and in JavaScript without the u flag (\s is RE2's [\t\n\f\r ], see below). */
const SAME_ESCAPES = new Set([...'\\.-+*?()[]{}|^$/dDwWtnrf', ' ', '#', '&', '~', ',', ':', '=', '!', '<', '>', '@', '%', "'", '"', '_']);
const RE2_SPACE = '\\t\\n\\f\\r ';

/**
 * Rewrites an RE2 pattern (already accepted by re2js) into JavaScript syntax, or gives up (undefined) on anything
 * where the two differ or that a DFA cannot run: flags such as (?i), named groups, \b, \A, \z, \x, \p, POSIX classes,
 * anchors anywhere but the two ends, a bare { or }. RE2's . excludes only \n (JavaScript's also \r), and RE2's \s
 * is [\t\n\f\r ] (JavaScript's adds \v and Unicode spaces): both are written out.
 */
export function translateToJs(pattern: string): Translated | undefined {
  let p = pattern;
  const anchoredStart = p.startsWith('^');
  if (anchoredStart) p = p.slice(1);
  let anchoredEnd = false;
  if (p.endsWith('$') && !endsEscaped(p)) {
    anchoredEnd = true;
    p = p.slice(0, -1);
  }
  let out = '';
  let depth = 0;
  let topLevelAlternation = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c.charCodeAt(0) >= 0x80) return undefined;
    if (c === '\\') {
      const e = p[i + 1];
      if (e === undefined || !SAME_ESCAPES.has(e)) {
        if (e === 's') out += `[${RE2_SPACE}]`;
        else if (e === 'S') out += `[^${RE2_SPACE}]`;
        else return undefined;
      } else out += `\\${e}`;
      i++;
      continue;
    }
    if (c === '[') {
      const end = classEnd(p, i);
      if (end === undefined) return undefined;
      const body = translateClass(p.slice(i + 1, end));
      if (body === undefined) return undefined;
      out += `[${body}]`;
      i = end;
      continue;
    }
    if (c === '(') {
      if (p[i + 1] === '?') {
        if (p[i + 2] !== ':') return undefined; // flags, named groups, lookaround
        out += '(?:';
        i += 2;
      } else out += '(';
      depth++;
      continue;
    }
    if (c === ')') {
      depth--;
      out += ')';
      continue;
    }
    if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
      if (!match) return undefined;
      out += match[0];
      i += match[0].length - 1;
      continue;
    }
    if (c === '}' || c === ']' || c === '^' || c === '$') return undefined;
    if (c === '|' && depth === 0) topLevelAlternation = true;
    out += c === '.' ? '[^\\n]' : c;
  }
  // ^a|b$ anchors one alternative each; (?:...) around the rest would anchor both.
  if (topLevelAlternation && (anchoredStart || anchoredEnd)) return undefined;
  return { source: out, anchoredStart, anchoredEnd };
}

function endsEscaped(p: string): boolean {
  let backslashes = 0;
  for (let i = p.length - 2; i >= 0 && p[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** Index of the ] closing the class opened at `open`, or undefined for a class whose first character is ]. */
function classEnd(p: string, open: number): number | undefined {
  let i = open + 1;
  if (p[i] === '^') i++;
  if (p[i] === ']') return undefined; // RE2 reads []a] as a class holding ] and a; JavaScript as an empty class
  for (; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === ']') return i;
  }
  return undefined;
}

/** Class escapes that stand for a set: a - next to one is a literal in RE2 but may start a range in JavaScript. */
const SET_ESCAPES = new Set(['s', 'd', 'w', 'D', 'W']);

/**
 * A class body in JavaScript syntax with RE2's meaning: \s written out as RE2's [\t\n\f\r ], the other escapes
 * kept. A - beside a set escape is refused: RE2 reads [\s-'] as space characters, - and ', but JavaScript would read
 * the written-out ' -' as a range from space to ' (and Annex B reads [\d-a-z] as digits, a, - and z).
 */
function translateClass(body: string): string | undefined {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c.charCodeAt(0) >= 0x80 || c === '[') return undefined; // [[:alpha:]] and nested classes
    if (c === '\\') {
      const e = body[i + 1];
      // \S inside a class cannot be written out (a negated set within a set): re2js judges such a pattern.
      if (e !== 's' && (e === undefined || e === 'S' || !SAME_ESCAPES.has(e))) return undefined;
      if (SET_ESCAPES.has(e) && (body[i - 1] === '-' || body[i + 2] === '-')) return undefined;
      out += e === 's' ? RE2_SPACE : `\\${e}`;
      i++;
      continue;
    }
    out += c;
  }
  return out;
}

/** The DFA of an RE2 pattern, or undefined when the pattern is outside the subset or its automaton too big. */
export function compileAsciiRegexDfa(pattern: string): AsciiRegexDfa | undefined {
  const translated = translateToJs(pattern);
  if (!translated) return undefined;
  const { source, anchoredStart, anchoredEnd } = translated;
  // Search semantics: anything may come before the match unless ^, after it unless $.
  const whole = `${anchoredStart ? '' : '[^]*'}(?:${source})${anchoredEnd ? '' : '[^]*'}`;
  let dfa: DFA;
  try {
    const { expression } = JS.Parser.fromLiteral({ source: whole, flags: '' }).parse({ assertions: 'throw', backreferences: 'throw' });
    const nfa = NFA.fromRegex(expression, { maxCharacter: 0xffff }, {}, new NFA.LimitedNodeFactory(MAX_NFA_NODES));
    dfa = DFA.fromFA(nfa, new DFA.LimitedNodeFactory(MAX_STATES));
    dfa.minimize();
  } catch {
    return undefined; // too many states, or syntax refa reads differently: re2js decides
  }
  const nodes = [...dfa.nodes()];
  if (nodes.length > MAX_STATES) return undefined;
  const ids = new Map(nodes.map((node, i) => [node, i]));
  // table[state * 256 + byte]: the next state; bytes 0x80-0xff lead to NOT_ASCII.
  const table = new Uint16Array(nodes.length * 256).fill(DEAD);
  const accepting = new Uint8Array(nodes.length);
  for (const node of nodes) {
    const state = ids.get(node)!;
    if (dfa.finals.has(node)) accepting[state] = 1;
    for (const [range, to] of node.out.entries()) {
      for (let c = range.min; c <= Math.min(range.max, 0x7f); c++) table[state * 256 + c] = ids.get(to)!;
    }
    table.fill(NOT_ASCII, state * 256 + 0x80, state * 256 + 0x100);
  }
  const initial = ids.get(dfa.initial)!;
  return {
    test(data, start, end) {
      let state = initial;
      for (let i = start; i < end; i++) {
        state = table[(state << 8) | data[i]];
        // Dead: no continuation of this ASCII prefix, in any characters, can match.
        if (state >= NOT_ASCII) return state === NOT_ASCII ? undefined : false;
        // Without $ an accepting state accepts every continuation ([^]* follows): stop early.
        if (!anchoredEnd && accepting[state] === 1) return true;
      }
      return accepting[state] === 1;
    },
  };
}
