// Sums the self time of each function over the .cpuprofile files `node --cpu-prof` wrote to a directory (one per
// thread), to show where a benchmarked run spends its time.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Returns { sampledS, top: [{ name, selfS, percent }] }, name = "function file:line" (line in the bundle). */
export async function summariseProfiles(dir, top = 15) {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  const byFunction = new Map();
  let totalMs = 0;
  for (const file of files) {
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8'));
    // Self time of a node = its samples x the mean sampling interval.
    const intervalMs = (profile.endTime - profile.startTime) / profile.samples.length / 1000;
    totalMs += profile.samples.length * intervalMs;
    const hits = new Map();
    for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
    for (const node of profile.nodes) {
      const { functionName, url, lineNumber } = node.callFrame;
      const where = url ? ` ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : '';
      const key = `${functionName || '(anonymous)'}${where}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + (hits.get(node.id) ?? 0) * intervalMs);
    }
  }
  const ranked = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    sampledS: totalMs / 1000,
    top: ranked.map(([name, ms]) => ({ name, selfS: ms / 1000, percent: (100 * ms) / totalMs })),
  };
}
