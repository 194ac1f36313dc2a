// Starts a real Prometheus Pushgateway on a free loopback port for a test file, and stops it afterwards.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const PUSHGATEWAY = '/usr/bin/prometheus-pushgateway';

export interface RunningPushgateway {
  /** http://127.0.0.1:<port>, without credentials. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface PushgatewayOptions {
  /** Protects the API with HTTP basic auth (a real bcrypt hash in --web.config.file). */
  basicAuth?: { user: string; password: string };
}

export async function startPushgateway(options: PushgatewayOptions = {}): Promise<RunningPushgateway> {
  const dir = await mkdtemp(join(tmpdir(), 'pushgateway-'));
  const port = await freePort();
  // An empty --persistence.file keeps metrics in memory only (the Debian default writes to /var/lib).
  const args = [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file=', '--log.level=warn'];
  if (options.basicAuth) {
    const hash = await bcrypt(options.basicAuth.password);
    const config = join(dir, 'web.yml');
    await writeFile(config, `basic_auth_users:\n  ${options.basicAuth.user}: '${hash}'\n`);
    args.push(`--web.config.file=${config}`);
  }
  const child = spawn(PUSHGATEWAY, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const authHeader = options.basicAuth
    ? { Authorization: `Basic ${Buffer.from(`${options.basicAuth.user}:${options.basicAuth.password}`).toString('base64')}` }
    : undefined;
  const stop = async () => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(`${url}/-/ready`, child, authHeader);
  } catch (error) {
    await stop();
    throw new Error(`Pushgateway did not start: ${(error as Error).message}\n${stderr}`, { cause: error });
  }
  return { url, port, stop };
}

async function waitUntilReady(readyUrl: string, child: ChildProcess, headers?: Record<string, string>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      const response = await fetch(readyUrl, { headers, signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('not ready after 5 s');
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** glibc's crypt (libxcrypt) does bcrypt; Perl exposes it, so no npm package is needed for a test hash. */
async function bcrypt(password: string): Promise<string> {
  const salt = Buffer.from(Array.from({ length: 16 }, () => Math.floor(Math.random() * 256)))
    .toString('base64')
    .replace(/[+=]/g, '')
    .slice(0, 22)
    .padEnd(22, 'a');
  const { stdout } = await promisify(execFile)('perl', ['-e', 'print crypt($ENV{PW}, $ENV{SALT})'], {
    env: { ...process.env, PW: password, SALT: `$2b$05$${salt}` },
  });
  if (!stdout.startsWith('$2b$')) throw new Error(`perl crypt did not produce a bcrypt hash: ${stdout}`);
  return stdout;
}
