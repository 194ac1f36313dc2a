// Workflow runs and their jobs for the test GitHub API server (actions/list-workflow-runs-for-repo and
// actions/list-jobs-for-workflow-run), built in GitHub's documented shapes so that the server's OpenAPI response
// check passes. Tests describe runs in a few fields; everything else is filled in as GitHub would.

export interface WorkflowJobFixture {
  id: number;
  name: string;
  labels: string[];
  runnerName?: string | null;
  runnerGroupName?: string | null;
  startedAt: string;
  completedAt: string | null;
  conclusion?: 'success' | 'failure' | 'cancelled' | 'skipped' | null;
}

export interface WorkflowRunFixture {
  owner: string;
  repo: string;
  id: number;
  path: string;
  name?: string;
  headBranch: string;
  headSha: string;
  event: string;
  status?: 'completed' | 'in_progress' | 'queued';
  /** How a completed run ended; 'success' when not given. */
  conclusion?: 'success' | 'failure' | 'cancelled';
  createdAt: string;
  jobs: WorkflowJobFixture[];
}

/** The runs of owner/repo that GitHub's filters (created, head_sha, branch, status, event) keep, newest first. */
export function filterWorkflowRuns(
  runs: WorkflowRunFixture[],
  owner: string,
  repo: string,
  query: Record<string, string>,
): WorkflowRunFixture[] {
  const created = query.created ? parseCreated(query.created) : undefined;
  return runs
    .filter((r) => r.owner === owner && r.repo === repo)
    .filter((r) => !query.head_sha || r.headSha === query.head_sha)
    .filter((r) => !query.branch || r.headBranch === query.branch)
    .filter((r) => !query.event || r.event === query.event)
    .filter((r) => !query.status || (r.status ?? 'completed') === query.status)
    .filter((r) => !created || (Date.parse(r.createdAt) >= created[0] && Date.parse(r.createdAt) < created[1]))
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

/** GitHub's `created` search syntax for dates: YYYY-MM-DD..YYYY-MM-DD, >=YYYY-MM-DD, <YYYY-MM-DD, YYYY-MM-DD. */
function parseCreated(text: string): [number, number] {
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(text);
  if (range) return [day(range[1]), day(range[2]) + 86_400_000];
  const ge = /^>=(\d{4}-\d{2}-\d{2})$/.exec(text);
  if (ge) return [day(ge[1]), Infinity];
  const lt = /^<(\d{4}-\d{2}-\d{2})$/.exec(text);
  if (lt) return [-Infinity, day(lt[1])];
  return [day(text), day(text) + 86_400_000];
}

export function workflowRunJson(r: WorkflowRunFixture, apiRoot: string, repository: object) {
  const base = `${apiRoot}/repos/${r.owner}/${r.repo}`;
  const html = `https://github.com/${r.owner}/${r.repo}/actions/runs/${r.id}`;
  return {
    id: r.id,
    name: r.name ?? r.path.split('/').pop(),
    node_id: `WFR_${Buffer.from(String(r.id)).toString('base64url')}`,
    head_branch: r.headBranch,
    head_sha: r.headSha,
    path: r.path,
    display_title: r.name ?? r.path,
    run_number: r.id % 1000,
    event: r.event,
    status: r.status ?? 'completed',
    conclusion: (r.status ?? 'completed') === 'completed' ? (r.conclusion ?? 'success') : null,
    workflow_id: 100 + (hash(r.path) % 1000),
    url: `${base}/actions/runs/${r.id}`,
    html_url: html,
    pull_requests: [],
    created_at: r.createdAt,
    updated_at: r.createdAt,
    jobs_url: `${base}/actions/runs/${r.id}/jobs`,
    logs_url: `${base}/actions/runs/${r.id}/logs`,
    check_suite_url: `${base}/check-suites/${r.id + 1}`,
    artifacts_url: `${base}/actions/runs/${r.id}/artifacts`,
    cancel_url: `${base}/actions/runs/${r.id}/cancel`,
    rerun_url: `${base}/actions/runs/${r.id}/rerun`,
    workflow_url: `${base}/actions/workflows/${100 + (hash(r.path) % 1000)}`,
    head_commit: {
      id: r.headSha,
      tree_id: r.headSha,
      message: 'commit',
      timestamp: r.createdAt,
      author: { name: 'Octo Cat', email: 'octocat@example.com' },
      committer: { name: 'Octo Cat', email: 'octocat@example.com' },
    },
    repository,
    head_repository: repository,
  };
}

export function workflowJobJson(r: WorkflowRunFixture, j: WorkflowJobFixture, apiRoot: string) {
  const base = `${apiRoot}/repos/${r.owner}/${r.repo}`;
  return {
    id: j.id,
    run_id: r.id,
    run_url: `${base}/actions/runs/${r.id}`,
    node_id: `CR_${Buffer.from(String(j.id)).toString('base64url')}`,
    head_sha: r.headSha,
    url: `${base}/actions/jobs/${j.id}`,
    html_url: `https://github.com/${r.owner}/${r.repo}/actions/runs/${r.id}/job/${j.id}`,
    status: j.completedAt ? 'completed' : 'in_progress',
    conclusion: j.completedAt ? (j.conclusion ?? 'success') : null,
    created_at: j.startedAt,
    started_at: j.startedAt,
    completed_at: j.completedAt,
    name: j.name,
    steps: [],
    check_run_url: `${base}/check-runs/${j.id}`,
    labels: j.labels,
    runner_id: j.runnerName ? 1 : null,
    runner_name: j.runnerName ?? null,
    runner_group_id: j.runnerGroupName ? 1 : null,
    runner_group_name: j.runnerGroupName ?? null,
    workflow_name: r.name ?? r.path,
    head_branch: r.headBranch,
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}
