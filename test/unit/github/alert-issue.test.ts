import { syncAlertIssue, type SyncAlertIssueOptions } from '#shared/github/alert-issue.js';
import { TEST_REPOSITORY, useGitHubTestClient } from '../../support/github-test-client.js';

const repository = TEST_REPOSITORY;
const github = useGitHubTestClient();

const alert = (active: boolean, body: string, marker = 'drift-check:churn-model'): SyncAlertIssueOptions => ({
  client: github.client,
  repository,
  label: 'drift-alert',
  marker,
  active,
  title: `Data drift in ${marker.split(':')[1]}`,
  body,
  resolvedComment: 'Resolved: run 1658821493 found no drift.',
  logger: github.logger,
});

describe('an alert issue that follows the nightly drift check', () => {
  it('opens when drift appears, is refreshed while it lasts, and closes with a comment when it clears', async () => {
    const opened = await syncAlertIssue(alert(true, 'June: 3 of 12 columns drifted'));
    expect(opened).toMatchObject({ action: 'opened', number: 1 });
    expect(github.server.state.issues[0]).toMatchObject({
      title: 'Data drift in churn-model',
      labels: ['drift-alert'],
      state: 'open',
      body: '<!-- mlops-actions:drift-check:churn-model -->\nJune: 3 of 12 columns drifted',
    });

    const updated = await syncAlertIssue(alert(true, 'July: 5 of 12 columns drifted'));
    expect(updated).toMatchObject({ action: 'updated', number: 1 });
    expect(github.server.state.issues).toHaveLength(1);
    expect(github.server.state.issues[0].body).toMatch(/July: 5 of 12/);

    const closed = await syncAlertIssue(alert(false, 'no drift'));
    expect(closed).toMatchObject({ action: 'closed', number: 1 });
    expect(github.server.state.issues[0]).toMatchObject({ state: 'closed', stateReason: 'completed' });
    expect(github.server.state.comments).toEqual([
      expect.objectContaining({ issueNumber: 1, body: 'Resolved: run 1658821493 found no drift.' }),
    ]);

    // Quiet nights after that touch nothing.
    const before = github.server.requests.length;
    expect(await syncAlertIssue(alert(false, 'no drift'))).toEqual({ action: 'none' });
    expect(github.server.requests.slice(before).map((r) => r.method)).toEqual(['GET']);
  });

  it('opens a fresh issue when drift comes back after the old one was closed', async () => {
    await syncAlertIssue(alert(true, 'drift'));
    await syncAlertIssue(alert(false, 'none'));
    const again = await syncAlertIssue(alert(true, 'drift again'));
    expect(again).toMatchObject({ action: 'opened', number: 2 });
    expect(github.server.state.issues.map((i) => i.state)).toEqual(['closed', 'open']);
  });

  it("keeps one issue per model: another model's alert with the same label is left alone", async () => {
    await syncAlertIssue(alert(true, 'churn drift', 'drift-check:churn-model'));
    await syncAlertIssue(alert(true, 'fraud drift', 'drift-check:fraud-model'));
    const closed = await syncAlertIssue(alert(false, '', 'drift-check:churn-model'));
    expect(closed).toMatchObject({ action: 'closed', number: 1 });
    expect(github.server.state.issues.map((i) => [i.number, i.state])).toEqual([
      [1, 'closed'],
      [2, 'open'],
    ]);
  });
});
