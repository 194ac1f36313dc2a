// Baseline and canary request samples for the canary-promote bench: five continuous metrics per request (latency,
// time to first byte in whole ms, payload size, CPU time, queue wait), the canary slightly slower, as CSV.
import { createWriteStream } from 'node:fs';

function seeded(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const COLUMNS = ['latency_ms', 'ttfb_ms', 'payload_kb', 'cpu_ms', 'queue_ms'];

export async function writeSamplesCsv(path, rows, { seed, shift }) {
  const random = seeded(seed);
  const normal = () => Math.sqrt(-2 * Math.log(random() + 1e-300)) * Math.cos(2 * Math.PI * random());
  const out = createWriteStream(path);
  out.write(COLUMNS.join(',') + '\n');
  let chunk = [];
  for (let i = 0; i < rows; i++) {
    const latency = 100 * shift * Math.exp(0.3 * normal());
    const ttfb = Math.round(20 * shift * Math.exp(0.4 * normal()));
    const payload = 12 + 3 * normal();
    const cpu = 8 * shift * -Math.log(random() + 1e-12);
    const queue = random() < 0.7 ? 0 : 5 * -Math.log(random() + 1e-12);
    chunk.push(`${latency.toFixed(4)},${ttfb},${payload.toFixed(3)},${cpu.toFixed(4)},${queue.toFixed(3)}`);
    if (chunk.length === 10000) {
      if (!out.write(chunk.join('\n') + '\n')) await new Promise((r) => out.once('drain', r));
      chunk = [];
    }
  }
  if (chunk.length) out.write(chunk.join('\n') + '\n');
  await new Promise((resolve, reject) => out.end((e) => (e ? reject(e) : resolve())));
}

export const METRICS_YAML = `metrics:
${COLUMNS.map((c) => `  - name: ${c}\n    column: ${c}\n    direction: increase\n    effect-size:\n      allowed-increase: 1.02`).join('\n')}
`;
