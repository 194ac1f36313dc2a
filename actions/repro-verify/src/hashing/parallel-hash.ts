// Hashing spread over CPU cores: md5 runs at about one core's speed (~600 MB/s), as fast as md5sum, so a large DVC
// tree is split into byte-balanced parts hashed at once, one in this thread and the others in worker threads of the
// small worker bundle (dist/worker/index.js). Each file is still read once, streamed in 1 MiB chunks. Small sets
// (under 256 MB) stay in this thread. Under jest (no bundle) the worker parts run in this thread too.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { registerWorkerJob, runJob } from '#shared/runtime/bundle-worker.js';
import { hashFilesMulti, type HashAlgorithm, type MultiDigest } from './file-digest.js';

const JOB = 'repro-verify-hash-files';
const WORKER_BUNDLES = ['./worker/index.js', '../../actions/repro-verify/dist/worker/index.js'].map((relative) =>
  fileURLToPath(new URL(relative, import.meta.url)),
);
/** Below this a worker's start costs more than it saves. */
const PARALLEL_FROM_BYTES = 256 << 20;

export interface HashJob {
  path: string;
  algorithms: HashAlgorithm[];
  /** Known size (for balancing the parts); 0 when unknown. */
  size: number;
}

type Digest = Omit<MultiDigest, 'head'>;

const strip = (digests: MultiDigest[]): Digest[] => digests.map(({ hashes, size }) => ({ hashes, size }));

// Async reads with a few in flight measured faster than blocking reads on a busy 2-core machine (0.30 s against
// 0.45-0.67 s for 100 MB in 1,000 files; md5sum 0.60-0.68 s), so each part reads the same way as the one-thread path.
registerWorkerJob(JOB, async (input: { jobs: HashJob[]; concurrency: number }) => ({
  result: strip(await hashFilesMulti(input.jobs, input.concurrency)),
}));

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

export async function hashInParallel(
  jobs: HashJob[],
  options: { concurrency: number; threads?: number; parallelFromBytes?: number },
): Promise<Digest[]> {
  const total = jobs.reduce((s, j) => s + j.size, 0);
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), 8));
  if (threads === 1 || total < (options.parallelFromBytes ?? PARALLEL_FROM_BYTES) || jobs.length < 2)
    return strip(await hashFilesMulti(jobs, options.concurrency));
  const parts = balanceParts(jobs, threads);
  const perPart = Math.max(2, Math.ceil(options.concurrency / parts.length));
  const results = await Promise.all(
    parts.map((members, p) => {
      const input = { jobs: members.map((i) => jobs[i]), concurrency: perPart };
      return p === 0 ? hashFilesMulti(input.jobs, perPart).then(strip) : runJob<Digest[]>(JOB, input, () => {}, WORKER_BUNDLES);
    }),
  );
  const digests = new Array<Digest>(jobs.length);
  parts.forEach((members, p) => members.forEach((i, k) => (digests[i] = results[p][k])));
  return digests;
}
