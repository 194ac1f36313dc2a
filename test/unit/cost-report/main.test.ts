// main.ts driven through a fake ActionRuntime: the same wiring the runner and the CLI use, and fail-on for every
// value.
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingLogger } from '#shared/logger.js';
import type { ActionRuntime } from '#shared/runtime/action-runtime.js';
import { runAction } from '#shared/runtime/run-action.js';
import { readRunContext } from '#shared/runtime/run-context.js';
import { costReport } from '../../../actions/cost-report/src/main.js';
import { failureReason, type FailOn, type FailOnFacts } from '../../../actions/cost-report/src/fail-on.js';

function fakeRuntime(inputs: Record<string, string>, workspace: string) {
  const outputs: Record<string, string> = {};
  const annotations: { level: string; message: string; file?: string; line?: number }[] = [];
  let summary = '';
  let failed: string | undefined;
  const runtime: ActionRuntime = {
    getInput: (name) => inputs[name] ?? '',
    setOutput: (name, value) => (outputs[name] = value),
    appendSummary: async (markdown) => void (summary += markdown),
    setSecret: () => {},
    annotate: (level, message, location) => annotations.push({ level, message, file: location?.file, line: location?.line }),
    uploadArtifact: async () => undefined,
    fail: (message) => (failed = message),
    logger: new RecordingLogger(),
    context: { ...readRunContext({}), workspace },
  };
  return {
    runtime,
    outputs,
    annotations,
    get summary() {
      return summary;
    },
    get failed() {
      return failed;
    },
  };
}

describe('main', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'cost-main-'));
  for (const name of ['focus-sample.csv', 'attribution.yml', 'budgets.yml', 'rates.yml'])
    copyFileSync(join('examples/cost-report', name), join(workspace, name));
  const base = {
    'focus-files': join(workspace, 'focus-sample.csv'),
    attribution: join(workspace, 'attribution.yml'),
    budgets: join(workspace, 'budgets.yml'),
    window: '2026-11-01..2026-11-18',
    'report-dir': join(workspace, 'out'),
  };

  test('writes the reports, sets every output and publishes one summary', async () => {
    const fake = fakeRuntime(base, workspace);
    expect(await runAction(costReport, fake.runtime)).toBe(true);
    expect(fake.outputs).toEqual({
      'total-cost': '1867.95',
      'unallocated-cost': '19.87',
      'over-budget': 'true',
      'report-json': join(workspace, 'out', 'cost-report.json'),
      'report-csv': join(workspace, 'out', 'cost-report.csv'),
    });
    expect(JSON.parse(readFileSync(fake.outputs['report-json'], 'utf8')).reconciliation.exact_total).toBe('1867.9515788');
    expect(fake.summary).toMatch(/source total 1867\.95 USD = attributed 1298\.07 USD \+ shared 550\.01 USD \+ unallocated 19\.87 USD/);
  });

  test('a bad input is a message naming the input, and nothing is written', async () => {
    const fake = fakeRuntime({ ...base, 'cost-basis': 'amortized', 'report-dir': join(workspace, 'never') }, workspace);
    expect(await runAction(costReport, fake.runtime)).toBe(false);
    expect(fake.failed).toBe("Invalid value for input 'cost-basis': 'amortized'. Expected one of 'effective', 'billed'.");
    expect(fake.outputs).toEqual({});
  });

  test('a missing rules file is a user error, not a bug', async () => {
    const fake = fakeRuntime({ ...base, attribution: join(workspace, 'nope.yml') }, workspace);
    expect(await runAction(costReport, fake.runtime)).toBe(false);
    expect(fake.failed).toMatch(/^input 'attribution': cannot read '.*nope\.yml': no such file\.$/);
  });
});

describe('fail-on', () => {
  const over: FailOnFacts = { overBudget: true, overBudgetLines: ['team vision forecast $2.00 of $1.00 in 2026-11'], tagViolations: 0 };
  const tags: FailOnFacts = { overBudget: false, overBudgetLines: [], tagViolations: 2 };
  const clean: FailOnFacts = { overBudget: false, overBudgetLines: [], tagViolations: 0 };
  const both: FailOnFacts = { ...over, tagViolations: 2 };
  test.each<[FailOn, FailOnFacts, RegExp | undefined]>([
    ['never', both, undefined],
    ['over-budget', over, /^Over budget: team vision forecast \$2\.00 of \$1\.00 in 2026-11 \(fail-on is 'over-budget'\)\.$/],
    ['over-budget', tags, undefined],
    ['tag-policy', tags, /^2 resource\(s\) miss required cost tags \(fail-on is 'tag-policy'\)\.$/],
    ['tag-policy', over, undefined],
    ['any', both, /Over budget.*2 resource\(s\) miss/],
    ['any', tags, /2 resource\(s\)/],
    ['any', clean, undefined],
  ])('%s with %j', (failOn, facts, expected) => {
    const reason = failureReason(failOn, facts);
    if (expected) expect(reason).toMatch(expected);
    else expect(reason).toBeUndefined();
  });
});
