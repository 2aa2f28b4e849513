import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { slackSignature } from '../../src/sandbox/slack/driver.js';
import type { Ack } from '../../src/slack/front-door.js';
import { frontServer, type BotLink, type Delivery } from '../../src/slack/front-server.js';
import { clickPayload, commandFields, form, payloadForm, type Scene } from '../support/slack-payloads.js';

const SECRET = 'front-server-test-signing-secret';
const scene: Scene = {
  incidentId: 'inc-1',
  channel: 'C1',
  cardTs: '1700000000.000100',
  teamId: 'T1',
  appId: 'A1',
  responseUrl: () => 'https://hooks.slack.test/commands/T1/1/abc',
};

/** The app behind the server, played by the test: each request waits until the test answers it. */
const delivered: { delivery: Delivery; answer: (ack: Ack) => void }[] = [];
let ready: () => Promise<{ ok: boolean; checks: Record<string, string> }>;
const bot: BotLink = {
  deliver: (delivery) => new Promise((answer) => delivered.push({ delivery, answer })),
  readiness: () => ready(),
  metrics: () => Promise.resolve({ contentType: 'text/plain', body: 'lifeboat_open_incidents 0\n' }),
};
const warnings: string[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  server = frontServer({ signingSecret: SECRET, command: '/dr', warn: (m) => warnings.push(m), bot });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

function post(body: string): Promise<Response> {
  const timestamp = Math.floor(Date.now() / 1000);
  return fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(SECRET, timestamp, body),
    },
    body,
  });
}

describe('the front server', () => {
  it('acks a click before the app has handled it, and hands the app the click as read', async () => {
    const click = clickPayload(scene, { user: 'U1', actionId: 'lb.back', value: '{}' });
    const response = await post(payloadForm(click));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    // The app still holds the click: the 200 did not wait for it.
    const held = delivered.shift();
    expect(held?.delivery.body).toEqual(click);
    held?.answer({ status: 200 });
  });

  it('answers a slash command with the ack the app gives (the usage, say)', async () => {
    const response = post(form(commandFields(scene, { user: 'U1', text: 'frobnicate' })));
    await until(() => delivered.length > 0);
    const held = delivered.shift();
    expect(held?.delivery.body).toMatchObject({ command: '/dr', text: 'frobnicate', user_id: 'U1' });
    held?.answer({ status: 200, contentType: 'application/json', body: '{"text":"Usage: /dr …"}' });
    const answered = await response;
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ text: 'Usage: /dr …' });
  });

  it("answers 500 inside Slack's 3 s, and logs it, when the app never acks a command", async () => {
    const started = Date.now();
    const response = await post(form(commandFields(scene, { user: 'U1', text: 'status' })));
    expect(response.status).toBe(500);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(warnings.some((w) => w.includes('no ack from Bolt'))).toBe(true);
    delivered.length = 0;
  });

  it("answers Slack's URL verification with its challenge, without the app", async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 't' });
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(SECRET, timestamp, body),
      },
      body,
    });
    expect(await response.json()).toEqual({ challenge: 'c-123' });
    expect(delivered).toHaveLength(0);
  });

  it('fails /readyz with the reason when the app cannot say it is ready', async () => {
    ready = () => Promise.reject(new Error('state store unreachable'));
    const failing = await fetch(`${url}/readyz`);
    expect(failing.status).toBe(503);
    expect(await failing.json()).toEqual({ ok: false, checks: { bot: 'state store unreachable' } });
    ready = () => Promise.resolve({ ok: true, checks: { store: 'ok' } });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it("serves the app's metrics with the ack latency of every Slack request it answered", async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toContain('lifeboat_open_incidents 0');
    expect(text).toMatch(/^lifeboat_slack_ack_seconds_count 4$/m);
  });
});

describe('the front server in Socket Mode', () => {
  it('serves the health routes and metrics, and takes no Slack request over HTTP', async () => {
    const { deliver: _unused, ...socketMode } = bot;
    const alone = frontServer({
      signingSecret: SECRET,
      command: '/dr',
      warn: () => undefined,
      bot: socketMode,
    });
    await new Promise<void>((resolve) => alone.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(alone.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${base}/metrics`)).text()).toContain('lifeboat_open_incidents 0');
      const click = payloadForm(clickPayload(scene, { user: 'U1', actionId: 'lb.back', value: '{}' }));
      expect((await fetch(`${base}/slack/events`, { method: 'POST', body: click })).status).toBe(404);
    } finally {
      await new Promise((resolve) => alone.close(resolve));
    }
  });
});

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}
