// `npm run bench`: times drift-check's built action (as the runner starts it) against DuckDB and pandas+scipy on
// generated data, checks the targets and that its drift numbers agree with scipy's. See bench/README.md.
//   node scripts/bench.mjs [--quick] [--skip-large] [--skip-data-gate] [--repeat N] [--duckdb-threads N] [--dist DIR] [--strict]
// Then, unless --skip-data-gate, data-gate's benchmark (bench/data-gate/run.mjs) as a child under the same lock.
import { machineFacts, printTable, takeBenchLock } from '../bench/bench-common.mjs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFile, writeCsv, writeParquet } from '../bench/generate-data.mjs';
import { hasGnuTime, measure, tail } from '../bench/measure.mjs';
import { ensureNode24 } from './with-node24.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DIR = join(ROOT, '.bench');
const DATA_DIR = join(BENCH_DIR, 'data');
const LOG_DIR = join(BENCH_DIR, 'logs');
let DIST_DIR = join(ROOT, 'actions/drift-check/dist');
// The bundle runs from a copy taken at the start, so a rebuild during a long bench cannot mix two versions.
const DIST_SNAPSHOT = join(BENCH_DIR, 'dist-snapshot');
const DIST = join(DIST_SNAPSHOT, 'index.js');
const PYTHON = '/usr/bin/python3';

const TARGETS = {
  duckdb: 2.0, // drift-check / DuckDB wall time, at most
  pandas: 1.0, // drift-check / pandas+scipy wall time, below
  parquet: 1.0, // drift-check Parquet / CSV wall time, at most
  largeRssMb: 512, // drift-check peak RSS on the large pair, at most
  agreement: 1e-6, // max abs difference of drift statistics vs pandas+scipy
};

function parseArgs(argv) {
  const opts = { quick: false, skipLarge: false, skipDataGate: false, repeat: 1, duckdbThreads: undefined, strict: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--skip-large') opts.skipLarge = true;
    else if (a === '--skip-data-gate') opts.skipDataGate = true;
    else if (a === '--strict') opts.strict = true;
    else if (a === '--repeat') opts.repeat = Math.max(1, Number(argv[++i]) || 1);
    else if (a === '--duckdb-threads') opts.duckdbThreads = Number(argv[++i]);
    else if (a === '--dist') opts.dist = resolve(argv[++i]);
    else if (a === '--help' || a === '-h') {
      console.log(
        'usage: node scripts/bench.mjs [--quick] [--skip-large] [--skip-data-gate] [--repeat N] [--duckdb-threads N] [--dist DIR] [--strict]',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

const fmtRows = (n) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function ensurePair(rows, formats) {
  const files = {};
  let generationS = 0;
  for (const format of formats) {
    for (const side of ['reference', 'current']) {
      const path = join(DATA_DIR, `${side}-${fmtRows(rows)}.${format}`);
      const write = format === 'csv' ? writeCsv : writeParquet;
      if (!existsSync(path)) console.log(`generating ${path} ...`);
      const s = await ensureFile(path, (p) => write(p, side, rows));
      generationS += s;
      files[`${side}.${format}`] = { path, bytes: (await stat(path)).size, generatedS: s };
    }
  }
  return { files, generationS };
}

/** The environment the runner gives an action: ours, minus any runner/action variables, plus the inputs. */
function actionEnv(inputs, outputFile, summaryFile) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(INPUT_|GITHUB_|ACTIONS_|RUNNER_)/.test(k)));
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  // The runner's temp folder: actions write only inside the workspace or RUNNER_TEMP, and the reports go to a temp dir.
  env.RUNNER_TEMP = os.tmpdir();
  env.GITHUB_OUTPUT = outputFile;
  env.GITHUB_STEP_SUMMARY = summaryFile;
  return env;
}

/** drift-check's own "Read N reference rows ... in X ms" lines: how much of the wall time is reading. */
function readTimings(log) {
  const out = {};
  for (const m of log.matchAll(/Read (\d+) (reference|current) rows from .*? in (\d+) ms/g))
    out[m[2]] = { rows: Number(m[1]), ms: Number(m[3]) };
  return out;
}

/** `node`: the runtime to measure on (the bench's own by default; Node 24 is the one GitHub runs node24 actions on). */
async function runDriftCheck(name, reference, current, repeat, node = process.execPath) {
  const attempts = [];
  let report = null;
  for (let i = 0; i < repeat; i++) {
    const dir = await mkdtemp(join(os.tmpdir(), 'bench-drift-'));
    const [outputFile, summaryFile] = [join(dir, 'github-output'), join(dir, 'step-summary')];
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
    const logFile = join(LOG_DIR, `${name}.log`);
    const env = actionEnv(
      { reference, current, 'exclude-columns': 'timestamp', 'report-dir': join(dir, 'report') },
      outputFile,
      summaryFile,
    );
    const m = await measure(node, [DIST], { env, logFile, cwd: ROOT });
    const log = await readFile(logFile, 'utf8').catch(() => '');
    attempts.push({ ...m, read: readTimings(log) });
    if (!m.ok) {
      console.log(`  ${name} FAILED (exit ${m.exitCode}); last lines of ${logFile}:\n${await tail(logFile)}`);
      await rm(dir, { recursive: true, force: true });
      break;
    }
    report = JSON.parse(await readFile(join(dir, 'report', 'drift-report.json'), 'utf8'));
    await rm(dir, { recursive: true, force: true });
  }
  return summarise(name, attempts, {
    report: report && {
      reference_rows: report.reference_rows,
      current_rows: report.current_rows,
      columns: report.columns.map((c) => ({
        name: c.name,
        method: c.method,
        statistic: c.statistic,
        approximation: c.approximation ?? null,
      })),
    },
  });
}

async function runDuckdb(reference, current, repeat, threads) {
  const attempts = [];
  let details = null;
  for (let i = 0; i < repeat; i++) {
    const out = join(BENCH_DIR, 'duckdb-summaries.json');
    const logFile = join(LOG_DIR, 'duckdb.log');
    const args = [join(ROOT, 'bench/duckdb-summaries.mjs'), reference, current, out, ...(threads ? [String(threads)] : [])];
    const m = await measure(process.execPath, args, { env: process.env, logFile, cwd: ROOT });
    attempts.push(m);
    if (!m.ok) {
      console.log(`  duckdb FAILED (exit ${m.exitCode}):\n${await tail(logFile)}`);
      break;
    }
    const d = JSON.parse(await readFile(out, 'utf8'));
    details = {
      threads: d.threads,
      loadS: d.loadS,
      summariseS: d.summariseS,
      referenceRows: d.summaries.ref.rows,
      currentRows: d.summaries.cur.rows,
    };
  }
  return summarise('duckdb-csv', attempts, { details });
}

async function runPandas(reference, current, repeat) {
  const attempts = [];
  let result = null;
  for (let i = 0; i < repeat; i++) {
    const out = join(BENCH_DIR, 'pandas-drift.json');
    const logFile = join(LOG_DIR, 'pandas.log');
    const args = [join(ROOT, 'bench/pandas_drift.py'), reference, current, out, '--exclude', 'timestamp'];
    const m = await measure(PYTHON, args, { env: process.env, logFile, cwd: ROOT });
    attempts.push(m);
    if (!m.ok) {
      console.log(`  pandas FAILED (exit ${m.exitCode}):\n${await tail(logFile)}`);
      break;
    }
    result = JSON.parse(await readFile(out, 'utf8'));
  }
  return summarise('pandas-scipy-csv', attempts, { result });
}

function summarise(name, attempts, extra) {
  const ok = attempts.length > 0 && attempts.every((a) => a.ok);
  return {
    name,
    ok,
    wallS: ok ? median(attempts.map((a) => a.wallS)) : null,
    peakRssMb: ok ? Math.max(...attempts.map((a) => a.peakRssMb)) : null,
    attempts,
    ...extra,
  };
}

/** Max abs difference of drift-check's per-column statistic from pandas+scipy's, by column name. */
function agreement(driftRun, pandasRun) {
  if (!driftRun?.ok || !pandasRun?.ok) return null;
  const ours = new Map(driftRun.report.columns.map((c) => [c.name, c]));
  const columns = pandasRun.result.columns.map((p) => {
    const o = ours.get(p.name);
    return {
      name: p.name,
      scipy: p.statistic,
      driftCheck: o?.statistic ?? null,
      method: o?.method ?? null,
      absDiff: o ? Math.abs(o.statistic - p.statistic) : Infinity,
    };
  });
  return { maxAbsDiff: Math.max(...columns.map((c) => c.absDiff)), columns };
}

function ratio(label, num, den, target, cmp) {
  if (!num?.ok || !den?.ok) return { label, value: null, target, verdict: 'FAIL (run failed)' };
  const value = num.wallS / den.wallS;
  return { label, value, target: `${cmp} ${target}`, verdict: (cmp === '<' ? value < target : value <= target) ? 'PASS' : 'FAIL' };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  await takeBenchLock(BENCH_DIR);
  const loadBefore = os.loadavg();
  if (opts.dist) DIST_DIR = opts.dist;
  if (!existsSync(join(DIST_DIR, 'index.js'))) throw new Error(`${DIST_DIR}/index.js is missing: run \`npm run build\` first.`);
  await rm(DIST_SNAPSHOT, { recursive: true, force: true });
  await cp(DIST_DIR, DIST_SNAPSHOT, { recursive: true });
  if (!hasGnuTime()) console.log('note: /usr/bin/time missing (apt-get install -y time); polling /proc for peak RSS instead.');
  await mkdir(LOG_DIR, { recursive: true });

  const smallRows = opts.quick ? 300_000 : 3_000_000;
  const largeRows = opts.quick || opts.skipLarge ? null : 30_000_000;
  const small = await ensurePair(smallRows, ['csv', 'parquet']);
  const large = largeRows ? await ensurePair(largeRows, ['csv']) : null;
  const f = (pair, key) => pair.files[key].path;

  const s = fmtRows(smallRows);
  const runs = [];
  const step = async (label, fn) => {
    console.log(`running ${label} ...`);
    const r = await fn();
    console.log(`  ${r.ok ? `${r.wallS.toFixed(2)} s, ${r.peakRssMb.toFixed(0)} MB` : 'failed'}`);
    runs.push(r);
    return r;
  };
  const dcCsv = await step(`drift-check CSV ${s}`, () =>
    runDriftCheck(`drift-check-csv-${s}`, f(small, 'reference.csv'), f(small, 'current.csv'), opts.repeat),
  );
  const dcParquet = await step(`drift-check Parquet ${s}`, () =>
    runDriftCheck(`drift-check-parquet-${s}`, f(small, 'reference.parquet'), f(small, 'current.parquet'), opts.repeat),
  );
  const duck = await step(`DuckDB summaries CSV ${s}`, () =>
    runDuckdb(f(small, 'reference.csv'), f(small, 'current.csv'), opts.repeat, opts.duckdbThreads),
  );
  const pandas = await step(`pandas+scipy CSV ${s}`, () => runPandas(f(small, 'reference.csv'), f(small, 'current.csv'), opts.repeat));
  const dcLarge = large
    ? await step(`drift-check CSV ${fmtRows(largeRows)} (Node ${process.versions.node})`, () =>
        runDriftCheck(
          `drift-check-csv-${fmtRows(largeRows)}-node${process.versions.node.split('.')[0]}`,
          f(large, 'reference.csv'),
          f(large, 'current.csv'),
          1,
        ),
      )
    : null;
  // The production runtime: its larger default young generation is what put this pair past 512 MB.
  const node24 = large ? ensureNode24() : null;
  const dcLarge24 = large
    ? await step(`drift-check CSV ${fmtRows(largeRows)} (Node 24)`, () =>
        runDriftCheck(`drift-check-csv-${fmtRows(largeRows)}-node24`, f(large, 'reference.csv'), f(large, 'current.csv'), 1, node24),
      )
    : null;

  const loadAfter = os.loadavg();
  const load = (l) => l.map((x) => x.toFixed(1)).join(' ');
  console.log(`\nResults (${os.cpus().length} CPUs, node ${process.version}; wall = median of ${opts.repeat}, RSS = max;`);
  console.log(
    `load average before ${load(loadBefore)}, after ${load(loadAfter)}: above ${os.cpus().length} means shared CPUs slowed the runs):`,
  );
  printTable(
    ['run', 'wall s', 'peak RSS MB', 'read ref/cur ms'],
    runs.map((r) => {
      const read = r.attempts.at(-1)?.read;
      return [
        r.name,
        r.ok ? r.wallS.toFixed(2) : 'FAILED',
        r.ok ? r.peakRssMb.toFixed(0) : '-',
        read?.reference ? `${read.reference.ms}/${read.current?.ms}` : '',
      ];
    }),
  );

  const checks = [
    ratio(`drift-check / DuckDB (CSV ${s})`, dcCsv, duck, TARGETS.duckdb, '<='),
    ratio(`drift-check / pandas+scipy (CSV ${s})`, dcCsv, pandas, TARGETS.pandas, '<'),
    ratio(`drift-check Parquet / CSV (${s})`, dcParquet, dcCsv, TARGETS.parquet, '<='),
  ];
  for (const [run, runtime] of [
    [dcLarge, `Node ${process.versions.node}`],
    [dcLarge24, 'Node 24'],
  ]) {
    if (!run) continue;
    checks.push({
      label: `drift-check peak RSS MB (CSV ${fmtRows(largeRows)}, ${runtime})`,
      value: run.ok ? run.peakRssMb : null,
      target: `<= ${TARGETS.largeRssMb}`,
      verdict: run.ok ? (run.peakRssMb <= TARGETS.largeRssMb ? 'PASS' : 'FAIL') : 'FAIL (run failed)',
    });
  }
  const agree = { csv: agreement(dcCsv, pandas), parquet: agreement(dcParquet, pandas) };
  for (const [kind, a] of Object.entries(agree)) {
    checks.push({
      label: `max |drift-check - scipy| statistic (${kind} ${s})`,
      value: a?.maxAbsDiff ?? null,
      target: `<= ${TARGETS.agreement}`,
      verdict: a && a.maxAbsDiff <= TARGETS.agreement ? 'PASS' : 'FAIL',
    });
  }
  console.log('\nTargets:');
  printTable(
    ['check', 'value', 'target', 'verdict'],
    checks.map((c) => [
      c.label,
      c.value === null ? '-' : c.value < 1e-3 && c.value !== 0 ? c.value.toExponential(2) : c.value.toFixed(3),
      c.target,
      c.verdict,
    ]),
  );
  if (agree.csv) {
    console.log('\nPer-column drift statistics (CSV), drift-check vs pandas+scipy:');
    printTable(
      ['column', 'method', 'drift-check', 'scipy', 'abs diff'],
      agree.csv.columns.map((c) => [c.name, c.method, c.driftCheck, c.scipy, c.absDiff.toExponential(2)]),
    );
  }

  const results = {
    generatedAt: new Date().toISOString(),
    options: opts,
    machine: machineFacts(loadBefore, loadAfter),
    dist: { path: join(DIST_DIR, 'index.js'), sha256: createHash('sha256').update(readFileSync(DIST)).digest('hex') },
    data: { small: { rows: smallRows, ...small }, large: large && { rows: largeRows, ...large } },
    runs,
    checks,
    agreement: agree,
  };
  await writeFile(join(BENCH_DIR, 'results.json'), JSON.stringify(results, null, 2));
  console.log(`\nwrote ${join(BENCH_DIR, 'results.json')}`);
  const crashed = runs.some((r) => !r.ok);
  const failed = checks.some((c) => c.verdict !== 'PASS');
  let dataGateFailed = false;
  if (!opts.skipDataGate) {
    console.log('\n== data-gate: 5M-row CSV, 20 rules, against DuckDB (bench/data-gate/run.mjs) ==');
    const args = [
      join(ROOT, 'bench/data-gate/run.mjs'),
      '--repeat',
      String(opts.repeat),
      ...(opts.quick ? ['--rows', '500000'] : []),
      ...(opts.strict ? ['--strict'] : []),
    ];
    const child = spawnSync(process.execPath, args, { stdio: 'inherit' });
    dataGateFailed = child.status !== 0;
  }
  process.exitCode = crashed || dataGateFailed || (opts.strict && failed) ? 1 : 0;
}

await main();
