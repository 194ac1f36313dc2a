// User regexes with RE2 semantics (re2js, a pure-JavaScript port of RE2): matching takes linear time in the input,
// so a pattern like (a+)+$ cannot hang the runner as it can with JavaScript's backtracking RegExp. RE2 has no
// backreferences or lookaround; such a pattern is refused with a message naming the rule.
import { RE2JS } from 're2js';
import { UserError } from '#shared/errors.js';
import { compileAsciiRegexDfa } from './ascii-regex-dfa.js';

/** Results for repeated values are remembered (categorical columns repeat a lot), up to this many values... */
const MEMO_LIMIT = 1 << 16;
/** ... unless, after this many lookups, fewer than half were found there (unique values such as emails or ids). */
const MEMO_TRIAL = 1 << 16;

export interface SafeRegex {
  readonly source: string;
  /** True when the pattern matches somewhere in `text` (Python's re.search, which GX's match_regex uses). */
  test(text: string): boolean;
  /**
   * The same on UTF-8 bytes data[start, end) without decoding them, where a byte-table DFA can judge them (ASCII
   * text, a pattern in the subset of ascii-regex-dfa.ts); undefined when only test() can.
   */
  testBytes(data: Uint8Array, start: number, end: number): boolean | undefined;
}

export function compileSafeRegex(pattern: string, describe: () => string): SafeRegex {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (error) {
    throw new UserError(
      `${describe()}: invalid regular expression '${pattern}': ${(error as Error).message}. Patterns use RE2 syntax (no backreferences or lookaround).`,
    );
  }
  const dfa = compileAsciiRegexDfa(pattern);
  let memo: Map<string, boolean> | undefined = new Map<string, boolean>();
  let lookups = 0;
  let hits = 0;
  return {
    source: pattern,
    test(text: string): boolean {
      if (memo) {
        const known = memo.get(text);
        lookups++;
        if (known !== undefined) {
          hits++;
          return known;
        }
        if (lookups === MEMO_TRIAL && hits * 2 < lookups) memo = undefined;
      }
      // test() searches like matcher().find() (re.search) without building a Matcher: 3x faster on short cells.
      const found = compiled.test(text);
      if (memo && memo.size < MEMO_LIMIT) memo.set(text, found);
      return found;
    },
    testBytes: dfa ? (data, start, end) => dfa.test(data, start, end) : () => undefined,
  };
}
