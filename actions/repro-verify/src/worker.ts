// Entry of the hashing worker bundle (dist/worker/index.js): the file hashing only, so a worker thread starts fast
// instead of loading the whole action.
import { runWorkerJobIfAsked } from '#shared/runtime/bundle-worker.js';
import './hashing/parallel-hash.js';

await runWorkerJobIfAsked();
