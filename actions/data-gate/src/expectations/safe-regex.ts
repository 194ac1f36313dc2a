// User regexes with RE2 semantics (re2js, a pure-JavaScript port of RE2): matching takes linear time in the input,
// so a pattern like (a+)+$ cannot hang the runner as it can with JavaScript's backtracking RegExp. RE2 has no
// backreferences or lookaround; such a pattern is refused with a message naming the rule.
import { RE2JS } from 're2js';
import { UserError } from '../../../../shared/src/errors.js';

/** Results for repeated values are remembered (categorical columns repeat a lot), up to this many values. */
const MEMO_LIMIT = 1 << 16;

export interface SafeRegex {
  readonly source: string;
  /** True when the pattern matches somewhere in `text` (Python's re.search, which GX's match_regex uses). */
  test(text: string): boolean;
}

export function compileSafeRegex(pattern: string, describe: () => string): SafeRegex {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (error) {
    throw new UserError(`${describe()}: invalid regular expression '${pattern}': ${(error as Error).message}. Patterns use RE2 syntax (no backreferences or lookaround).`);
  }
  const memo = new Map<string, boolean>();
  return {
    source: pattern,
    test(text: string): boolean {
      const known = memo.get(text);
      if (known !== undefined) return known;
      const found = compiled.matcher(text).find();
      if (memo.size < MEMO_LIMIT) memo.set(text, found);
      return found;
    },
  };
}
