// Entry point of `npx mlops-actions` (bundled by ncc into cli/dist/index.js).
import { runCli } from './cli.js';

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
