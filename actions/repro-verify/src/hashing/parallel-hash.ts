// Hashing spread over CPU cores: md5 runs at about one core's speed (~600 MB/s), as fast as md5sum, so a large DVC
// tree is split into byte-balanced parts hashed at once, one in this thread and the others in worker threads of the
// small worker bundle (dist/worker/index.js), each part read with blocking calls (no thread-pool round trip per
// chunk). Each file is still read once, streamed in 1 MiB chunks. Small sets (under 64 MB) stay on the async path.
// Under jest (no bundle) the worker parts run in this thread, one after the other.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { registerWorkerJob, runJob } from '#shared/runtime/bundle-worker.js';
import { CHUNK_BYTES, hashFileMultiSync, hashFilesMulti, type HashAlgorithm, type MultiDigest } from './file-digest.js';

const JOB = 'repro-verify-hash-files';
const WORKER_BUNDLES = ['./worker/index.js', '../../actions/repro-verify/dist/worker/index.js'].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
const PARALLEL_FROM_BYTES = 64 << 20;

export interface HashJob {
  path: string;
  algorithms: HashAlgorithm[];
  /** Known size (for balancing the parts); 0 when unknown. */
  size: number;
}

type Digest = Omit<MultiDigest, 'head'>;

/** One part, read with blocking calls: the thread it runs in does nothing else meanwhile. */
function hashPartSync(jobs: HashJob[]): Digest[] {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  return jobs.map((job) => {
    const { hashes, size } = hashFileMultiSync(job.path, job.algorithms, buffer);
    return { hashes, size };
  });
}

registerWorkerJob(JOB, async (input: { jobs: HashJob[] }) => ({ result: hashPartSync(input.jobs) }));

/** Parts of about equal bytes, keeping each file in one part (largest first into the lightest part). */
export function balanceParts<T extends { size: number }>(items: T[], parts: number): number[][] {
  const order = items.map((_, i) => i).sort((a, b) => items[b].size - items[a].size);
  const bins = Array.from({ length: parts }, () => ({ bytes: 0, members: [] as number[] }));
  for (const i of order) {
    const lightest = bins.reduce((min, bin) => (bin.bytes < min.bytes ? bin : min));
    lightest.members.push(i);
    lightest.bytes += items[i].size;
  }
  return bins.map((b) => b.members.sort((x, y) => x - y)).filter((m) => m.length > 0);
}

export async function hashInParallel(jobs: HashJob[], options: { concurrency: number; threads?: number; parallelFromBytes?: number }): Promise<Digest[]> {
  const total = jobs.reduce((s, j) => s + j.size, 0);
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), 8));
  const strip = (digests: MultiDigest[]): Digest[] => digests.map(({ hashes, size }) => ({ hashes, size }));
  if (threads === 1 || total < (options.parallelFromBytes ?? PARALLEL_FROM_BYTES) || jobs.length < 2) return strip(await hashFilesMulti(jobs, options.concurrency));
  const parts = balanceParts(jobs, threads);
  // The workers start first; then this thread hashes its own part (blocking it is fine: nothing else is waiting).
  const inWorkers = parts.slice(1).map((members) => runJob<Digest[]>(JOB, { jobs: members.map((i) => jobs[i]) }, () => {}, WORKER_BUNDLES));
  await new Promise((resolve) => setImmediate(resolve));
  const own = hashPartSync(parts[0].map((i) => jobs[i]));
  const results = [own, ...(await Promise.all(inWorkers))];
  const digests = new Array<Digest>(jobs.length);
  parts.forEach((members, p) => members.forEach((i, k) => (digests[i] = results[p][k])));
  return digests;
}
