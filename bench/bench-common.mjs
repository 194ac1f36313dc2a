// What every bench shares: one bench at a time (a lock), the machine facts written with the figures, and a plain
// table printer.
import { readFileSync, rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs as parseCommandLine } from 'node:util';

/**
 * One bench at a time: two would share .bench/ (snapshots, logs, outputs) and slow each other's timings down. A
 * bench started as the child of the process holding the lock (npm run bench starts data-gate's bench that way) may
 * go on under its parent's lock.
 */
export async function takeBenchLock(benchDir) {
  const lock = join(benchDir, 'bench.lock');
  await mkdir(benchDir, { recursive: true });
  try {
    await writeFile(lock, String(process.pid), { flag: 'wx' });
  } catch {
    const pid = Number(await readFile(lock, 'utf8').catch(() => ''));
    if (pid === process.ppid) return;
    let alive = false;
    try {
      alive = pid > 0 && process.kill(pid, 0);
    } catch {}
    if (alive) throw new Error(`another bench (pid ${pid}) is running; wait for it (lock ${lock}).`);
    await writeFile(lock, String(process.pid));
  }
  process.on('exit', () => {
    try {
      if (readFileSync(lock, 'utf8') === String(process.pid)) rmSync(lock);
    } catch {}
  });
}

/** A plain-text table on stdout, columns padded to their widest cell. */
export function printTable(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/** The machine a run was timed on, with the load before and after it (other users slow shared CPUs). */
export function machineFacts(loadAverageBefore, loadAverageAfter) {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGb: os.totalmem() / 2 ** 30,
    node: process.version,
    loadAverageBefore,
    loadAverageAfter,
  };
}

/**
 * A bench's command line through node:util's parseArgs, from its defaults: a number default makes `--name N` (a
 * positive integer), a string default `--name PATH` (resolved), `false` a flag `--name`, `true` a flag `--no-name`;
 * presets are flags that set several options at once (`--small`). `--help` prints the usage and exits.
 */
export function benchOptions(argv, { usage, defaults, presets = {} }) {
  const options = { help: { type: 'boolean', short: 'h' } };
  for (const [name, value] of Object.entries(defaults))
    options[typeof value === 'boolean' && value ? `no-${name}` : name] = { type: typeof value === 'boolean' ? 'boolean' : 'string' };
  for (const preset of Object.keys(presets)) options[preset] = { type: 'boolean' };
  let values;
  try {
    ({ values } = parseCommandLine({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new Error(`${error.message}\n${usage}`, { cause: error });
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const opts = { ...defaults };
  for (const [preset, settings] of Object.entries(presets)) if (values[preset]) Object.assign(opts, settings);
  for (const [name, value] of Object.entries(defaults)) {
    if (typeof value === 'boolean') {
      if (values[value ? `no-${name}` : name]) opts[name] = !value;
    } else if (values[name] !== undefined) {
      const n = Number(values[name]);
      if (typeof value === 'number' && (!Number.isInteger(n) || n < 1))
        throw new Error(`--${name} takes a positive integer, got ${values[name]}`);
      opts[name] = typeof value === 'number' ? n : resolve(values[name]);
    }
  }
  return opts;
}
