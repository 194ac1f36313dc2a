// Exact money: decimal text to integers without floats, half-to-even rounding, largest remainder that adds up.
import {
  centsText,
  divideHalfEven,
  formatMoney,
  largestRemainderCents,
  parseAmountBytes,
  parseAmountText,
  parsed,
  roundToCents,
  splitPico,
  toPico,
} from '../../../actions/cost-report/src/money/money.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const fast = (text: string) => (parseAmountBytes(bytes(text), 0, text.length) ? toPico(parsed.micro, parsed.frac) : undefined);

describe('parsing costs', () => {
  test.each([
    ['0.1', 100_000_000_000n],
    ['12.345678901234', 12_345_678_901_234n],
    ['-2.50', -2_500_000_000_000n],
    ['-0.0000015', -1_500_000n],
    ['999999999.999999', 999_999_999_999_999_000_000n],
    ['.5', 500_000_000_000n],
    ['7', 7_000_000_000_000n],
  ])('the fast byte parser reads %s exactly', (text, pico) => {
    expect(fast(text)).toBe(pico);
    expect(parseAmountText(text)).toBe(pico);
  });

  test.each(['1.5E-7', '1e3', ' 3.2 ', '1234567890.5', '0.0000000000001'])('the fast parser leaves %s to the text parser', (text) => {
    expect(fast(text)).toBeUndefined();
    expect(parseAmountText(text)).toBeDefined();
  });

  test('exponents and digits past 10^-12 are exact, then half to even', () => {
    expect(parseAmountText('1.5E-7')).toBe(150_000n);
    expect(parseAmountText('2.5e-12')).toBe(2n);
    expect(parseAmountText('3.5e-12')).toBe(4n);
    expect(parseAmountText('abc')).toBeUndefined();
    expect(parseAmountText('')).toBeUndefined();
    expect(parseAmountText('1.2.3')).toBeUndefined();
  });

  test('a million 0.1s add up to exactly 100000 (floats would not)', () => {
    let micro = 0;
    let frac = 0;
    let float = 0;
    for (let i = 0; i < 1_000_000; i++) {
      parseAmountBytes(bytes('0.1'), 0, 3);
      micro += parsed.micro;
      frac += parsed.frac;
      float += 0.1;
    }
    expect(toPico(micro, frac)).toBe(100_000n * 1_000_000_000_000n);
    expect(float).not.toBe(100_000);
  });
});

describe('rounding', () => {
  test('half to even to the cent', () => {
    expect(roundToCents(parseAmountText('0.125')!)).toBe(12n);
    expect(roundToCents(parseAmountText('0.135')!)).toBe(14n);
    expect(roundToCents(parseAmountText('-0.125')!)).toBe(-12n);
    expect(roundToCents(parseAmountText('0.1250001')!)).toBe(13n);
    expect(divideHalfEven(-7n, 2n)).toBe(-4n);
  });

  test('largest remainder: three thirds of a dollar add up to the dollar', () => {
    const third = parseAmountText('0.333333333333')!;
    const parts = [third, third, parseAmountText('0.333333333334')!];
    expect(largestRemainderCents(parts, 100n)).toEqual([33n, 33n, 34n]);
  });

  test('largest remainder with negative parts (credits) still adds up', () => {
    const parts = ['10.004', '-3.006', '5.005'].map((t) => parseAmountText(t)!);
    const total = roundToCents(parts.reduce((a, b) => a + b, 0n));
    const cents = largestRemainderCents(parts, total);
    expect(cents.reduce((a, b) => a + b, 0n)).toBe(total);
    expect(total).toBe(1200n);
  });

  test('splits are exact: shares add up to the amount to 10^-12', () => {
    const amount = parseAmountText('100.000000000001')!;
    const shares = splitPico(amount, [1n, 1n, 1n]);
    expect(shares.reduce((a, b) => a + b, 0n)).toBe(amount);
    expect(splitPico(-amount, [3n, 1n]).reduce((a, b) => a + b, 0n)).toBe(-amount);
  });

  test('formats for people', () => {
    expect(centsText(-5n)).toBe('-0.05');
    expect(formatMoney(123456789n, 'USD')).toBe('$1,234,567.89');
    expect(formatMoney(-1050n, 'USD')).toBe('-$10.50');
    expect(formatMoney(1050n, 'EUR')).toBe('10.50 EUR');
  });
});
