// Runs a command (the e2e tests) with E2E_NODE set to a Node 24 binary, the runtime GitHub gives node24 actions,
// while the tooling itself may run on Node 20. The binary is npm's `node@24` package, installed once into .node24/.
import { execFileSync, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const prefix = join(root, '.node24');
const binary = join(prefix, 'node_modules', 'node', 'bin', 'node');

function versionOf(node) {
  try {
    return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/** The path of a working Node 24 binary, installing it on first use. */
export function ensureNode24() {
  if (versionOf(binary)?.startsWith('v24.')) return binary;
  process.stderr.write('with-node24: installing node@24 from npm into .node24/ (once)\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = spawnSync(npm, ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, 'node@24'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const version = versionOf(binary);
  if (install.status !== 0 || !version?.startsWith('v24.'))
    throw new Error(
      `could not install Node 24 into ${prefix} (npm exited ${install.status}; found ${version ?? 'no binary'}). ` +
        'The node@24 package fetches its binary in an install script: make sure npm may run it.',
    );
  return binary;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    process.stderr.write('Usage: node scripts/with-node24.mjs <command> [args...]\n');
    process.exit(2);
  }
  let node24;
  try {
    node24 = ensureNode24();
  } catch (error) {
    process.stderr.write(`with-node24: ${error.message}\n`);
    process.exit(1);
  }
  const version = versionOf(node24);
  process.stdout.write(`with-node24: actions run on Node ${version} (${node24}); the test runner on Node ${process.version}\n`);
  const result = spawnSync(command, args, { cwd: process.cwd(), stdio: 'inherit', env: { ...process.env, E2E_NODE: node24 } });
  if (result.error) {
    process.stderr.write(`with-node24: ${result.error.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`with-node24: the actions ran on Node ${version}\n`);
  process.exit(result.status ?? 1);
}
