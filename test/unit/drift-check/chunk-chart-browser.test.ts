// The chunked run's HTML report opened in real Chromium: a line per column with a point per chunk, each point the
// JSON's drift relative to the column's threshold, the dashed threshold line at 1, and nothing fetched.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { runAction } from '#shared/runtime/run-action.js';
import { driftCheck } from '../../../actions/drift-check/src/main.js';
import type { DriftReport } from '../../../actions/drift-check/src/drift-report.js';
import { relativeDrift } from '../../../actions/drift-check/src/report/drift-summary.js';
import { launchBrowser, openHtmlFile, type OpenedPage } from '../../support/browser.js';
import { fakeRuntime } from '../../support/fake-runtime.js';

const example = (file: string) => join(process.cwd(), 'examples/drift-check/data', file);

async function chunkedReport(inputs: Record<string, string>): Promise<{ report: DriftReport; html: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'drift-chunk-chart-'));
  const runtime = fakeRuntime({ reference: example('reference.csv'), current: example('current.csv'), 'report-dir': dir, ...inputs });
  if (!(await runAction(driftCheck, runtime))) throw new Error(runtime.failures.join('\n'));
  return { report: JSON.parse(readFileSync(join(dir, 'drift-report.json'), 'utf8')), html: join(dir, 'drift-report.html') };
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

describe.each([
  ['weekly chunks of application_date', { 'timestamp-column': 'application_date', chunk: '1w' }],
  ['chunks of 300 rows', { chunk: '300' }],
])('the drift-per-chunk chart, %s', (_, inputs) => {
  let report: DriftReport;
  let opened: OpenedPage;
  beforeAll(async () => {
    const made = await chunkedReport(inputs);
    report = made.report;
    opened = await openHtmlFile(browser, made.html);
  }, 60_000);
  afterAll(async () => {
    await opened?.close();
  });

  it('draws one line per chunked column, a point per chunk equal to the JSON, against the threshold at 1', async () => {
    const chunks = report.chunks!;
    const names = chunks[0].columns.map((c) => c.name);
    const lines = await opened.page.$$eval('#chunks figure.chunk-drift svg g[data-series]', (groups) =>
      groups.filter((g) => g.querySelector('path')).map((g) => g.getAttribute('data-series')),
    );
    expect(lines.sort()).toEqual([...names].sort());
    for (const name of names) {
      const points = await opened.page.$$eval(`#chunks figure.chunk-drift circle[data-series="${name}"]`, (circles) =>
        circles.map((c) => [c.getAttribute('data-x'), Number(c.getAttribute('data-y'))]),
      );
      const wanted = chunks.map((chunk) => [String(chunk.start), relativeDrift(chunk.columns.find((c) => c.name === name)!)]);
      expect(points).toEqual(wanted);
    }
    const threshold = await opened.page.$eval('#chunks figure.chunk-drift g[data-threshold]', (g) =>
      Number(g.getAttribute('data-threshold')),
    );
    expect(threshold).toBe(1);
    // A drifted chunk column sits above the line, an undrifted one below it.
    for (const chunk of chunks) for (const c of chunk.columns) expect(relativeDrift(c) >= 1).toBe(c.drifted);
  });

  it("plots each chunk's drift share against the dataset threshold, and lists every chunk", async () => {
    const shares = await opened.page.$$eval('#chunks figure.chunk-share circle', (circles) =>
      circles.map((c) => Number(c.getAttribute('data-y'))),
    );
    expect(shares).toEqual(report.chunks!.map((c) => c.drift_share));
    const rows = await opened.page.$$eval('#chunks table.chunks tbody tr', (trs) => trs.map((tr) => tr.children[2].textContent));
    expect(rows).toEqual(report.chunks!.map((c) => c.rows.toLocaleString('en-US')));
  });

  it('renders offline, with no request and no console error', () => {
    expect(opened.externalRequests).toEqual([]);
    expect(opened.consoleErrors).toEqual([]);
  });
});
