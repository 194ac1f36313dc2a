// Comparing runs: metrics files flattened to dotted keys, tolerance (absolute, relative, per key), output statuses,
// the score, and short unified diffs equal to `diff -u`'s hunks.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compareMetrics,
  compareOutputs,
  reproducibilityScore,
  type RunFiles,
} from '../../../actions/repro-verify/src/compare/compare-runs.js';
import { jsonErrorOffset, parseMetrics } from '../../../actions/repro-verify/src/compare/metrics-file.js';
import { compareValues, EXACT, type Tolerance } from '../../../actions/repro-verify/src/compare/tolerance.js';
import { unifiedDiff } from '../../../actions/repro-verify/src/compare/unified-diff.js';

describe('metrics files', () => {
  test('JSON and YAML flatten to dotted keys; non-numbers are skipped', () => {
    expect([...parseMetrics('{"eval": {"acc": 0.91, "per_class": [0.8, 0.95]}, "name": "run"}', 'm.json')]).toEqual([
      ['eval.acc', 0.91],
      ['eval.per_class.0', 0.8],
      ['eval.per_class.1', 0.95],
    ]);
    expect([...parseMetrics('train:\n  loss: 0.25\n  steps: 100\n', 'm.yaml')]).toEqual([
      ['train.loss', 0.25],
      ['train.steps', 100],
    ]);
  });

  test('CSV: one row gives a metric per column, named rows give row.column', () => {
    expect([...parseMetrics('accuracy,loss\n0.9,0.3\n', 'm.csv')]).toEqual([
      ['accuracy', 0.9],
      ['loss', 0.3],
    ]);
    expect([...parseMetrics('split,accuracy\ntrain,0.99\ntest,0.9\n', 'm.csv')]).toEqual([
      ['train.accuracy', 0.99],
      ['test.accuracy', 0.9],
    ]);
  });

  test('unparseable files name the file and line', () => {
    expect(() => parseMetrics('{"a": 1,\n "b": }', 'm.json')).toThrow(/^m\.json:2: not valid JSON/);
    expect(() => parseMetrics('a: [1, 2\nb: 3\n', 'm.yaml')).toThrow(/^m\.yaml:\d+: not valid YAML/);
    expect(() => parseMetrics('acc,loss\n0.9,high\n', 'm.csv')).toThrow(/^m\.csv:2 \(column 'loss'\): 'high' is not a number/);
    expect(() => parseMetrics('acc,loss\n0.9\n', 'm.csv')).toThrow(/^m\.csv:2: row has 1 cells, the header has 2/);
    expect(jsonErrorOffset('[1, 2]')).toBeUndefined();
  });
});

describe('tolerance', () => {
  test('exact, absolute, relative; NaN agrees only with NaN', () => {
    expect(compareValues([0.5, 0.5], { abs: 0, rel: 0 }).status).toBe('identical');
    expect(compareValues([0.5, 0.5001], { abs: 1e-3, rel: 0 })).toEqual({
      status: 'within_tolerance',
      abs_diff: expect.closeTo(1e-4, 12),
      rel_diff: expect.closeTo(1e-4 / 0.5001, 12),
    });
    expect(compareValues([100, 101], { abs: 0, rel: 0.01 }).status).toBe('within_tolerance');
    expect(compareValues([100, 102], { abs: 0, rel: 0.01 }).status).toBe('differs');
    expect(compareValues([NaN, NaN], { abs: 0, rel: 0 }).status).toBe('identical');
    expect(compareValues([NaN, 1], { abs: 1, rel: 1 }).status).toBe('differs');
    expect(compareValues([1, null], { abs: 1, rel: 1 }).status).toBe('missing');
  });

  test('per-key bounds override the global one', () => {
    const tolerance: Tolerance = { global: { abs: 0, rel: 0 }, keys: new Map([['eval.acc', { abs: 0.01 }]]) };
    const run = (acc: number, loss: number): RunFiles => ({
      outputs: new Map(),
      metrics: new Map([
        [
          'm.json',
          new Map([
            ['eval.acc', acc],
            ['loss', loss],
          ]),
        ],
      ]),
    });
    const metrics = compareMetrics([run(0.9, 0.3), run(0.905, 0.3000001)], tolerance);
    expect(metrics.map((m) => [m.key, m.status])).toEqual([
      ['eval.acc', 'within_tolerance'],
      ['loss', 'differs'],
    ]);
  });
});

describe('outputs and the score', () => {
  const digest = (hash: string) => ({ hash, size: 10 });
  test('identical, differs, missing; a metrics file within tolerance is within_tolerance; score counts both', () => {
    const runs: RunFiles[] = [
      {
        outputs: new Map([
          ['a.bin', digest('1')],
          ['m.json', digest('m1')],
          ['b.txt', digest('b')],
          ['t.txt', digest('t1')],
        ]),
        metrics: new Map([['m.json', new Map([['acc', 0.9]])]]),
      },
      {
        outputs: new Map([
          ['a.bin', digest('1')],
          ['m.json', digest('m2')],
          ['t.txt', digest('t2')],
        ]),
        metrics: new Map([['m.json', new Map([['acc', 0.9000001]])]]),
      },
    ];
    const metrics = compareMetrics(runs, { global: { abs: 1e-6, rel: 0 }, keys: new Map() });
    const outputs = compareOutputs(runs, metrics);
    expect(outputs.map((o) => [o.path, o.status])).toEqual([
      ['a.bin', 'identical'],
      ['b.txt', 'missing'],
      ['m.json', 'within_tolerance'],
      ['t.txt', 'differs'],
    ]);
    expect(outputs[1].hashes).toEqual(['b', null]);
    expect(reproducibilityScore(outputs, metrics)).toBe(0.6); // a.bin, m.json, acc of 5
  });

  test('against a baseline: its hash and value are the reference', () => {
    const runs: RunFiles[] = [{ outputs: new Map([['a.bin', digest('new')]]), metrics: new Map([['m.json', new Map([['acc', 0.9]])]]) }];
    const baseline = { outputs: new Map([['a.bin', digest('old')]]), metrics: new Map([['m.json', new Map([['acc', 0.8]])]]) };
    const metrics = compareMetrics(runs, EXACT, baseline);
    expect(metrics[0]).toMatchObject({
      key: 'acc',
      values: [0.9],
      baseline_value: 0.8,
      status: 'differs',
      abs_diff: expect.closeTo(0.1, 12),
    });
    expect(compareOutputs(runs, metrics, baseline)[0]).toMatchObject({ status: 'differs', baseline_hash: 'old', hashes: ['new'] });
  });
});

describe('unified diff', () => {
  const dir = mkdtempSync(join(tmpdir(), 'repro-diff-'));
  const gnuDiff = (a: string, b: string) => {
    writeFileSync(join(dir, 'a'), a);
    writeFileSync(join(dir, 'b'), b);
    try {
      execFileSync('diff', ['-u', 'a', 'b'], { cwd: dir, encoding: 'utf8' });
      return '';
    } catch (error) {
      return (error as { stdout: string }).stdout.split('\n').slice(2).join('\n').trimEnd();
    }
  };
  const ours = (a: string, b: string) => unifiedDiff(a, b, ['a', 'b'], { maxLines: 1000 }).split('\n').slice(2).join('\n');

  test.each([
    ['one changed line', 'a\nb\nc\nd\ne\n', 'a\nb\nX\nd\ne\n'],
    [
      'far apart changes make two hunks',
      Array.from({ length: 30 }, (_, i) => `l${i}`).join('\n') + '\n',
      Array.from({ length: 30 }, (_, i) => (i === 2 || i === 25 ? `changed ${i}` : `l${i}`)).join('\n') + '\n',
    ],
    ['insertions and deletions', 'x\ny\nz\n', 'w\nx\nz\nq\n'],
    [
      'near changes join one hunk',
      Array.from({ length: 12 }, (_, i) => `l${i}`).join('\n') + '\n',
      Array.from({ length: 12 }, (_, i) => (i === 3 || i === 8 ? `c${i}` : `l${i}`)).join('\n') + '\n',
    ],
  ])('%s: the hunks of diff -u', (_name, a, b) => {
    expect(ours(a, b)).toBe(gnuDiff(a, b));
  });

  test('long diffs are cut', () => {
    const a = Array.from({ length: 200 }, (_, i) => `${i}`).join('\n');
    const b = Array.from({ length: 200 }, (_, i) => `${i * 2}`).join('\n');
    const diff = unifiedDiff(a, b, ['run 1/x', 'run 2/x']);
    expect(diff.split('\n').length).toBe(41);
    expect(diff).toMatch(/\.\.\. \(diff cut at 40 lines\)$/);
  });
});
