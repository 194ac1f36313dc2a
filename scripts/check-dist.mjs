// Fails when a committed dist/ (actions/*/dist, cli/dist) differs from a fresh build of the sources: builds into a
// temporary folder with `scripts/build.mjs --out` and compares every file byte for byte.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { bundleTargets } from './build.mjs';

const root = resolve(import.meta.dirname, '..');

/** Every file under dir, as paths relative to it. */
export function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

/** Compares a committed folder with a fresh one: files that differ, are missing from the commit, or are extra. */
export function compareFolders(committedDir, freshDir) {
  const committed = new Set(listFiles(committedDir));
  const fresh = new Set(listFiles(freshDir));
  const differing = [...fresh].filter(
    (file) => committed.has(file) && !readFileSync(join(committedDir, file)).equals(readFileSync(join(freshDir, file))),
  );
  return {
    differing,
    missing: [...fresh].filter((file) => !committed.has(file)),
    extra: [...committed].filter((file) => !fresh.has(file)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = mkdtempSync(join(tmpdir(), 'check-dist-'));
  try {
    try {
      execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--out', out], {
        cwd: root,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    } catch (error) {
      // ncc's own message (type errors, unresolved imports) is what the user needs; Node's stack of execFileSync is not.
      const lines = String(error.stderr ?? '').split('\n');
      const firstStackLine = lines.findIndex((line) => /^\s+at /.test(line));
      process.stderr.write(
        `${lines
          .slice(0, firstStackLine < 0 ? undefined : firstStackLine)
          .join('\n')
          .trim()}\n`,
      );
      process.stderr.write('check-dist: the build failed (see above), so dist/ cannot be checked.\n');
      process.exit(1);
    }
    const problems = [];
    for (const target of bundleTargets()) {
      const { differing, missing, extra } = compareFolders(join(root, target.out), join(out, target.out));
      for (const file of differing) problems.push(`differs: ${join(target.out, file)}`);
      for (const file of missing) problems.push(`missing: ${join(target.out, file)} (built, not committed)`);
      for (const file of extra) problems.push(`extra:   ${join(target.out, file)} (committed, no longer built)`);
    }
    if (problems.length > 0) {
      process.stderr.write(`dist/ is out of date with the sources:\n  ${problems.join('\n  ')}\n`);
      process.stderr.write('Run `npm run build` and commit the dist/ folders.\n');
      process.exitCode = 1;
    } else {
      process.stdout.write(
        `dist/ is up to date (${bundleTargets()
          .map((t) => t.out)
          .join(', ')}).\n`,
      );
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
