// The worker-thread job of a validation pass over one group of rules (see rule-groups.ts). Under jest, or with one
// group, it runs in the calling thread.
import { fileURLToPath } from 'node:url';
import { registerWorkerJob, runJob } from '#shared/runtime/bundle-worker.js';
import { evaluateRules, type RuleGroupOptions, type RuleGroupOutcome } from './evaluate-rules.js';

const JOB = 'data-gate-evaluate-rules';

/** The small worker bundle next to the action's bundle, or the action's from the CLI's bundle. */
const WORKER_BUNDLES = ['./worker/index.js', '../../actions/data-gate/dist/worker/index.js'].map((relative) =>
  fileURLToPath(new URL(relative, import.meta.url)),
);

registerWorkerJob(JOB, async (input: RuleGroupOptions) => {
  const outcome = await evaluateRules(input);
  return { result: outcome, transfer: outcome.failedRows.map((f) => f.words.buffer as ArrayBuffer) };
});

export function evaluateRulesInWorker(options: RuleGroupOptions): Promise<RuleGroupOutcome> {
  return runJob<RuleGroupOutcome>(JOB, options, () => {}, WORKER_BUNDLES);
}
