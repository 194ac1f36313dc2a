// Runs CPU-heavy jobs (profiling a dataset) in worker threads of the same bundle, so a 2-core runner reads the
// reference and the current data at once. A bundle's entry calls runWorkerJobIfAsked() first: in a worker it runs
// the job named in workerData and the entry does nothing else. Where no bundle exists (ts sources under jest),
// jobs run in the calling thread. A small bundle of just the jobs (an action's src/worker.ts) starts fastest.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData, type ResourceLimits } from 'node:worker_threads';
import { UserError, type FileLocation } from '../errors.js';

const ROLE = 'mlopsActionsJob';

/** Progress of a long job, e.g. bytes of a file read. */
export type JobProgress = (label: string, done: number, total: number) => void;

export type WorkerJob = (input: any, progress: JobProgress) => Promise<{ result: unknown; transfer?: ArrayBuffer[] }>;

interface JobMessage {
  progress?: [string, number, number];
  ok?: boolean;
  result?: unknown;
  error?: { user: boolean; message: string; location?: FileLocation; stack?: string };
}

const jobs = new Map<string, WorkerJob>();

/** Makes a job runnable in workers; call at module load in the module that defines it. */
export function registerWorkerJob(name: string, job: WorkerJob): void {
  jobs.set(name, job);
}

/** The bundle this code runs from, when it is a bundle (a .js file) rather than TypeScript sources. */
function bundlePath(): string | undefined {
  const path = fileURLToPath(import.meta.url);
  return path.endsWith('.js') && !process.env.JEST_WORKER_ID ? path : undefined;
}

/** In a job worker: runs the job, posts its result, and returns true so the entry point stops there. */
export async function runWorkerJobIfAsked(): Promise<boolean> {
  if (isMainThread || !workerData || typeof workerData[ROLE] !== 'string') return false;
  const job = jobs.get(workerData[ROLE]);
  let message: JobMessage;
  let transfer: ArrayBuffer[] = [];
  try {
    if (!job) throw new Error(`no worker job named ${workerData[ROLE]}`);
    const done = await job(workerData.input, (label, done, total) =>
      parentPort!.postMessage({ progress: [label, done, total] } satisfies JobMessage),
    );
    message = { ok: true, result: done.result };
    transfer = done.transfer ?? [];
  } catch (error) {
    const err = error as UserError;
    message = {
      ok: false,
      error: { user: err instanceof UserError, message: err.message, location: err.location, stack: err.stack },
    };
  }
  parentPort!.postMessage(message, transfer);
  return true;
}

/**
 * Runs a registered job in a worker thread, or here when there is no bundle. The worker runs the first of
 * `workerBundles` that exists (a small bundle made for workers), else this same bundle.
 */
export async function runJob<T>(
  name: string,
  input: unknown,
  progress: JobProgress = () => {},
  workerBundles: string[] = [],
  /** The worker's V8 limits, e.g. a young generation smaller than Node 24's default (see drift-check's profile job). */
  resourceLimits?: ResourceLimits,
): Promise<T> {
  const job = jobs.get(name);
  if (!job) throw new Error(`no worker job named ${name}`);
  const self = bundlePath();
  if (!self) return (await job(input, progress)).result as T;
  const bundle = workerBundles.find((path) => existsSync(path)) ?? self;
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(bundle, { workerData: { [ROLE]: name, input }, resourceLimits });
    let settled = false;
    worker.on('message', (message: JobMessage) => {
      if (message.progress) return progress(...message.progress);
      settled = true;
      if (message.ok) resolve(message.result as T);
      else if (message.error!.user) reject(new UserError(message.error!.message, message.error!.location));
      else reject(Object.assign(new Error(message.error!.message), { stack: message.error!.stack }));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`worker for ${name} stopped with exit code ${code}`));
    });
  });
}
