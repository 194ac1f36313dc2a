// Quarantine streams: a CSV much larger than the heap is split into passed and failed files without being held.
import { spawnSync } from 'node:child_process';
import { createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { tempFolder } from '../../data/temp-files.js';

const MEGABYTES = 100;

/** Writes a ~100 MB CSV with quoted fields holding line breaks, by repeating one 1 MB block. */
async function writeLargeCsv(path: string): Promise<number> {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < 1 << 20; i++) {
    const line = `${i},${(i % 997) / 10},"note ${i % 50}\nsecond line, with comma",carrier_${i % 200}\r\n`;
    lines.push(line);
    size += line.length;
  }
  const block = lines.join('');
  const out = createWriteStream(path);
  out.write('id,delay,note,carrier\r\n');
  for (let k = 0; k < MEGABYTES; k++) if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return lines.length * MEGABYTES;
}

describe('quarantining a large CSV', () => {
  // Every other row failing, and one row in 5000: a few failing rows a chunk once kept every 1 MiB chunk they were
  // sliced from alive until the failed file's next write (the whole file, here).
  it.each([
    ['every other row', 2],
    ['one row in 5000', 5000],
  ])('splits a 100 MB file within a 64 MB heap and 64 MB of buffers, %s failing', async (_, every) => {
    const folder = tempFolder();
    try {
      const csv = join(folder.dir, 'large.csv');
      const rows = await writeLargeCsv(csv);
      const module = JSON.stringify(join(process.cwd(), 'actions/data-gate/src/quarantine/write-quarantine.ts'));
      const script = folder.write(
        'split.mts',
        `import { writeQuarantine } from ${module};
         let peakHeap = 0, peakBuffers = 0;
         const timer = setInterval(() => {
           const usage = process.memoryUsage();
           peakHeap = Math.max(peakHeap, usage.heapUsed);
           peakBuffers = Math.max(peakBuffers, usage.arrayBuffers);
         }, 5);
         const summary = await writeQuarantine({
           inputs: [{ path: ${JSON.stringify(csv)}, format: 'csv' }],
           passedPath: ${JSON.stringify(join(folder.dir, 'passed.csv'))},
           failedPath: ${JSON.stringify(join(folder.dir, 'failed.csv'))},
           brokenRules: (row) => (row % ${every} === 0 ? ['delay between'] : undefined),
           expectedRows: ${rows},
         });
         clearInterval(timer);
         console.log(JSON.stringify({ ...summary, peakHeapMB: peakHeap / 2 ** 20, peakBuffersMB: peakBuffers / 2 ** 20 }));`,
      );
      const child = spawnSync(process.execPath, ['--max-old-space-size=64', '--import', 'tsx', script], {
        cwd: process.cwd(),
        encoding: 'utf8',
      });
      expect(child.stderr).toBe('');
      const result = JSON.parse(child.stdout);
      expect(result.passedRows + result.failedRows).toBe(rows);
      expect(result.peakHeapMB).toBeLessThan(64);
      expect(result.peakBuffersMB).toBeLessThan(64);
      const suffix = ',delay between'.length * result.failedRows;
      expect(statSync(join(folder.dir, 'passed.csv')).size + statSync(join(folder.dir, 'failed.csv')).size).toBe(
        statSync(csv).size + 'id,delay,note,carrier\r\n'.length + ',data_gate_failed_rules'.length + suffix,
      );
    } finally {
      folder.remove();
    }
  });
});
