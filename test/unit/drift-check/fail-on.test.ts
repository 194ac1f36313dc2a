// fail-on decides the step's outcome from the report, for every value the input takes.
import { failureReason } from '../../../actions/drift-check/src/fail-on.js';
import { FAIL_ON } from '../../../actions/drift-check/src/inputs.js';

const report = (dataset_drift: boolean, performance_drift?: boolean): Parameters<typeof failureReason>[1] =>
  performance_drift === undefined ? { dataset_drift, performance: null } : { dataset_drift, performance: { performance_drift } as never };

describe('fail-on', () => {
  it.each([
    // fail-on, data drift, performance drift, fails?
    ['never', true, true, undefined],
    ['drift', true, false, 'dataset drift'],
    ['drift', false, true, undefined],
    ['performance', true, false, undefined],
    ['performance', false, true, 'performance drift'],
    ['any', false, false, undefined],
    ['any', true, false, 'dataset drift'],
    ['any', false, true, 'performance drift'],
    ['any', true, true, 'dataset drift'],
  ] as const)("fail-on '%s' with data drift %s and performance drift %s fails for %s", (failOn, data, perf, why) => {
    const reason = failureReason(failOn, report(data, perf));
    if (why === undefined) expect(reason).toBeUndefined();
    else expect(reason).toBe(`Failing because fail-on is '${failOn}' and there is ${why}.`);
  });

  it('treats a report without performance metrics as no performance drift', () => {
    expect(failureReason('performance', report(true))).toBeUndefined();
  });

  it('covers every value the input accepts', () => {
    expect([...FAIL_ON]).toEqual(['never', 'drift', 'performance', 'any']);
  });
});
