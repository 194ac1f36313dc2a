// The engine: run the command `runs` times, each in a fresh copy of the working directory; hash and compare what
// the runs wrote (and the baseline's record); check a DVC pipeline; capture the environment; scan the sources for
// likely causes; build the report and this run's baseline. Adapters (cache, logger) come in from main.ts.
import { readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { DataError, InputError, UserError } from '#shared/errors.js';
import type { Logger } from '#shared/logger.js';
import type { RepositoryRef } from '#shared/runtime/run-context.js';
import { checkReadablePath, isInside } from '#shared/paths/index.js';
import { baselineFiles, buildBaseline, readBaseline, type BaselineDocument } from './baseline/baseline-file.js';
import { downloadBaselineArtifact, type ArtifactApi } from './baseline/baseline-artifact.js';
import { restoreBaseline, type BaselineCache } from './baseline/baseline-cache.js';
import { entryScripts, importedModules } from './causes/entry-points.js';
import { findCauses, type SourceFile } from './causes/find-causes.js';
import { compareMetrics, compareOutputs, reproducibilityScore, type RunFiles } from './compare/compare-runs.js';
import { parseMetrics } from './compare/metrics-file.js';
import { unifiedDiff } from './compare/unified-diff.js';
import { checkDvcPipeline, dvcStatusText } from './dvc/dvc-status.js';
import { captureEnvironment } from './environment/capture.js';
import { diffEnvironments } from './environment/environment-diff.js';
import type { EnvironmentManifest } from './environment/manifest.js';
import { hashFiles, isTextBlock } from './hashing/file-digest.js';
import type { ReproVerifyInputs } from './inputs.js';
import { REPORT_SCHEMA_VERSION, type OutputResult, type ReproReport, type RunRecord } from './report/report-types.js';
import { collectOutputs, type CollectedOutput } from './runs/collect-outputs.js';
import { freshCopy } from './runs/fresh-copy.js';
import { checkRunPath } from './runs/run-paths.js';
import { commandEnvironment, runCommand } from './runs/run-command.js';

export interface VerifyContext {
  workspace: string;
  /** RUNNER_TEMP (or the system temp folder): where the run copies and the cached baseline live. */
  tempDir: string;
  env: Record<string, string | undefined>;
  logger: Logger;
  cache?: BaselineCache;
  /** GitHub's artifacts, for baseline-artifact; absent without a token. */
  artifacts?: ArtifactApi;
  /** This run's repository, where baseline-artifact is looked for unless baseline-repository says otherwise. */
  repository?: RepositoryRef;
}

export interface VerifyOutcome {
  report: ReproReport;
  manifest: EnvironmentManifest;
  /** This run as a baseline for later runs. */
  baseline: BaselineDocument;
}

const IGNORED_SOURCES = ['**/.git/**', '**/.venv/**', '**/venv/**', '**/site-packages/**', '**/node_modules/**', '**/__pycache__/**'];
export const CACHED_BASELINE_FILE = 'repro-verify-baseline/baseline.json';

export async function verifyReproducibility(inputs: ReproVerifyInputs, context: VerifyContext): Promise<VerifyOutcome> {
  const { logger } = context;
  const workDir = await checkReadablePath(resolve(context.workspace, inputs.workingDirectory), "input 'working-directory'");
  if (!(await stat(workDir).catch(() => undefined))?.isDirectory())
    throw new InputError('working-directory', inputs.workingDirectory, 'an existing folder inside the workspace');
  const budget = inputs.memoryBudgetBytes;
  const concurrency = Math.max(2, Math.min(16, Math.floor(budget / (8 << 20))));
  const baseline = await loadBaseline(inputs, context);

  const runs: RunRecord[] = [];
  const runFiles: RunFiles[] = [];
  const collected: CollectedOutput[][] = [];
  const runDirs: string[] = [];
  const runRoot = join(context.tempDir, `repro-verify-${process.pid}-${Date.now()}`);
  try {
    const env = commandEnvironment(context.env, inputs.env);
    for (let i = 1; inputs.command && i <= inputs.runs; i++) {
      const dir = await freshCopy(workDir, join(runRoot, `run-${i}`), [...inputs.outputs, ...inputs.metrics]);
      runDirs.push(dir);
      logger.info(`Run ${i} of ${inputs.runs}: ${inputs.command}`);
      const result = await runCommand({
        command: inputs.command,
        cwd: dir,
        env,
        timeoutMs: inputs.timeoutMinutes * 60_000,
        onOutput: (t) => logger.info(t.replace(/\n$/, '')),
      });
      const where = `Run ${i} of ${inputs.runs}`;
      if (result.timedOut)
        throw new UserError(
          `${where} timed out after ${inputs.timeoutMinutes} minute(s) (timeout-minutes) and was stopped. Last output:\n${result.tail}`,
        );
      if (result.exitCode !== 0)
        throw new UserError(`${where}: the command failed with exit code ${result.exitCode}. Last output:\n${result.tail}`);
      runs.push({ run: i, exit_code: result.exitCode, duration_s: result.durationSeconds });
      const outputs = await collectOutputs(dir, inputs.outputs, concurrency);
      if (inputs.outputs.length && outputs.length === 0)
        throw new UserError(
          `${where} wrote none of the declared outputs (${inputs.outputs.join(', ')}), looked for in a fresh copy of '${inputs.workingDirectory}'. Check the globs against the paths the command writes.`,
        );
      collected.push(outputs);
      runFiles.push({
        outputs: new Map(outputs.map((o) => [o.path, { hash: o.hash, size: o.size }])),
        metrics: await readMetrics(dir, inputs.metrics, where, budget),
      });
    }

    const metrics = compareMetrics(runFiles, inputs.tolerance, baseline && baselineFiles(baseline));
    const outputs = compareOutputs(runFiles, metrics, baseline && baselineFiles(baseline));
    await addDiffs(outputs, collected, budget);

    let dvc: ReproReport['dvc'];
    if (inputs.dvc) {
      const root = runDirs.at(-1) ?? workDir;
      const check = await checkDvcPipeline(root, { concurrency, runDir: runDirs.at(-1) });
      dvc = { ...check, status_text: dvcStatusText(check) };
    }

    const sources = await readSources(workDir, inputs.sources, inputs.command, context.workspace, budget);
    const runEnv = { ...context.env, ...inputs.env };
    const preliminary = findCauses(sources, { differs: false, pathsChanged: false, gpu: false, env: runEnv });
    const manifest = await captureEnvironment({
      cwd: workDir,
      python: inputs.python,
      env: runEnv,
      envAllowlist: inputs.envAllowlist,
      inputs: await hashDeclaredInputs(workDir, inputs.declaredInputs, concurrency),
      cuda: {
        cublas_workspace_config: runEnv.CUBLAS_WORKSPACE_CONFIG ?? null,
        cudnn_benchmark: preliminary.cudnnBenchmark,
        deterministic_algorithms: preliminary.deterministicAlgorithms,
      },
    });
    const environmentDiff = baseline ? diffEnvironments(baseline.manifest, manifest) : [];
    const differs = outputs.some((o) => o.status === 'differs') || metrics.some((m) => m.status === 'differs') || (dvc?.changed ?? 0) > 0;
    const pathsChanged = outputs.some((o) => o.status === 'missing');
    const { findings } = findCauses(sources, { differs, pathsChanged, gpu: manifest.gpu !== null, env: runEnv });

    const dvcItems = dvc ? { total: dvc.entries, ok: dvc.entries - dvc.changed } : undefined;
    const score = reproducibilityScore(outputs, metrics, dvcItems);
    const report: ReproReport = {
      schema_version: REPORT_SCHEMA_VERSION,
      reproducible:
        !differs && !pathsChanged && outputs.every((o) => o.status !== 'missing') && metrics.every((m) => m.status !== 'missing'),
      score,
      runs,
      outputs,
      metrics,
      environment_diff: environmentDiff,
      findings,
      ...(dvc ? { dvc } : {}),
    };
    return { report, manifest, baseline: buildBaseline(manifest, runFiles[0] ?? { outputs: new Map(), metrics: new Map() }) };
  } finally {
    await rm(runRoot, { recursive: true, force: true });
  }
}

async function loadBaseline(inputs: ReproVerifyInputs, context: VerifyContext): Promise<BaselineDocument | undefined> {
  if (inputs.baseline) {
    const path = await checkReadablePath(resolve(context.workspace, inputs.baseline), "input 'baseline'");
    return readBaseline(path);
  }
  if (inputs.baselineArtifact) {
    const repository = inputs.baselineRepository ?? context.repository;
    if (!repository)
      throw new UserError("baseline-artifact needs to know the repository: set 'baseline-repository' (owner/repo) outside GitHub Actions.");
    if (!context.artifacts) throw new UserError("baseline-artifact needs 'github-token' (with actions: read) to download the artifact.");
    const maxBytes = Math.min(64 << 20, Math.floor(inputs.memoryBudgetBytes / 4));
    const doc = await downloadBaselineArtifact(context.artifacts, {
      repository,
      name: inputs.baselineArtifact,
      runId: inputs.baselineRunId,
      maxBytes,
    });
    context.logger.info(
      `Baseline: artifact '${inputs.baselineArtifact}' of ${repository.owner}/${repository.repo} (recorded ${doc.created_at}).`,
    );
    return doc;
  }
  if (inputs.baselineCacheKey && context.cache) {
    const path = join(context.tempDir, CACHED_BASELINE_FILE);
    if (await restoreBaseline(context.cache, inputs.baselineCacheKey, path, context.logger)) return readBaseline(path);
  }
  return undefined;
}

async function readMetrics(dir: string, patterns: string[], where: string, budget: number): Promise<Map<string, Map<string, number>>> {
  const metrics = new Map<string, Map<string, number>>();
  for (const pattern of patterns) {
    const files = await glob([pattern], { cwd: dir, dot: true, onlyFiles: true });
    if (files.length === 0) throw new UserError(`${where} did not write the metrics file '${pattern}' (input 'metrics').`);
    for (const file of files.sort()) {
      const real = await checkRunPath(join(dir, file), dir, `metrics file '${file}'`);
      const size = (await stat(real)).size;
      if (size > budget / 4)
        throw new DataError(
          `the metrics file is ${size} bytes, more than a quarter of memory-budget-mb; metrics files are small summaries`,
          { file },
        );
      metrics.set(file, parseMetrics(await readFile(real, 'utf8'), file));
    }
  }
  return metrics;
}

/** Short unified diffs for text outputs that differ between runs (the first pair that differs), sizes for binaries. */
async function addDiffs(outputs: OutputResult[], collected: CollectedOutput[][], budget: number): Promise<void> {
  const limit = Math.min(256 * 1024, budget / 16);
  for (const output of outputs) {
    if (output.status !== 'differs' && output.status !== 'within_tolerance') continue;
    const versions = collected.map((run) => run.find((o) => o.path === output.path));
    const first = versions[0];
    const other = versions.find((v) => v && first && v.hash !== first.hash);
    if (!first || !other) continue; // differs from the baseline only: its content is not kept, its hash is
    const runOf = versions.indexOf(other) + 1;
    if (!isTextBlock(first.head) || !isTextBlock(other.head)) {
      output.binary = true;
      continue;
    }
    if (first.size > limit || other.size > limit) {
      output.diff = `(text files of ${first.size} and ${other.size} bytes: too large to diff here)`;
      continue;
    }
    const [a, b] = await Promise.all([readFile(first.absolute, 'utf8'), readFile(other.absolute, 'utf8')]);
    output.diff = unifiedDiff(a, b, [`run 1/${output.path}`, `run ${runOf}/${output.path}`]);
  }
}

/** The `sources` globs; else the scripts the command names and the local modules they import; else every .py file. */
async function readSources(
  workDir: string,
  patterns: string[],
  command: string | undefined,
  workspace: string,
  budget: number,
): Promise<SourceFile[]> {
  const sources: SourceFile[] = [];
  let bytes = 0;
  const read = async (file: string): Promise<SourceFile | undefined> => {
    const real = await checkReadablePath(file, "input 'sources'");
    const size = (await stat(real).catch(() => undefined))?.size;
    if (size === undefined || size > 2 << 20 || bytes + size > budget / 4) return undefined;
    bytes += size;
    const source = { path: relative(workspace, file).split('\\').join('/'), text: await readFile(real, 'utf8') };
    sources.push(source);
    return source;
  };
  const entries = patterns.length === 0 && command ? entryScripts(command).map((s) => resolve(workDir, s)) : [];
  const existing = (await Promise.all(entries.map(async (f) => ((await stat(f).catch(() => undefined))?.isFile() ? f : undefined)))).filter(
    (f): f is string => !!f,
  );
  if (existing.length) {
    const seen = new Set<string>();
    const queue = [...existing];
    while (queue.length && seen.size < 1000) {
      const file = queue.shift()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const source = await read(file);
      if (!source) continue;
      const { absolute, relative: rel } = importedModules(source.text);
      for (const c of [
        ...absolute.map((m) => resolve(workDir, m)),
        ...absolute.map((m) => resolve(dirname(file), m)),
        ...rel.map((m) => resolve(dirname(file), m)),
      ])
        if (!seen.has(c) && isInside(c, workDir) && (await stat(c).catch(() => undefined))?.isFile()) queue.push(c);
    }
    return sources;
  }
  const files = (
    await glob(patterns.length ? patterns : ['**/*.py'], {
      cwd: workDir,
      dot: false,
      onlyFiles: true,
      ignore: IGNORED_SOURCES,
      absolute: true,
    })
  ).sort();
  for (const file of files.slice(0, 5000)) await read(file);
  return sources;
}

async function hashDeclaredInputs(workDir: string, patterns: string[], concurrency: number): Promise<Record<string, string>> {
  if (patterns.length === 0) return {};
  const files = (await glob(patterns, { cwd: workDir, dot: true, onlyFiles: true })).sort();
  const real = await Promise.all(files.map((f) => checkReadablePath(join(workDir, f), "input 'inputs'")));
  const digests = await hashFiles(
    real.map((path) => ({ path, algorithm: 'sha256' as const })),
    concurrency,
  );
  return Object.fromEntries(files.map((f, i) => [f, digests[i].hash]));
}
