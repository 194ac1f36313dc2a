// The byte DFA judges a cell exactly as re2js does wherever it judges at all: checked on many patterns and random
// ASCII cells built from each pattern's own characters (so that matches are common), plus the cases it must leave
// to re2js (patterns outside the subset, cells past ASCII).
import { describe, expect, it } from '@jest/globals';
import { RE2JS } from 're2js';
import { compileAsciiRegexDfa, translateToJs } from '../../../../actions/data-gate/src/expectations/ascii-regex-dfa.js';
import { compileSafeRegex } from '../../../../actions/data-gate/src/expectations/safe-regex.js';

const PATTERNS = [
  '^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$',
  '^\\d{3}-\\d{4}$',
  'abc',
  '^abc',
  'abc$',
  '^$',
  '^',
  'a.c',
  '^.+$',
  '\\s+',
  '^\\S+$',
  '[\\s,]x',
  '^(foo|bar)+$',
  'foo|bar',
  '(a|ab)(c|bcd)(d*)',
  '^[A-Z]{2}\\d{2}[A-Z0-9]{4}\\d{7}([A-Z0-9]?){0,16}$',
  'x{2}y{1,3}z{0,}',
  '^[^@\\s]+@[^@\\s]+$',
  '\\w+\\W\\w+',
  '^-?\\d+(\\.\\d+)?$',
  'a\\$',
  'a\\\\$',
  '^(?:ord|inv)-\\d+$',
  '[.]\\.',
  'a*?b+?',
  '^[\\-+]?[0-9]*\\.?[0-9]+([eE][\\-+]?[0-9]+)?$',
];

/** Random cells from the pattern's own characters plus a few others (no bytes past ASCII). */
function randomCells(pattern: string, count: number, seed: number): string[] {
  let state = seed >>> 0;
  const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const alphabet = [...new Set([...pattern.replace(/[\\^$]/g, ''), 'a', 'b', '1', '.', '@', ' ', '\n', '\r', '\t', 'Z', '-'])];
  return Array.from({ length: count }, () => {
    const length = Math.floor(random() * 14);
    let cell = '';
    for (let i = 0; i < length; i++) cell += alphabet[Math.floor(random() * alphabet.length)];
    return cell;
  });
}

describe('the ASCII regex DFA', () => {
  it.each(PATTERNS)('agrees with re2js on random ASCII cells: %s', (pattern) => {
    const dfa = compileAsciiRegexDfa(pattern);
    expect(dfa).toBeDefined();
    const re2 = RE2JS.compile(pattern);
    const cells = [
      ...randomCells(pattern, 3000, pattern.length * 7919),
      'ab@cd.ef',
      'abc',
      '',
      '123-4567',
      'foobar',
      'a$',
      'a\\',
      'ord-123',
      'inv-9x',
      'GB82WEST12345698765432',
    ];
    let matched = 0;
    for (const cell of cells) {
      const bytes = Buffer.from(`<${cell}>`, 'latin1');
      const found = dfa!.test(bytes, 1, bytes.length - 1);
      expect({ cell, found }).toEqual({ cell, found: re2.test(cell) });
      if (found) matched++;
    }
    // Both outcomes occur for most patterns, so the comparison means something.
    if (!['^$', '^', 'a\\$', 'a\\\\$'].includes(pattern)) expect(matched).toBeGreaterThan(0);
  });

  it('judges names with spaces and hyphens as RE2 does, by handing such a class to re2js', () => {
    const regex = compileSafeRegex("^[a-zA-Z\\s-']+$", () => 'rule');
    for (const [cell, expected] of [
      ['Mary-Jane', true],
      ["O'Brien Smith", true],
      ['Bob!', false],
      ['A#B', false],
    ] as const) {
      const bytes = Buffer.from(cell);
      expect(regex.testBytes(bytes, 0, bytes.length) ?? regex.test(cell)).toBe(expected);
    }
  });

  it('reads random character classes as re2js does, for every ASCII character', () => {
    const atoms = ['a', 'z', 'A', '0', '9', '-', '_', "'", '.', ' ', '^', '\\s', '\\d', '\\w', '\\D', '\\W', '\\-', '\\]', '\\t'];
    let state = 7;
    const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    let compiled = 0;
    for (let n = 0; n < 1500; n++) {
      let body = '';
      const length = 1 + Math.floor(random() * 5);
      for (let k = 0; k < length; k++) body += atoms[Math.floor(random() * atoms.length)];
      const pattern = `^[${random() < 0.3 ? '^' : ''}${body}]$`;
      let re2: RE2JS;
      try {
        re2 = RE2JS.compile(pattern);
      } catch {
        continue; // not a pattern RE2 accepts (a bad range)
      }
      const dfa = compileAsciiRegexDfa(pattern);
      if (!dfa) continue;
      compiled++;
      for (let c = 0; c < 128; c++) {
        const found = dfa.test(Uint8Array.of(c), 0, 1);
        expect({ pattern, c, found }).toEqual({ pattern, c, found: re2.test(String.fromCharCode(c)) });
      }
    }
    expect(compiled).toBeGreaterThan(500);
  });

  it('leaves cells with bytes past ASCII to re2js', () => {
    const dfa = compileAsciiRegexDfa('^caf.$')!;
    const bytes = Buffer.from('café');
    expect(dfa.test(bytes, 0, bytes.length)).toBeUndefined();
    expect(dfa.test(Buffer.from('cafe'), 0, 4)).toBe(true);
  });

  it.each([
    '(?i)abc', // flags
    '(?P<year>\\d{4})', // named group
    '\\bword\\b', // word boundary
    '\\Aabc\\z', // text anchors
    '[[:alpha:]]+', // POSIX class
    '\\x41', // hex escape
    '\\pL+', // Unicode class
    'a^b', // anchor inside
    '^a|b$', // anchors on alternatives
    '[]a]', // ] first in a class
    'a{,3}', // RE2 reads it as text
    'café', // not ASCII
    '[\\S\\d]', // \\S inside a class
    "^[a-zA-Z\\s-']+$", // - after a set escape: RE2 a literal -, JavaScript a range from space
    '^[\\d-a-z]+$', // Annex B would read digits, a, - and z
    '^[a-\\w]$', // - before a set escape
  ])('does not take a pattern outside its subset: %s', (pattern) => {
    expect(translateToJs(pattern)).toBeUndefined();
    expect(compileAsciiRegexDfa(pattern)).toBeUndefined();
  });

  it('writes RE2 meanings out where JavaScript differs: . excludes only \\n, \\s is [\\t\\n\\f\\r ]', () => {
    expect(translateToJs('a.b\\s')).toEqual({ source: 'a[^\\n]b[\\t\\n\\f\\r ]', anchoredStart: false, anchoredEnd: false });
    const dot = compileAsciiRegexDfa('^a.b$')!;
    expect(dot.test(Buffer.from('a\rb'), 0, 3)).toBe(RE2JS.compile('^a.b$').test('a\rb'));
    const space = compileAsciiRegexDfa('^\\s$')!;
    expect(space.test(Buffer.from('\v'), 0, 1)).toBe(RE2JS.compile('^\\s$').test('\v'));
  });

  it('gives up on automata too big for a table, in bounded time', () => {
    const started = Date.now();
    expect(compileAsciiRegexDfa('(a|b)*a(a|b){18}')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
