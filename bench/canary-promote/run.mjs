// The canary-promote bench: the built action (as the runner starts it) judging 1M baseline and 1M canary samples
// of 5 continuous metrics (Mann-Whitney p-values, Hodges-Lehmann intervals, summaries, Kayenta scoring), and
// scipy.stats.mannwhitneyu on the same arrays in the same run. Targets: the judgement within 3x scipy's
// Mann-Whitney time, peak RSS under 512 MB. The action's whole wall time (CSV parsing included) is reported too.
//   node bench/canary-promote/run.mjs [--rows N] [--repeat N] [--dist DIR] [--no-scipy] [--strict]
import { benchOptions, machineFacts, printTable, takeBenchLock } from '../bench-common.mjs';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFile } from '../generate-data.mjs';
import { measure, tail } from '../measure.mjs';
import { COLUMNS, METRICS_YAML, writeSamplesCsv } from './generate-samples.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const BENCH_DIR = join(ROOT, '.bench');
const WORK_DIR = join(BENCH_DIR, 'canary-promote');
const LOG_DIR = join(WORK_DIR, 'logs');
const DIST_SNAPSHOT = join(WORK_DIR, 'dist-snapshot');
const TARGETS = { ratioToScipy: 3, peakRssMb: 512 };

function parseArgs(argv) {
  return benchOptions(argv, {
    usage: 'usage: node bench/canary-promote/run.mjs [--rows N] [--repeat N] [--dist DIR] [--no-scipy] [--strict]',
    defaults: { rows: 1_000_000, repeat: 1, dist: join(ROOT, 'actions/canary-promote/dist'), scipy: true, strict: false },
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function runAction(files, run) {
  const reportDir = join(WORK_DIR, `report-${run}`);
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: WORK_DIR,
    GITHUB_OUTPUT: join(WORK_DIR, `output-${run}`),
    GITHUB_STEP_SUMMARY: join(WORK_DIR, `summary-${run}.md`),
    INPUT_METRICS: files.metrics,
    INPUT_BASELINE: files.baseline,
    INPUT_CANARY: files.canary,
    'INPUT_REPORT-DIR': reportDir,
    'INPUT_FAIL-ON': 'never',
    'INPUT_MEMORY-BUDGET-MB': '256',
    INPUT_CONFIDENCE: '0.98',
  };
  for (const f of [env.GITHUB_OUTPUT, env.GITHUB_STEP_SUMMARY]) await writeFile(f, '');
  const logFile = join(LOG_DIR, `action-${run}.log`);
  const m = await measure(process.execPath, [join(DIST_SNAPSHOT, 'index.js')], { env, logFile, cwd: WORK_DIR });
  if (!m.ok) throw new Error(`the action failed (exit ${m.exitCode}):\n${await tail(logFile)}`);
  const log = readFileSync(logFile, 'utf8');
  const timing = /Read the samples in ([\d.]+) s; judged (\d+) metrics in ([\d.]+) s/.exec(log);
  if (!timing) throw new Error(`the action's log has no timing line:\n${await tail(logFile)}`);
  const result = JSON.parse(readFileSync(join(reportDir, 'canary-result.json'), 'utf8'));
  return { ...m, readS: Number(timing[1]), judgeS: Number(timing[3]), result };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  await takeBenchLock(BENCH_DIR);
  await mkdir(LOG_DIR, { recursive: true });
  const files = {
    baseline: join(WORK_DIR, `baseline-${opts.rows}.csv`),
    canary: join(WORK_DIR, `canary-${opts.rows}.csv`),
    metrics: join(WORK_DIR, 'metrics.yaml'),
  };
  await ensureFile(files.baseline, (p) => writeSamplesCsv(p, opts.rows, { seed: 1, shift: 1 }));
  await ensureFile(files.canary, (p) => writeSamplesCsv(p, opts.rows, { seed: 2, shift: 1.003 }));
  await writeFile(files.metrics, METRICS_YAML);
  if (!existsSync(join(opts.dist, 'index.js'))) throw new Error(`${opts.dist}/index.js does not exist: build the action first.`);
  await rm(DIST_SNAPSHOT, { recursive: true, force: true });
  await cp(opts.dist, DIST_SNAPSHOT, { recursive: true });
  console.log(
    `canary-promote bench: ${opts.rows} baseline + ${opts.rows} canary samples x ${COLUMNS.length} metrics, ${opts.repeat} run(s)`,
  );

  const load0 = os.loadavg();
  const ours = [];
  for (let i = 0; i < opts.repeat; i++) ours.push(await runAction(files, i));
  let scipy;
  if (opts.scipy) {
    const out = join(WORK_DIR, 'scipy.json');
    const logFile = join(LOG_DIR, 'scipy.log');
    const m = await measure(
      '/usr/bin/python3',
      [join(HERE, 'scipy_mannwhitneyu.py'), files.baseline, files.canary, out, COLUMNS.join(',')],
      { env: process.env, logFile, cwd: ROOT },
    );
    if (!m.ok) throw new Error(`scipy failed:\n${await tail(logFile)}`);
    scipy = { ...m, ...JSON.parse(readFileSync(out, 'utf8')) };
  }
  const load1 = os.loadavg();

  const judge = median(ours.map((o) => o.judgeS));
  const wall = median(ours.map((o) => o.wallS));
  const rss = Math.max(...ours.map((o) => o.peakRssMb));
  const rows = [['canary-promote (dist)', judge.toFixed(2), wall.toFixed(2), rss.toFixed(0), ours[0].result.decision]];
  if (scipy)
    rows.push([
      `scipy ${scipy.scipy} mannwhitneyu`,
      scipy.mannwhitneyu_s.toFixed(2),
      scipy.wallS.toFixed(2),
      scipy.peakRssMb.toFixed(0),
      '',
    ]);
  printTable(['', 'judgement / MWU s', 'process wall s', 'peak RSS MB', 'decision'], rows);
  const failures = [];
  if (scipy) {
    for (const m of ours[0].result.metrics) {
      const ref = scipy.results[m.name];
      const rel = Math.abs(m.p_value - ref.p_value) / Math.max(ref.p_value, 1e-300);
      if (!(rel < 1e-6 || Math.abs(m.p_value - ref.p_value) < 1e-12))
        failures.push(`${m.name}: p-value ${m.p_value} differs from scipy's ${ref.p_value}`);
    }
    const ratio = judge / scipy.mannwhitneyu_s;
    console.log(
      `ratio: the judgement takes ${ratio.toFixed(2)}x scipy's mannwhitneyu time (target <= ${TARGETS.ratioToScipy}x); the whole action (CSV parsing included) ${(wall / scipy.mannwhitneyu_s).toFixed(2)}x`,
    );
    if (ratio > TARGETS.ratioToScipy) failures.push(`judgement ${ratio.toFixed(2)}x scipy > ${TARGETS.ratioToScipy}x`);
  }
  if (rss >= TARGETS.peakRssMb) failures.push(`peak RSS ${rss.toFixed(0)} MB >= ${TARGETS.peakRssMb} MB`);
  console.log(
    `targets: <= ${TARGETS.ratioToScipy}x scipy, peak RSS < ${TARGETS.peakRssMb} MB: ${failures.length ? `MISSED (${failures.join('; ')})` : 'met'}`,
  );
  const figures = {
    rows: opts.rows,
    metrics: COLUMNS.length,
    runs: ours.map((o) => ({ judgeS: o.judgeS, readS: o.readS, wallS: o.wallS, peakRssMb: o.peakRssMb })),
    judgeS: judge,
    wallS: wall,
    peakRssMb: rss,
    scipy: scipy && {
      version: scipy.scipy,
      mannwhitneyuS: scipy.mannwhitneyu_s,
      readS: scipy.read_s,
      wallS: scipy.wallS,
      peakRssMb: scipy.peakRssMb,
    },
    machine: machineFacts(load0, load1),
  };
  await writeFile(join(WORK_DIR, 'figures.json'), JSON.stringify(figures, null, 2));
  if (opts.strict && failures.length) process.exit(1);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(2);
});
