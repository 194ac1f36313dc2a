import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '#shared/errors.js';
import { RecordingLogger } from '#shared/logger.js';
import { buildWebhookMessage, postWebhook } from '#shared/notify/webhook.js';

interface Received {
  method?: string;
  path?: string;
  contentType?: string;
  body: string;
}

/** A local Slack stand-in: answers each request with the next status in `statuses` (the last one repeats). */
async function startHook(statuses: number[], answer = 'ok'): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ method: request.method, path: request.url, contentType: request.headers['content-type'], body });
      const status = statuses[Math.min(received.length - 1, statuses.length - 1)];
      response.writeHead(status, { 'Content-Type': 'text/plain' }).end(status === 200 ? 'ok' : answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/services/T0001/B0002/XXsecretTOKENXX`, received, server };
}

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
});

describe('buildWebhookMessage', () => {
  it('gives a fallback text and a mrkdwn section with the details and a link to the run', () => {
    const message = buildWebhookMessage({
      title: 'Drift check on flights.parquet',
      verdict: 'fail',
      details: ['dep_delay: KS p=0.001 < 0.05', 'carrier: PSI 0.31 > 0.2'],
      runUrl: 'https://github.com/acme/models/actions/runs/42',
    });
    expect(message.text).toBe('Drift check on flights.parquet: :x: failed');
    expect(message.blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text:
            '*Drift check on flights.parquet*: :x: failed\n• dep_delay: KS p=0.001 &lt; 0.05\n• carrier: PSI 0.31 &gt; 0.2' +
            '\n<https://github.com/acme/models/actions/runs/42|View the run>',
        },
      },
    ]);
  });

  it("keeps the section under Slack's 3,000 characters and says how many details were cut", () => {
    const details = Array.from({ length: 200 }, (_, i) => `column_${i}: drifted with a long explanation here`);
    const message = buildWebhookMessage({ title: 'Quality', verdict: 'warn', details });
    const text = (message.blocks?.[0] as { text: { text: string } }).text.text;
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toMatch(/\n…and \d+ more$/);
    const shown = text.split('\n• ').length - 1;
    expect(text).toContain(`…and ${200 - shown} more`);
  });
});

describe('postWebhook', () => {
  it('POSTs the Slack JSON payload to the hook', async () => {
    const hook = await startHook([200]);
    servers.push(hook.server);
    const message = buildWebhookMessage({ title: 'Canary', verdict: 'pass', details: ['error rate 0.1%'] });
    const logger = new RecordingLogger();
    await postWebhook({ url: hook.url, message, logger });
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0].method).toBe('POST');
    expect(hook.received[0].path).toBe('/services/T0001/B0002/XXsecretTOKENXX');
    expect(hook.received[0].contentType).toMatch(/^application\/json/);
    expect(JSON.parse(hook.received[0].body)).toEqual(message);
    expect(logger.text()).not.toContain('XXsecretTOKENXX');
  });

  it('retries once after a 5xx answer and succeeds', async () => {
    const hook = await startHook([503, 200]);
    servers.push(hook.server);
    const logger = new RecordingLogger();
    await postWebhook({ url: hook.url, message: { text: 'hello' }, logger, retryDelayMs: 0 });
    expect(hook.received.map((r) => r.body)).toEqual(['{"text":"hello"}', '{"text":"hello"}']);
    expect(logger.text('warning')).toMatch(/Webhook answered HTTP 503.*retrying/);
    expect(logger.text()).not.toContain('XXsecretTOKENXX');
  });

  it('gives up after the retry with a UserError that names the status but never the URL', async () => {
    // A hook that echoes its own path back, as some proxies do, must still not leak it.
    const hook = await startHook([500], 'internal error at /services/T0001/B0002/XXsecretTOKENXX');
    servers.push(hook.server);
    const logger = new RecordingLogger();
    const error = await postWebhook({ url: hook.url, message: { text: 'x' }, logger, retryDelayMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/^Webhook answered HTTP 500: internal error at \*\*\*/);
    expect(hook.received).toHaveLength(2);
    for (const text of [(error as Error).message, logger.text()]) {
      expect(text).not.toContain('XXsecretTOKENXX');
      expect(text).not.toContain(hook.url);
    }
  });

  it('does not retry a 4xx answer: the payload or the URL is wrong', async () => {
    const hook = await startHook([404], 'no_service');
    servers.push(hook.server);
    const error = await postWebhook({ url: hook.url, message: { text: 'x' }, logger: new RecordingLogger(), retryDelayMs: 0 }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe('Webhook answered HTTP 404: no_service.');
    expect(hook.received).toHaveLength(1);
  });

  it('fails with a UserError when nothing listens, without the URL', async () => {
    const hook = await startHook([200]);
    await new Promise((resolve) => hook.server.close(resolve));
    const logger = new RecordingLogger();
    const error = await postWebhook({ url: hook.url, message: { text: 'x' }, logger, retryDelayMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe('Webhook could not be reached (ECONNREFUSED).');
    expect(logger.text()).not.toContain('XXsecretTOKENXX');
  });
});
