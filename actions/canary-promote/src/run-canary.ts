// One look at a canary, end to end: read the config and manifests (paths checked against the workspace rules),
// gather the metrics, judge, decide, carry the decision out, and describe it (result JSON, audit record).
import { readFile } from 'node:fs/promises';
import { UserError } from '#shared/errors.js';
import { createGitHubClient } from '#shared/github/client.js';
import type { Logger } from '#shared/logger.js';
import { checkReadablePath } from '#shared/paths/index.js';
import type { RunContext } from '#shared/runtime/run-context.js';
import { loadMetricsConfig } from './config/metrics-config.js';
import { decide, type Decision } from './decision/decide.js';
import { currentBranch, lastCommitTime, repositoryRoot } from './gitops/git-change.js';
import { parseTrafficManifest, type TrafficManifest } from './gitops/traffic-manifest.js';
import type { CanaryPromoteInputs } from './inputs.js';
import { judgeCanary, type Judgement } from './judge/judge-canary.js';
import { loadMetrics } from './metrics/load-metrics.js';
import { MlflowClient } from './registry/mlflow-client.js';
import { auditRecord, canaryResult, type AuditRecord, type CanaryResult } from './report/canary-result.js';
import { canarySummary } from './report/canary-summary.js';
import { applyDecision, type RolloutOutcome } from './rollout/apply-decision.js';

export interface CanaryRun {
  result: CanaryResult;
  judgement: Judgement;
  decision: Decision;
  rollout: RolloutOutcome;
  audit: AuditRecord;
}

export async function runCanary(
  inputs: CanaryPromoteInputs,
  context: RunContext,
  logger: Logger,
  rawInputs: Record<string, string>,
  now = new Date(),
): Promise<CanaryRun> {
  const config = await loadMetricsConfig(await checkReadablePath(inputs.metrics, "input 'metrics'"), inputs.metrics);
  const files = inputs.files && {
    baseline: await checkReadablePath(inputs.files.baseline, "input 'baseline'"),
    canary: await checkReadablePath(inputs.files.canary, "input 'canary'"),
  };
  const manifests: TrafficManifest[] = [];
  for (const path of inputs.manifests) {
    const real = await checkReadablePath(path, "input 'manifest'");
    manifests.push(parseTrafficManifest(real, await readFile(real, 'utf8'), inputs.versions.canary));
  }
  const weights = new Set(manifests.map((m) => m.currentWeight));
  if (weights.size > 1)
    throw new UserError(
      `The manifests disagree on the canary's traffic: ${manifests.map((m) => `${m.resource} ${m.currentWeight}%`).join(', ')}.`,
    );
  const currentWeight = inputs.currentWeight ?? manifests[0]?.currentWeight ?? 0;
  if (inputs.currentWeight !== undefined && manifests.length > 0 && inputs.currentWeight !== manifests[0].currentWeight)
    logger.warning(
      `current-weight ${inputs.currentWeight} differs from the manifest's ${manifests[0].currentWeight}%; using current-weight.`,
    );

  const mlflow = inputs.mlflow ? new MlflowClient(inputs.mlflow.trackingUri, inputs.mlflow.token) : undefined;
  const t0 = performance.now();
  const loaded = await loadMetrics(config, {
    files,
    prometheus: inputs.prometheus && {
      ...inputs.prometheus,
      end: Math.floor(now.getTime() / 1000),
      versions: { baseline: inputs.versions.baseline!, canary: inputs.versions.canary! },
    },
    mlflow: mlflow && inputs.mlflow?.runs ? { client: mlflow, runs: inputs.mlflow.runs } : undefined,
    memoryBudgetBytes: inputs.memoryBudgetBytes,
  });
  const t1 = performance.now();
  const judgement = judgeCanary(loaded, config, inputs.confidence);
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  logger.info(`Read the samples in ${seconds(t1 - t0)} s; judged ${loaded.length} metrics in ${seconds(performance.now() - t1)} s.`);
  const started = inputs.stepStartedAt ?? (manifests[0] ? await lastCommitTime(manifests[0].path) : undefined);
  const decision = decide(judgement, {
    steps: inputs.steps,
    currentWeight,
    pass: inputs.pass,
    marginal: inputs.marginal,
    maxWaitSeconds: inputs.maxWaitSeconds,
    stepAgeSeconds: started ? Math.max(0, (now.getTime() - started.getTime()) / 1000) : undefined,
  });
  const result = canaryResult(judgement, decision);

  const token = inputs.channels.githubToken;
  const root = manifests[0] && inputs.manifestUpdate !== 'none' && !inputs.dryRun ? await repositoryRoot(manifests[0].path) : undefined;
  const baseBranch =
    inputs.baseBranch ??
    (context.ref.startsWith('refs/heads/') ? context.ref.slice('refs/heads/'.length) : root ? await currentBranch(root) : '');
  if (root && inputs.manifestUpdate === 'push' && !baseBranch)
    throw new UserError("manifest-update 'push' needs a branch to push to: set 'base-branch' (the checkout is on a detached HEAD).");
  const subject = inputs.registry?.modelName ?? manifests[0]?.resource.split('/')[1] ?? 'canary';
  const rollout = await applyDecision(
    decision,
    {
      manifests,
      update: inputs.manifestUpdate,
      dryRun: inputs.dryRun,
      branch: inputs.branch ?? `canary-promote/${subject.replace(/[^\w.-]+/g, '-')}`,
      baseBranch: baseBranch || 'main',
      token,
      github:
        token && context.repository
          ? { client: createGitHubClient({ token, baseUrl: context.apiUrl, logger }), repository: context.repository }
          : undefined,
      registry:
        inputs.registry && mlflow
          ? {
              client: mlflow,
              modelName: inputs.registry.modelName,
              alias: inputs.registry.alias,
              canaryVersion: inputs.versions.canary!,
              baselineVersion: inputs.versions.baseline,
              registryUrl: new URL(`#/models/${encodeURIComponent(inputs.registry.modelName)}`, inputs.mlflow!.trackingUri).href,
            }
          : undefined,
      describe: () =>
        canarySummary(
          result,
          {
            dryRun: false,
            manifest: { changed: true, files: manifests.map((m) => m.path), fromWeight: currentWeight, toWeight: decision.nextWeight },
          },
          undefined,
          { compact: true },
        ),
    },
    logger,
  );
  const actor = (context.payload.sender?.login as string | undefined) ?? process.env.GITHUB_ACTOR ?? 'unknown';
  const audit = auditRecord({ result, judgement, decision, rollout, inputs: rawInputs, context: { ...context, actor }, now });
  return { result, judgement, decision, rollout, audit };
}
