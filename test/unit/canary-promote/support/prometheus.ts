// A real Prometheus (Debian's /usr/bin/prometheus) on a free loopback port, started on recorded series: the
// OpenMetrics text given is turned into TSDB blocks with `promtool tsdb create-blocks-from openmetrics`, so the
// history is there at once and every query is deterministic. Tests skip with a message where the binary is absent.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const PROMETHEUS = '/usr/bin/prometheus';
export const PROMTOOL = '/usr/bin/promtool';
export const havePrometheus = () => existsSync(PROMETHEUS) && existsSync(PROMTOOL);

export interface RecordedPrometheus {
  url: string;
  stop(): Promise<void>;
}

/** `openMetrics`: exposition text with timestamps (seconds), ending in '# EOF'. */
export async function startPrometheusWith(openMetrics: string): Promise<RecordedPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'prometheus-'));
  const data = join(dir, 'data');
  await writeFile(join(dir, 'series.om'), openMetrics);
  await promisify(execFile)(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'series.om'), data]);
  await writeFile(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
  const port = await freePort();
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${data}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=30d',
      '--log.level=warn',
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let attempt = 0; ; attempt++) {
      if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
      const ok = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (attempt > 150) throw new Error('not ready after 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (error) {
    await stop();
    throw new Error(`Prometheus did not start: ${(error as Error).message}\n${stderr}`, { cause: error });
  }
  return { url, stop };
}

/**
 * Recorded series for a canary: per version, a request latency gauge (ms) every 15 s for the last 40 minutes and
 * request/error counters. `canaryFactor` scales the canary's latency.
 */
export function recordedCanarySeries(nowSeconds: number, options: { canaryFactor: number; canaryErrorRate: number }): string {
  const lines = ['# TYPE request_latency_ms gauge', '# TYPE requests counter', '# TYPE request_errors counter'];
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const latency: string[] = [];
  const requests: string[] = [];
  const errors: string[] = [];
  for (const [version, factor, errorRate] of [
    ['v1', 1, 0.01],
    ['v2', options.canaryFactor, options.canaryErrorRate],
  ] as const) {
    let total = 0;
    let failed = 0;
    for (let t = nowSeconds - 40 * 60; t <= nowSeconds - 60; t += 15) {
      latency.push(`request_latency_ms{version="${version}"} ${(factor * (90 + 20 * random())).toFixed(3)} ${t}`);
      const n = 200;
      total += n;
      for (let i = 0; i < n; i++) if (random() < errorRate) failed++;
      requests.push(`requests_total{version="${version}"} ${total} ${t}`);
      errors.push(`request_errors_total{version="${version}"} ${failed} ${t}`);
    }
  }
  return [...lines, ...latency, ...requests, ...errors, '# EOF', ''].join('\n');
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
