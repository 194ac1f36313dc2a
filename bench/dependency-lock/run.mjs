// The dependency-lock benchmark (issue 13): a generated project with a 1,000-package requirements lock (hashes,
// markers), a uv.lock of the same packages, an offline OSV database (all.zip of 3,000 records, ~300 of them
// affecting locked versions) and 200 small model files with real headers (PyTorch zip checkpoints, pickles,
// joblib-style pickles, .npy and safetensors), checked by the built action as the runner starts it.
// Target: under 10 s. Peer, measured in the same run: Python's pickletools.genops over the same model files (the
// opcode walk picklescan is built on), for the model-scan share alone.
//   node bench/dependency-lock/run.mjs [--packages N] [--models N] [--repeat N] [--dist DIR] [--strict]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { benchOptions, machineFacts, printTable, takeBenchLock } from '../bench-common.mjs';
import { mulberry32 } from '../generate-data.mjs';
import { measure, tail } from '../measure.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const BENCH_DIR = join(ROOT, '.bench');
const WORK_DIR = join(BENCH_DIR, 'dependency-lock');
const TARGET_S = 10;

function parseArgs(argv) {
  return benchOptions(argv, {
    usage: 'usage: node bench/dependency-lock/run.mjs [--packages N] [--models N] [--repeat N] [--dist DIR] [--strict]',
    defaults: { packages: 1000, models: 200, repeat: 3, dist: join(ROOT, 'actions/dependency-lock/dist'), strict: false },
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const hex = (random, n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');

// ---- pickle bytes, written by hand (protocol 2) ------------------------------------------------------------------
const bytes = (...parts) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const sbu = (s) => bytes([0x8c, Buffer.byteLength(s)], s); // SHORT_BINUNICODE (protocol 4 opcode, fine in 2+ readers)
const binint = (n) => {
  const b = Buffer.alloc(5);
  b[0] = 0x4a;
  b.writeInt32LE(n, 1);
  return b;
};
const binfloat = (x) => {
  const b = Buffer.alloc(9);
  b[0] = 0x47;
  b.writeDoubleBE(x, 1);
  return b;
};

/** A torch.save-like data.pkl: OrderedDict of tensors rebuilt by torch._utils._rebuild_tensor_v2 from persistent storages. */
function torchDataPkl(tensors) {
  const parts = [bytes([0x80, 2]), 'ccollections\nOrderedDict\n', bytes([0x29, 0x52, 0x71, 0, 0x28])];
  tensors.forEach((t, i) => {
    parts.push(sbu(`layer${i}.weight`));
    parts.push('ctorch._utils\n_rebuild_tensor_v2\n', bytes([0x28]));
    parts.push(bytes([0x28]), sbu('storage'), 'ctorch\nFloatStorage\n', sbu(String(i)), sbu('cpu'), binint(t), bytes([0x74, 0x51])); // tuple, BINPERSID
    parts.push(binint(0), binint(t), bytes([0x85]), binint(1), bytes([0x85, 0x89]));
    parts.push('ccollections\nOrderedDict\n', bytes([0x29, 0x52, 0x74, 0x52])); // args tuple, REDUCE
  });
  parts.push(bytes([0x75, 0x2e])); // SETITEMS, STOP
  return bytes(...parts);
}

/** A plain pickle of a dict of floats and a nested list (protocol 2). */
function plainPickle(random, n) {
  const parts = [bytes([0x80, 2, 0x7d, 0x28])];
  for (let i = 0; i < n; i++) parts.push(sbu(`w${i}`), binfloat(random()));
  parts.push(sbu('labels'), bytes([0x5d, 0x28]), ...Array.from({ length: 20 }, (_, i) => sbu(`class-${i}`)), bytes([0x65, 0x75, 0x2e]));
  return bytes(...parts);
}

function npy(random, n) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n},), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const data = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) data.writeFloatLE(random(), i * 4);
  return bytes([0x93], 'NUMPY', [1, 0, header.length & 255, header.length >> 8], header, data);
}

function safetensors(random, n) {
  const header = Buffer.from(JSON.stringify({ __metadata__: { format: 'pt' }, w: { dtype: 'F32', shape: [n], data_offsets: [0, n * 4] } }));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(header.length));
  const data = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) data.writeFloatLE(random(), i * 4);
  return bytes(len, header, data);
}

async function generate(dir, packages, models) {
  const marker = join(dir, '.generated');
  const spec = `${packages} packages, ${models} models, v1`;
  if (existsSync(marker) && readFileSync(marker, 'utf8') === spec) return;
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'project/models'), { recursive: true });
  await mkdir(join(dir, 'osv'), { recursive: true });
  const random = mulberry32(13);
  const names = Array.from({ length: packages }, (_, i) => `pkg-${String(i).padStart(4, '0')}${i % 7 === 0 ? '_extra' : ''}`);
  const versions = names.map(() => `${1 + Math.floor(random() * 5)}.${Math.floor(random() * 20)}.${Math.floor(random() * 10)}`);
  // requirements.txt: pinned, hashed (two hashes each), every tenth with a marker.
  const req = ['# generated: 1,000 pinned packages with hashes', '--index-url https://pypi.org/simple'];
  names.forEach((n, i) =>
    req.push(
      `${n}==${versions[i]}${i % 10 === 0 ? ' ; python_version >= "3.9"' : ''} \\`,
      `    --hash=sha256:${hex(random, 64)} \\`,
      `    --hash=sha256:${hex(random, 64)}`,
    ),
  );
  await writeFile(join(dir, 'project/requirements.txt'), `${req.join('\n')}\n`);
  // uv.lock of the same packages, and its pyproject.toml declaring the first 50.
  const uv = ['version = 1', 'revision = 2', 'requires-python = ">=3.10"', ''];
  uv.push(
    '[[package]]',
    'name = "bench-project"',
    'version = "0.1.0"',
    'source = { editable = "." }',
    '',
    '[package.metadata]',
    'requires-dist = [',
  );
  names.slice(0, 50).forEach((n, i) => uv.push(`    { name = "${n}", specifier = ">=${versions[i]}" },`));
  uv.push(']', '');
  names.forEach((n, i) =>
    uv.push(
      '[[package]]',
      `name = "${n}"`,
      `version = "${versions[i]}"`,
      'source = { registry = "https://pypi.org/simple" }',
      `sdist = { url = "https://files.pythonhosted.org/${n}-${versions[i]}.tar.gz", hash = "sha256:${hex(random, 64)}", size = 1000 }`,
      '',
    ),
  );
  await writeFile(join(dir, 'project/uv.lock'), uv.join('\n'));
  await writeFile(
    join(dir, 'project/pyproject.toml'),
    `[project]\nname = "bench-project"\nversion = "0.1.0"\nrequires-python = ">=3.10"\ndependencies = [\n${names
      .slice(0, 50)
      .map((n, i) => `  "${n}>=${versions[i]}",`)
      .join('\n')}\n]\n`,
  );
  // OSV all.zip: 3 records per 1,000 packages for locked names (one in ten affecting) plus records for other names.
  const records = {};
  for (let r = 0; r < 3000; r++) {
    const i = Math.floor(random() * packages * 1.5);
    const name = i < packages ? names[i] : `other-${i}`;
    const affecting = i < packages && r % 10 === 0;
    const version = i < packages ? versions[i] : '1.0.0';
    const events = affecting ? [{ introduced: '0' }, { fixed: `${version}.post1` }] : [{ introduced: '0' }, { fixed: '0.0.1' }];
    records[`BENCH-${r}.json`] = strToU8(
      JSON.stringify({
        id: `BENCH-${r}`,
        modified: '2026-01-01T00:00:00Z',
        summary: `bench record ${r}`,
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N' }],
        affected: [{ package: { ecosystem: 'PyPI', name }, ranges: [{ type: 'ECOSYSTEM', events }], versions: affecting ? [version] : [] }],
      }),
    );
  }
  await writeFile(join(dir, 'osv/all.zip'), zipSync(records, { level: 6 }));
  // 200 model files: 60 PyTorch zips, 50 pickles, 30 joblib-named pickles, 30 .npy, 30 safetensors.
  for (let m = 0; m < models; m++) {
    const kind = m % 20 < 6 ? 'pt' : m % 20 < 11 ? 'pkl' : m % 20 < 14 ? 'joblib' : m % 20 < 17 ? 'npy' : 'safetensors';
    const file = join(dir, 'project/models', `model-${String(m).padStart(3, '0')}.${kind}`);
    const size = 256 + Math.floor(random() * 4096);
    if (kind === 'pt') {
      const tensors = Array.from({ length: 8 }, () => 16 + Math.floor(random() * 64));
      const entries = {
        'archive/data.pkl': [torchDataPkl(tensors), { level: 0 }],
        'archive/byteorder': [strToU8('little'), { level: 0 }],
        'archive/version': [strToU8('3\n'), { level: 0 }],
      };
      tensors.forEach((t, i) => (entries[`archive/data/${i}`] = [new Uint8Array(t * 4), { level: 0 }]));
      await writeFile(file, zipSync(entries));
    } else if (kind === 'pkl' || kind === 'joblib') await writeFile(file, plainPickle(random, size / 16));
    else if (kind === 'npy') await writeFile(file, npy(random, size));
    else await writeFile(file, safetensors(random, size));
  }
  await writeFile(marker, spec);
}

function actionEnv(run) {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: WORK_DIR,
    RUNNER_TEMP: join(WORK_DIR, 'temp'),
    GITHUB_OUTPUT: join(WORK_DIR, `output-${run}`),
    GITHUB_STEP_SUMMARY: join(WORK_DIR, `summary-${run}.md`),
    INPUT_PATH: 'project',
    INPUT_OSV: 'offline',
    'INPUT_OSV-DB': 'osv/all.zip',
    INPUT_MODELS: '**/*.pt, **/*.pkl, **/*.joblib, **/*.npy, **/*.safetensors',
    'INPUT_FAIL-ON': 'never',
    'INPUT_REPORT-DIR': join(WORK_DIR, `report-${run}`),
    'INPUT_MEMORY-BUDGET-MB': '256',
  };
}

const PEER = `
import pickletools, sys, zipfile, glob, time
t = time.perf_counter()
n = 0
for f in sorted(glob.glob(sys.argv[1] + '/*')):
    if f.endswith('.pt'):
        with zipfile.ZipFile(f) as z:
            for name in z.namelist():
                if name.endswith('.pkl'):
                    n += sum(1 for _ in pickletools.genops(z.read(name)))
    elif f.endswith(('.pkl', '.joblib')):
        with open(f, 'rb') as fh:
            n += sum(1 for _ in pickletools.genops(fh.read()))
    elif f.endswith('.npy') or f.endswith('.safetensors'):
        with open(f, 'rb') as fh:
            fh.read(256)
print(n, time.perf_counter() - t)
`;

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  await takeBenchLock(BENCH_DIR);
  const script = join(opts.dist, 'index.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: build the action first (npm run build).`);
  const load0 = os.loadavg();
  console.log(`Generating ${opts.packages} locked packages, 3,000 OSV records and ${opts.models} model files under ${WORK_DIR} (once) ...`);
  await generate(WORK_DIR, opts.packages, opts.models);
  await mkdir(join(WORK_DIR, 'temp'), { recursive: true });
  const rows = [];
  const times = [];
  const peerTimes = [];
  const scanTimes = [];
  let peak = 0;
  let report;
  for (let r = 1; r <= opts.repeat; r++) {
    await writeFile(join(WORK_DIR, `output-${r}`), '');
    await writeFile(join(WORK_DIR, `summary-${r}.md`), '');
    const logFile = join(WORK_DIR, `action-${r}.log`);
    const result = await measure(process.execPath, [script], { env: actionEnv(r), logFile, cwd: WORK_DIR });
    if (!result.ok) throw new Error(`the action failed (exit ${result.exitCode}):\n${await tail(logFile)}`);
    report = JSON.parse(readFileSync(join(WORK_DIR, `report-${r}`, 'dependency-lock-report.json'), 'utf8'));
    const peer = execFileSync('python3', ['-c', PEER, join(WORK_DIR, 'project/models')], { encoding: 'utf8' })
      .trim()
      .split(' ');
    times.push(result.wallS);
    peerTimes.push(Number(peer[1]));
    peak = Math.max(peak, result.peakRssMb);
    scanTimes.push(report.timingsMs.models / 1000);
    rows.push([
      r,
      result.wallS.toFixed(2),
      result.peakRssMb.toFixed(0),
      (report.timingsMs.manifests / 1000).toFixed(2),
      (report.timingsMs.osv / 1000).toFixed(2),
      (report.timingsMs.models / 1000).toFixed(2),
      Number(peer[1]).toFixed(2),
    ]);
  }
  printTable(['run', 'action s', 'peak MB', 'manifests s', 'OSV s', 'model scan s', 'pickletools s (peer)'], rows);
  const figures = {
    packages: report.packages.length,
    manifests: report.manifests.length,
    models: report.models.length,
    vulnerabilities: report.vulnerabilities.length,
    osvRecords: report.osv.records,
    actionS: median(times),
    modelScanS: median(scanTimes),
    peerPickletoolsS: median(peerTimes),
    modelScanRatioToPeer: median(scanTimes) / median(peerTimes),
    targetS: TARGET_S,
    peakRssMb: peak,
    machine: machineFacts(load0, os.loadavg()),
  };
  console.log(
    `\n${figures.packages} packages in ${figures.manifests} manifests, ${figures.osvRecords} relevant OSV records (${figures.vulnerabilities} vulnerabilities), ${figures.models} model files: the whole action ${figures.actionS.toFixed(2)} s (target < ${TARGET_S} s), peak ${peak.toFixed(0)} MB; the model scan ${figures.modelScanS.toFixed(2)} s (with SHA-256 of every file, zip checks and classification) against Python pickletools' bare opcode walk of the same files ${figures.peerPickletoolsS.toFixed(2)} s: ratio ${figures.modelScanRatioToPeer.toFixed(2)}.`,
  );
  await writeFile(join(WORK_DIR, 'figures.json'), JSON.stringify(figures, null, 2));
  if (opts.strict && figures.actionS >= TARGET_S) {
    console.error(`dependency-lock took ${figures.actionS.toFixed(2)} s >= ${TARGET_S} s.`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
