import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { tempFolder } from './temp-files.js';

const MEGABYTES = 200;

/** Writes a ~200 MB CSV (timestamp, 2 numbers, 2 categories) quickly by repeating one 1 MB block. */
async function writeLargeCsv(path: string): Promise<number> {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < 1 << 20; i++) {
    const line = `2024-01-01T00:${String(i % 60).padStart(2, '0')}:00Z,${(i % 997) / 10},${i % 3000},carrier_${i % 200},origin_${(i * 7) % 200}\n`;
    lines.push(line);
    size += line.length;
  }
  const block = lines.join('');
  const out = createWriteStream(path);
  out.write('timestamp,delay,distance,carrier,origin\n');
  for (let k = 0; k < MEGABYTES; k++) if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return lines.length * MEGABYTES;
}

describe('reading a large CSV', () => {
  it('streams a 200 MB file within a 64 MB heap', async () => {
    const folder = tempFolder();
    try {
      const csv = join(folder.dir, 'large.csv');
      const rows = await writeLargeCsv(csv);
      const script = folder.write(
        'read.mts',
        `import { openDataset } from ${JSON.stringify(join(process.cwd(), 'shared/src/data/index.ts'))};
         const dataset = await openDataset(${JSON.stringify(csv)});
         let rows = 0, peak = 0;
         for await (const batch of dataset.batches()) { rows += batch.rowCount; peak = Math.max(peak, process.memoryUsage().heapUsed); }
         console.log(JSON.stringify({ rows, peakHeapMB: peak / 2 ** 20, schema: dataset.schema.map((c) => c.type) }));`,
      );
      const child = spawnSync(process.execPath, ['--max-old-space-size=64', '--import', 'tsx', script], {
        cwd: process.cwd(),
        encoding: 'utf8',
      });
      expect(child.stderr).toBe('');
      const result = JSON.parse(child.stdout);
      expect(result.rows).toBe(rows);
      expect(result.schema).toEqual(['datetime', 'numerical', 'numerical', 'categorical', 'categorical']);
      expect(result.peakHeapMB).toBeLessThan(64);
    } finally {
      folder.remove();
    }
  });
});
