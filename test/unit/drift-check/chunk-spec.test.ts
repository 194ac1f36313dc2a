// The chunk input: what it accepts, and which calendar period (UTC) or row range each row falls in.
import { parseChunk, timeChunkBounds, timeChunkKey, type ChunkSpec } from '../../../actions/drift-check/src/profile/chunk-spec.js';

type TimeSpec = Extract<ChunkSpec, { by: 'time' }>;
const time = (text: string): TimeSpec => parseChunk(text, 'ts') as TimeSpec;

describe('parseChunk', () => {
  it('reads periods with a timestamp column and row counts without one', () => {
    expect(parseChunk('1d', 'ts')).toEqual({ by: 'time', unit: 'd', count: 1, text: '1d', timestampColumn: 'ts' });
    expect(parseChunk('w', 'ts')).toMatchObject({ unit: 'w', count: 1 });
    expect(parseChunk('3MO', 'ts')).toMatchObject({ unit: 'mo', count: 3 });
    expect(parseChunk('100000', undefined)).toEqual({ by: 'rows', size: 100000, text: '100000' });
  });

  it('says what it expected for a period without a timestamp column, a zero and a typo', () => {
    expect(parseChunk('1w', undefined)).toEqual({ expected: "a number of rows, or set 'timestamp-column' to chunk by '1w'" });
    expect(parseChunk('0', undefined)).toEqual({ expected: 'a positive number of rows, e.g. 100000' });
    expect(parseChunk('1 week', 'ts')).toHaveProperty('expected', expect.stringMatching(/^a period \(1d, 1w, 1mo/));
  });
});

describe('time chunks', () => {
  // Instants spread over 1960-2100, up to 6 days apart on a seeded walk, so that month ends, leap days and negative
  // epoch times all occur.
  const instants: number[] = [];
  let seed = 7;
  for (let t = Date.UTC(1960, 0, 1); t < Date.UTC(2100, 0, 1);) {
    instants.push(t);
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    t += (seed % 500_000) * 1000;
  }

  it('puts every instant in the period that contains it: days at midnight, weeks from Monday, months from the 1st', () => {
    const wrong: string[] = [];
    for (const spec of [time('1d'), time('1w'), time('1mo'), time('7d'), time('2w'), time('3mo')]) {
      for (const t of instants) {
        const { start, end } = timeChunkBounds(spec, timeChunkKey(spec, t));
        const first = new Date(start);
        const ok =
          start <= t &&
          t < end &&
          first.getUTCHours() + first.getUTCMinutes() + first.getUTCSeconds() + first.getUTCMilliseconds() === 0 &&
          (spec.unit !== 'w' || first.getUTCDay() === 1) &&
          (spec.unit === 'mo'
            ? first.getUTCDate() === 1 && new Date(end).getUTCMonth() === (first.getUTCMonth() + spec.count) % 12
            : end - start === (spec.unit === 'd' ? 1 : 7) * spec.count * 86_400_000);
        if (!ok) wrong.push(`${spec.text} ${new Date(t).toISOString()}: ${first.toISOString()} to ${new Date(end).toISOString()}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('orders chunk keys as time runs, one key per period', () => {
    const spec = time('1mo');
    const keys = instants.map((t) => timeChunkKey(spec, t));
    expect(keys.findIndex((key, i) => i > 0 && key < keys[i - 1])).toBe(-1);
    expect(new Set(keys).size).toBe((2100 - 1960) * 12);
    expect(timeChunkBounds(time('1w'), timeChunkKey(time('1w'), Date.UTC(2026, 9, 11, 23, 59)))).toEqual({
      start: Date.UTC(2026, 9, 5),
      end: Date.UTC(2026, 9, 12),
    });
  });
});
