// Entry of the validation worker bundle (dist/worker/index.js): the readers, the rules and the pass only, so a
// worker thread starts fast instead of loading the whole action.
import { runWorkerJobIfAsked } from '#shared/runtime/bundle-worker.js';
import './validate/validate-job.js';

await runWorkerJobIfAsked();
