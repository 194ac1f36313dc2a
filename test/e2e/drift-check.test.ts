// drift-check as users run it: the built dist/index.js in a child process, exactly as the runner starts it, against
// the validating GitHub API server, a real Pushgateway, real git remotes and headless Chromium.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, openHtmlFile } from '../support/browser.js';
import { createRepos, gitIn } from '../support/git-repos.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';
import { startPushgateway } from '../support/pushgateway.js';
import { REPO_ROOT, runBuiltAction } from '../support/run-built-action.js';
import { expectCleanFailure } from '../support/action-assertions.js';

// The example data is copied into the job's workspace: actions read only inside the workspace and RUNNER_TEMP.
const work = mkdtempSync(join(tmpdir(), 'drift-e2e-'));
cpSync(join(REPO_ROOT, 'examples', 'drift-check', 'data'), join(work, 'data'), { recursive: true });
const data = (name: string) => join(work, 'data', name);
const REFERENCE = data('reference.csv');
const CURRENT = data('current.csv');

const pullRequestEvent = {
  name: 'pull_request' as const,
  payload: {
    action: 'synchronize',
    number: 17,
    pull_request: { number: 17, head: { sha: '5f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c' }, base: { ref: 'main' } },
    repository: { full_name: 'octo-org/ml-repo', name: 'ml-repo', owner: { login: 'octo-org' } },
  },
};
const scheduleEvent = { name: 'schedule' as const, payload: { schedule: '0 3 * * *' } };

function driftCheck(inputs: Record<string, string>, extra: Partial<Parameters<typeof runBuiltAction>[0]> = {}) {
  return runBuiltAction({ action: 'drift-check', inputs, cwd: work, ...extra });
}

describe('drift-check on a pull request', () => {
  let api: GitHubApiServer;
  beforeAll(async () => {
    api = await startGitHubApiServer();
  });
  afterAll(() => api.close());

  test('reports the drifted columns and upserts one PR comment', async () => {
    const inputs = {
      reference: REFERENCE,
      current: CURRENT,
      'exclude-columns': 'application_date',
      target: 'defaulted',
      prediction: 'predicted_default',
      'prediction-score': 'default_probability',
      'text-columns': 'purpose',
      'comment-on-pr': 'update',
      'report-dir': join(work, 'pr-report'),
    };
    const first = await driftCheck(inputs, { event: pullRequestEvent, apiUrl: api.url });
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    expect(JSON.parse(first.outputs['drifted-columns'])).toEqual(expect.arrayContaining(['income', 'region']));
    expect(first.outputs['drift-detected']).toBe('false');
    expect(first.outputs['performance-drift']).toBe('true');
    expect(first.summary).toMatch(/Drift in \d+ of \d+ columns \(\d+%\); dataset drift threshold 50%: no dataset drift/);
    const report = JSON.parse(readFileSync(first.outputs['report-json'], 'utf8'));
    expect(report.schema_version).toBe('1.0');
    expect(report.performance.task).toBe('classification');
    expect(report.columns.find((c: { name: string }) => c.name === 'income')).toMatchObject({
      type: 'numerical',
      method: 'wasserstein',
      p_value: null,
      drifted: true,
    });

    const second = await driftCheck(inputs, { event: pullRequestEvent, apiUrl: api.url });
    expect(second.exitCode).toBe(0);
    expect(api.violations).toEqual([]);
    const comments = api.state.comments.filter((c) => c.issueNumber === 17);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain('Drift in');
    expect(comments[0].body).toContain('| income | numerical | wasserstein |');
    const methods = api.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`);
    expect(methods.filter((m) => /^POST .*\/issues\/17\/comments$/.test(m))).toHaveLength(1);
    expect(methods.filter((m) => /^PATCH .*\/issues\/comments\/\d+$/.test(m))).toHaveLength(1);
  });

  test('a nightly run opens one drift issue while drift lasts and closes it when it clears', async () => {
    const drifting = {
      reference: REFERENCE,
      current: CURRENT,
      'issue-on-drift': 'true',
      'drift-share': '0.2',
      'report-dir': join(work, 'cron'),
    };
    const opened = await driftCheck(drifting, { event: scheduleEvent, apiUrl: api.url });
    expect(opened.exitCode).toBe(0);
    expect(opened.outputs['drift-detected']).toBe('true');
    await driftCheck(drifting, { event: scheduleEvent, apiUrl: api.url });
    let issues = api.state.issues.filter((i) => i.labels.includes('drift-alert'));
    expect(issues).toHaveLength(1);
    expect(issues[0].state).toBe('open');
    const cleared = await driftCheck({ ...drifting, current: REFERENCE }, { event: scheduleEvent, apiUrl: api.url });
    expect(cleared.outputs['drift-detected']).toBe('false');
    issues = api.state.issues.filter((i) => i.labels.includes('drift-alert'));
    expect(issues).toHaveLength(1);
    expect(issues[0].state).toBe('closed');
    expect(api.state.comments.some((c) => c.issueNumber === issues[0].number && /Drift cleared/.test(c.body))).toBe(true);
    expect(api.violations).toEqual([]);
  });
});

describe('drift-check gates and reports', () => {
  test('fail-on: drift fails the step with the verdict', async () => {
    const result = await driftCheck({ reference: REFERENCE, current: CURRENT, 'drift-share': '0.2', 'fail-on': 'drift' });
    expectCleanFailure(result, /dataset drift detected.*fail-on is 'drift'/);
    expect(result.outputs['drift-detected']).toBe('true');
  });

  test('the HTML report draws the same distributions as the JSON report, offline, in Chromium', async () => {
    const result = await driftCheck({ reference: REFERENCE, current: CURRENT, 'report-dir': join(work, 'html') });
    const report = JSON.parse(readFileSync(result.outputs['report-json'], 'utf8'));
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();
      const opened = await openHtmlFile(browser, result.outputs['report-html']);
      expect(opened.externalRequests).toEqual([]);
      expect(opened.consoleErrors).toEqual([]);
      const income = report.columns.find((c: { name: string }) => c.name === 'income');
      const plotted = await opened.page.$$eval('#column-income rect[data-series="current"]', (rects) =>
        rects.map((r) => Number(r.getAttribute('data-value'))),
      );
      expect(plotted).toHaveLength(income.distribution.current.length);
      plotted.forEach((v, i) => expect(v).toBeCloseTo(income.distribution.current[i], 6));
      const rows = await opened.page.$$eval('#columns tbody tr', (trs) => trs.length);
      expect(rows).toBe(report.columns.length);
      // Drifted rows are coloured: their computed background differs from a clean row's.
      const backgrounds = await opened.page.$$eval('#columns tbody tr', (trs) =>
        trs.map((tr) => [tr.classList.contains('drifted'), (globalThis as any).getComputedStyle(tr).backgroundColor]),
      );
      expect(backgrounds.map(([drifted]) => drifted)).toEqual(report.columns.map((c: { drifted: boolean }) => c.drifted));
      const driftedColour = backgrounds.find(([drifted]) => drifted)?.[1];
      for (const [drifted, colour] of backgrounds) if (!drifted) expect(colour).not.toBe(driftedColour);
      const region = report.columns.find((c: { name: string }) => c.name === 'region');
      const listed = await opened.page.locator('#column-region ul[data-kind="new"] code').allTextContents();
      expect(listed).toEqual(region.new_categories);
      await opened.close();
    } finally {
      await browser?.close();
    }
  });
});

describe('drift-check scale-out with profiles', () => {
  test('profiles of shards merge to the same result as reading the whole reference', async () => {
    const lines = readFileSync(REFERENCE, 'utf8').trim().split('\n');
    const shards = [lines.slice(1, 700), lines.slice(700)].map((rows, i) => {
      const path = join(work, `ref-shard-${i}.csv`);
      writeFileSync(path, [lines[0], ...rows].join('\n') + '\n');
      return path;
    });
    for (const [i, shard] of shards.entries()) {
      const profiled = await driftCheck({ mode: 'profile', reference: shard, 'profile-out': join(work, `shard-${i}.profile.json`) });
      expect(profiled.exitCode).toBe(0);
      expect(profiled.summary).toMatch(/Profiled \d+ rows/);
    }
    const fromProfiles = await driftCheck({
      reference: join(work, 'shard-*.profile.json'),
      current: CURRENT,
      'report-dir': join(work, 'merged'),
    });
    const direct = await driftCheck({ reference: REFERENCE, current: CURRENT, 'report-dir': join(work, 'direct') });
    const a = JSON.parse(readFileSync(fromProfiles.outputs['report-json'], 'utf8'));
    const b = JSON.parse(readFileSync(direct.outputs['report-json'], 'utf8'));
    expect(a.columns.map((c: any) => [c.name, c.method, c.statistic, c.drifted])).toEqual(
      b.columns.map((c: any) => [c.name, c.method, c.statistic, c.drifted]),
    );
    expect(a.reference_rows).toBe(b.reference_rows);
  });
});

describe('drift-check notifications and history', () => {
  test('pushes drift metrics to a real Pushgateway', async () => {
    const gateway = await startPushgateway();
    try {
      const result = await driftCheck({ reference: REFERENCE, current: CURRENT, 'pushgateway-url': gateway.url });
      expect(result.exitCode).toBe(0);
      const report = JSON.parse(readFileSync(result.outputs['report-json'], 'utf8'));
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toMatch(
        /mlops_drift_score\{column="income",instance="octo-org\/ml-repo",job="mlops_drift_check",method="wasserstein",workflow="[^"]*"\} 0\.9/,
      );
      expect(metrics).toMatch(/mlops_drift_detected\{column="income",.*\} 1/);
      expect(metrics).toContain(`job="mlops_drift_check",workflow="mlops"} ${report.drift_share}\n`);
      expect(report.drift_share).toBeGreaterThan(0);
    } finally {
      await gateway.stop();
    }
  });

  test('posts the verdict to a webhook and never prints its URL', async () => {
    const bodies: any[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        bodies.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/secret-token-xyz`;
    try {
      const result = await driftCheck({ reference: REFERENCE, current: CURRENT, 'webhook-url': url });
      expect(result.exitCode).toBe(0);
      expect(bodies).toHaveLength(1);
      expect(bodies[0].text).toMatch(/Drift check in octo-org\/ml-repo/);
      expect(JSON.stringify(bodies[0].blocks)).toMatch(/Drift in \d+ of \d+ columns/);
      // The runner consumes ::add-mask:: commands; every other line must not show the secret.
      const printed = (result.stdout + result.stderr).split('\n').filter((line) => !line.startsWith('::add-mask::'));
      expect(printed.join('\n')).not.toContain('secret-token-xyz');
      expect(result.stdout).toContain(`::add-mask::${url}`);
    } finally {
      server.close();
    }
  });

  test('appends each run to the history branch and draws the dashboard from it', async () => {
    const repos = await createRepos({ shallow: true });
    // The data lies in the job's own checkout: actions read nothing outside the workspace.
    cpSync(join(work, 'data'), join(repos.workspace, 'data'), { recursive: true });
    const inCheckout = (file: string) => join(repos.workspace, 'data', file);
    try {
      for (const current of [inCheckout('current.csv'), inCheckout('reference.csv')]) {
        const result = await driftCheck(
          { reference: inCheckout('reference.csv'), current, 'history-branch': 'drift-history' },
          { cwd: repos.workspace, env: { GITHUB_RUN_ID: String(1000 + Math.round(Math.random() * 1000)) } },
        );
        expect(result.exitCode).toBe(0);
      }
      await gitIn(repos.workspace, 'fetch', '--quiet', 'origin', 'drift-history');
      const records = (await gitIn(repos.workspace, 'show', 'FETCH_HEAD:drift-history/history.jsonl'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(records).toHaveLength(2);
      expect(records[1].drift_share).toBe(0);
      const html = await gitIn(repos.workspace, 'show', 'FETCH_HEAD:drift-history/index.html');
      const page = join(work, 'dashboard.html');
      writeFileSync(page, html);
      const browser = await launchBrowser();
      try {
        const opened = await openHtmlFile(browser, page);
        const points = await opened.page.$$eval('circle[data-series="drift share"]', (cs) =>
          cs.map((c) => [c.getAttribute('data-x'), Number(c.getAttribute('data-y'))]),
        );
        expect(points).toEqual(records.map((r) => [r.time, r.drift_share]));
        expect(opened.externalRequests).toEqual([]);
        await opened.close();
      } finally {
        await browser.close();
      }
    } finally {
      await repos.cleanup();
    }
  });
});

describe('drift-check refuses bad input with a clear message', () => {
  const write = (name: string, text: string) => {
    const path = join(work, name);
    writeFileSync(path, text);
    return path;
  };

  test.each([
    ['a missing file', () => ({ reference: join(work, 'nope.csv'), current: CURRENT }), /nope\.csv/],
    ['a malformed CSV row', () => ({ reference: REFERENCE, current: write('broken.csv', 'a,b\n1,2\n3,"4\n') }), /broken\.csv:3/],
    ['no columns in common', () => ({ reference: REFERENCE, current: write('other.csv', 'x,y\n1,2\n') }), /No columns in common/],
    [
      'an empty dataset',
      () => ({ reference: REFERENCE, current: write('empty.csv', readFileSync(REFERENCE, 'utf8').split('\n')[0] + '\n') }),
      /current data has no rows/,
    ],
    [
      'an unknown method',
      () => ({ reference: REFERENCE, current: CURRENT, method: 'magic' }),
      /input 'method': 'magic'. Expected one of 'auto', 'ks'/,
    ],
    [
      'a threshold out of range',
      () => ({ reference: REFERENCE, current: CURRENT, method: 'ks', threshold: '5' }),
      /input 'threshold': '5'.*between 0 and 1/,
    ],
    [
      'a target without a prediction',
      () => ({ reference: REFERENCE, current: CURRENT, target: 'defaulted' }),
      /input 'prediction'.*'target' \(defaulted\) needs 'prediction'/,
    ],
    [
      'a numerical column that is text in the current data',
      () => ({
        reference: REFERENCE,
        current: write('clash.csv', readFileSync(CURRENT, 'utf8').replace(/\n(2026-10-01),41,/, '\n$1,forty-one,')),
      }),
      /clash\.csv:2.*column 'age'.*numerical in the reference/,
    ],
  ])('%s', async (_label, inputs, message) => {
    expectCleanFailure(await driftCheck(inputs()), message);
  });
});
