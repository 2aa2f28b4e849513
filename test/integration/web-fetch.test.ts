import { afterEach, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, LogLevel } from '@slack/web-api';
import { meteredClient } from '../../src/slack/metered-client.js';
import { keepAliveFetch } from '../../src/slack/web-fetch.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A loopback "Slack Web API": `answer` false keeps every request waiting forever. Counts requests. */
async function slackApi(answer: boolean): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    req.resume();
    if (answer) res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"ts":"1.2"}');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, requests: () => requests };
}

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('the Slack Web API fetch', () => {
  it('gives up on an attempt Slack never answers, saying which host and how long', async () => {
    const api = await slackApi(false);
    const fetch = keepAliveFetch({ attemptMs: 200 });
    await expect(
      fetch(`${api.url}chat.postMessage`, { method: 'POST', headers: form, body: 'channel=C1&text=hi' }),
    ).rejects.toThrow(`no answer from ${new URL(api.url).host} within 0.2 s`);
  });

  it('keeps no timer once Slack has answered', async () => {
    const api = await slackApi(true);
    const fetch = keepAliveFetch({ attemptMs: 60_000 });
    const before = timers();
    const response = await fetch(`${api.url}chat.postMessage`, {
      method: 'POST',
      headers: form,
      body: 'channel=C1&text=hi',
    });
    expect(await response.json()).toEqual({ ok: true, ts: '1.2' });
    expect(timers()).toBe(before);
  });

  it('lets the Slack client retry an unanswered attempt, then fail with a request error', async () => {
    const api = await slackApi(false);
    const failures: string[] = [];
    const client = meteredClient(
      'xoxb-test',
      {
        slackApiUrl: api.url,
        logLevel: LogLevel.ERROR,
        retryConfig: { retries: 1, minTimeout: 10, maxTimeout: 10 },
        fetch: keepAliveFetch({ attemptMs: 200 }),
      },
      { failed: (method, error) => failures.push(`${method} ${error}`), retried: () => undefined },
    );
    await expect(client.chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toMatchObject({
      code: ErrorCode.RequestError,
    });
    expect(api.requests()).toBe(2);
    expect(failures).toEqual(['chat.postMessage request_failed', 'chat.postMessage request_failed']);
  });
});
