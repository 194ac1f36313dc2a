// A loopback stand-in for GitHub's REST API for tests. It keeps issues, comments, check runs and pull-request files
// in memory and behaves like GitHub for the endpoints our actions call (ids, html_url, labels, state, Link-header
// pagination). Every request is checked against GitHub's published OpenAPI description (@octokit/openapi): an
// unknown route, a missing or mistyped parameter, a body off its schema or a missing token is refused with
// GitHub's status and recorded as a violation, and every response we build is checked against its schema too.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { artifactJson, filterArtifacts, type ArtifactFixture } from './github-artifacts.js';
import { filterWorkflowRuns, workflowJobJson, workflowRunJson, type WorkflowRunFixture } from './github-workflow-runs.js';

export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. /repos/octo-org/ml-repo/issues/7/comments. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** GitHub's operationId, e.g. 'issues/create-comment'; undefined for routes GitHub does not have. */
  operationId?: string;
  status: number;
  /** Date.now() when the request arrived. */
  receivedAt: number;
}

export type ViolationKind =
  'unknown-route' | 'unauthenticated' | 'invalid-parameter' | 'invalid-body' | 'unimplemented' | 'invalid-response';

export interface ApiViolation {
  kind: ViolationKind;
  method: string;
  path: string;
  message: string;
}

export interface StoredComment {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  /** Who wrote it; the token's own bot when absent. Tests set another login to stand for a person's comment. */
  author?: { login: string; id: number; type: 'User' | 'Bot' };
  createdAt: string;
  updatedAt: string;
}

export interface StoredIssue {
  id: number;
  owner: string;
  repo: string;
  number: number;
  title: string;
  body: string | null;
  labels: string[];
  state: 'open' | 'closed';
  stateReason: string | null;
  comments: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface StoredAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface StoredCheckRun {
  id: number;
  owner: string;
  repo: string;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  startedAt: string;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations: StoredAnnotation[] };
}

export interface StoredPullRequest {
  id: number;
  owner: string;
  repo: string;
  number: number;
  title: string;
  body: string | null;
  /** Branch names in the same repository (no forks). */
  head: string;
  base: string;
  state: 'open' | 'closed';
  draft: boolean;
  maintainerCanModify: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface PullRequestFile {
  filename: string;
  status?: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  additions?: number;
  deletions?: number;
  patch?: string;
  previousFilename?: string;
}

/** What the fake GitHub holds; tests read it to assert what a user would see on GitHub. */
export interface GitHubState {
  comments: StoredComment[];
  issues: StoredIssue[];
  checkRuns: StoredCheckRun[];
  /** Pull requests opened through pulls/create (numbered with the repository's issues, as on GitHub). */
  pullRequests: StoredPullRequest[];
  /** Files of a pull request, keyed "owner/repo#number"; set with setPullRequestFiles. */
  pullRequestFiles: Record<string, PullRequestFile[]>;
  /** Workflow runs with their jobs (see github-workflow-runs.ts); set with setWorkflowRuns. */
  workflowRuns: WorkflowRunFixture[];
  /** An organization's billing usage items (GET /organizations/{org}/settings/billing/usage); set with setBillingUsage. */
  billingUsage: Record<string, object[]>;
  /** Workflow artifacts with their zips (see github-artifacts.ts); set with setArtifacts. */
  artifacts: ArtifactFixture[];
  /** An organization's repositories (GET /orgs/{org}/repos), in GitHub's order; set with setOrganizationRepositories. */
  organizationRepositories: Record<string, OrganizationRepositoryFixture[]>;
}

export interface OrganizationRepositoryFixture {
  name: string;
  archived?: boolean;
  private?: boolean;
  fork?: boolean;
}

export interface InjectedFailure {
  status?: number;
  message?: string;
  headers?: Record<string, string>;
}

export interface GitHubApiServer {
  /** Base URL to give Octokit (baseUrl) or an action (GITHUB_API_URL), e.g. http://127.0.0.1:41234. */
  url: string;
  requests: RecordedRequest[];
  violations: ApiViolation[];
  state: GitHubState;
  /** The next `count` requests get this failure (default HTTP 500) before any other handling. */
  failNext(count: number, failure?: InjectedFailure): void;
  /** The next request to this operation is carried out, then answered with the failure (a reply lost after the write). */
  failAfterHandling(operationId: string, failure?: InjectedFailure): void;
  /** Every request to this operation is refused with the failure (a fork's read-only token: 403). */
  refuseOperation(operationId: string, failure: InjectedFailure): void;
  setPullRequestFiles(repository: { owner: string; repo: string }, pullNumber: number, files: PullRequestFile[]): void;
  setWorkflowRuns(runs: WorkflowRunFixture[]): void;
  setBillingUsage(org: string, items: object[]): void;
  setArtifacts(artifacts: ArtifactFixture[]): void;
  /** Where the redirected artifact downloads go: a stand-in for GitHub's signed storage URLs, on another port. */
  storageUrl: string;
  setOrganizationRepositories(org: string, repositories: OrganizationRepositoryFixture[]): void;
  close(): Promise<void>;
}

/** The user every token acts as: GITHUB_TOKEN's bot. */
const BOT = { login: 'github-actions[bot]', id: 41898282 };
const MAX_BODY_BYTES = 25 * 1024 * 1024;
const HTML_ROOT = 'https://github.com';

export async function startGitHubApiServer(): Promise<GitHubApiServer> {
  const api = loadGitHubOpenApi();
  const state: GitHubState = {
    comments: [],
    issues: [],
    checkRuns: [],
    pullRequests: [],
    pullRequestFiles: {},
    workflowRuns: [],
    billingUsage: {},
    artifacts: [],
    organizationRepositories: {},
  };
  const requests: RecordedRequest[] = [];
  const violations: ApiViolation[] = [];
  const failures: InjectedFailure[] = [];
  const lostReplies = new Map<string, InjectedFailure>();
  const refusedOperations = new Map<string, InjectedFailure>();
  // The storage host an artifact download redirects to. Like a signed URL it needs no token, and refuses one: a
  // client that forwards GITHUB_TOKEN to another host is leaking it.
  const storage = createServer((req, res) => {
    const id = Number(/^\/artifact-blobs\/(\d+)\.zip/.exec(req.url ?? '')?.[1]);
    const artifact = state.artifacts.find((a) => a.id === id);
    if (req.headers.authorization) {
      violations.push({
        kind: 'unauthenticated',
        method: req.method ?? 'GET',
        path: req.url ?? '',
        message: 'token sent to artifact storage',
      });
      res.writeHead(400).end('Authorization header not allowed with a signed URL');
      return;
    }
    if (!artifact) return void res.writeHead(404).end('BlobNotFound');
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(artifact.zip.length) });
    res.end(Buffer.from(artifact.zip));
  });
  let storageUrl = '';
  const ids = { comment: 1_000_000, issue: 2_000_000, checkRun: 3_000_000, pullRequest: 4_000_000 };
  const issueNumbers = new Map<string, number>();
  let url = '';

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      reply(res, 500, { message: `Test server error: ${String(error)}` });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const target = new URL(req.url ?? '/', url);
    const query = Object.fromEntries(target.searchParams);
    const raw = await readBody(req);
    const record: RecordedRequest = {
      method,
      path: target.pathname,
      query,
      headers: req.headers,
      body: undefined,
      status: 0,
      receivedAt: Date.now(),
    };
    requests.push(record);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      reply(res, status, body, headers);
    };
    const refuse = (kind: ViolationKind, status: number, message: string) => {
      violations.push({ kind, method, path: target.pathname, message });
      send(status, { message, documentation_url: 'https://docs.github.com/rest' });
    };

    if (raw.length > 0) {
      try {
        record.body = JSON.parse(raw);
      } catch {
        return refuse('invalid-body', 400, 'Problems parsing JSON');
      }
    }
    const failure = failures.shift();
    if (failure) {
      return send(failure.status ?? 500, { message: failure.message ?? 'Server Error' }, failure.headers);
    }

    const match = api.match(method, target.pathname);
    if (!match) return refuse('unknown-route', 404, `Not Found: ${method} ${target.pathname} is not in GitHub's REST API`);
    const { operation, pathParams } = match;
    record.operationId = operation.operationId;

    if (!/^(token|bearer) \S+$/i.test(req.headers.authorization ?? '')) {
      return refuse('unauthenticated', 401, 'Requires authentication');
    }
    const params = api.checkParameters(operation, { ...query, ...pathParams });
    if (!params.valid) {
      // GitHub answers a malformed path (issues/abc) with 404 and a bad query value with 422.
      const inPath = params.problems.some((p) => Object.keys(pathParams).some((name) => p.startsWith(`/${name} `)));
      return refuse('invalid-parameter', inPath ? 404 : 422, `Invalid request.\n\n${params.problems.join('\n')}`);
    }
    if (operation.requestBody) {
      if (record.body === undefined && operation.requestBody.required) {
        return refuse('invalid-body', 422, `Invalid request.\n\n${operation.operationId} needs a JSON body.`);
      }
      if (record.body !== undefined) {
        const body = api.checkRequestBody(operation, record.body);
        if (!body.valid) return refuse('invalid-body', 422, `Invalid request.\n\n${body.problems.join('\n')}`);
      }
    }

    const refused = refusedOperations.get(operation.operationId);
    if (refused)
      return send(refused.status ?? 403, { message: refused.message ?? 'Resource not accessible by integration' }, refused.headers);
    const handler = handlers[operation.operationId];
    if (!handler) {
      // 404, not 501: Octokit retries 5xx answers, which would only slow down the failing test.
      return refuse('unimplemented', 404, `The test server does not implement ${operation.operationId} yet.`);
    }
    const result = handler({
      owner: pathParams.owner,
      repo: pathParams.repo,
      pathParams,
      query,
      body: (record.body ?? {}) as Body,
      pathname: target.pathname,
    });
    const lost = lostReplies.get(operation.operationId);
    if (lost) {
      lostReplies.delete(operation.operationId);
      return send(lost.status ?? 500, { message: lost.message ?? 'Server Error' }, lost.headers);
    }
    const check = api.checkResponse(operation, result.status, result.body);
    if (!check.valid) {
      violations.push({
        kind: 'invalid-response',
        method,
        path: target.pathname,
        message: `The test server's ${result.status} response breaks GitHub's schema: ${check.problems.join('; ')}`,
      });
    }
    send(result.status, result.body, result.headers);
  }

  // ---- GitHub's representations -------------------------------------------------------------------------------
  const apiRepo = (owner: string, repo: string) => `${url}/repos/${owner}/${repo}`;
  const user = (who: { login: string; id: number; type?: string } = BOT) => ({
    login: who.login,
    id: who.id,
    node_id: 'MDM6Qm90NDE4OTgyODI=',
    avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
    gravatar_id: '',
    url: `${url}/users/${encodeURIComponent(BOT.login)}`,
    html_url: `${HTML_ROOT}/apps/github-actions`,
    followers_url: `${url}/users/github-actions%5Bbot%5D/followers`,
    following_url: `${url}/users/github-actions%5Bbot%5D/following{/other_user}`,
    gists_url: `${url}/users/github-actions%5Bbot%5D/gists{/gist_id}`,
    starred_url: `${url}/users/github-actions%5Bbot%5D/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/users/github-actions%5Bbot%5D/subscriptions`,
    organizations_url: `${url}/users/github-actions%5Bbot%5D/orgs`,
    repos_url: `${url}/users/github-actions%5Bbot%5D/repos`,
    events_url: `${url}/users/github-actions%5Bbot%5D/events{/privacy}`,
    received_events_url: `${url}/users/github-actions%5Bbot%5D/received_events`,
    type: who.type ?? 'Bot',
    site_admin: false,
  });
  const commentJson = (c: StoredComment) => ({
    id: c.id,
    node_id: nodeId('IC', c.id),
    url: `${apiRepo(c.owner, c.repo)}/issues/comments/${c.id}`,
    html_url: `${HTML_ROOT}/${c.owner}/${c.repo}/issues/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${apiRepo(c.owner, c.repo)}/issues/${c.issueNumber}`,
    body: c.body,
    user: user(c.author),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: 'NONE',
  });
  const labelJson = (owner: string, repo: string, name: string) => ({
    id: labelId(name),
    node_id: nodeId('LA', labelId(name)),
    url: `${apiRepo(owner, repo)}/labels/${encodeURIComponent(name)}`,
    name,
    description: null,
    color: 'ededed',
    default: false,
  });
  const issueJson = (i: StoredIssue) => {
    const base = apiRepo(i.owner, i.repo);
    return {
      id: i.id,
      node_id: nodeId('I_', i.id),
      url: `${base}/issues/${i.number}`,
      repository_url: base,
      labels_url: `${base}/issues/${i.number}/labels{/name}`,
      comments_url: `${base}/issues/${i.number}/comments`,
      events_url: `${base}/issues/${i.number}/events`,
      html_url: `${HTML_ROOT}/${i.owner}/${i.repo}/issues/${i.number}`,
      number: i.number,
      state: i.state,
      state_reason: i.stateReason,
      title: i.title,
      body: i.body,
      user: user(),
      labels: i.labels.map((name) => labelJson(i.owner, i.repo, name)),
      assignee: null,
      assignees: [],
      milestone: null,
      locked: false,
      active_lock_reason: null,
      comments: i.comments,
      closed_at: i.closedAt,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      author_association: 'NONE',
    };
  };
  const checkRunJson = (r: StoredCheckRun) => {
    const base = apiRepo(r.owner, r.repo);
    return {
      id: r.id,
      node_id: nodeId('CR_', r.id),
      head_sha: r.headSha,
      external_id: r.externalId,
      url: `${base}/check-runs/${r.id}`,
      html_url: `${HTML_ROOT}/${r.owner}/${r.repo}/runs/${r.id}`,
      details_url: r.detailsUrl,
      status: r.status,
      conclusion: r.conclusion,
      started_at: r.startedAt,
      completed_at: r.completedAt,
      output: {
        title: r.output.title,
        summary: r.output.summary,
        text: r.output.text,
        annotations_count: r.output.annotations.length,
        annotations_url: `${base}/check-runs/${r.id}/annotations`,
      },
      name: r.name,
      check_suite: { id: r.id + 1 },
      app: null,
      pull_requests: [],
    };
  };
  const repositoryJson = (owner: string, repo: string) => {
    const base = apiRepo(owner, repo);
    const now = new Date().toISOString();
    const urls = Object.fromEntries(
      [
        ['archive_url', '/{archive_format}{/ref}'],
        ['assignees_url', '/assignees{/user}'],
        ['blobs_url', '/git/blobs{/sha}'],
        ['branches_url', '/branches{/branch}'],
        ['collaborators_url', '/collaborators{/collaborator}'],
        ['comments_url', '/comments{/number}'],
        ['commits_url', '/commits{/sha}'],
        ['compare_url', '/compare/{base}...{head}'],
        ['contents_url', '/contents/{+path}'],
        ['contributors_url', '/contributors'],
        ['deployments_url', '/deployments'],
        ['downloads_url', '/downloads'],
        ['events_url', '/events'],
        ['forks_url', '/forks'],
        ['git_commits_url', '/git/commits{/sha}'],
        ['git_refs_url', '/git/refs{/sha}'],
        ['git_tags_url', '/git/tags{/sha}'],
        ['hooks_url', '/hooks'],
        ['issue_comment_url', '/issues/comments{/number}'],
        ['issue_events_url', '/issues/events{/number}'],
        ['issues_url', '/issues{/number}'],
        ['keys_url', '/keys{/key_id}'],
        ['labels_url', '/labels{/name}'],
        ['languages_url', '/languages'],
        ['merges_url', '/merges'],
        ['milestones_url', '/milestones{/number}'],
        ['notifications_url', '/notifications{?since,all,participating}'],
        ['pulls_url', '/pulls{/number}'],
        ['releases_url', '/releases{/id}'],
        ['stargazers_url', '/stargazers'],
        ['statuses_url', '/statuses/{sha}'],
        ['subscribers_url', '/subscribers'],
        ['subscription_url', '/subscription'],
        ['tags_url', '/tags'],
        ['teams_url', '/teams'],
        ['trees_url', '/git/trees{/sha}'],
      ].map(([key, suffix]) => [key, base + suffix]),
    );
    const openIssues = state.issues.filter((i) => i.owner === owner && i.repo === repo && i.state === 'open').length;
    return {
      id: repoId(owner, repo),
      node_id: nodeId('R_', repoId(owner, repo)),
      name: repo,
      full_name: `${owner}/${repo}`,
      owner: { ...user(), login: owner, id: repoId(owner, ''), type: 'Organization', html_url: `${HTML_ROOT}/${owner}` },
      private: false,
      html_url: `${HTML_ROOT}/${owner}/${repo}`,
      description: null,
      fork: false,
      url: base,
      ...urls,
      clone_url: `${HTML_ROOT}/${owner}/${repo}.git`,
      git_url: `git://github.com/${owner}/${repo}.git`,
      ssh_url: `git@github.com:${owner}/${repo}.git`,
      svn_url: `${HTML_ROOT}/${owner}/${repo}`,
      mirror_url: null,
      homepage: null,
      language: 'Python',
      default_branch: 'main',
      forks: 0,
      forks_count: 0,
      stargazers_count: 0,
      watchers: 0,
      watchers_count: 0,
      size: 1,
      open_issues: openIssues,
      open_issues_count: openIssues,
      has_issues: true,
      has_projects: false,
      has_wiki: false,
      has_pages: false,
      has_discussions: false,
      archived: false,
      disabled: false,
      license: null,
      pushed_at: now,
      created_at: now,
      updated_at: now,
      network_count: 0,
      subscribers_count: 0,
    };
  };
  const pullRequestJson = (p: StoredPullRequest, full: boolean) => {
    const base = apiRepo(p.owner, p.repo);
    const html = `${HTML_ROOT}/${p.owner}/${p.repo}/pull/${p.number}`;
    const branch = (ref: string) => ({
      label: `${p.owner}:${ref}`,
      ref,
      sha: fakeSha(`${p.owner}/${p.repo}@${ref}`),
      user: { ...user(), login: p.owner, id: repoId(p.owner, ''), type: 'Organization', html_url: `${HTML_ROOT}/${p.owner}` },
      // A pull request's head and base carry the `repository` representation, which also requires has_downloads.
      repo: { ...repositoryJson(p.owner, p.repo), has_downloads: true },
    });
    const simple = {
      url: `${base}/pulls/${p.number}`,
      id: p.id,
      node_id: nodeId('PR_', p.id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${base}/issues/${p.number}`,
      commits_url: `${base}/pulls/${p.number}/commits`,
      review_comments_url: `${base}/pulls/${p.number}/comments`,
      review_comment_url: `${base}/pulls/comments{/number}`,
      comments_url: `${base}/issues/${p.number}/comments`,
      statuses_url: `${base}/statuses/${fakeSha(`${p.owner}/${p.repo}@${p.head}`)}`,
      number: p.number,
      state: p.state,
      locked: false,
      title: p.title,
      user: user(),
      body: p.body,
      labels: [],
      milestone: null,
      active_lock_reason: null,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
      closed_at: p.closedAt,
      merged_at: null,
      merge_commit_sha: null,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: branch(p.head),
      base: branch(p.base),
      _links: {
        self: { href: `${base}/pulls/${p.number}` },
        html: { href: html },
        issue: { href: `${base}/issues/${p.number}` },
        comments: { href: `${base}/issues/${p.number}/comments` },
        review_comments: { href: `${base}/pulls/${p.number}/comments` },
        review_comment: { href: `${base}/pulls/comments{/number}` },
        commits: { href: `${base}/pulls/${p.number}/commits` },
        statuses: { href: `${base}/statuses/${fakeSha(`${p.owner}/${p.repo}@${p.head}`)}` },
      },
      author_association: 'NONE',
      auto_merge: null,
      draft: p.draft,
    };
    if (!full) return simple;
    return {
      ...simple,
      merged: false,
      mergeable: null,
      rebaseable: null,
      mergeable_state: 'unknown',
      merged_by: null,
      comments: 0,
      review_comments: 0,
      maintainer_can_modify: p.maintainerCanModify,
      commits: 1,
      additions: 1,
      deletions: 1,
      changed_files: 1,
    };
  };
  const diffEntryJson = (owner: string, repo: string, f: PullRequestFile) => {
    const additions = f.additions ?? 1;
    const deletions = f.deletions ?? 0;
    return {
      sha: fakeSha(f.filename),
      filename: f.filename,
      status: f.status ?? 'modified',
      additions,
      deletions,
      changes: additions + deletions,
      blob_url: `${HTML_ROOT}/${owner}/${repo}/blob/${fakeSha('head')}/${encodeURI(f.filename)}`,
      raw_url: `${HTML_ROOT}/${owner}/${repo}/raw/${fakeSha('head')}/${encodeURI(f.filename)}`,
      contents_url: `${apiRepo(owner, repo)}/contents/${encodeURI(f.filename)}?ref=${fakeSha('head')}`,
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
      ...(f.previousFilename !== undefined ? { previous_filename: f.previousFilename } : {}),
    };
  };

  // ---- Endpoints ------------------------------------------------------------------------------------------------
  const notFound = (): HandlerResult => ({
    status: 404,
    body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' },
  });
  const findIssue = (owner: string, repo: string, number: number) =>
    state.issues.find((i) => i.owner === owner && i.repo === repo && i.number === number);
  const nextIssueNumber = (owner: string, repo: string) => {
    const key = `${owner}/${repo}`;
    const next = (issueNumbers.get(key) ?? 0) + 1;
    issueNumbers.set(key, next);
    return next;
  };
  const validationFailed = (message: string, errors: object[] = []): HandlerResult => ({
    status: 422,
    body: { message, errors, documentation_url: 'https://docs.github.com/rest/pulls/pulls' },
  });
  const labelNames = (labels: unknown): string[] =>
    Array.isArray(labels)
      ? labels.map((l) => (typeof l === 'string' ? l : String((l as { name?: unknown }).name ?? ''))).filter(Boolean)
      : [];

  const handlers: Record<string, (ctx: HandlerContext) => HandlerResult> = {
    'repos/get': ({ owner, repo }) => ({ status: 200, body: repositoryJson(owner, repo) }),

    'issues/list-comments': ({ owner, repo, pathParams, query, pathname }) => {
      const number = Number(pathParams.issue_number);
      const since = query.since ? Date.parse(query.since) : undefined;
      const list = state.comments
        .filter((c) => c.owner === owner && c.repo === repo && c.issueNumber === number)
        .filter((c) => since === undefined || Date.parse(c.updatedAt) >= since)
        .sort((a, b) => a.id - b.id);
      return paginate(list.map(commentJson), query, url + pathname);
    },
    'issues/create-comment': ({ owner, repo, pathParams, body }) => {
      const now = new Date().toISOString();
      const comment: StoredComment = {
        id: ++ids.comment,
        owner,
        repo,
        issueNumber: Number(pathParams.issue_number),
        body: String(body.body),
        createdAt: now,
        updatedAt: now,
      };
      state.comments.push(comment);
      const issue = findIssue(owner, repo, comment.issueNumber);
      if (issue) issue.comments++;
      return { status: 201, body: commentJson(comment), headers: { location: commentJson(comment).url } };
    },
    'issues/get-comment': ({ owner, repo, pathParams }) => {
      const comment = state.comments.find((c) => c.owner === owner && c.repo === repo && c.id === Number(pathParams.comment_id));
      return comment ? { status: 200, body: commentJson(comment) } : notFound();
    },
    'issues/delete-comment': ({ owner, repo, pathParams }) => {
      const index = state.comments.findIndex((c) => c.owner === owner && c.repo === repo && c.id === Number(pathParams.comment_id));
      if (index < 0) return notFound();
      state.comments.splice(index, 1);
      return { status: 204, body: undefined };
    },
    // GITHUB_TOKEN (an installation token) may not read /user: GitHub answers 403 "Resource not accessible by
    // integration", and a client must fall back to the bot's known login.
    'users/get-authenticated': () => ({
      status: 403,
      body: {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
        status: '403',
      },
    }),
    'issues/update-comment': ({ owner, repo, pathParams, body }) => {
      const comment = state.comments.find((c) => c.owner === owner && c.repo === repo && c.id === Number(pathParams.comment_id));
      if (!comment) return notFound();
      comment.body = String(body.body);
      comment.updatedAt = new Date().toISOString();
      return { status: 200, body: commentJson(comment) };
    },

    'issues/list-for-repo': ({ owner, repo, query, pathname }) => {
      const wantedState = query.state ?? 'open';
      const wantedLabels = (query.labels ?? '')
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean);
      const since = query.since ? Date.parse(query.since) : undefined;
      const direction = query.direction === 'asc' ? 1 : -1;
      const sortKey = query.sort === 'updated' ? 'updatedAt' : 'createdAt';
      const list = state.issues
        .filter((i) => i.owner === owner && i.repo === repo)
        .filter((i) => wantedState === 'all' || i.state === wantedState)
        .filter((i) => wantedLabels.every((l) => i.labels.some((have) => have.toLowerCase() === l.toLowerCase())))
        .filter((i) => since === undefined || Date.parse(i.updatedAt) >= since)
        .sort((a, b) => direction * (a[sortKey].localeCompare(b[sortKey]) || a.number - b.number));
      return paginate(list.map(issueJson), query, url + pathname);
    },
    'issues/create': ({ owner, repo, body }) => {
      const now = new Date().toISOString();
      const issue: StoredIssue = {
        id: ++ids.issue,
        owner,
        repo,
        number: nextIssueNumber(owner, repo),
        title: String(body.title),
        body: typeof body.body === 'string' ? body.body : null,
        // GitHub creates labels that do not exist yet when a user with push access names them.
        labels: [...new Set(labelNames(body.labels))],
        state: 'open',
        stateReason: null,
        comments: 0,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
      };
      state.issues.push(issue);
      return { status: 201, body: issueJson(issue), headers: { location: issueJson(issue).url } };
    },
    'issues/update': ({ owner, repo, pathParams, body }) => {
      const issue = findIssue(owner, repo, Number(pathParams.issue_number));
      if (!issue) return notFound();
      if (body.title !== undefined && body.title !== null) issue.title = String(body.title);
      if (body.body !== undefined) issue.body = body.body === null ? null : String(body.body);
      if (body.labels !== undefined) issue.labels = [...new Set(labelNames(body.labels))];
      if (body.state === 'closed' && issue.state === 'open') {
        issue.state = 'closed';
        issue.closedAt = new Date().toISOString();
        issue.stateReason = typeof body.state_reason === 'string' ? body.state_reason : 'completed';
      } else if (body.state === 'open' && issue.state === 'closed') {
        issue.state = 'open';
        issue.closedAt = null;
        issue.stateReason = 'reopened';
      }
      issue.updatedAt = new Date().toISOString();
      return { status: 200, body: issueJson(issue) };
    },

    'checks/create': ({ owner, repo, body }) => {
      const problem = checkRunRules(body);
      if (problem) return problem;
      const now = new Date().toISOString();
      const output = (body.output ?? {}) as CheckRunOutputBody;
      const run: StoredCheckRun = {
        id: ++ids.checkRun,
        owner,
        repo,
        name: String(body.name),
        headSha: String(body.head_sha),
        status: body.conclusion ? 'completed' : String(body.status ?? 'queued'),
        conclusion: typeof body.conclusion === 'string' ? body.conclusion : null,
        startedAt: typeof body.started_at === 'string' ? body.started_at : now,
        completedAt: body.conclusion ? (typeof body.completed_at === 'string' ? body.completed_at : now) : null,
        detailsUrl: typeof body.details_url === 'string' ? body.details_url : null,
        externalId: typeof body.external_id === 'string' ? body.external_id : null,
        output: {
          title: output.title ?? null,
          summary: output.summary ?? null,
          text: output.text ?? null,
          annotations: [...(output.annotations ?? [])],
        },
      };
      state.checkRuns.push(run);
      return { status: 201, body: checkRunJson(run) };
    },
    'checks/update': ({ owner, repo, pathParams, body }) => {
      const run = state.checkRuns.find((r) => r.owner === owner && r.repo === repo && r.id === Number(pathParams.check_run_id));
      if (!run) return notFound();
      const problem = checkRunRules(body);
      if (problem) return problem;
      if (typeof body.name === 'string') run.name = body.name;
      if (typeof body.details_url === 'string') run.detailsUrl = body.details_url;
      if (typeof body.status === 'string') run.status = body.status;
      if (typeof body.conclusion === 'string') {
        run.conclusion = body.conclusion;
        run.status = 'completed';
        run.completedAt = typeof body.completed_at === 'string' ? body.completed_at : new Date().toISOString();
      }
      const output = body.output as CheckRunOutputBody | undefined;
      if (output) {
        if (output.title !== undefined) run.output.title = output.title;
        if (output.summary !== undefined) run.output.summary = output.summary;
        if (output.text !== undefined) run.output.text = output.text;
        // GitHub adds each update's annotations to the run's earlier ones.
        run.output.annotations.push(...(output.annotations ?? []));
      }
      return { status: 200, body: checkRunJson(run) };
    },

    'billing/get-github-billing-usage-report-org': ({ pathParams }) =>
      state.billingUsage[pathParams.org] ? { status: 200, body: { usageItems: state.billingUsage[pathParams.org] } } : notFound(),
    'repos/list-for-org': ({ pathParams, query, pathname }) => {
      const org = pathParams.org;
      const listed = state.organizationRepositories[org];
      if (!listed) return notFound();
      const type = query.type ?? 'all';
      const kept = listed.filter(
        (r) =>
          type === 'all' ||
          type === 'member' ||
          (type === 'public' && !r.private) ||
          (type === 'private' && r.private === true) ||
          (type === 'forks' && r.fork === true) ||
          (type === 'sources' && !r.fork),
      );
      return paginate(
        kept.map((r) => ({
          ...repositoryJson(org, r.name),
          archived: r.archived === true,
          private: r.private === true,
          fork: r.fork === true,
        })),
        query,
        url + pathname,
      );
    },
    'actions/list-workflow-runs-for-repo': ({ owner, repo, query, pathname }) => {
      // With any of these filters GitHub searches, and a search returns 1,000 runs at most (total_count stays true).
      const searched = ['actor', 'branch', 'check_suite_id', 'created', 'event', 'head_sha', 'status'].some((k) => query[k] !== undefined);
      const runs = filterWorkflowRuns(state.workflowRuns, owner, repo, query);
      const page = paginate(
        (searched ? runs.slice(0, 1000) : runs).map((r) => workflowRunJson(r, url, repositoryJson(owner, repo))),
        query,
        url + pathname,
      );
      return { ...page, body: { total_count: runs.length, workflow_runs: page.body } };
    },
    'actions/list-jobs-for-workflow-run': ({ owner, repo, pathParams, query, pathname }) => {
      const run = state.workflowRuns.find((r) => r.owner === owner && r.repo === repo && r.id === Number(pathParams.run_id));
      if (!run) return notFound();
      const page = paginate(
        run.jobs.map((j) => workflowJobJson(run, j, url)),
        query,
        url + pathname,
      );
      return { ...page, body: { total_count: run.jobs.length, jobs: page.body } };
    },
    'actions/list-artifacts-for-repo': ({ owner, repo, query, pathname }) => {
      const list = filterArtifacts(state.artifacts, owner, repo, query);
      const page = paginate(
        list.map((a) => artifactJson(a, url)),
        query,
        url + pathname,
      );
      return { ...page, body: { total_count: list.length, artifacts: page.body } };
    },
    'actions/list-workflow-run-artifacts': ({ owner, repo, pathParams, query, pathname }) => {
      const list = filterArtifacts(state.artifacts, owner, repo, query, Number(pathParams.run_id));
      const page = paginate(
        list.map((a) => artifactJson(a, url)),
        query,
        url + pathname,
      );
      return { ...page, body: { total_count: list.length, artifacts: page.body } };
    },
    'actions/download-artifact': ({ owner, repo, pathParams }) => {
      const artifact = state.artifacts.find((a) => a.owner === owner && a.repo === repo && a.id === Number(pathParams.artifact_id));
      if (!artifact || pathParams.archive_format !== 'zip') return notFound();
      if (artifact.expired)
        return { status: 410, body: { message: 'Artifact has expired', documentation_url: 'https://docs.github.com/rest' } };
      return { status: 302, body: undefined, headers: { location: `${storageUrl}/artifact-blobs/${artifact.id}.zip?sig=test` } };
    },
    'actions/get-workflow-run': ({ owner, repo, pathParams }) => {
      const run = state.workflowRuns.find((r) => r.owner === owner && r.repo === repo && r.id === Number(pathParams.run_id));
      return run ? { status: 200, body: workflowRunJson(run, url, repositoryJson(owner, repo)) } : notFound();
    },
    'pulls/list': ({ owner, repo, query, pathname }) => {
      // head is "user:branch" (or "org:branch"); state defaults to open; sort by created, newest first.
      const wanted = query.state ?? 'open';
      const list = state.pullRequests
        .filter((p) => p.owner === owner && p.repo === repo)
        .filter((p) => wanted === 'all' || p.state === wanted)
        .filter((p) => query.head === undefined || query.head === `${p.owner}:${p.head}`)
        .filter((p) => query.base === undefined || query.base === p.base)
        .sort((a, b) => (query.direction === 'asc' ? a.id - b.id : b.id - a.id));
      return paginate(
        list.map((p) => pullRequestJson(p, false)),
        query,
        url + pathname,
      );
    },
    'pulls/create': ({ owner, repo, body }) => {
      if (typeof body.head !== 'string' || typeof body.base !== 'string') {
        return validationFailed('Validation Failed', [{ resource: 'PullRequest', field: 'head', code: 'missing_field' }]);
      }
      if (body.title === undefined && body.issue === undefined) {
        return validationFailed('Validation Failed', [{ resource: 'PullRequest', field: 'title', code: 'missing_field' }]);
      }
      const head = body.head.includes(':') ? body.head.split(':')[1] : body.head;
      if (head === body.base) {
        return validationFailed('Validation Failed', [
          { resource: 'PullRequest', code: 'custom', message: `No commits between ${body.base} and ${head}` },
        ]);
      }
      if (
        state.pullRequests.some(
          (p) => p.owner === owner && p.repo === repo && p.state === 'open' && p.head === head && p.base === body.base,
        )
      ) {
        return validationFailed('Validation Failed', [
          { resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${owner}:${head}.` },
        ]);
      }
      const now = new Date().toISOString();
      const pull: StoredPullRequest = {
        id: ++ids.pullRequest,
        owner,
        repo,
        number: nextIssueNumber(owner, repo),
        title: String(body.title ?? ''),
        body: typeof body.body === 'string' ? body.body : null,
        head,
        base: body.base,
        state: 'open',
        draft: body.draft === true,
        maintainerCanModify: body.maintainer_can_modify !== false,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
      };
      state.pullRequests.push(pull);
      return { status: 201, body: pullRequestJson(pull, true), headers: { location: `${apiRepo(owner, repo)}/pulls/${pull.number}` } };
    },
    'pulls/get': ({ owner, repo, pathParams }) => {
      const pull = state.pullRequests.find((p) => p.owner === owner && p.repo === repo && p.number === Number(pathParams.pull_number));
      return pull ? { status: 200, body: pullRequestJson(pull, true) } : notFound();
    },
    'pulls/update': ({ owner, repo, pathParams, body }) => {
      const pull = state.pullRequests.find((p) => p.owner === owner && p.repo === repo && p.number === Number(pathParams.pull_number));
      if (!pull) return notFound();
      if (typeof body.title === 'string') pull.title = body.title;
      if (typeof body.body === 'string') pull.body = body.body;
      if (typeof body.base === 'string') pull.base = body.base;
      if (body.state === 'open' || body.state === 'closed') {
        pull.state = body.state;
        pull.closedAt = body.state === 'closed' ? new Date().toISOString() : null;
      }
      if (typeof body.maintainer_can_modify === 'boolean') pull.maintainerCanModify = body.maintainer_can_modify;
      pull.updatedAt = new Date().toISOString();
      return { status: 200, body: pullRequestJson(pull, true) };
    },
    'pulls/list-files': ({ owner, repo, pathParams, query, pathname }) => {
      const files = state.pullRequestFiles[`${owner}/${repo}#${Number(pathParams.pull_number)}`];
      if (!files) return notFound();
      return paginate(
        files.map((f) => diffEntryJson(owner, repo, f)),
        query,
        url + pathname,
      );
    },
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => storage.listen(0, '127.0.0.1', resolve));
  storageUrl = `http://127.0.0.1:${(storage.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    violations,
    state,
    failNext(count, failure = {}) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    failAfterHandling(operationId, failure = {}) {
      lostReplies.set(operationId, failure);
    },
    refuseOperation(operationId, failure) {
      refusedOperations.set(operationId, failure);
    },
    setPullRequestFiles({ owner, repo }, pullNumber, files) {
      state.pullRequestFiles[`${owner}/${repo}#${pullNumber}`] = files;
    },
    setWorkflowRuns(runs) {
      state.workflowRuns = runs;
    },
    setBillingUsage(org, items) {
      state.billingUsage[org] = items;
    },
    setArtifacts(artifacts) {
      state.artifacts = artifacts;
    },
    get storageUrl() {
      return storageUrl;
    },
    setOrganizationRepositories(org, repositories) {
      state.organizationRepositories[org] = repositories;
    },
    close: async () => {
      storage.closeAllConnections();
      await new Promise<void>((resolve) => storage.close(() => resolve()));
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}

type Body = Record<string, unknown>;

interface CheckRunOutputBody {
  title?: string;
  summary?: string;
  text?: string;
  annotations?: StoredAnnotation[];
}

interface HandlerContext {
  owner: string;
  repo: string;
  pathParams: Record<string, string>;
  query: Record<string, string>;
  body: Body;
  pathname: string;
}

interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Rules GitHub enforces that its schema only states in prose. */
function checkRunRules(body: Body): HandlerResult | undefined {
  if ((body.status === 'completed' || body.completed_at !== undefined) && body.conclusion === undefined) {
    return {
      status: 422,
      body: { message: 'Invalid request.\n\n"conclusion" wasn\'t supplied.', documentation_url: 'https://docs.github.com/rest' },
    };
  }
  return undefined;
}

/** GitHub's page/per_page paging: at most 100 a page, Link header with next/last and prev/first. */
function paginate(items: unknown[], query: Record<string, string>, pageUrl: string): HandlerResult {
  const perPage = Math.min(Math.max(Number(query.per_page ?? 30) || 30, 1), 100);
  const page = Math.max(Number(query.page ?? 1) || 1, 1);
  const lastPage = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number, rel: string) => {
    const target = new URL(pageUrl);
    for (const [k, v] of Object.entries(query)) target.searchParams.set(k, v);
    target.searchParams.set('per_page', String(perPage));
    target.searchParams.set('page', String(n));
    return `<${target.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(', ') } : {},
  };
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-github-request-id': `TEST:${Date.now().toString(16)}`,
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    ...headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body over 25 MB');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function nodeId(prefix: string, id: number): string {
  return `${prefix}${Buffer.from(String(id)).toString('base64url')}`;
}

function fakeSha(seed: string): string {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(5);
}

function labelId(name: string): number {
  return parseInt(fakeSha(`label:${name}`).slice(0, 8), 16);
}

function repoId(owner: string, repo: string): number {
  return parseInt(fakeSha(`repo:${owner}/${repo}`).slice(0, 8), 16);
}

// ---- GitHub's OpenAPI description ---------------------------------------------------------------------------------
// Hand-written index because no maintained library validates OpenAPI 3.0 requests and responses for plain node:http
// without bringing a framework; the checking itself is ajv's.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export const GITHUB_OPENAPI_PATH = fileURLToPath(
  new URL('../../node_modules/@octokit/openapi/generated/api.github.com.json', import.meta.url),
);

interface OperationParameter {
  name: string;
  in: string;
  required: boolean;
  schema?: JsonObject;
}

interface Operation {
  method: string;
  template: string;
  operationId: string;
  parameters: OperationParameter[];
  requestBody?: { required: boolean; schema?: JsonObject };
  /** JSON response schema per status code ('200', '201', ...). */
  responses: Record<string, JsonObject | undefined>;
  pattern: RegExp;
  pathParamNames: string[];
}

interface SchemaCheck {
  valid: boolean;
  /** One line per problem, e.g. "/output/annotations must NOT have more than 50 items". */
  problems: string[];
}

class GitHubOpenApi {
  private readonly byMethod = new Map<string, Operation[]>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv: Ajv;
  private readonly paramAjv: Ajv;

  constructor(spec: JsonObject) {
    normalizeNullable(spec);
    const components = spec.components as JsonObject;
    // strict:false: the description uses OpenAPI-only keywords (example, discriminator) and formats ajv lacks.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
    addFormats(this.ajv);
    this.ajv.addSchema({ components } as object, 'github');
    // Parameters arrive as strings: coerce "5" to 5 before checking `type: integer`.
    this.paramAjv = new Ajv({ strict: false, allErrors: true, coerceTypes: true, validateSchema: false, logger: false });

    const parameters = components.parameters as JsonObject;
    for (const [template, item] of Object.entries(spec.paths as JsonObject)) {
      for (const [method, raw] of Object.entries(item as JsonObject)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const op = raw as JsonObject;
        const operation: Operation = {
          method: method.toUpperCase(),
          template,
          operationId: String(op.operationId),
          parameters: ((op.parameters as JsonObject[] | undefined) ?? []).map((p) =>
            toParameter(typeof p.$ref === 'string' ? (parameters[p.$ref.split('/').pop()!] as JsonObject) : p),
          ),
          requestBody: toRequestBody(op.requestBody as JsonObject | undefined),
          responses: toResponses(op.responses as JsonObject, components),
          pattern: new RegExp(
            '^' +
              template
                .split(/\{[^}]+\}/)
                .map(escapeRegExp)
                .join('([^/]+)') +
              '$',
          ),
          pathParamNames: [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
        };
        const list = this.byMethod.get(operation.method) ?? [];
        list.push(operation);
        this.byMethod.set(operation.method, list);
      }
    }
    // Literal segments win over parameters: /issues/comments before /issues/{issue_number}.
    for (const list of this.byMethod.values()) list.sort((a, b) => a.pathParamNames.length - b.pathParamNames.length);
  }

  match(method: string, pathname: string): { operation: Operation; pathParams: Record<string, string> } | undefined {
    for (const operation of this.byMethod.get(method) ?? []) {
      const m = operation.pattern.exec(pathname);
      if (!m) continue;
      const pathParams: Record<string, string> = {};
      operation.pathParamNames.forEach((name, i) => (pathParams[name] = decodeURIComponent(m[i + 1])));
      return { operation, pathParams };
    }
    return undefined;
  }

  /** Path and query parameters: required ones present, each value of its schema's type and enum. */
  checkParameters(operation: Operation, values: Record<string, string>): SchemaCheck {
    const key = `params ${operation.operationId}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const own = operation.parameters.filter((p) => p.in === 'path' || p.in === 'query');
      validate = this.paramAjv.compile({
        type: 'object',
        properties: Object.fromEntries(own.map((p) => [p.name, p.schema ?? {}])),
        required: own.filter((p) => p.required).map((p) => p.name),
      });
      this.validators.set(key, validate);
    }
    return runValidator(validate, { ...values });
  }

  checkRequestBody(operation: Operation, body: unknown): SchemaCheck {
    const schema = operation.requestBody?.schema;
    return schema ? runValidator(this.compiled(`request ${operation.operationId}`, schema), body) : { valid: true, problems: [] };
  }

  checkResponse(operation: Operation, status: number, body: unknown): SchemaCheck {
    const schema = operation.responses[String(status)];
    return schema
      ? runValidator(this.compiled(`response ${operation.operationId} ${status}`, schema), body)
      : { valid: true, problems: [] };
  }

  private compiled(key: string, schema: JsonObject): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      // Inline schemas point into #/components; inside ajv the components document is named 'github'.
      validate = this.ajv.compile(rebaseRefs(schema) as object);
      this.validators.set(key, validate);
    }
    return validate;
  }
}

let loadedApi: GitHubOpenApi | undefined;

/** The description is 13 MB: parsed once per process (once per jest test file). */
function loadGitHubOpenApi(): GitHubOpenApi {
  loadedApi ??= new GitHubOpenApi(JSON.parse(readFileSync(GITHUB_OPENAPI_PATH, 'utf8')) as JsonObject);
  return loadedApi;
}

function runValidator(validate: ValidateFunction, value: unknown): SchemaCheck {
  if (validate(value)) return { valid: true, problems: [] };
  const problems = (validate.errors ?? []).map(
    (e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`,
  );
  return { valid: false, problems };
}

// ajv-formats is CommonJS: depending on the loader its default import is the plugin or the module object.
function addFormats(ajv: Ajv): void {
  const plugin = addFormatsPlugin as unknown as { default?: typeof addFormatsPlugin } & typeof addFormatsPlugin;
  (plugin.default ?? plugin)(ajv);
}

function toParameter(p: JsonObject): OperationParameter {
  return { name: String(p.name), in: String(p.in), required: p.required === true, schema: p.schema as JsonObject | undefined };
}

function toRequestBody(body: JsonObject | undefined): Operation['requestBody'] {
  if (!body) return undefined;
  const json = (body.content as JsonObject | undefined)?.['application/json'] as JsonObject | undefined;
  return { required: body.required === true, schema: json?.schema as JsonObject | undefined };
}

function toResponses(responses: JsonObject, components: JsonObject): Operation['responses'] {
  const out: Operation['responses'] = {};
  for (const [status, raw] of Object.entries(responses)) {
    let response = raw as JsonObject;
    if (typeof response.$ref === 'string') {
      response = (components.responses as JsonObject)[response.$ref.split('/').pop()!] as JsonObject;
    }
    const json = (response?.content as JsonObject | undefined)?.['application/json'] as JsonObject | undefined;
    out[status] = json?.schema as JsonObject | undefined;
  }
  return out;
}

/**
 * OpenAPI 3.0's `nullable: true` is not JSON Schema: rewrite it in place, once, as JSON Schema's null type
 * (ajv's own `nullable` keyword refuses schemas without `type`, and GitHub's description has many).
 */
function normalizeNullable(node: Json): void {
  if (Array.isArray(node)) {
    for (const item of node) normalizeNullable(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const value of Object.values(node)) normalizeNullable(value);
  if (node.nullable !== true) return;
  delete node.nullable;
  if (typeof node.type === 'string') {
    node.type = [node.type, 'null'];
    if (Array.isArray(node.enum)) node.enum = [...node.enum, null];
    return;
  }
  const rest: JsonObject = { ...node };
  for (const key of Object.keys(node)) delete node[key];
  node.anyOf = [rest, { type: 'null' }];
}

function rebaseRefs(node: Json): Json {
  if (Array.isArray(node)) return node.map(rebaseRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `github${value}` : rebaseRefs(value);
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
