// Keeps a run history (one JSON record per run) on a dedicated git branch of the user's repository, next to files
// rendered from it (a dashboard), without touching the user's checkout: all work happens in a temporary worktree.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import { git, redactUrlCredentials, runGit } from './git-cli.js';
import { appendJsonLine, parseJsonLines } from './json-lines.js';

/** A file written next to the data on the history branch, e.g. the dashboard's index.html. */
export interface HistoryFile {
  /** Relative to the branch root, '/'-separated. */
  path: string;
  content: string;
}

export interface CommitAuthor {
  name: string;
  email: string;
}

export interface AppendHistoryOptions<R> {
  /** The user's checkout (actions/checkout left the push credentials in its git config). */
  workspace: string;
  branch: string;
  /** The JSON Lines file on the branch, relative to its root, e.g. 'drift/history.jsonl'. */
  dataFile: string;
  record: R;
  /** Files to (re)write from all records, the new one included. */
  render?: (records: R[]) => HistoryFile[] | Promise<HistoryFile[]>;
  remote?: string;
  /** How many fetch-append-push rounds before giving up when other jobs keep pushing first. */
  maxAttempts?: number;
  logger: Logger;
  author?: CommitAuthor;
  /** Base pause before another round; jittered so concurrent jobs fall out of step. */
  retryDelayMs?: number;
  /** For tests only: runs just before each push, e.g. to make another writer win the race. */
  beforePush?: (attempt: number) => Promise<void>;
}

export interface AppendHistoryResult<R> {
  records: R[];
  commit: string;
  attempts: number;
}

export interface ReadHistoryOptions {
  workspace: string;
  branch: string;
  dataFile: string;
  remote?: string;
}

export const GITHUB_ACTIONS_BOT: CommitAuthor = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
};

/**
 * Appends `record` to `dataFile` on `branch` and pushes, creating the branch (with no parent) on first use. When
 * another job pushes first, it fetches the new tip and appends on top of it again, so no writer's record is lost.
 */
export async function appendHistory<R>(options: AppendHistoryOptions<R>): Promise<AppendHistoryResult<R>> {
  const { workspace, branch, record, logger } = options;
  const remote = options.remote ?? 'origin';
  const maxAttempts = options.maxAttempts ?? 5;
  const author = options.author ?? GITHUB_ACTIONS_BOT;
  const dataFile = branchPath(options.dataFile, 'history data file');
  await checkRepositoryAndBranch(workspace, branch);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new UserError(`maxAttempts must be a whole number of at least 1, not ${maxAttempts}.`);
  }

  const scratch = await mkdtemp(join(tmpdir(), 'mlops-history-'));
  const fetchedRef = privateRef();
  try {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const parent = await fetchBranch(workspace, remote, branch, fetchedRef);
      const worktree = join(scratch, `attempt-${attempt}`);
      let outcome: PushOutcome;
      let records: R[];
      let commit: string;
      try {
        await addWorktree(workspace, worktree, parent, author);
        const existing = parent ? await readBlob(worktree, parent, dataFile) : undefined;
        records = existing === undefined ? [] : parseJsonLines<R>(existing, dataFile);
        records.push(record);
        const files: HistoryFile[] = [{ path: dataFile, content: appendJsonLine(existing ?? '', record) }];
        for (const file of (await options.render?.(records)) ?? []) {
          const path = branchPath(file.path, 'rendered file');
          if (path === dataFile) throw new UserError(`A rendered file may not replace the history data file '${dataFile}'.`);
          files.push({ path, content: file.content });
        }
        commit = await commitFiles(worktree, files, parent, author);
        await options.beforePush?.(attempt);
        outcome = await push(workspace, remote, commit, branch);
      } finally {
        await removeWorktree(workspace, worktree);
      }
      if (outcome.kind === 'pushed') {
        logger.info(`Recorded this run in '${dataFile}' on branch '${branch}' (${records.length} records, commit ${commit.slice(0, 7)}).`);
        return { records, commit, attempts: attempt };
      }
      if (attempt < maxAttempts) {
        logger.info(
          `Branch '${branch}' moved while this run was writing to it (${outcome.reason}); appending again on top of ` +
            `the new tip (attempt ${attempt + 1} of ${maxAttempts}).`,
        );
        await sleep((options.retryDelayMs ?? 1000) * attempt * (0.5 + Math.random()));
      }
    }
    throw new UserError(
      `Could not record this run on branch '${branch}': other jobs pushed to it first ${maxAttempts} times in a row. ` +
        `Run fewer jobs that write the same history at once (a concurrency group), or allow more attempts.`,
    );
  } finally {
    await runGit(workspace, ['update-ref', '-d', fetchedRef]);
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The records on `branch` at the remote; none when the branch or the file does not exist yet. */
export async function readHistory<R>(options: ReadHistoryOptions): Promise<R[]> {
  const { workspace, branch } = options;
  const dataFile = branchPath(options.dataFile, 'history data file');
  await checkRepositoryAndBranch(workspace, branch);
  const fetchedRef = privateRef();
  try {
    const tip = await fetchBranch(workspace, options.remote ?? 'origin', branch, fetchedRef);
    if (!tip) return [];
    const text = await readBlob(workspace, tip, dataFile);
    return text === undefined ? [] : parseJsonLines<R>(text, dataFile);
  } finally {
    await runGit(workspace, ['update-ref', '-d', fetchedRef]);
  }
}

type PushOutcome = { kind: 'pushed' } | { kind: 'moved'; reason: string };

/** A ref of our own per call, so the user's remote-tracking refs stay as they were and parallel runs never share. */
function privateRef(): string {
  return `refs/mlops-actions/history-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Fetches the branch's tip into `ref`; undefined when the remote has no such branch yet. */
async function fetchBranch(workspace: string, remote: string, branch: string, ref: string): Promise<string | undefined> {
  const listed = await runGit(workspace, ['ls-remote', '--exit-code', '--heads', remote, `refs/heads/${branch}`]);
  if (listed.code === 2) return undefined;
  if (listed.code !== 0) throw remoteError(`could not reach remote '${remote}'`, listed.stderr);
  const fetched = await runGit(workspace, [
    // An empty --refmap keeps git from also moving refs/remotes/<remote>/<branch> here (a push will, as any does).
    'fetch',
    '--quiet',
    '--no-tags',
    '--no-write-fetch-head',
    '--no-recurse-submodules',
    '--refmap=',
    remote,
    `+refs/heads/${branch}:${ref}`,
  ]);
  if (fetched.code !== 0) throw remoteError(`could not fetch branch '${branch}' from '${remote}'`, fetched.stderr);
  return (await git(workspace, ['rev-parse', '--verify', `${ref}^{commit}`])).trim();
}

/**
 * Adds a detached worktree without checking files out: the index holds the branch's tree, so files we do not
 * write are kept without being written to disk, and no checkout hook of the user's repository runs.
 */
async function addWorktree(workspace: string, worktree: string, parent: string | undefined, author: CommitAuthor) {
  // A worktree needs some commit to start from; a new branch starts from a parentless commit of the empty tree.
  const start = parent ?? (await emptyCommit(workspace, author));
  await git(workspace, ['worktree', 'add', '--quiet', '--detach', '--no-checkout', worktree, start]);
  if (parent) await git(worktree, ['read-tree', parent]);
  else await git(worktree, ['read-tree', '--empty']);
}

async function emptyCommit(workspace: string, author: CommitAuthor): Promise<string> {
  const emptyTree = (await git(workspace, ['hash-object', '-t', 'tree', '-w', '--stdin'], { input: '' })).trim();
  return (await git(workspace, ['commit-tree', emptyTree, '-m', 'empty'], { env: identity(author) })).trim();
}

async function removeWorktree(workspace: string, worktree: string): Promise<void> {
  const removed = await runGit(workspace, ['worktree', 'remove', '--force', worktree]);
  if (removed.code !== 0) {
    await rm(worktree, { recursive: true, force: true });
    await runGit(workspace, ['worktree', 'prune']);
  }
}

/** The file's bytes at `commit`, or undefined when the commit has no such file. */
async function readBlob(cwd: string, commit: string, path: string): Promise<string | undefined> {
  const exists = await runGit(cwd, ['cat-file', '-e', `${commit}:${path}`]);
  if (exists.code !== 0) return undefined;
  return git(cwd, ['cat-file', 'blob', `${commit}:${path}`]);
}

async function commitFiles(worktree: string, files: HistoryFile[], parent: string | undefined, author: CommitAuthor): Promise<string> {
  for (const file of files) {
    const target = join(worktree, ...file.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
  await git(worktree, ['add', '--force', '--', ...files.map((f) => f.path)]);
  const tree = (await git(worktree, ['write-tree'])).trim();
  const message = `mlops-actions: record ${new Date().toISOString()}`;
  const args = ['commit-tree', tree, '-m', message, ...(parent ? ['-p', parent] : [])];
  return (await git(worktree, args, { env: identity(author) })).trim();
}

/**
 * Pushes without force. Another writer shows up either as a plain rejection (our commit is no longer a
 * fast-forward) or, when it won during our push, as the server's failure to update the ref it checked.
 */
async function push(workspace: string, remote: string, commit: string, branch: string): Promise<PushOutcome> {
  const result = await runGit(workspace, ['push', '--porcelain', remote, `${commit}:refs/heads/${branch}`]);
  if (result.code === 0) return { kind: 'pushed' };
  const status = result.stdout.split('\n').find((line) => line.startsWith('!\t')) ?? '';
  const summary = status.split('\t')[2] ?? '';
  const rejected = /^\[rejected\] \((fetch first|non-fast-forward|stale info)\)/.exec(summary);
  if (rejected) return { kind: 'moved', reason: rejected[1] };
  if (/^\[remote rejected\] .*(cannot lock ref|failed to update ref|incorrect old value)/.test(summary)) {
    return { kind: 'moved', reason: 'the remote refused a stale update' };
  }
  const detail = summary || result.stderr.trim();
  throw new UserError(
    `Could not push to branch '${branch}' of '${remote}': ${redactUrlCredentials(detail)}. The job needs ` +
      `'contents: write' permission and a checkout that keeps its credentials (actions/checkout's default), ` +
      `and the branch must not be protected against pushes from this workflow.`,
  );
}

function remoteError(what: string, stderr: string): UserError {
  return new UserError(`History: ${what}: ${redactUrlCredentials(stderr.trim())}`);
}

function identity(author: CommitAuthor): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  };
}

/** A path on the branch: relative, '/'-separated, inside the branch and outside .git. */
function branchPath(path: string, what: string): string {
  const normalised = posix.normalize(path.replace(/\\/g, '/'));
  if (
    path.trim() === '' ||
    posix.isAbsolute(normalised) ||
    /^[a-zA-Z]:/.test(normalised) ||
    normalised === '.' ||
    normalised === '..' ||
    normalised.startsWith('../') ||
    normalised.split('/').includes('.git')
  ) {
    throw new UserError(`Invalid ${what} '${path}'. Expected a relative path inside the history branch, e.g. 'drift/history.jsonl'.`);
  }
  return normalised.replace(/\/$/, '');
}

async function checkRepositoryAndBranch(workspace: string, branch: string): Promise<void> {
  const repository = await runGit(workspace, ['rev-parse', '--git-dir']);
  if (repository.code !== 0) {
    throw new UserError(`'${workspace}' is not a git repository; run actions/checkout before recording history.`);
  }
  const checked = await runGit(workspace, ['check-ref-format', '--branch', branch]);
  if (checked.code !== 0 || branch.startsWith('-')) {
    throw new UserError(`Invalid history branch name '${branch}'. Expected a git branch name such as 'mlops-history'.`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
