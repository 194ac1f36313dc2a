// Profiles one drift-check run on a benchmark pair with `node --cpu-prof` and prints the functions with the most
// self time (and their bundle line), to show where the time goes.
//   node bench/profile.mjs REF CUR [--top N] [--dist PATH]
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { summariseProfiles } from './profile-summary.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args.splice(args.indexOf(name), 2)[1] : fallback);
const top = Number(opt('--top', 25));
const dist = resolve(opt('--dist', 'actions/drift-check/dist/index.js'));
const [reference, current] = args;
if (!reference || !current) {
  console.error('usage: node bench/profile.mjs REF CUR [--top N] [--dist PATH]');
  process.exit(2);
}

const dir = await mkdtemp(join(tmpdir(), 'bench-prof-'));
await writeFile(join(dir, 'out'), '');
await writeFile(join(dir, 'summary'), '');
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(INPUT_|GITHUB_|ACTIONS_|RUNNER_)/.test(k)));
Object.assign(env, {
  INPUT_REFERENCE: resolve(reference),
  INPUT_CURRENT: resolve(current),
  'INPUT_EXCLUDE-COLUMNS': 'timestamp',
  'INPUT_REPORT-DIR': join(dir, 'report'),
  GITHUB_OUTPUT: join(dir, 'out'),
  GITHUB_STEP_SUMMARY: join(dir, 'summary'),
});
const code = await new Promise((done) =>
  spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, dist], { env, stdio: 'inherit' }).on('close', done),
);
if (code !== 0) process.exit(code ?? 1);

// One profile per thread (main and any worker threads): self time is summed over all of them.
const { sampledS, top: ranked } = await summariseProfiles(dir, top);
const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
console.log(`\n${files.length} profile(s) in ${dir}: ${sampledS.toFixed(2)} s sampled over all threads; top ${top} by self time:`);
for (const { name, selfS, percent } of ranked)
  console.log(`${selfS.toFixed(2).padStart(7)} s ${percent.toFixed(1).padStart(5)} %  ${name}`);
