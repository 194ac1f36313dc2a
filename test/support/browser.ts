// Real headless Chromium for tests of the HTML reports: opens a file:// page and records anything that would leave
// the machine (any request that is not file: or data:) and every console error, so tests can assert there are none.

import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface OpenedPage {
  page: Page;
  /** URLs of requests that were neither file: nor data: (they are also blocked, so nothing leaves the machine). */
  externalRequests: string[];
  /** console.error messages and uncaught page errors, including Content-Security-Policy violations. */
  consoleErrors: string[];
  close(): Promise<void>;
}

/** Opens `path` (an absolute file path) in a fresh context and waits until it has loaded. */
export async function openHtmlFile(browser: Browser, path: string, viewport = { width: 1100, height: 900 }): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const externalRequests: string[] = [];
  const consoleErrors: string[] = [];
  const isLocal = (url: string): boolean => url.startsWith('file:') || url.startsWith('data:');
  page.on('request', (request) => {
    if (!isLocal(request.url())) externalRequests.push(request.url());
  });
  await context.route(
    (url) => !isLocal(url.href),
    (route) => route.abort('blockedbyclient'),
  );
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  return { page, externalRequests, consoleErrors, close: () => context.close() };
}
