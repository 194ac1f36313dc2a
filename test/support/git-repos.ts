// Real git repositories in a temporary folder for history tests: a bare "remote", the user's clone (as
// actions/checkout leaves it) and helpers for another writer who pushes to the same branch.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GitRepos {
  root: string;
  /** The bare repository standing in for GitHub. */
  remote: string;
  /** The user's checkout of `main`, with one commit and a user identity. */
  workspace: string;
  cleanup(): Promise<void>;
}

/** Runs git in `cwd` and returns stdout; throws with stderr on failure. Git's own hooks' variables are cleared. */
export function gitIn(cwd: string, ...args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY']) delete env[name];
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, env }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git ${args.join(' ')} failed in ${cwd}: ${stderr}`));
      else resolve(stdout);
    });
  });
}

export async function createRepos(options: { shallow?: boolean } = {}): Promise<GitRepos> {
  const root = await mkdtemp(join(tmpdir(), 'history-repos-'));
  const remote = join(root, 'remote.git');
  await gitIn(root, 'init', '--quiet', '--bare', '--initial-branch=main', remote);
  const seed = await cloneAs(root, remote, 'seed');
  await writeFile(join(seed, 'README.md'), '# model\n');
  await writeFile(join(seed, 'train.py'), 'print("train")\n');
  await gitIn(seed, 'add', '.');
  await gitIn(seed, 'commit', '--quiet', '-m', 'initial');
  await writeFile(join(seed, 'train.py'), 'print("train v2")\n');
  await gitIn(seed, 'commit', '--quiet', '-am', 'second');
  await gitIn(seed, 'push', '--quiet', 'origin', 'main');
  // actions/checkout fetches one commit by default: a shallow clone is what the code meets on a runner.
  const workspace = await cloneAs(root, remote, 'workspace', options.shallow ? ['--depth', '1'] : []);
  return { root, remote, workspace, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Another clone with its own identity, as another job's runner would have. */
export async function cloneAs(root: string, remote: string, name: string, extra: string[] = []): Promise<string> {
  const dir = join(root, name);
  // file:// so that --depth is honoured for local clones.
  await gitIn(root, 'clone', '--quiet', ...extra, `file://${remote}`, dir);
  await gitIn(dir, 'config', 'user.name', `${name} user`);
  await gitIn(dir, 'config', 'user.email', `${name}@example.com`);
  return dir;
}

/** Another writer appends `line` to `file` on `branch` (which must exist) and pushes, as a competing job. */
export async function pushCompetingLine(repos: GitRepos, branch: string, file: string, line: string): Promise<void> {
  const dir = join(repos.root, 'competitor');
  await rm(dir, { recursive: true, force: true });
  await cloneAs(repos.root, repos.remote, 'competitor', ['--branch', branch]);
  const path = join(dir, file);
  const before = await readFile(path, 'utf8').catch(() => '');
  await writeFile(path, `${before}${line}\n`);
  await gitIn(dir, 'add', file);
  await gitIn(dir, 'commit', '--quiet', '-m', 'competing record');
  await gitIn(dir, 'push', '--quiet', 'origin', branch);
}

/**
 * Installs a real pre-push hook in the workspace that, on its first run only, makes a competitor push `line` to the
 * branch: the remote moves after our push has read its refs and before it updates them.
 */
export async function installRacingPrePushHook(repos: GitRepos, branch: string, dataFile: string, line: string) {
  const competitor = await cloneAs(repos.root, repos.remote, 'hook-competitor', ['--branch', branch]);
  const marker = join(repos.root, 'hook-ran');
  const hook = join(repos.workspace, '.git', 'hooks', 'pre-push');
  const script = `#!/bin/sh
[ -e '${marker}' ] && exit 0
touch '${marker}'
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_QUARANTINE_PATH
cd '${competitor}' || exit 1
git pull --quiet --ff-only origin '${branch}' >&2 || exit 1
printf '%s\\n' '${line}' >> '${dataFile}'
git commit --quiet -am 'racing record' >&2 || exit 1
git push --quiet origin 'HEAD:${branch}' >&2 || exit 1
exit 0
`;
  await writeFile(hook, script);
  await chmod(hook, 0o755);
  return { marker };
}

/** The file's content on `branch` of the bare remote. */
export async function remoteFile(repos: GitRepos, branch: string, path: string): Promise<string> {
  return gitIn(repos.remote, 'show', `refs/heads/${branch}:${path}`);
}
