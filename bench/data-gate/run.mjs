// The data-gate benchmark: times the built action (as the runner starts it) validating a generated 5M-row orders CSV
// against 20 rules, and DuckDB evaluating the same rules in SQL in the same run; checks that both give the same
// numbers rule by rule, and the targets (<= 2x DuckDB's wall time, >= 1M rows/s, <= 512 MB peak RSS). See README.md.
//   node bench/data-gate/run.mjs [--repeat N] [--rows N] [--duckdb-threads N] [--dist DIR] [--profile] [--strict]
import { machineFacts, printTable, takeBenchLock } from '../bench-common.mjs';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFile } from '../generate-data.mjs';
import { hasGnuTime, measure, tail } from '../measure.mjs';
import { plantedCounts, writeOrdersCsv } from './generate-orders.mjs';
import { summariseProfiles } from '../profile-summary.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const BENCH_DIR = join(ROOT, '.bench');
const WORK_DIR = join(BENCH_DIR, 'data-gate');
const LOG_DIR = join(WORK_DIR, 'logs');
const RULES = join(HERE, 'orders-rules.yml');
// The bundle runs from a copy taken at the start, so a rebuild during the bench cannot mix two versions.
const DIST_SNAPSHOT = join(WORK_DIR, 'dist-snapshot');
const DIST = join(DIST_SNAPSHOT, 'index.js');

const TARGETS = {
  duckdbRatio: 2.0, // data-gate / DuckDB wall time, at most
  rowsPerSecond: 1e6, // data-gate rows / wall second, at least
  peakRssMb: 512, // data-gate peak RSS, at most
};
/** Relative tolerance when comparing observed values (means and standard deviations are summed in other orders). */
const RELATIVE_TOLERANCE = 1e-9;

function parseArgs(argv) {
  const opts = {
    repeat: 3,
    rows: 5_000_000,
    duckdbThreads: undefined,
    dist: join(ROOT, 'actions/data-gate/dist'),
    profile: false,
    strict: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const count = (name) => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${name} takes a positive integer, got ${argv[i]}`);
      return n;
    };
    if (a === '--repeat') opts.repeat = count(a);
    else if (a === '--rows') opts.rows = count(a);
    else if (a === '--duckdb-threads') opts.duckdbThreads = count(a);
    else if (a === '--dist') opts.dist = resolve(argv[++i]);
    else if (a === '--profile') opts.profile = true;
    else if (a === '--strict') opts.strict = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node bench/data-gate/run.mjs [--repeat N] [--rows N] [--duckdb-threads N] [--dist DIR] [--profile] [--strict]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

const fmtRows = (n) => (n >= 1e6 && n % 1e5 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 100 === 0 ? `${n / 1e3}k` : String(n));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** The environment the runner gives an action: ours, minus any runner/action variables, plus the inputs. */
function actionEnv(inputs, outputFile, summaryFile) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(INPUT_|GITHUB_|ACTIONS_|RUNNER_)/.test(k)));
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  env.GITHUB_OUTPUT = outputFile;
  env.GITHUB_STEP_SUMMARY = summaryFile;
  return env;
}

/** A temp directory with the files a runner provides, and the action's inputs for the benchmark. */
async function actionSetup(data) {
  const dir = await mkdtemp(join(os.tmpdir(), 'bench-data-gate-'));
  const [outputFile, summaryFile] = [join(dir, 'github-output'), join(dir, 'step-summary')];
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const reportDir = join(dir, 'report');
  const env = actionEnv({ data, rules: RULES, 'report-dir': reportDir, 'fail-on': 'never' }, outputFile, summaryFile);
  // The report goes to the runner's temp folder, one of the two places an action may write (the other: the workspace).
  env.RUNNER_TEMP = dir;
  return { dir, env, reportDir };
}

async function runDataGate(data, attempt) {
  const { dir, env, reportDir } = await actionSetup(data);
  const logFile = join(LOG_DIR, `data-gate-${attempt}.log`);
  try {
    const m = await measure(process.execPath, [DIST], { env, logFile, cwd: ROOT });
    if (!m.ok) return { ...m, failure: `exit ${m.exitCode}; last lines of ${logFile}:\n${await tail(logFile)}` };
    const result = JSON.parse(await readFile(join(reportDir, 'data-gate-result.json'), 'utf8'));
    return { ...m, result };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runDuckdb(data, attempt, threads) {
  const out = join(WORK_DIR, 'duckdb-rules.json');
  const logFile = join(LOG_DIR, `duckdb-${attempt}.log`);
  const args = [join(HERE, 'duckdb-rules.mjs'), data, RULES, out, ...(threads ? [String(threads)] : [])];
  const m = await measure(process.execPath, args, { env: process.env, logFile, cwd: ROOT });
  if (!m.ok) return { ...m, failure: `exit ${m.exitCode}; last lines of ${logFile}:\n${await tail(logFile)}` };
  return { ...m, duck: JSON.parse(await readFile(out, 'utf8')) };
}

function summarise(name, attempts) {
  const ok = attempts.length > 0 && attempts.every((a) => a.ok);
  return {
    name,
    ok,
    wallS: ok ? median(attempts.map((a) => a.wallS)) : null,
    peakRssMb: ok ? Math.max(...attempts.map((a) => a.peakRssMb)) : null,
    attempts: attempts.map(({ result: _result, duck: _duck, ...a }) => a),
  };
}

function sameValue(a, b) {
  if (typeof a === 'number' && typeof b === 'number')
    return a === b || Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue(a[k], b[k]));
  }
  return a === b;
}

const show = (v) => {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(10)));
  if (Array.isArray(v)) return v.length > 6 ? `[${v.slice(0, 6).map(show).join(', ')}, ... (${v.length})]` : `[${v.map(show).join(', ')}]`;
  if (v && Array.isArray(v.quantiles) && Array.isArray(v.values))
    return v.quantiles.map((q, i) => `q${q}: ${show(v.values[i])}`).join(', ');
  return String(v);
};

/**
 * Rule by rule: data-gate's unexpected and missing counts (row rules) or observed value and missing count
 * (aggregates; table rules: observed value) against DuckDB's.
 */
function agreement(result, duck) {
  const ours = new Map(result.results.map((r) => [r.meta.rule, r]));
  return duck.results.map((d) => {
    const r = ours.get(d.name);
    const fields =
      d.kind === 'row'
        ? ['unexpected_count', 'missing_count']
        : d.kind === 'aggregate'
          ? ['observed_value', 'missing_count']
          : ['observed_value'];
    // GX reports no missing_count for expect_column_values_to_not_be_null (its nulls are the unexpected values).
    if (r?.expectation_config?.type === 'expect_column_values_to_not_be_null') fields.splice(fields.indexOf('missing_count'), 1);
    const mismatches = [];
    if (!r) mismatches.push({ field: 'rule', dataGate: 'missing from the result', duckdb: d.name });
    else if (r.exception_info?.raised_exception)
      mismatches.push({ field: 'exception', dataGate: r.exception_info.exception_message, duckdb: '-' });
    // GX 1.x gives an aggregate only observed_value; data-gate keeps the column's counts in meta.
    else
      for (const f of fields)
        if (!sameValue(r.result[f] ?? r.meta?.[f], d[f])) mismatches.push({ field: f, dataGate: r.result[f] ?? r.meta?.[f], duckdb: d[f] });
    const key = d.kind === 'row' ? 'unexpected_count' : 'observed_value';
    return {
      rule: d.name,
      kind: d.kind,
      success: r?.success ?? null,
      dataGate: r?.result?.[key],
      duckdb: d[key],
      agrees: mismatches.length === 0,
      mismatches,
    };
  });
}

/** One extra, untimed data-gate run under --cpu-prof: where its time goes. */
async function profile(data) {
  const { dir, env } = await actionSetup(data);
  const profDir = join(WORK_DIR, 'profile');
  await rm(profDir, { recursive: true, force: true });
  await mkdir(profDir, { recursive: true });
  const logFile = join(LOG_DIR, 'data-gate-profile.log');
  const m = await measure(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, DIST], { env, logFile, cwd: ROOT });
  await rm(dir, { recursive: true, force: true });
  if (!m.ok) throw new Error(`profiled run failed: ${await tail(logFile)}`);
  return { wallS: m.wallS, dir: profDir, ...(await summariseProfiles(profDir, 15)) };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  await takeBenchLock(BENCH_DIR);
  const loadBefore = os.loadavg();
  if (!existsSync(join(opts.dist, 'index.js'))) throw new Error(`${opts.dist}/index.js is missing: run \`npm run build\` first.`);
  await rm(DIST_SNAPSHOT, { recursive: true, force: true });
  await cp(opts.dist, DIST_SNAPSHOT, { recursive: true });
  if (!hasGnuTime()) console.log('note: /usr/bin/time missing (apt-get install -y time); polling /proc for peak RSS instead.');
  await mkdir(LOG_DIR, { recursive: true });

  const data = join(WORK_DIR, `orders-${fmtRows(opts.rows)}.csv`);
  if (!existsSync(data)) console.log(`generating ${data} ...`);
  const generatedS = await ensureFile(data, (p) => writeOrdersCsv(p, opts.rows));
  const bytes = (await stat(data)).size;
  console.log(
    `data: ${data} (${opts.rows} rows, ${(bytes / 2 ** 20).toFixed(0)} MiB${generatedS ? `, generated in ${generatedS.toFixed(1)} s` : ''})`,
  );

  // Alternating runs, so that a burst of load from other users of the machine hits both sides alike.
  const dgAttempts = [];
  const duckAttempts = [];
  let result = null;
  let duck = null;
  for (let i = 1; i <= opts.repeat; i++) {
    process.stdout.write(`run ${i}/${opts.repeat}: data-gate ... `);
    const dg = await runDataGate(data, i);
    dgAttempts.push(dg);
    process.stdout.write(dg.ok ? `${dg.wallS.toFixed(2)} s, ${dg.peakRssMb.toFixed(0)} MB; DuckDB ... ` : 'FAILED; DuckDB ... ');
    const dd = await runDuckdb(data, i, opts.duckdbThreads);
    duckAttempts.push(dd);
    console.log(dd.ok ? `${dd.wallS.toFixed(2)} s, ${dd.peakRssMb.toFixed(0)} MB` : 'FAILED');
    for (const a of [dg, dd]) if (a.failure) console.log(a.failure);
    result ??= dg.result ?? null;
    duck ??= dd.duck ?? null;
    if (!dg.ok || !dd.ok) break;
  }
  const dgRun = summarise('data-gate', dgAttempts);
  const duckRun = summarise('duckdb', duckAttempts);
  const loadAfter = os.loadavg();

  const load = (l) => l.map((x) => x.toFixed(1)).join(' ');
  console.log(
    `\nResults (${os.cpus().length} CPUs shared with other users, node ${process.version}; wall = median of ${opts.repeat}, RSS = max;`,
  );
  console.log(
    `load average before ${load(loadBefore)}, after ${load(loadAfter)}: above ${os.cpus().length} means shared CPUs slowed the runs):`,
  );
  printTable(
    ['run', 'wall s', 'peak RSS MB', 'attempts (wall s)', 'note'],
    [
      [
        dgRun.name,
        dgRun.ok ? dgRun.wallS.toFixed(2) : 'FAILED',
        dgRun.ok ? dgRun.peakRssMb.toFixed(0) : '-',
        dgAttempts.map((a) => a.wallS.toFixed(2)).join(' '),
        'node dist/index.js (rules split over 2 worker threads on large data)',
      ],
      [
        duckRun.name,
        duckRun.ok ? duckRun.wallS.toFixed(2) : 'FAILED',
        duckRun.ok ? duckRun.peakRssMb.toFixed(0) : '-',
        duckAttempts.map((a) => a.wallS.toFixed(2)).join(' '),
        duck ? `${duck.threads} threads; load ${duck.loadS.toFixed(2)} s + rules ${duck.rulesS.toFixed(2)} s` : '',
      ],
    ],
  );

  const rows = result?.meta.data_gate.rows ?? null;
  const bothOk = dgRun.ok && duckRun.ok;
  const checks = [
    {
      label: 'data-gate / DuckDB wall time',
      value: bothOk ? dgRun.wallS / duckRun.wallS : null,
      target: `<= ${TARGETS.duckdbRatio}`,
      pass: (v) => v <= TARGETS.duckdbRatio,
      digits: 2,
    },
    {
      label: 'data-gate rows / s',
      value: dgRun.ok && rows ? rows / dgRun.wallS : null,
      target: `>= ${TARGETS.rowsPerSecond.toExponential(0)}`,
      pass: (v) => v >= TARGETS.rowsPerSecond,
      digits: 0,
    },
    {
      label: 'data-gate peak RSS MB',
      value: dgRun.peakRssMb,
      target: `<= ${TARGETS.peakRssMb}`,
      pass: (v) => v <= TARGETS.peakRssMb,
      digits: 0,
    },
  ].map((c) => ({ ...c, verdict: c.value === null ? 'FAIL (run failed)' : c.pass(c.value) ? 'PASS' : 'FAIL' }));

  const agree = result && duck ? agreement(result, duck) : null;
  checks.push({
    label: 'rules where data-gate = DuckDB',
    value: agree ? agree.filter((a) => a.agrees).length : null,
    target: `${duck?.results.length ?? '-'} of ${duck?.results.length ?? '-'}`,
    verdict: agree && agree.every((a) => a.agrees) && agree.length === result.results.length ? 'PASS' : 'FAIL',
    digits: 0,
  });
  console.log('\nTargets:');
  printTable(
    ['check', 'value', 'target', 'verdict'],
    checks.map((c) => [c.label, c.value === null ? '-' : c.value.toFixed(c.digits), c.target, c.verdict]),
  );

  if (agree) {
    console.log('\nRule by rule (row rules: unexpected count; aggregates and table rules: observed value):');
    printTable(
      ['rule', 'kind', 'data-gate', 'DuckDB', 'rule passed', 'agree'],
      agree.map((a) => [
        a.rule,
        a.kind,
        show(a.dataGate),
        show(a.duckdb),
        a.success === null ? '-' : a.success ? 'yes' : 'no',
        a.agrees ? '=' : 'DIFFERENT',
      ]),
    );
    const different = agree.filter((a) => !a.agrees);
    if (different.length > 0) {
      console.log('\nDisagreements:');
      for (const a of different)
        for (const m of a.mismatches)
          console.log(`  ${a.rule}: ${m.field}: data-gate ${JSON.stringify(m.dataGate)} vs DuckDB ${JSON.stringify(m.duckdb)}`);
    }
    const spill = result.results.find((r) => r.meta.rule === 'order id unique')?.result?.details?.uniqueness;
    if (spill) console.log(`\norder_id uniqueness: ${spill}.`);
  }

  const prof = opts.profile ? await profile(data) : null;
  if (prof) {
    console.log(
      `\nProfile of one data-gate run (${prof.wallS.toFixed(2)} s wall, ${prof.sampledS.toFixed(2)} s sampled; ${prof.dir}), top ${prof.top.length} by self time:`,
    );
    for (const f of prof.top) console.log(`${f.selfS.toFixed(2).padStart(7)} s ${f.percent.toFixed(1).padStart(5)} %  ${f.name}`);
  }

  const results = {
    generatedAt: new Date().toISOString(),
    options: opts,
    machine: machineFacts(loadBefore, loadAfter),
    dist: { path: join(opts.dist, 'index.js'), sha256: createHash('sha256').update(readFileSync(DIST)).digest('hex') },
    data: { path: data, rows: opts.rows, bytes, generatedS, planted: plantedCounts(opts.rows) },
    runs: [dgRun, duckRun],
    duckdb: duck && { threads: duck.threads, loadS: duck.loadS, rulesS: duck.rulesS },
    checks: checks.map(({ pass: _pass, digits: _digits, ...c }) => c),
    agreement: agree,
    profile: prof,
  };
  await writeFile(join(WORK_DIR, 'results.json'), JSON.stringify(results, null, 2));
  console.log(`\nwrote ${join(WORK_DIR, 'results.json')}`);
  const crashed = !dgRun.ok || !duckRun.ok;
  const failed = checks.some((c) => c.verdict !== 'PASS');
  process.exitCode = crashed || (opts.strict && failed) ? 1 : 0;
}

await main();
