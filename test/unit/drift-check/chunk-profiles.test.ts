// A chunk's profile handed from the profiling thread to the main one (typed arrays instead of JSON objects) comes
// back as the same sketches: histogram buckets, sample, moments and few-value counts.
import { ChunkProfiler, chunkFromState, chunkToState } from '../../../actions/drift-check/src/profile/chunk-profiles.js';
import { NumericAccumulator } from '../../../actions/drift-check/src/profile/numeric-accumulator.js';
import { CategoricalAccumulator } from '../../../actions/drift-check/src/profile/categorical-accumulator.js';
import { MemoryBudget } from '#shared/stats/sketches/memory-budget.js';
import type { Dataset, RecordBatch } from '#shared/data/index.js';

function batch(rows: number, firstRowIndex: number): RecordBatch {
  const x = new Float64Array(rows);
  const flag = new Float64Array(rows);
  const city: (string | null)[] = [];
  for (let i = 0; i < rows; i++) {
    const r = firstRowIndex + i;
    x[i] = r % 97 === 0 ? 0 : ((r * 7919) % 1000) / 10 - 30; // negatives, zeros and positives
    flag[i] = r % 3 === 0 ? 1 : 0;
    city.push(r % 11 === 0 ? null : ['Lyon', 'Oslo', 'Lima'][r % 3]);
  }
  return {
    file: 'data.csv',
    rowCount: rows,
    firstRowIndex,
    lines: Uint32Array.from({ length: rows }, (_, i) => firstRowIndex + i + 2),
    columns: [
      { kind: 'number', values: x, missing: new Uint8Array(rows) },
      { kind: 'number', values: flag, missing: new Uint8Array(rows) },
      { kind: 'string', values: city },
    ],
  };
}

const dataset = {
  schema: [
    { name: 'x', type: 'numerical' },
    { name: 'flag', type: 'numerical' },
    { name: 'city', type: 'categorical' },
  ],
} as Dataset;
const index = new Map([
  ['x', 0],
  ['flag', 1],
  ['city', 2],
]);

it('cuts rows into chunks and hands each chunk over without changing its sketches', () => {
  const plan = [
    { name: 'x', kind: 'numerical' as const },
    { name: 'flag', kind: 'numerical' as const },
    { name: 'city', kind: 'categorical' as const },
  ];
  const profiler = new ChunkProfiler({ by: 'rows', size: 4000, text: '4000' }, plan, new MemoryBudget(64 * 1024 * 1024));
  profiler.addBatch(batch(3000, 0), index, dataset);
  profiler.addBatch(batch(7000, 3000), index, dataset);
  const chunks = profiler.profiles();
  expect(chunks.map((c) => [c.key, c.rows])).toEqual([
    [0, 4000],
    [1, 4000],
    [2, 2000],
  ]);
  for (const chunk of chunks) {
    const back = chunkFromState(structuredClone(chunkToState(chunk)));
    expect(back.rows).toBe(chunk.rows);
    for (const name of ['x', 'flag']) {
      const before = chunk.columns.get(name) as NumericAccumulator;
      const after = back.columns.get(name) as NumericAccumulator;
      expect(after.sketches().histogram.weightedValues()).toEqual(before.sketches().histogram.weightedValues());
      expect(Array.from(after.sketches().sample.values())).toEqual(Array.from(before.sketches().sample.values()));
      expect([after.count, after.m2, after.min, after.max, after.rows]).toEqual([
        before.count,
        before.m2,
        before.min,
        before.max,
        before.rows,
      ]);
      expect(after.mean).toBeCloseTo(before.mean, 12); // the running mean as saved, not the sum over the count
      expect(after.distinct).toEqual(before.distinct);
    }
    expect((back.columns.get('flag') as NumericAccumulator).distinct).toEqual(
      new Map([
        [1, chunk.key === 2 ? 667 : chunk.key === 0 ? 1334 : 1333],
        [0, expect.any(Number)],
      ]),
    );
    expect((back.columns.get('city') as CategoricalAccumulator).counts).toEqual(
      (chunk.columns.get('city') as CategoricalAccumulator).counts,
    );
  }
});
