// Entry of the profiling worker bundle (dist/worker/index.js): the data readers and the profile job only, so a
// worker thread starts in tens of milliseconds instead of loading the whole action (measured: ~400 ms).
import { runWorkerJobIfAsked } from '#shared/runtime/bundle-worker.js';
import './profile/profile-job.js';

await runWorkerJobIfAsked();
