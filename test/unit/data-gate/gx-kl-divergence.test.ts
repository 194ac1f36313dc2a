// expect_column_kl_divergence_to_be_less_than as GX 1.x's _validate computes it
// (great_expectations/expectations/core/expect_column_kl_divergence_to_be_less_than.py): infinite end bins, tail and
// internal weight holdouts, tail_weights; an infinite divergence is observed_value null with success false; and the
// ValueErrors GX raises. Reference values: test/fixtures/data-gate/gx/kl_reference.py (numpy/scipy as GX calls them).
import { readFileSync } from 'node:fs';
import { csv, one } from './gx-support.js';

const reference = JSON.parse(readFileSync(new URL('../../fixtures/data-gate/gx/kl_reference.json', import.meta.url), 'utf8')) as {
  values: number[];
  cases: Record<string, number | null>;
};
const data = csv('kl.csv', ['x', ...reference.values.map(String), '']);
const kl = (partition_object: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  one(data, { expectation: 'expect_column_kl_divergence_to_be_less_than', column: 'x', partition_object, threshold: 0.1, ...extra });

describe('binned partitions', () => {
  it.each([
    ['infinite_both', { bins: [-Infinity, 0, 5, 10, Infinity], weights: [0.1, 0.4, 0.3, 0.2] }, {}],
    ['infinite_left_tail', { bins: [-Infinity, 0, 5, 10], weights: [0.2, 0.4, 0.4] }, { tail_weight_holdout: 0.1 }],
    ['infinite_right_tail', { bins: [0, 5, 10, Infinity], weights: [0.4, 0.4, 0.2] }, { tail_weight_holdout: 0.1 }],
    ['finite_tail_holdout', { bins: [0, 5, 10], weights: [0.5, 0.5] }, { tail_weight_holdout: 0.2 }],
    ['finite_tail_weights', { bins: [0, 5, 10], weights: [0.4, 0.4], tail_weights: [0.1, 0.1] }, {}],
    [
      'finite_internal_holdout',
      { bins: [0, 2, 5, 10], weights: [0.5, 0, 0.5] },
      { internal_weight_holdout: 0.1, tail_weight_holdout: 0.1 },
    ],
  ])('%s equals GX', async (name, partition, extra) => {
    const r = await kl(partition, extra);
    expect(r.exception_info.raised_exception).toBe(false);
    expect(r.result.observed_value as number).toBeCloseTo(reference.cases[name] as number, 12);
    expect(r.success).toBe((reference.cases[name] as number) <= 0.1);
  });

  it('an infinite divergence (values outside finite bins, no holdout) is observed_value null and fails', async () => {
    expect(reference.cases.finite_no_holdout).toBeNull();
    const r = await kl({ bins: [0, 5, 10], weights: [0.5, 0.5] });
    expect(r.success).toBe(false);
    expect(r.result.observed_value).toBeNull();
  });

  it('reports the partitions with tail_weights as GX does', async () => {
    const r = await kl({ bins: [-Infinity, 0, 5, 10, Infinity], weights: [0.1, 0.4, 0.3, 0.2] });
    // np.histogram: -5 | 0, 1, 2.5, 4, 4 | 7.5, 9 | 10, 12, 30 ([1, 5, 2, 3]; bins are [a, b), the last [a, b]).
    expect(r.result.details).toEqual({
      observed_partition: { bins: [0, 5, 10], weights: [5 / 11, 2 / 11], tail_weights: [1 / 11, 3 / 11] },
      expected_partition: { bins: [0, 5, 10], weights: [0.4, 0.3], tail_weights: [0.1, 0.2] },
    });
  });

  it.each([
    [
      { bins: [-Infinity, 0, Infinity], weights: [0.5, 0.5] },
      { tail_weight_holdout: 0.1 },
      'ValueError: tail_weight_holdout cannot be used for partitions with infinite endpoints.',
    ],
    [
      { bins: [-Infinity, 0, 10], weights: [0.5, 0.5], tail_weights: [0, 0] },
      {},
      'ValueError: There can be no tail weights for partitions with one or both endpoints at infinity',
    ],
    [
      { bins: [0, 10], weights: [1], tail_weights: [0, 0] },
      { tail_weight_holdout: 0.1 },
      'ValueError: tail_weight_holdout must be 0 when using tail_weights in partition object',
    ],
    [
      { values: ['a'], weights: [1] },
      { internal_weight_holdout: 0.1 },
      'ValueError: Internal weight holdout cannot be used for discrete data.',
    ],
  ])('raises as GX does: %j %j', async (partition, extra, message) => {
    const r = await kl(partition, extra);
    expect(r.exception_info).toEqual({ raised_exception: true, exception_message: message, exception_traceback: null });
  });
});

describe('categorical partitions', () => {
  it('unseen values share tail_weight_holdout; shares are of non-null values', async () => {
    const grades = csv('grades.csv', ['g', 'A', 'A', 'B', 'C', '']);
    const r = await one(grades, {
      expectation: 'expect_column_kl_divergence_to_be_less_than',
      column: 'g',
      partition_object: { values: ['A', 'B'], weights: [0.6, 0.4] },
      threshold: 0.5,
      tail_weight_holdout: 0.1,
    });
    // pk = [0.5, 0.25, 0.25], qk = [0.54, 0.36, 0.1]: scipy.stats.entropy(pk, qk).
    const expected = 0.5 * Math.log(0.5 / 0.54) + 0.25 * Math.log(0.25 / 0.36) + 0.25 * Math.log(0.25 / 0.1);
    expect(r.result.observed_value as number).toBeCloseTo(expected, 12);
    expect(r.result.details).toEqual({
      observed_partition: { values: ['A', 'B', 'C'], weights: [0.5, 0.25, 0.25] },
      expected_partition: { values: ['A', 'B', 'C'], weights: [0.6 * 0.9, 0.4 * 0.9, 0.1] },
    });
  });
});
