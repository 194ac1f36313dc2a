// Runs the user's command once, as a workflow `run:` step would (bash -eo pipefail), in its own process group so a
// timeout ends the whole tree; keeps only the tail of its output (memory stays bounded however much it prints).
import { spawn } from 'node:child_process';

export interface CommandResult {
  exitCode: number;
  timedOut: boolean;
  durationSeconds: number;
  /** The last lines of stdout and stderr together. */
  tail: string;
}

export interface CommandOptions {
  command: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  tailBytes?: number;
  /** Each chunk of output as it comes (the log). */
  onOutput?: (chunk: string) => void;
}

/** Variables the action itself receives that the user's command must not: inputs (the token) and runner secrets. */
export function commandEnvironment(base: Record<string, string | undefined>, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (
      v === undefined ||
      k.startsWith('INPUT_') ||
      /^ACTIONS_(RUNTIME_TOKEN|ID_TOKEN_REQUEST_TOKEN|ID_TOKEN_REQUEST_URL|CACHE_URL|RESULTS_URL|RUNTIME_URL)$/.test(k)
    )
      continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

export function runCommand(options: CommandOptions): Promise<CommandResult> {
  const tailBytes = options.tailBytes ?? 4000;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', options.command], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    let timedOut = false;
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      options.onOutput?.(text);
      tail = (tail + text).slice(-tailBytes);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const killTree = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killTree('SIGTERM');
      setTimeout(() => killTree('SIGKILL'), 5000).unref();
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        exitCode: code ?? (signal ? 128 + (signalNumbers[signal] ?? 0) : 1),
        timedOut,
        durationSeconds: Math.round((performance.now() - started) / 10) / 100,
        tail: tail.split('\n').slice(-30).join('\n'),
      });
    });
  });
}

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15, SIGSEGV: 11, SIGABRT: 6 };
