import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, UserError } from '#shared/errors.js';
import { appendHistory, readHistory } from '#shared/history/git-history-store.js';
import { RecordingLogger } from '#shared/logger.js';
import {
  cloneAs,
  createRepos,
  gitIn,
  type GitRepos,
  installRacingPrePushHook,
  pushCompetingLine,
  remoteFile,
} from '../../support/git-repos.js';

interface RunRecord {
  run: number;
  driftShare: number;
}

const branch = 'mlops-history';
const dataFile = 'drift/history.jsonl';
let repos: GitRepos | undefined;

afterEach(async () => {
  await repos?.cleanup();
  repos = undefined;
});

function renderIndex(records: RunRecord[]) {
  return [{ path: 'index.html', content: `<p>${records.length} runs</p>\n` }];
}

/** Everything a user could notice about their checkout. */
async function checkoutState(workspace: string) {
  return {
    head: await gitIn(workspace, 'rev-parse', 'HEAD'),
    branch: await gitIn(workspace, 'symbolic-ref', 'HEAD'),
    status: await gitIn(workspace, 'status', '--porcelain=v1', '--untracked-files=all'),
    staged: await gitIn(workspace, 'diff', '--cached'),
    unstaged: await gitIn(workspace, 'diff'),
    localBranches: await gitIn(workspace, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads'),
    // A successful push moves refs/remotes/origin/<history branch>, as any git push does; the others stay.
    trackingRefs: (await gitIn(workspace, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/remotes'))
      .split('\n')
      .filter((line) => !line.startsWith(`refs/remotes/origin/${branch} `)),
    worktrees: await gitIn(workspace, 'worktree', 'list', '--porcelain'),
    otherRefs: await gitIn(workspace, 'for-each-ref', '--format=%(refname)', 'refs/mlops-actions'),
  };
}

describe('appendHistory with real git repositories', () => {
  it('creates the history branch on first use as a branch of its own, committed by github-actions[bot]', async () => {
    repos = await createRepos();
    const logger = new RecordingLogger();
    const result = await appendHistory<RunRecord>({
      workspace: repos.workspace,
      branch,
      dataFile,
      record: { run: 1, driftShare: 0.1 },
      render: renderIndex,
      logger,
    });
    expect(result.records).toEqual([{ run: 1, driftShare: 0.1 }]);
    expect(result.attempts).toBe(1);
    expect(await gitIn(repos.remote, 'rev-parse', `refs/heads/${branch}`)).toBe(`${result.commit}\n`);
    expect(await remoteFile(repos, branch, dataFile)).toBe('{"run":1,"driftShare":0.1}\n');
    expect(await remoteFile(repos, branch, 'index.html')).toBe('<p>1 runs</p>\n');
    // An orphan: no parent, and none of main's files.
    expect(await gitIn(repos.remote, 'rev-list', '--count', branch)).toBe('1\n');
    expect((await gitIn(repos.remote, 'ls-tree', '-r', '--name-only', branch)).split('\n').filter(Boolean).sort()).toEqual([
      'drift/history.jsonl',
      'index.html',
    ]);
    const meta = await gitIn(repos.remote, 'log', '-1', '--format=%an <%ae>|%cn|%s', branch);
    expect(meta).toMatch(
      /^github-actions\[bot\] <41898282\+github-actions\[bot\]@users\.noreply\.github\.com>\|github-actions\[bot\]\|mlops-actions: record \d{4}-\d\d-\d\dT/,
    );
    expect(logger.text('info')).toContain("Recorded this run in 'drift/history.jsonl' on branch 'mlops-history' (1 records");
  });

  it('appends a second run on top of the first and re-renders from both, keeping other files on the branch', async () => {
    repos = await createRepos();
    const options = { workspace: repos.workspace, branch, dataFile, render: renderIndex, logger: new RecordingLogger() };
    const first = await appendHistory<RunRecord>({ ...options, record: { run: 1, driftShare: 0.1 } });
    // Someone adds notes to the history branch by hand; our appends must keep them.
    await pushCompetingLine(repos, branch, 'NOTES.md', 'hand-written notes');
    const second = await appendHistory<RunRecord>({
      ...options,
      record: { run: 2, driftShare: 0.3 },
      author: { name: 'Model Bot', email: 'bot@example.com' },
    });
    expect(second.records).toEqual([
      { run: 1, driftShare: 0.1 },
      { run: 2, driftShare: 0.3 },
    ]);
    expect(await gitIn(repos.remote, 'rev-parse', `${second.commit}~2`)).toBe(`${first.commit}\n`);
    expect(await remoteFile(repos, branch, 'index.html')).toBe('<p>2 runs</p>\n');
    expect(await remoteFile(repos, branch, 'NOTES.md')).toBe('hand-written notes\n');
    expect(await remoteFile(repos, branch, dataFile)).toBe('{"run":1,"driftShare":0.1}\n{"run":2,"driftShare":0.3}\n');
    expect(await gitIn(repos.remote, 'log', '-1', '--format=%an <%ae>', branch)).toBe('Model Bot <bot@example.com>\n');
    expect(await readHistory<RunRecord>({ workspace: repos.workspace, branch, dataFile })).toEqual(second.records);
  });

  it("leaves the user's branch, working tree, index and refs exactly as they were", async () => {
    repos = await createRepos();
    const { workspace } = repos;
    await writeFile(join(workspace, 'train.py'), 'print("edited, unstaged")\n');
    await writeFile(join(workspace, 'README.md'), '# staged change\n');
    await gitIn(workspace, 'add', 'README.md');
    await writeFile(join(workspace, 'notes.txt'), 'untracked\n');
    const before = await checkoutState(workspace);
    const worktreesBefore = await readdir(tmpdir());

    await appendHistory<RunRecord>({
      workspace,
      branch,
      dataFile,
      record: { run: 1, driftShare: 0 },
      render: renderIndex,
      logger: new RecordingLogger(),
    });
    await appendHistory<RunRecord>({ workspace, branch, dataFile, record: { run: 2, driftShare: 0 }, logger: new RecordingLogger() });

    expect(await checkoutState(workspace)).toEqual(before);
    expect(existsSync(join(workspace, 'drift'))).toBe(false);
    expect(existsSync(join(workspace, 'index.html'))).toBe(false);
    const leftovers = (await readdir(tmpdir())).filter((name) => name.startsWith('mlops-history-') && !worktreesBefore.includes(name));
    expect(leftovers).toEqual([]);
  });

  it("works from a shallow clone, as actions/checkout's default fetch-depth leaves it", async () => {
    repos = await createRepos({ shallow: true });
    expect(await gitIn(repos.workspace, 'rev-parse', '--is-shallow-repository')).toBe('true\n');
    const options = { workspace: repos.workspace, branch, dataFile, logger: new RecordingLogger() };
    await appendHistory<RunRecord>({ ...options, record: { run: 1, driftShare: 0.1 } });
    const second = await appendHistory<RunRecord>({ ...options, record: { run: 2, driftShare: 0.2 } });
    expect(second.records.map((r) => r.run)).toEqual([1, 2]);
    expect(await remoteFile(repos, branch, dataFile)).toBe('{"run":1,"driftShare":0.1}\n{"run":2,"driftShare":0.2}\n');
  });

  it("retries when another job pushes between our fetch and our push, and keeps both jobs' records", async () => {
    repos = await createRepos();
    const current = repos;
    const options = { workspace: repos.workspace, branch, dataFile, render: renderIndex, retryDelayMs: 0 };
    await appendHistory<RunRecord>({ ...options, record: { run: 1, driftShare: 0.1 }, logger: new RecordingLogger() });
    const logger = new RecordingLogger();
    const result = await appendHistory<RunRecord>({
      ...options,
      record: { run: 3, driftShare: 0.3 },
      logger,
      beforePush: async (attempt) => {
        if (attempt === 1) await pushCompetingLine(current, branch, dataFile, '{"run":2,"driftShare":0.2}');
      },
    });
    expect(result.attempts).toBe(2);
    expect(result.records.map((r) => r.run)).toEqual([1, 2, 3]);
    expect(await remoteFile(repos, branch, dataFile)).toBe(
      '{"run":1,"driftShare":0.1}\n{"run":2,"driftShare":0.2}\n{"run":3,"driftShare":0.3}\n',
    );
    expect(await remoteFile(repos, branch, 'index.html')).toBe('<p>3 runs</p>\n');
    expect(logger.text('info')).toMatch(/moved while this run was writing to it \(fetch first\).*attempt 2 of 5/);
  });

  it('retries when the remote moves during our push itself (a real pre-push hook races us)', async () => {
    repos = await createRepos();
    const options = { workspace: repos.workspace, branch, dataFile, retryDelayMs: 0 };
    await appendHistory<RunRecord>({ ...options, record: { run: 1, driftShare: 0.1 }, logger: new RecordingLogger() });
    const { marker } = await installRacingPrePushHook(repos, branch, dataFile, '{"run":2,"driftShare":0.2}');
    const logger = new RecordingLogger();
    const result = await appendHistory<RunRecord>({ ...options, record: { run: 3, driftShare: 0.3 }, logger });
    expect(existsSync(marker)).toBe(true);
    expect(result.attempts).toBe(2);
    expect(await remoteFile(repos, branch, dataFile)).toBe(
      '{"run":1,"driftShare":0.1}\n{"run":2,"driftShare":0.2}\n{"run":3,"driftShare":0.3}\n',
    );
    // The server, not our client, noticed the race: it refused to move a ref that was no longer where we saw it.
    expect(logger.text('info')).toMatch(/\(the remote refused a stale update\).*attempt 2 of 5/);
  });

  it('keeps every record when four jobs in four clones record at the same moment', async () => {
    repos = await createRepos();
    const current = repos;
    await appendHistory<RunRecord>({
      workspace: repos.workspace,
      branch,
      dataFile,
      record: { run: 0, driftShare: 0 },
      logger: new RecordingLogger(),
    });
    const clones = await Promise.all([1, 2, 3, 4].map((n) => cloneAs(current.root, current.remote, `job-${n}`)));
    const results = await Promise.all(
      clones.map((workspace, index) =>
        appendHistory<RunRecord>({
          workspace,
          branch,
          dataFile,
          record: { run: index + 1, driftShare: 0 },
          render: renderIndex,
          maxAttempts: 10,
          retryDelayMs: 20,
          logger: new RecordingLogger(),
        }),
      ),
    );
    const runs = (await remoteFile(repos, branch, dataFile))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).run);
    expect(runs.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(await remoteFile(repos, branch, 'index.html')).toBe('<p>5 runs</p>\n');
    expect(results.map((r) => r.records.length).sort()).toEqual(expect.arrayContaining([5]));
  });

  it('gives up with a clear error after maxAttempts when others always push first, losing nothing of theirs', async () => {
    repos = await createRepos();
    const current = repos;
    const options = { workspace: repos.workspace, branch, dataFile, retryDelayMs: 0 };
    await appendHistory<RunRecord>({ ...options, record: { run: 1, driftShare: 0.1 }, logger: new RecordingLogger() });
    const attempt = appendHistory<RunRecord>({
      ...options,
      record: { run: 99, driftShare: 0.9 },
      maxAttempts: 3,
      logger: new RecordingLogger(),
      beforePush: (n) => pushCompetingLine(current, branch, dataFile, `{"run":${n + 1},"driftShare":0}`),
    });
    await expect(attempt).rejects.toThrow(UserError);
    await expect(attempt).rejects.toThrow(/other jobs pushed to it first 3 times in a row/);
    expect(
      (await remoteFile(repos, branch, dataFile))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).run),
    ).toEqual([1, 2, 3, 4]);
    expect(await gitIn(repos.workspace, 'worktree', 'list')).not.toContain('attempt-');
  });

  it('fails with a DataError naming file:line when the history holds a corrupt line, and pushes nothing', async () => {
    repos = await createRepos();
    const options = { workspace: repos.workspace, branch, dataFile, logger: new RecordingLogger() };
    await appendHistory<RunRecord>({ ...options, record: { run: 1, driftShare: 0.1 } });
    await pushCompetingLine(repos, branch, dataFile, '{"run": 2, driftShare');
    const tip = await gitIn(repos.remote, 'rev-parse', branch);
    const attempt = appendHistory<RunRecord>({ ...options, record: { run: 3, driftShare: 0.3 } });
    await expect(attempt).rejects.toThrow(DataError);
    await expect(attempt).rejects.toThrow(/^drift\/history\.jsonl:2: not a JSON record/);
    expect(await gitIn(repos.remote, 'rev-parse', branch)).toBe(tip);
    expect(await gitIn(repos.workspace, 'worktree', 'list')).not.toContain('attempt-');
    await expect(readHistory({ workspace: repos.workspace, branch, dataFile })).rejects.toThrow(/history\.jsonl:2/);
  });

  it('explains a push the remote refuses (a protected branch) instead of retrying', async () => {
    repos = await createRepos();
    const hook = join(repos.remote, 'hooks', 'pre-receive');
    await writeFile(hook, '#!/bin/sh\necho "protected branch hook declined" >&2\nexit 1\n', { mode: 0o755 });
    const attempt = appendHistory<RunRecord>({
      workspace: repos.workspace,
      branch,
      dataFile,
      record: { run: 1, driftShare: 0 },
      logger: new RecordingLogger(),
    });
    await expect(attempt).rejects.toThrow(/Could not push to branch 'mlops-history' of 'origin': \[remote rejected\].*contents: write/);
  });

  it('rejects paths that leave the branch and invalid branch names before touching git', async () => {
    repos = await createRepos();
    const base = { workspace: repos.workspace, branch, record: { run: 1 }, logger: new RecordingLogger() };
    await expect(appendHistory({ ...base, dataFile: '../outside.jsonl' })).rejects.toThrow(/Invalid history data file '..\/outside.jsonl'/);
    await expect(appendHistory({ ...base, dataFile: '.git/config' })).rejects.toThrow(UserError);
    await expect(appendHistory({ ...base, dataFile, branch: 'bad..name' })).rejects.toThrow(/Invalid history branch name 'bad..name'/);
    await expect(appendHistory({ ...base, dataFile, render: () => [{ path: '/etc/passwd', content: '' }] })).rejects.toThrow(
      /Invalid rendered file '\/etc\/passwd'/,
    );
  });
});

describe('readHistory', () => {
  it('returns no records while the branch does not exist', async () => {
    repos = await createRepos();
    expect(await readHistory({ workspace: repos.workspace, branch, dataFile })).toEqual([]);
    expect(await gitIn(repos.workspace, 'for-each-ref', 'refs/mlops-actions')).toBe('');
  });
});
