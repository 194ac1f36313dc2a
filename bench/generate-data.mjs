// Deterministic synthetic data for the drift-check benchmark: a reference/current pair of CSVs (and the same rows as
// Parquet) with an ISO timestamp, two numerical and two ~200-level categorical columns; "current" is shifted a bit.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';

export const COLUMNS = ['timestamp', 'amount', 'score', 'merchant', 'region'];
export const NUMERICAL = ['amount', 'score'];
export const CATEGORICAL = ['merchant', 'region'];

/** The distributions behind one side of the pair; current moves every column a little. */
export function sideSpec(side) {
  const current = side === 'current';
  return {
    seed: current ? 0xc0ffee : 0x5eed,
    startMs: Date.UTC(2024, 0, current ? 15 : 1),
    // amount: log-normal money amounts; score: a normal score; current: ~5% larger amounts, score +0.1 sd, wider.
    amountMu: current ? 3.55 : 3.5,
    amountSigma: 0.8,
    scoreMean: current ? 601.5 : 600,
    scoreSd: current ? 15.75 : 15,
    // merchant: 200 Zipf-weighted levels, current reshuffles some mass; region: 198 levels, current has 2 new ones.
    merchantWeights: Array.from({ length: 200 }, (_, i) => (1 / (i + 1) ** 1.1) * (current ? 1 + 0.25 * Math.sin(i) : 1)),
    regionWeights: Array.from({ length: current ? 200 : 198 }, (_, i) => (i >= 198 ? 0.5 : 1 + (i % 7) / 7)),
  };
}

// A small, fast, seedable PRNG (mulberry32): Math.random cannot be seeded, and the data must be reproducible.
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Inverse-CDF lookup table (65,536 slots) so drawing a category is one array read. */
function categorySampler(prefix, weights, random) {
  const labels = weights.map((_, i) => `${prefix}${String(i).padStart(3, '0')}`);
  const total = weights.reduce((a, b) => a + b, 0);
  const table = new Uint16Array(65536);
  let cumulative = 0;
  let k = 0;
  for (let slot = 0; slot < table.length; slot++) {
    const u = (slot + 0.5) / table.length;
    while (k < weights.length - 1 && u > (cumulative + weights[k]) / total) cumulative += weights[k++];
    table[slot] = k;
  }
  return () => labels[table[(random() * 65536) | 0]];
}

/** Standard normal draws from uniform `random` (Box-Muller, both values of each pair used). */
export function normalSampler(random) {
  let spare = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = 1 - random();
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** Yields column chunks of up to chunkRows rows: { timestampMs, amount, score, merchant, region }. */
export function* generateChunks(side, rows, chunkRows = 65536) {
  const spec = sideSpec(side);
  const random = mulberry32(spec.seed);
  const normal = normalSampler(random);
  const merchant = categorySampler('m', spec.merchantWeights, random);
  const region = categorySampler('r', spec.regionWeights, random);
  for (let start = 0; start < rows; start += chunkRows) {
    const n = Math.min(chunkRows, rows - start);
    const chunk = {
      timestampMs: new Float64Array(n),
      amount: new Float64Array(n),
      score: new Float64Array(n),
      merchant: new Array(n),
      region: new Array(n),
    };
    for (let i = 0; i < n; i++) {
      chunk.timestampMs[i] = spec.startMs + (start + i) * 1000;
      // Rounded to what the CSV writes, so CSV and Parquet hold identical values.
      chunk.amount[i] = Math.round(Math.exp(spec.amountMu + spec.amountSigma * normal()) * 100) / 100;
      chunk.score[i] = Math.round((spec.scoreMean + spec.scoreSd * normal()) * 1000) / 1000;
      chunk.merchant[i] = merchant();
      chunk.region[i] = region();
    }
    yield chunk;
  }
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/** ISO timestamps without a Date per row: the day prefix changes once every 86,400 rows. */
export function timestampFormatter() {
  let day = -1;
  let prefix = '';
  return (ms) => {
    const seconds = Math.floor(ms / 1000);
    const d = Math.floor(seconds / 86400);
    if (d !== day) {
      day = d;
      prefix = new Date(d * 86400000).toISOString().slice(0, 11);
    }
    const s = seconds - d * 86400;
    return `${prefix}${TWO_DIGITS[Math.floor(s / 3600)]}:${TWO_DIGITS[Math.floor(s / 60) % 60]}:${TWO_DIGITS[s % 60]}Z`;
  };
}

async function atomically(path, write) {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  await write(partial);
  await rename(partial, path);
}

export async function writeCsv(path, side, rows) {
  await atomically(path, async (partial) => {
    const out = createWriteStream(partial, { highWaterMark: 4 << 20 });
    const ts = timestampFormatter();
    out.write(`${COLUMNS.join(',')}\n`);
    for (const c of generateChunks(side, rows)) {
      const lines = new Array(c.amount.length);
      for (let i = 0; i < lines.length; i++) {
        lines[i] = `${ts(c.timestampMs[i])},${c.amount[i].toFixed(2)},${c.score[i].toFixed(3)},${c.merchant[i]},${c.region[i]}\n`;
      }
      if (!out.write(lines.join(''))) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  });
}

export async function writeParquet(path, side, rows) {
  // hyparquet-writer's Node entry point adds fileWriter (a buffered file sink).
  const { ParquetWriter, schemaFromColumnData, fileWriter } = await import('hyparquet-writer');
  // Row groups of 2^20 rows, as pyarrow writes by default.
  const groupRows = 1 << 20;
  await atomically(path, async (partial) => {
    let writer = null;
    for (const c of generateChunks(side, rows, groupRows)) {
      const columnData = [
        { name: 'timestamp', data: Array.from(c.timestampMs, (ms) => BigInt(ms)), type: 'TIMESTAMP' },
        { name: 'amount', data: c.amount, type: 'DOUBLE' },
        { name: 'score', data: c.score, type: 'DOUBLE' },
        { name: 'merchant', data: c.merchant, type: 'STRING' },
        { name: 'region', data: c.region, type: 'STRING' },
      ];
      writer ??= new ParquetWriter({ writer: fileWriter(partial), schema: schemaFromColumnData({ columnData }) });
      await writer.write({ columnData, rowGroupSize: groupRows });
    }
    await writer.finish();
  });
}

/** Writes path unless it already exists; returns seconds spent (0 when cached). */
export async function ensureFile(path, write) {
  try {
    await stat(path);
    return 0;
  } catch {
    const t0 = performance.now();
    await write(path);
    return (performance.now() - t0) / 1000;
  }
}
