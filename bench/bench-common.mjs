// What every bench shares: one bench at a time (a lock), the machine facts written with the figures, and a plain
// table printer.
import { readFileSync, rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';

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
