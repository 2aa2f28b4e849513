import { afterEach, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpActions } from '../../src/actions/http.js';
import { createRegistry } from '../../src/actions/registry.js';
import { actionRunner } from '../support/k8s/run-action.js';

type Seen = { method: string; path: string; headers: http.IncomingHttpHeaders; body: string };
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A GSLB-like API on loopback that records what it was sent and answers `status` with `reply`. */
async function api(status: number, reply: unknown) {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      seen.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      });
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const run = actionRunner(createRegistry(httpActions(['127.0.0.0/8'])), {});
const TOKEN = 'gslb-token-3f9a8c7e1d2b4a6f';

describe('http.request', () => {
  it('sends the JSON body with the secret header and passes on a 2xx, keeping the answer', async () => {
    const gslb = await api(202, { job: 'shift-7', state: 'accepted' });
    const outcome = await run(
      'http.request',
      {
        method: 'PUT',
        url: `${gslb.url}/v1/pools/payments/members/use1`,
        body: { weight: 0, reason: '{{ incident.id }}' },
        header: { name: 'Authorization', value: 'Bearer {{ params.gslbToken }}' },
      },
      { values: { 'params.gslbToken': TOKEN, 'incident.id': 'INC-2042' } },
    );
    expect(outcome).toMatchObject({
      passed: true,
      result: { ok: true, status: 202, json: { job: 'shift-7' } },
    });
    expect(gslb.seen).toHaveLength(1);
    expect(gslb.seen[0]).toMatchObject({ method: 'PUT', path: '/v1/pools/payments/members/use1' });
    expect(gslb.seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(gslb.seen[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(gslb.seen[0]?.body ?? '')).toEqual({ weight: 0, reason: 'INC-2042' });
  });

  it('fails on another status, saying what the API answered, and asks only once', async () => {
    const gslb = await api(409, { error: 'pool is locked by a change in progress' });
    const outcome = await run('http.request', {
      method: 'POST',
      url: `${gslb.url}/v1/shift`,
      body: { to: 'usw2' },
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toMatch(
      /^POST http:\/\/127\.0\.0\.1:\d+\/v1\/shift answered 409, want a 2xx: .*pool is locked/,
    );
    expect(gslb.seen).toHaveLength(1);
  });

  it('honours expectStatus', async () => {
    const gslb = await api(200, { ok: true });
    const outcome = await run('http.request', {
      method: 'DELETE',
      url: `${gslb.url}/v1/x`,
      expectStatus: 204,
    });
    expect(outcome).toMatchObject({ passed: false, result: { status: 200 } });
  });

  it('refuses a header that would lie about the request, and a header split over lines', async () => {
    const gslb = await api(200, {});
    const host = await run('http.request', {
      method: 'GET',
      url: gslb.url,
      header: { name: 'Content-Length', value: '0' },
    });
    expect(host.error).toMatch(/header\.name: Lifeboat sets this header itself/);
    const split = await run(
      'http.request',
      {
        method: 'GET',
        url: gslb.url,
        header: { name: 'X-Token', value: '{{ params.token }}' },
      },
      { values: { 'params.token': 'a\r\nX-Admin: yes' } },
    );
    expect(split.error).toMatch(/a header value is one line/);
    expect(gslb.seen).toHaveLength(0);
  });

  it('refuses a metadata address however the URL spells it', async () => {
    const fenced = actionRunner(createRegistry(httpActions()), {});
    const outcome = await fenced('http.request', {
      method: 'GET',
      url: 'http://169.254.169.254/latest/meta-data/',
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toMatch(/refused: .*metadata/);
  });

  it('says what to check when nothing listens', async () => {
    const gslb = await api(200, {});
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const outcome = await run('http.request', { method: 'GET', url: gslb.url });
    expect(outcome.error).toMatch(/failed: ECONNREFUSED; check the URL and that the service runs/);
  });
});
