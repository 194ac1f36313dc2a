// Commits the edited manifests and pushes them: to a branch of their own for a pull request, or straight to the
// base branch when asked. The commit is built with git plumbing on a temporary index (read-tree HEAD, hash-object,
// update-index, commit-tree), so the user's checkout, its index and its HEAD are left alone; pushing uses the
// job's token (as an http.extraheader) when the checkout kept no credentials.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { UserError } from '#shared/errors.js';
import { git, runGit } from '#shared/history/git-cli.js';

export interface ManifestCommit {
  files: { path: string; text: string }[];
  message: string;
  /** Ref pushed to: a branch of its own (pull-request) or the base branch (push). */
  branch: string;
  force: boolean;
  remote?: string;
  token?: string;
}

export interface PushedCommit {
  commit: string;
  branch: string;
  repoRoot: string;
}

const BOT = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };

export async function repositoryRoot(path: string): Promise<string> {
  const result = await runGit(dirname(path), ['rev-parse', '--show-toplevel']);
  if (result.code !== 0)
    throw new UserError(
      `The manifest ${path} is not in a git repository: check out the repository that holds it (actions/checkout) or set 'manifest-update: none'.`,
    );
  return result.stdout.trim();
}

/** The branch checked out in `root` ('' when HEAD is detached). */
export async function currentBranch(root: string): Promise<string> {
  const r = await runGit(root, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return r.code === 0 ? r.stdout.trim() : '';
}

/** When the file last changed in git history (the current traffic step's start), or undefined if never committed. */
export async function lastCommitTime(path: string): Promise<Date | undefined> {
  const r = await runGit(dirname(path), ['log', '-1', '--format=%cI', '--', path]);
  const text = r.code === 0 ? r.stdout.trim() : '';
  return text ? new Date(text) : undefined;
}

export async function commitAndPush(change: ManifestCommit): Promise<PushedCommit> {
  const repoRoot = await repositoryRoot(change.files[0].path);
  const remote = change.remote ?? 'origin';
  const scratch = await mkdtemp(join(tmpdir(), 'canary-promote-index-'));
  const env = {
    GIT_INDEX_FILE: join(scratch, 'index'),
    GIT_AUTHOR_NAME: BOT.name,
    GIT_AUTHOR_EMAIL: BOT.email,
    GIT_COMMITTER_NAME: BOT.name,
    GIT_COMMITTER_EMAIL: BOT.email,
  };
  try {
    await git(repoRoot, ['read-tree', 'HEAD'], { env });
    for (const file of change.files) {
      const rel = relative(repoRoot, file.path).split('\\').join('/');
      const staged = (await git(repoRoot, ['ls-files', '-s', '--', rel], { env })).trim();
      const mode = staged ? staged.split(/\s+/)[0] : '100644';
      const blob = (await git(repoRoot, ['hash-object', '-w', '--stdin'], { input: file.text })).trim();
      await git(repoRoot, ['update-index', '--add', '--cacheinfo', `${mode},${blob},${rel}`], { env });
    }
    const tree = (await git(repoRoot, ['write-tree'], { env })).trim();
    const commit = (await git(repoRoot, ['commit-tree', tree, '-p', 'HEAD', '-m', change.message], { env })).trim();
    const auth = await pushAuth(repoRoot, remote, change.token);
    const args = [...auth, 'push', '--porcelain', ...(change.force ? ['--force'] : []), remote, `${commit}:refs/heads/${change.branch}`];
    const pushed = await runGit(repoRoot, args);
    if (pushed.code !== 0) {
      const detail = (pushed.stderr.trim() || pushed.stdout.trim()).split('\n').slice(-3).join(' ');
      throw new UserError(
        `Could not push the manifest change to branch '${change.branch}' of '${remote}': ${detail.replace(/\/\/[^@/\s]*@/g, '//***@')}. ` +
          `The job needs 'contents: write' and the branch must accept pushes from this workflow${change.force ? '' : ' (and not have moved since the checkout)'}.`,
      );
    }
    return { commit, branch: change.branch, repoRoot };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function pushAuth(root: string, remote: string, token?: string): Promise<string[]> {
  if (!token) return [];
  const url = (await runGit(root, ['remote', 'get-url', remote])).stdout.trim();
  if (!/^https:\/\//.test(url)) return [];
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return ['-c', `http.${new URL(url).origin}/.extraheader=AUTHORIZATION: basic ${basic}`];
}
