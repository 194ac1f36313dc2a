// The cost-report benchmark: times the built action (as the runner starts it) attributing a generated 2M-line
// FOCUS CSV with a 50-rule file, and pandas doing the same attribution (read, parse tags, first-match rules,
// group by target and day) in the same run; checks both reach the same total and the targets (< 20 s wall,
// < 512 MB peak RSS). See README.md.
//   node bench/cost-report/run.mjs [--lines N] [--repeat N] [--dist DIR] [--no-pandas] [--strict]
import { benchOptions, machineFacts, printTable, takeBenchLock } from '../bench-common.mjs';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFile } from '../generate-data.mjs';
import { measure, tail } from '../measure.mjs';
import { writeFocusCsv, writeRules } from './generate-focus.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const BENCH_DIR = join(ROOT, '.bench');
const WORK_DIR = join(BENCH_DIR, 'cost-report');
const LOG_DIR = join(WORK_DIR, 'logs');
const DIST_SNAPSHOT = join(WORK_DIR, 'dist-snapshot');
const TARGETS = { wallS: 20, peakRssMb: 512 };

function parseArgs(argv) {
  return benchOptions(argv, {
    usage: 'usage: node bench/cost-report/run.mjs [--lines N] [--repeat N] [--dist DIR] [--no-pandas] [--strict]',
    defaults: { lines: 2_000_000, repeat: 3, dist: join(ROOT, 'actions/cost-report/dist'), pandas: true, strict: false },
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function runAction(csv, rules, run) {
  const reportDir = join(WORK_DIR, `report-${run}`);
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: WORK_DIR,
    GITHUB_OUTPUT: join(WORK_DIR, `output-${run}`),
    GITHUB_STEP_SUMMARY: join(WORK_DIR, `summary-${run}.md`),
    INPUT_SOURCES: 'focus',
    'INPUT_FOCUS-FILES': csv,
    INPUT_ATTRIBUTION: rules,
    INPUT_WINDOW: '2026-10',
    'INPUT_REPORT-DIR': reportDir,
    'INPUT_MEMORY-BUDGET-MB': '256',
  };
  for (const f of [env.GITHUB_OUTPUT, env.GITHUB_STEP_SUMMARY]) await writeFile(f, '');
  const logFile = join(LOG_DIR, `action-${run}.log`);
  // CPU seconds as well as wall: on a shared machine the wall time says more about the neighbours than about us.
  const cpuHook = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stdout.write('bench-cpu-s '+((u.userCPUTime+u.systemCPUTime)/1e6)+'\\n')})`;
  const m = await measure(process.execPath, ['--import', cpuHook, join(DIST_SNAPSHOT, 'index.js')], { env, logFile, cwd: WORK_DIR });
  if (!m.ok) throw new Error(`the action failed (exit ${m.exitCode}):\n${await tail(logFile)}`);
  const report = JSON.parse(readFileSync(join(reportDir, 'cost-report.json'), 'utf8'));
  const cpuS = Number(/bench-cpu-s ([\d.]+)/.exec(readFileSync(logFile, 'utf8'))?.[1] ?? NaN);
  return { ...m, cpuS, report };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  await takeBenchLock(BENCH_DIR);
  await mkdir(LOG_DIR, { recursive: true });
  const csv = join(WORK_DIR, `focus-${opts.lines}.csv`);
  const rules = join(WORK_DIR, 'rules-50.yml');
  const generated = await ensureFile(csv, (p) => writeFocusCsv(p, opts.lines));
  await writeRules(rules);
  if (!existsSync(join(opts.dist, 'index.js'))) throw new Error(`${opts.dist}/index.js does not exist: build the action first.`);
  await rm(DIST_SNAPSHOT, { recursive: true, force: true });
  await cp(opts.dist, DIST_SNAPSHOT, { recursive: true });
  const sizeMb = (await stat(csv)).size / 2 ** 20;
  console.log(
    `cost-report bench: ${opts.lines} FOCUS lines (${sizeMb.toFixed(0)} MB${generated ? `, generated in ${generated.toFixed(1)} s` : ''}), 50 rules, ${opts.repeat} run(s)`,
  );

  const load0 = os.loadavg();
  const ours = [];
  for (let i = 0; i < opts.repeat; i++) ours.push(await runAction(csv, rules, i));
  let pandas;
  if (opts.pandas) {
    const out = join(WORK_DIR, 'pandas.json');
    const logFile = join(LOG_DIR, 'pandas.log');
    const m = await measure('/usr/bin/python3', [join(HERE, 'pandas_attribution.py'), csv, rules, out], {
      env: process.env,
      logFile,
      cwd: ROOT,
    });
    if (!m.ok) throw new Error(`pandas failed:\n${await tail(logFile)}`);
    pandas = { ...m, result: JSON.parse(readFileSync(out, 'utf8')) };
  }
  const load1 = os.loadavg();

  const wall = median(ours.map((o) => o.wallS));
  const rss = Math.max(...ours.map((o) => o.peakRssMb));
  const cpu = median(ours.map((o) => o.cpuS));
  const report = ours[0].report;
  const lines = report.sources[0].lines;
  const rows = [
    ['cost-report (dist)', wall.toFixed(2), cpu.toFixed(2), (lines / wall / 1e6).toFixed(2), rss.toFixed(0), report.total.toFixed(2)],
  ];
  if (pandas)
    rows.push([
      'pandas peer',
      pandas.wallS.toFixed(2),
      '',
      (pandas.result.rows / pandas.wallS / 1e6).toFixed(2),
      pandas.peakRssMb.toFixed(0),
      pandas.result.total.toFixed(2),
    ]);
  printTable(['', 'wall s (median)', 'CPU s', 'M lines/s', 'peak RSS MB', 'total'], rows);
  console.log(
    `load average before ${load0.map((l) => l.toFixed(1)).join(' ')}, after ${load1.map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`,
  );
  console.log(`reconciliation: ${report.reconciliation.line}`);
  const failures = [];
  if (lines !== opts.lines) failures.push(`attributed ${lines} lines, expected ${opts.lines}`);
  if (!report.reconciliation.balanced) failures.push('the report does not reconcile');
  if (pandas && Math.abs(pandas.result.total - Number(report.reconciliation.exact_total)) > 1e-6 * Math.abs(pandas.result.total))
    failures.push(`pandas' total ${pandas.result.total} differs from ours ${report.reconciliation.exact_total}`);
  if (wall >= TARGETS.wallS) failures.push(`wall ${wall.toFixed(2)} s >= ${TARGETS.wallS} s`);
  if (rss >= TARGETS.peakRssMb) failures.push(`peak RSS ${rss.toFixed(0)} MB >= ${TARGETS.peakRssMb} MB`);
  if (pandas)
    console.log(
      `ratio: cost-report takes ${(wall / pandas.wallS).toFixed(2)}x pandas' wall time (${(pandas.wallS / wall).toFixed(2)}x faster), ${(rss / pandas.peakRssMb).toFixed(2)}x its peak RSS`,
    );
  console.log(
    `targets: wall < ${TARGETS.wallS} s, peak RSS < ${TARGETS.peakRssMb} MB: ${failures.length ? `MISSED (${failures.join('; ')})` : 'met'}`,
  );
  const figures = {
    lines,
    sizeMb,
    runs: ours.map((o) => ({ wallS: o.wallS, cpuS: o.cpuS, peakRssMb: o.peakRssMb })),
    wallS: wall,
    cpuS: cpu,
    peakRssMb: rss,
    pandas: pandas && { wallS: pandas.wallS, peakRssMb: pandas.peakRssMb, innerS: pandas.result.seconds },
    machine: machineFacts(load0, load1),
  };
  await writeFile(join(WORK_DIR, 'figures.json'), JSON.stringify(figures, null, 2));
  if (opts.strict && failures.length) process.exit(1);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(2);
});
