// Entry point of `npx mlops-actions` (bundled by ncc into cli/dist/index.js).
import { runWorkerJobIfAsked } from '#shared/runtime/bundle-worker.js';
import { runCli } from './cli.js';

// In a worker thread of this bundle (profiling a dataset) the job is all there is to do.
if (!(await runWorkerJobIfAsked()))
  process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
