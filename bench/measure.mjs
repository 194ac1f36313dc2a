// Runs one benchmarked command as a child process and measures its wall time and peak RSS (GNU time's %M, or
// polling /proc/<pid>/status VmHWM when /usr/bin/time is missing), logging its output to a file.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

export const hasGnuTime = () => existsSync(GNU_TIME);

/** Peak resident set of a live process from /proc (kB), or 0 once it is gone. */
function vmHwmKb(pid) {
  try {
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs `command args` with env, stdout+stderr to logFile.
 * Returns { ok, exitCode, wallS, peakRssMb, rssSource }.
 */
export async function measure(command, args, { env, logFile, cwd }) {
  const dir = await mkdtemp(join(tmpdir(), 'bench-time-'));
  const timeFile = join(dir, 'time.txt');
  const gnu = hasGnuTime();
  const [file, argv] = gnu ? [GNU_TIME, ['-f', '%M %e', '-o', timeFile, command, ...args]] : [command, args];
  const log = openSync(logFile, 'w');
  const t0 = performance.now();
  const child = spawn(file, argv, { env, cwd, stdio: ['ignore', log, log] });
  let polledKb = 0;
  const poll = gnu ? null : setInterval(() => (polledKb = Math.max(polledKb, vmHwmKb(child.pid))), 25);
  const [exitCode] = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve([code ?? (signal ? 128 : 1)]));
  });
  const wallNodeS = (performance.now() - t0) / 1000;
  if (poll) clearInterval(poll);
  closeSync(log);
  let peakRssMb = polledKb / 1024;
  // Wall time from our own clock (GNU time's %e has only centiseconds); GNU time gives the child's peak RSS.
  const wallS = wallNodeS;
  if (gnu) {
    // GNU time writes "Command exited with non-zero status N" before the format line when the command fails.
    const lines = (await readFile(timeFile, 'utf8').catch(() => '')).trim().split('\n');
    const [maxKb] = (lines.at(-1) ?? '').split(' ').map(Number);
    if (Number.isFinite(maxKb)) peakRssMb = maxKb / 1024;
  }
  await rm(dir, { recursive: true, force: true });
  return { ok: exitCode === 0, exitCode, wallS, peakRssMb, rssSource: gnu ? 'gnu-time' : 'proc-vmhwm-poll' };
}

/** The last lines of a log, for a failure message. */
export async function tail(logFile, lines = 15) {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
