import { publishCheckRun, type CheckRunAnnotation } from '#shared/github/check-run.js';
import { TEST_REPOSITORY, useGitHubTestClient } from '../../support/github-test-client.js';

const repository = TEST_REPOSITORY;
const github = useGitHubTestClient();

const annotations = (count: number): CheckRunAnnotation[] =>
  Array.from({ length: count }, (_, i) => ({
    path: 'data/current.csv',
    startLine: i + 2,
    level: 'warning',
    message: `Row ${i + 2}: value out of the reference range`,
  }));

const checkRunRequests = () => github.server.requests.filter((r) => r.operationId?.startsWith('checks/'));
type SentBody = { status?: string; conclusion?: string; output?: { annotations?: unknown[] } };

describe('publishing a check run with annotations', () => {
  it("sends 120 annotations in 3 requests of at most 50, GitHub's limit, and concludes with the last", async () => {
    const result = await publishCheckRun({
      client: github.client,
      repository,
      headSha: 'abc123',
      name: 'data-quality',
      conclusion: 'failure',
      title: '120 rows failed',
      summary: 'See annotations',
      annotations: annotations(120),
    });

    const sent = checkRunRequests().map((r) => r.body as SentBody);
    expect(checkRunRequests().map((r) => r.operationId)).toEqual(['checks/create', 'checks/update', 'checks/update']);
    expect(sent.map((b) => b.output?.annotations?.length)).toEqual([50, 50, 20]);
    expect(sent.map((b) => b.conclusion)).toEqual([undefined, undefined, 'failure']);
    expect(sent[0].status).toBe('in_progress');
    expect(result.requests).toBe(3);

    const run = github.server.state.checkRuns[0];
    expect(run.output.annotations).toHaveLength(120);
    expect(run.output.annotations[119]).toMatchObject({ start_line: 121, end_line: 121, annotation_level: 'warning' });
    expect(run).toMatchObject({ id: result.id, status: 'completed', conclusion: 'failure', headSha: 'abc123' });
    expect(result.url).toBe(`https://github.com/octo-org/ml-repo/runs/${result.id}`);
  });

  it('makes one request when everything fits', async () => {
    const result = await publishCheckRun({
      client: github.client,
      repository,
      headSha: 'abc123',
      name: 'drift-check',
      conclusion: 'success',
      title: 'No drift',
      summary: 'All 12 columns stable',
      annotations: annotations(3),
    });
    expect(result.requests).toBe(1);
    expect(github.server.state.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(github.server.state.checkRuns[0].output.annotations).toHaveLength(3);
  });

  it('cuts a summary over 65,535 characters instead of failing the request', async () => {
    await publishCheckRun({
      client: github.client,
      repository,
      headSha: 'abc123',
      name: 'drift-check',
      conclusion: 'neutral',
      title: 'Big',
      summary: `top\n${'x'.repeat(100_000)}\nbottom`,
      text: 'y'.repeat(70_000),
      annotations: [],
    });
    const run = github.server.state.checkRuns[0];
    expect(run.output.summary!.length).toBeLessThanOrEqual(65535);
    expect(run.output.summary!.startsWith('top\n')).toBe(true);
    expect(run.output.summary!.endsWith('\nbottom')).toBe(true);
    expect(run.output.text!.length).toBeLessThanOrEqual(65535);
  });
});
