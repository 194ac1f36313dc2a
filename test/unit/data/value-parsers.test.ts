import { parseIsoDateText, parseNumberText, parseSimpleNumberBytes } from '#shared/data/value-parsers.js';

describe('parsing cell values', () => {
  it('parses plain decimals from bytes to exactly the double Number() gives', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 20000; i++) {
      const digits = 1 + Math.floor(random() * 15);
      const text = (random() < 0.5 ? '-' : '') + (random() * 10 ** digits).toFixed(Math.floor(random() * Math.min(digits, 8)));
      if (text.replace(/[-.]/g, '').length > 15) continue;
      const bytes = Buffer.from(text);
      expect(parseSimpleNumberBytes(bytes, 0, bytes.length)).toBe(Number(text));
    }
  });

  it('leaves exponents, spaces and words to the slower text path', () => {
    for (const text of ['1e5', ' 3', 'abc', '', '-', '.', '1.2.3', '1234567890123456']) {
      const bytes = Buffer.from(text);
      expect(parseSimpleNumberBytes(bytes, 0, bytes.length)).toBeNaN();
    }
    expect(parseNumberText('1e5')).toBe(100000);
    expect(parseNumberText(' 3 ')).toBe(3);
    expect(parseNumberText('.5')).toBe(0.5);
    expect(parseNumberText('-Infinity')).toBe(-Infinity);
    expect(parseNumberText('1,000')).toBeUndefined();
    expect(parseNumberText('0x10')).toBeUndefined();
  });

  it('reads ISO 8601 dates and timestamps as JavaScript Date does for explicit offsets', () => {
    for (const text of [
      '2024-02-29',
      '2024-02-29T23:59:59Z',
      '1999-12-31T23:00:00.123Z',
      '2024-06-01T12:30:00+02:00',
      '2024-06-01T12:30:00-0530',
      '1969-07-20T20:17:40Z',
    ]) {
      const reference = Date.parse(text.length === 10 ? text : text);
      expect(parseIsoDateText(text)).toBe(reference);
    }
    expect(parseIsoDateText('2024-06-01 12:30')).toBe(Date.UTC(2024, 5, 1, 12, 30)); // no offset: UTC
    for (const bad of ['2023-02-29', '2024-13-01', '2024-01-01T25:00', 'yesterday', '2024/01/01', '2024-01-01Tnoon']) {
      expect(parseIsoDateText(bad)).toBeNaN();
    }
  });
});
