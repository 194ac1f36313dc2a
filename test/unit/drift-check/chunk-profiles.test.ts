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

it('gives the same daily chunks whether the rows come in time order or shuffled', () => {
  const rows = 5000;
  const order = Array.from({ length: rows }, (_, i) => i);
  const shuffled = [...order];
  let seed = 3;
  for (let i = rows - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const profile = (rowOrder: number[]) => {
    const ts = Float64Array.from(rowOrder, (r) => Date.UTC(2026, 0, 1) + r * 3_600_000); // hourly over ~7 months
    const x = Float64Array.from(rowOrder, (r) => Math.sin(r) * 100);
    const city = rowOrder.map((r) => ['Lyon', 'Oslo', 'Lima'][r % 3]);
    const profiler = new ChunkProfiler(
      { by: 'time', unit: 'd', count: 1, text: '1d', timestampColumn: 'ts' },
      [
        { name: 'x', kind: 'numerical' },
        { name: 'city', kind: 'categorical' },
      ],
      new MemoryBudget(256 * 1024 * 1024),
    );
    for (let start = 0; start < rows; start += 1000) {
      const n = Math.min(1000, rows - start);
      const part: RecordBatch = {
        file: 'data.csv',
        rowCount: n,
        firstRowIndex: start,
        lines: Uint32Array.from({ length: n }, (_, i) => start + i + 2),
        columns: [
          { kind: 'number', values: ts.slice(start, start + n), missing: new Uint8Array(n) },
          { kind: 'number', values: x.slice(start, start + n), missing: new Uint8Array(n) },
          { kind: 'string', values: city.slice(start, start + n) },
        ],
      };
      const schema = [
        { name: 'ts', type: 'datetime' },
        { name: 'x', type: 'numerical' },
        { name: 'city', type: 'categorical' },
      ];
      profiler.addBatch(part, new Map(schema.map((c, i) => [c.name, i])), { schema } as Dataset);
    }
    return profiler.profiles().map((chunk) => ({
      key: chunk.key,
      rows: chunk.rows,
      x: (chunk.columns.get('x') as NumericAccumulator).sketches().histogram.weightedValues(),
      city: (chunk.columns.get('city') as CategoricalAccumulator).counts,
    }));
  };
  const inOrder = profile(order);
  expect(inOrder).toHaveLength(Math.ceil(rows / 24));
  expect(profile(shuffled)).toEqual(inOrder);
});
