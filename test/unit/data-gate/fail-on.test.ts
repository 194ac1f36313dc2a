// fail-on decides the step's outcome: the gate's verdict already weighs warnings by fail-on; 'never' keeps the
// step green whatever the data.
import { failureReason } from '../../../actions/data-gate/src/fail-on.js';
import { FAIL_ON } from '../../../actions/data-gate/src/inputs.js';

describe('fail-on', () => {
  it.each([
    ['error', false, 'fails'],
    ['error', true, 'passes'],
    ['warning', false, 'fails'],
    ['warning', true, 'passes'],
    ['never', false, 'passes'],
    ['never', true, 'passes'],
  ] as const)("fail-on '%s' with a gate that passed=%s %s", (failOn, passed, outcome) => {
    const reason = failureReason(failOn, { passed }, '2 error rules broke');
    expect(reason === undefined ? 'passes' : 'fails').toBe(outcome);
    if (reason) expect(reason).toBe('2 error rules broke');
  });

  it('covers every value the input accepts', () => {
    expect([...FAIL_ON]).toEqual(['error', 'warning', 'never']);
  });
});
