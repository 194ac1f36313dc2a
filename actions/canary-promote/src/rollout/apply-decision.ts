// Carries a decision out: the traffic weight in the manifests (committed and pushed, with a pull request or
// directly) and the registry alias (promote: the canary version; rollback: back to the baseline), changed together
// or not at all. Everything is checked before anything changes (manifests parse and carry their traffic field, the
// model versions exist); the alias moves first, and is moved back if the manifest change cannot be pushed.
import { writeOutputFile } from '#shared/paths/index.js';
import { UserError } from '#shared/errors.js';
import type { GitHubClient } from '#shared/github/client.js';
import { githubFailure } from '#shared/publish/index.js';
import type { Logger } from '#shared/logger.js';
import type { RepositoryRef } from '#shared/runtime/run-context.js';
import type { Decision } from '../decision/decide.js';
import { commitAndPush } from '../gitops/git-change.js';
import { upsertPullRequest, type PullRequestResult } from '../gitops/pull-request.js';
import type { TrafficManifest } from '../gitops/traffic-manifest.js';
import type { ManifestUpdate } from '../inputs.js';
import type { MlflowClient } from '../registry/mlflow-client.js';

export interface RolloutPlan {
  manifests: TrafficManifest[];
  update: ManifestUpdate;
  dryRun: boolean;
  branch: string;
  baseBranch: string;
  token?: string;
  /** For the pull request; absent outside GitHub or without a token. */
  github?: { client: GitHubClient; repository: RepositoryRef };
  registry?: {
    client: MlflowClient;
    modelName: string;
    alias: string;
    canaryVersion: string;
    baselineVersion?: string;
    registryUrl: string;
  };
  /** Body of the pull request (the judgement's summary). */
  describe: () => string;
}

export interface RolloutOutcome {
  dryRun: boolean;
  manifest: {
    changed: boolean;
    files: string[];
    fromWeight: number;
    toWeight: number;
    commit?: string;
    branch?: string;
    pullRequest?: PullRequestResult;
    note?: string;
  };
  registry?: { changed: boolean; alias: string; model: string; from?: string; to?: string; url: string; note?: string };
}

export async function applyDecision(decision: Decision, plan: RolloutPlan, logger: Logger): Promise<RolloutOutcome> {
  const toWeight = decision.nextWeight;
  const weightChanges = plan.manifests.length > 0 && toWeight !== decision.currentWeight;
  const outcome: RolloutOutcome = {
    dryRun: plan.dryRun,
    manifest: { changed: false, files: plan.manifests.map((m) => m.path), fromWeight: decision.currentWeight, toWeight },
  };
  const edits = weightChanges ? plan.manifests.map((m) => ({ path: m.path, text: m.withWeight(toWeight), original: m.text })) : [];

  // The registry: check the versions exist before anything changes.
  let aliasTarget: string | undefined;
  let aliasBefore: string | undefined;
  const reg = plan.registry;
  if (reg) {
    await reg.client.modelVersion(reg.modelName, reg.canaryVersion);
    aliasBefore = await reg.client.aliasVersion(reg.modelName, reg.alias);
    if (decision.decision === 'promote') aliasTarget = reg.canaryVersion;
    if (decision.decision === 'rollback') {
      if (reg.baselineVersion) {
        await reg.client.modelVersion(reg.modelName, reg.baselineVersion);
        aliasTarget = reg.baselineVersion;
      } else if (aliasBefore === reg.canaryVersion)
        throw new UserError(
          `Rolling back: alias '${reg.alias}' points at the canary version ${reg.canaryVersion} and 'baseline-version' is not set, so there is no version to point it back to.`,
        );
    }
    const changes = aliasTarget !== undefined && aliasTarget !== aliasBefore;
    outcome.registry = {
      changed: false,
      alias: reg.alias,
      model: reg.modelName,
      from: aliasBefore,
      to: changes ? aliasTarget : aliasBefore,
      url: reg.registryUrl,
    };
    if (!changes) aliasTarget = undefined;
  }

  if (plan.dryRun) {
    outcome.manifest.note = weightChanges ? `dry run: would set the canary to ${toWeight}%` : 'no traffic change';
    if (outcome.registry && aliasTarget) outcome.registry.note = `dry run: would point '${reg!.alias}' at version ${aliasTarget}`;
    return outcome;
  }

  if (reg && aliasTarget) {
    await reg.client.setAlias(reg.modelName, reg.alias, aliasTarget);
    outcome.registry!.changed = true;
  }
  try {
    if (edits.length > 0) {
      if (plan.update !== 'none') {
        const pushed = await commitAndPush({
          files: edits,
          message: `canary-promote: ${decision.decision} — canary ${decision.currentWeight}% -> ${toWeight}%\n\n${decision.reason}`,
          branch: plan.update === 'push' ? plan.baseBranch : plan.branch,
          force: plan.update === 'pull-request',
          token: plan.token,
        });
        outcome.manifest.commit = pushed.commit;
        outcome.manifest.branch = pushed.branch;
      }
      for (const e of edits) await writeOutputFile(e.path, e.text, "input 'manifest'");
      outcome.manifest.changed = true;
    } else outcome.manifest.note = 'no traffic change';
  } catch (error) {
    // together or not at all: put the alias back, and the files as they were
    for (const e of edits) await writeOutputFile(e.path, e.original).catch(() => undefined);
    if (reg && outcome.registry?.changed) {
      try {
        if (aliasBefore) await reg.client.setAlias(reg.modelName, reg.alias, aliasBefore);
        else await reg.client.deleteAlias(reg.modelName, reg.alias);
        outcome.registry.changed = false;
      } catch (undo) {
        throw new UserError(
          `${(error as Error).message} Moving alias '${reg.alias}' back to ${aliasBefore ?? '(unset)'} failed too (${(undo as Error).message}): fix it by hand.`,
        );
      }
    }
    throw error;
  }

  if (reg && (decision.decision === 'promote' || decision.decision === 'rollback')) {
    await reg.client.setVersionTag(reg.modelName, reg.canaryVersion, 'canary-promote.decision', decision.decision);
  }
  if (outcome.manifest.changed && plan.update === 'pull-request') {
    if (!plan.github) outcome.manifest.note = `pushed branch '${plan.branch}'; no pull request (no github-token or repository)`;
    else {
      try {
        outcome.manifest.pullRequest = await upsertPullRequest(
          plan.github.client,
          plan.github.repository,
          plan.branch,
          plan.baseBranch,
          `canary-promote: ${decision.decision} — canary to ${toWeight}%`,
          plan.describe(),
        );
      } catch (error) {
        const failure = githubFailure(error, 'open the pull request', 'pull-requests: write');
        if (!failure) throw error;
        logger.warning(failure.message);
        outcome.manifest.note = `pushed branch '${plan.branch}'; the pull request could not be opened: ${failure.message}`;
      }
    }
  }
  return outcome;
}
