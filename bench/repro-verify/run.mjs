// The repro-verify benchmark: the DVC check (dvc: true, recomputing a 10,000-file, 2 GB directory out's `.dir`
// hash exactly as DVC does) run through the built action as the runner starts it, against `md5sum` over the same
// files in the same run. Target (the issue): the DVC check is no slower than md5sum (ratio <= 1). Both read from a
// warm page cache (the tree is read once before timing). The tree is generated once under .bench/repro-verify/.
//   node bench/repro-verify/run.mjs [--small] [--files N] [--mb N] [--repeat N] [--dist DIR] [--strict]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchOptions, machineFacts, printTable, takeBenchLock } from '../bench-common.mjs';
import { mulberry32 } from '../generate-data.mjs';
import { measure, tail } from '../measure.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const BENCH_DIR = join(ROOT, '.bench');
const WORK_DIR = join(BENCH_DIR, 'repro-verify');
const TARGET_RATIO = 1;

function parseArgs(argv) {
  return benchOptions(argv, {
    usage: 'usage: node bench/repro-verify/run.mjs [--small] [--files N] [--mb N] [--repeat N] [--dist DIR] [--strict]',
    defaults: { files: 10_000, mb: 2048, repeat: 3, dist: join(ROOT, 'actions/repro-verify/dist'), strict: false },
    presets: { small: { files: 1_000, mb: 100 } },
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** files files of varied sizes (mean mb/files) in 100 folders; deterministic contents, each file different. */
async function generateTree(dir, files, mb) {
  const marker = join(dir, '.generated');
  const spec = `${files} files, ${mb} MB, v1`;
  if (existsSync(marker) && readFileSync(marker, 'utf8') === spec) return;
  await rm(dir, { recursive: true, force: true });
  const random = mulberry32(12);
  const pool = Buffer.alloc(8 << 20);
  for (let i = 0; i < pool.length; i += 4) pool.writeUInt32LE(Math.floor(random() * 2 ** 32), i);
  const mean = (mb * 1024 * 1024) / files;
  const sizes = Array.from({ length: files }, () => Math.max(1, Math.round(mean * (0.1 + 1.8 * random()))));
  const data = join(dir, 'data');
  for (let f = 0; f < files; f++) {
    const folder = join(data, `part-${String(f % 100).padStart(3, '0')}`);
    if (f < 100) await mkdir(folder, { recursive: true });
    const size = Math.min(sizes[f], pool.length);
    const start = Math.floor(random() * (pool.length - size));
    const content = Buffer.from(pool.subarray(start, start + size));
    content.writeUInt32LE(f, 0); // every file differs
    await writeFile(join(folder, `shard-${String(f).padStart(5, '0')}.bin`), content);
  }
  await writeFile(join(dir, 'dvc.yaml'), 'stages:\n  ingest:\n    cmd: python3 ingest.py\n    outs:\n      - data\n');
  await writeFile(marker, spec);
}

async function allFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) out.push(join(entry.parentPath ?? entry.path, entry.name));
  return out.sort();
}

function actionEnv(run) {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: WORK_DIR,
    RUNNER_TEMP: join(WORK_DIR, 'temp'),
    GITHUB_OUTPUT: join(WORK_DIR, `output-${run}`),
    GITHUB_STEP_SUMMARY: join(WORK_DIR, `summary-${run}.md`),
    'INPUT_WORKING-DIRECTORY': 'tree',
    INPUT_DVC: 'true',
    'INPUT_FAIL-ON': 'never',
    'INPUT_REPORT-DIR': join(WORK_DIR, `report-${run}`),
    'INPUT_MEMORY-BUDGET-MB': '256',
    INPUT_PYTHON: 'python3',
  };
}

async function runAction(script, run) {
  await mkdir(join(WORK_DIR, 'temp'), { recursive: true });
  await writeFile(join(WORK_DIR, `output-${run}`), '');
  await writeFile(join(WORK_DIR, `summary-${run}.md`), '');
  const logFile = join(WORK_DIR, `action-${run}.log`);
  const result = await measure(process.execPath, [script], { env: actionEnv(run), logFile, cwd: WORK_DIR });
  if (!result.ok) throw new Error(`the action failed (exit ${result.exitCode}):\n${await tail(logFile)}`);
  const report = JSON.parse(readFileSync(join(WORK_DIR, `report-${run}`, 'repro-report.json'), 'utf8'));
  return { ...result, dvc: report.dvc };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  await takeBenchLock(BENCH_DIR);
  const script = join(opts.dist, 'index.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: build the action first (npm run build).`);
  const load0 = os.loadavg();
  const tree = join(WORK_DIR, 'tree');
  console.log(`Generating ${opts.files} files, ${opts.mb} MB under ${tree} (once) ...`);
  await generateTree(tree, opts.files, opts.mb);
  const files = await allFiles(join(tree, 'data'));
  const bytes = (await Promise.all(files.map((f) => stat(f)))).reduce((s, st) => s + st.size, 0);

  // Warm the page cache, then a first action run gives the hash dvc.lock records (so later runs are "up to date").
  execFileSync('bash', ['-c', `find '${join(tree, 'data')}' -type f -print0 | xargs -0 cat > /dev/null`]);
  const first = await runAction(script, 'lock');
  const out = first.dvc.stages[0].outs[0];
  await writeFile(
    join(tree, 'dvc.lock'),
    `schema: '2.0'\nstages:\n  ingest:\n    cmd: python3 ingest.py\n    outs:\n    - path: data\n      hash: md5\n      md5: ${out.actual}\n      size: ${out.size}\n      nfiles: ${out.nfiles}\n`,
  );

  const rows = [];
  const md5sumTimes = [];
  const dvcTimes = [];
  const actionTimes = [];
  let peak = 0;
  for (let r = 1; r <= opts.repeat; r++) {
    const md5 = await measure('bash', ['-c', `find data -type f -print0 | xargs -0 md5sum > /dev/null`], {
      env: { PATH: process.env.PATH },
      logFile: join(WORK_DIR, `md5sum-${r}.log`),
      cwd: tree,
    });
    if (!md5.ok) throw new Error(`md5sum failed: ${await tail(join(WORK_DIR, `md5sum-${r}.log`))}`);
    const action = await runAction(script, r);
    if (action.dvc.changed !== 0) throw new Error(`the DVC check found changes in an unchanged tree:\n${action.dvc.status_text}`);
    md5sumTimes.push(md5.wallS);
    dvcTimes.push(action.dvc.duration_s);
    actionTimes.push(action.wallS);
    peak = Math.max(peak, action.peakRssMb);
    rows.push([
      r,
      md5.wallS.toFixed(2),
      action.dvc.duration_s.toFixed(2),
      action.wallS.toFixed(2),
      action.peakRssMb.toFixed(0),
      (action.dvc.duration_s / md5.wallS).toFixed(2),
    ]);
  }
  printTable(['run', 'md5sum s', 'DVC check s', 'action total s', 'action peak MB', 'ratio'], rows);
  const ratio = median(dvcTimes) / median(md5sumTimes);
  const figures = {
    files: files.length,
    bytes,
    md5sumS: median(md5sumTimes),
    dvcCheckS: median(dvcTimes),
    actionTotalS: median(actionTimes),
    dvcCheckMBs: bytes / 2 ** 20 / median(dvcTimes),
    md5sumMBs: bytes / 2 ** 20 / median(md5sumTimes),
    ratio,
    targetRatio: TARGET_RATIO,
    peakRssMb: peak,
    machine: machineFacts(load0, os.loadavg()),
  };
  console.log(
    `\n${files.length} files, ${(bytes / 2 ** 30).toFixed(2)} GiB: DVC check ${figures.dvcCheckS.toFixed(2)} s (${figures.dvcCheckMBs.toFixed(0)} MB/s), md5sum ${figures.md5sumS.toFixed(2)} s (${figures.md5sumMBs.toFixed(0)} MB/s): ratio ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}); the whole action ${figures.actionTotalS.toFixed(2)} s, peak ${peak.toFixed(0)} MB.`,
  );
  await writeFile(join(WORK_DIR, 'figures.json'), JSON.stringify(figures, null, 2));
  if (opts.strict && ratio > TARGET_RATIO) {
    console.error(`The DVC check is slower than md5sum: ratio ${ratio.toFixed(2)} > ${TARGET_RATIO}.`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
