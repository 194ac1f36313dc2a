// The result as machines read it (output result-json, canary-result.json) and the audit record kept for people
// who ask later who promoted what and why (canary-audit.json, and in the job summary).
import type { Decision } from '../decision/decide.js';
import type { Judgement, MetricVerdict } from '../judge/judge-canary.js';
import type { RolloutOutcome } from '../rollout/apply-decision.js';

export interface MetricResult {
  name: string;
  classification: string;
  critical: boolean;
  direction: string;
  baseline: Record<string, number | null>;
  canary: Record<string, number | null>;
  estimate: number | null;
  interval: [number | null, number | null] | null;
  p_value?: number | null;
  probability_better?: number | null;
  expected_loss?: number | null;
}

export interface CanaryResult {
  decision: Decision['decision'];
  score: number;
  reason: string;
  current_weight: number;
  next_weight: number;
  metrics: MetricResult[];
}

const finite = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);
const summary = (s: object): Record<string, number | null> =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, finite(v as number)]));

export function canaryResult(judgement: Judgement, decision: Decision): CanaryResult {
  return {
    decision: decision.decision,
    score: Math.round(judgement.score.score * 100) / 100,
    reason: decision.reason,
    current_weight: decision.currentWeight,
    next_weight: decision.nextWeight,
    metrics: judgement.metrics.map(metricResult),
  };
}

function metricResult(m: MetricVerdict): MetricResult {
  const r: MetricResult = {
    name: m.name,
    classification: m.classification,
    critical: m.critical,
    direction: m.direction,
    baseline: summary(m.baseline),
    canary: summary(m.canary),
    estimate: finite(m.estimate),
    interval: m.interval ? [finite(m.interval[0]), finite(m.interval[1])] : null,
  };
  if (m.kind === 'rate') {
    r.probability_better = finite(m.probabilityBetter);
    r.expected_loss = finite(m.expectedLoss);
  } else r.p_value = finite(m.pValue);
  return r;
}

export interface AuditRecord {
  schema_version: '1.0';
  time: string;
  triggered_by: {
    actor: string;
    event: string;
    workflow: string;
    run_id: string;
    run_url?: string;
    repository?: string;
    sha: string;
    ref: string;
  };
  inputs: Record<string, string>;
  decision: CanaryResult & { step: string; score_class: string };
  metrics_detail: {
    name: string;
    kind: string;
    groups: string[];
    ratio: number | null;
    reason: string | null;
    too_few_samples: boolean;
    sequential_p_value: number | null;
    critical_failure: boolean;
  }[];
  rollout: RolloutOutcome;
}

export function auditRecord(args: {
  result: CanaryResult;
  judgement: Judgement;
  decision: Decision;
  rollout: RolloutOutcome;
  inputs: Record<string, string>;
  context: {
    actor: string;
    eventName: string;
    workflow: string;
    runId: string;
    runUrl?: string;
    repository?: { owner: string; repo: string };
    sha: string;
    ref: string;
  };
  now: Date;
}): AuditRecord {
  const { context: c } = args;
  return {
    schema_version: '1.0',
    time: args.now.toISOString(),
    triggered_by: {
      actor: c.actor,
      event: c.eventName,
      workflow: c.workflow,
      run_id: c.runId,
      run_url: c.runUrl,
      repository: c.repository ? `${c.repository.owner}/${c.repository.repo}` : undefined,
      sha: c.sha,
      ref: c.ref,
    },
    inputs: args.inputs,
    decision: { ...args.result, step: args.decision.step, score_class: args.decision.scoreClass },
    metrics_detail: args.judgement.metrics.map((m) => ({
      name: m.name,
      kind: m.kind,
      groups: m.groups,
      ratio: finite(m.ratio),
      reason: m.reason ?? null,
      too_few_samples: m.tooFewSamples,
      sequential_p_value: finite(m.sequentialPValue),
      critical_failure: m.criticalFailure,
    })),
    rollout: args.rollout,
  };
}
