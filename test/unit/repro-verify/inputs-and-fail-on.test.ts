// Inputs parsed in one place with the house messages, and fail-on decided by a pure function for every value.
import { failureReason } from '../../../actions/repro-verify/src/fail-on.js';
import { parseTolerance, readInputs } from '../../../actions/repro-verify/src/inputs.js';

const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

describe('fail-on', () => {
  const reproduced = { reproducible: true, score: 1, findings: [] };
  const reproducedWithAdvice = { reproducible: true, score: 1, findings: [{}] };
  const differed = { reproducible: false, score: 0.5, findings: [{}] };
  test('never: the step never fails on the result', () => {
    expect(failureReason('never', differed)).toBeUndefined();
    expect(failureReason('never', reproducedWithAdvice)).toBeUndefined();
  });
  test('differs (the default): fails when anything did not reproduce', () => {
    expect(failureReason('differs', differed)).toBe(
      'The runs did not reproduce (score 0.5); see the report for what differs and the likely causes.',
    );
    expect(failureReason('differs', reproducedWithAdvice)).toBeUndefined();
    expect(failureReason('differs', reproduced)).toBeUndefined();
  });
  test('findings: also fails on likely causes when the runs agreed', () => {
    expect(failureReason('findings', reproducedWithAdvice)).toMatch(/reproduced, but the sources have 1 likely cause/);
    expect(failureReason('findings', differed)).toMatch(/did not reproduce/);
    expect(failureReason('findings', reproduced)).toBeUndefined();
  });
});

describe('inputs', () => {
  test('defaults', () => {
    const inputs = readInputs(reader({ command: 'python train.py', outputs: 'model.bin' }));
    expect(inputs).toMatchObject({
      runs: 2,
      workingDirectory: '.',
      timeoutMinutes: 30,
      failOn: 'differs',
      dvc: false,
      python: 'python3',
      reportDir: 'repro-report',
      memoryBudgetBytes: 256 << 20,
    });
    expect(inputs.tolerance.global).toEqual({ abs: 0, rel: 0 });
  });

  test('tolerance: a number, or abs/rel with per-key bounds', () => {
    expect(parseTolerance(reader({ tolerance: '1e-6' })).global).toEqual({ abs: 1e-6, rel: 0 });
    const t = parseTolerance(reader({ tolerance: '{abs: 0.001, rel: 0.01, keys: {eval.acc: {abs: 0.005}, loss: 0.1}}' }));
    expect(t.global).toEqual({ abs: 0.001, rel: 0.01 });
    expect(Object.fromEntries(t.keys)).toEqual({ 'eval.acc': { abs: 0.005 }, loss: { abs: 0.1 } });
    expect(() => parseTolerance(reader({ tolerance: '{absolute: 1}' }))).toThrow(
      /Invalid value for input 'tolerance'.*only 'abs' and 'rel'/,
    );
    expect(() => parseTolerance(reader({ tolerance: '{abs: -1}' }))).toThrow(/a number >= 0/);
  });

  test('env as KEY=VALUE lines or a YAML mapping', () => {
    expect(readInputs(reader({ command: 'x', outputs: 'o', env: 'SEED=1\nPYTHONHASHSEED=0' })).env).toEqual({
      SEED: '1',
      PYTHONHASHSEED: '0',
    });
    expect(readInputs(reader({ command: 'x', outputs: 'o', env: 'SEED: 1\nMODE: fast' })).env).toEqual({ SEED: '1', MODE: 'fast' });
  });

  test('mistakes name the input and what was expected', () => {
    expect(() => readInputs(reader({ outputs: 'o' }))).toThrow(
      "Invalid value for input 'command': ''. Expected the command that produces the outputs (required unless 'dvc' is true).",
    );
    expect(() => readInputs(reader({ command: 'x' }))).toThrow(/input 'outputs'/);
    expect(() => readInputs(reader({ command: 'x', outputs: 'o', runs: '0' }))).toThrow(
      "Invalid value for input 'runs': '0'. Expected an integer >= 1 and <= 20.",
    );
    expect(() => readInputs(reader({ command: 'x', outputs: 'o', 'timeout-minutes': '0' }))).toThrow(/input 'timeout-minutes'/);
    expect(() => readInputs(reader({ command: 'x', outputs: 'o', 'env-allowlist': 'SEED, GITHUB_TOKEN' }))).toThrow(
      /input 'env-allowlist': 'GITHUB_TOKEN'/,
    );
    expect(readInputs(reader({ dvc: 'true' })).command).toBeUndefined();
  });
});

describe('baseline-artifact inputs', () => {
  const base = { command: 'python train.py', outputs: 'out/*' };
  test('the artifact, its run and repository', () => {
    const inputs = readInputs(
      reader({ ...base, 'baseline-artifact': 'repro-baseline', 'baseline-run-id': '123456', 'baseline-repository': 'octo-org/models' }),
    );
    expect(inputs).toMatchObject({
      baselineArtifact: 'repro-baseline',
      baselineRunId: 123456,
      baselineRepository: { owner: 'octo-org', repo: 'models' },
    });
  });
  test('a file and an artifact at once, a run id without an artifact, a malformed repository', () => {
    expect(() => readInputs(reader({ ...base, baseline: 'b.json', 'baseline-artifact': 'repro-baseline' }))).toThrow(
      "Invalid value for input 'baseline-artifact': 'repro-baseline'. Expected either 'baseline' (a file) or 'baseline-artifact', not both.",
    );
    expect(() => readInputs(reader({ ...base, 'baseline-run-id': '12' }))).toThrow(
      "Invalid value for input 'baseline-run-id': '12'. Expected 'baseline-artifact' as well: the run and repository say where that artifact is.",
    );
    expect(() => readInputs(reader({ ...base, 'baseline-artifact': 'b', 'baseline-run-id': '1.5' }))).toThrow(/Expected an integer >= 1/);
    expect(() => readInputs(reader({ ...base, 'baseline-artifact': 'b', 'baseline-repository': 'models' }))).toThrow(
      "Invalid value for input 'baseline-repository': 'models'. Expected {owner}/{repo}.",
    );
  });
});
