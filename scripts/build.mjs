// Each bundle type-checks with its own tsconfig.json (actions/<name>/, cli/): only its sources and shared/src, so a
// type error in a test or another action never blocks it.
// Bundles every action (actions/*/src/index.ts, and its worker entry src/worker.ts if any) and the CLI with ncc into their committed dist/ folders.
// `node scripts/build.mjs --out DIR` writes the bundles under DIR instead (check-dist compares the two);
// `--only drift-check,cli` builds just those.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const outIndex = process.argv.indexOf('--out');
const outRoot = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : root;
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

export function bundleTargets() {
  const targets = readdirSync(join(root, 'actions'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'actions', d.name, 'src', 'index.ts')))
    .flatMap((d) => [
      { entry: join('actions', d.name, 'src', 'index.ts'), out: join('actions', d.name, 'dist') },
      // An action's worker-thread entry, bundled apart so that workers start small (after the action: its out
      // folder lies inside the action's dist/).
      ...(existsSync(join(root, 'actions', d.name, 'src', 'worker.ts'))
        ? [{ entry: join('actions', d.name, 'src', 'worker.ts'), out: join('actions', d.name, 'dist', 'worker') }]
        : []),
    ]);
  if (existsSync(join(root, 'cli', 'src', 'index.ts'))) targets.push({ entry: join('cli', 'src', 'index.ts'), out: join('cli', 'dist') });
  return targets;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // --only a,b: just these actions' bundles (and 'cli'), e.g. while working on one action.
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex > 0 ? new Set(process.argv[onlyIndex + 1].split(',')) : undefined;
  const targets = bundleTargets().filter((t) => !only || only.has(t.out.split(/[\\/]/)[t.out.startsWith('cli') ? 0 : 1]));
  // Clean every output first (a worker's folder lies inside its action's dist/), then bundle two at a time: ncc is
  // mostly single-threaded, and CI has two cores.
  for (const target of targets) rmSync(join(outRoot, target.out), { recursive: true, force: true });
  for (const target of targets) mkdirSync(join(outRoot, target.out), { recursive: true });
  const queue = [...targets];
  const failures = [];
  const worker = async () => {
    for (let target = queue.shift(); target; target = queue.shift()) {
      const out = join(outRoot, target.out);
      process.stdout.write(`ncc: ${target.entry} -> ${out}\n`);
      // --no-cache: ncc's webpack cache (~/.cache/ncc) is keyed by the entry's relative path, so two checkouts on one
      // machine share it, and a build from another checkout's cache once gave a different licenses.txt.
      const args = [ncc, 'build', target.entry, '-o', out, '--license', 'licenses.txt', '--quiet', '--target', 'es2022', '--no-cache'];
      const code = await new Promise((done) => spawn(process.execPath, args, { cwd: root, stdio: 'inherit' }).on('close', done));
      if (code !== 0) failures.push(target.entry);
    }
  };
  await Promise.all([worker(), worker()]);
  if (failures.length > 0) {
    process.stderr.write(`ncc failed for ${failures.join(', ')}\n`);
    process.exit(1);
  }
}
