// strftime formats match as Python's datetime.strptime decides (reference values from CPython 3 below), and in
// linear time whatever the format: ten spaces on a 41-character cell ran past 100 s with a backtracking regex.
import { strftimeMatcher } from '../../../../actions/data-gate/src/expectations/date-formats.js';

const describeRule = () => "rule 1 'dates'";

// (text, format, strptime accepts it) from: python3 -c "datetime.strptime(text, format)".
const CPYTHON: [string, string, boolean][] = [
  ['2024-03-07', '%Y-%m-%d', true],
  ['2024-3-7', '%Y-%m-%d', true],
  ['2024-02-30', '%Y-%m-%d', false],
  ['2024-01-01 ', '%Y-%m-%d', false],
  ['2024-01-01   10:00', '%Y-%m-%d %H:%M', true],
  ['2024-01-0110:00', '%Y-%m-%d %H:%M', false],
  ['07 Mar 2024', '%d %b %Y', true],
  ['07 mar 2024', '%d %b %Y', true],
  ['20240307', '%Y%m%d', true],
  ['2024037', '%Y%m%d', true],
  ['March 7, 2024', '%B %d, %Y', true],
  ['12/31/99', '%m/%d/%y', true],
  ['25:00', '%H:%M', false],
  ['2024-03-07T10:00:00.123456', '%Y-%m-%dT%H:%M:%S.%f', true],
  ['x', '%Y', false],
];

describe('strftime formats', () => {
  test.each(CPYTHON)('%j with %j is %j, as in CPython', (text, format, expected) => {
    expect(strftimeMatcher(format, describeRule)(text)).toBe(expected);
  });

  test('a format of ten spaces on a 41-character cell answers at once', () => {
    const match = strftimeMatcher(' '.repeat(10), describeRule);
    const started = Date.now();
    expect(match(`${' '.repeat(40)}x`)).toBe(false);
    expect(match(' '.repeat(41))).toBe(true);
    expect(Date.now() - started).toBeLessThan(100);
  });

  test('a format of many variable-width directives in a row answers in linear time', () => {
    const match = strftimeMatcher('%d'.repeat(30), describeRule);
    const started = Date.now();
    expect(match(`${'1'.repeat(59)}x`)).toBe(false);
    expect(match('1'.repeat(45))).toBe(true);
    expect(Date.now() - started).toBeLessThan(500);
  });

  test('names the rule and quotes the format for an unsupported directive', () => {
    expect(() => strftimeMatcher('%Y-%Q', describeRule)).toThrow(
      "rule 1 'dates': strftime_format '%Y-%Q' has an unsupported directive '%Q'.",
    );
  });
});
