import { afterEach, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpActions } from '../../src/actions/http.js';
import { createRegistry } from '../../src/actions/registry.js';
import { actionRunner } from '../support/k8s/run-action.js';

const run = actionRunner(createRegistry(httpActions()), {});
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A loopback service answering `status` with `body`; port 0 picks a free port unless one is given. */
async function service(status: number, body = 'ok', port = 0, headers: http.OutgoingHttpHeaders = {}) {
  const server = http.createServer((_req, res) => res.writeHead(status, headers).end(body));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
}

/** A port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('http.probe', () => {
  it('passes on the expected status at the first attempt', async () => {
    const url = await service(200, '{"status":"green"}');
    const outcome = await run('http.probe', { url, bodyMatches: '"status":"green"' });
    expect(outcome).toMatchObject({ passed: true, result: { ok: true, status: 200, attempts: 1 } });
    expect(outcome.result.durationMs).toEqual(expect.any(Number));
  });

  it('keeps trying until the service starts answering 200', async () => {
    const port = await freePort();
    setTimeout(() => void service(200, 'ok', port), 800);
    const outcome = await run('http.probe', { url: `http://127.0.0.1:${port}/healthz`, within: '10s' });
    expect(outcome).toMatchObject({ passed: true, result: { ok: true, status: 200 } });
    expect(outcome.result.attempts).toBeGreaterThan(1);
    expect(outcome.progress[0]).toMatch(/^got ECONNREFUSED, want 200; asking again \(\d+s left\)$/);
  });

  it('fails clearly when the service never answers', async () => {
    const port = await freePort();
    const outcome = await run('http.probe', { url: `http://127.0.0.1:${port}/`, within: '1s' });
    expect(outcome).toMatchObject({
      passed: false,
      result: { ok: false, status: 'ECONNREFUSED' },
      error: expect.stringMatching(
        new RegExp(
          `^GET http://127.0.0.1:${port}/: got ECONNREFUSED, want 200 \\(\\d+ attempts in \\d+s\\)$`,
        ),
      ),
    });
    expect(outcome.result.attempts).toBeGreaterThan(1);
  });

  it('proves a service is down when the runbook expects it to be', async () => {
    const url = await service(503, 'maintenance');
    const outcome = await run('http.probe', { url }, { expect: { ok: false } });
    expect(outcome).toMatchObject({ passed: true, result: { ok: false, status: 503, attempts: 1 } });
  });

  it('takes expectStatus from a template string and does not follow redirects', async () => {
    const url = await service(302, '', 0, { location: 'https://login.example.com/' });
    expect(await run('http.probe', { url })).toMatchObject({
      passed: false,
      result: { ok: false, status: 302 },
      error: expect.stringContaining('got 302, want 200'),
    });
    expect(await run('http.probe', { url, expectStatus: '302' })).toMatchObject({ passed: true });
  });

  it('fails when the body does not match', async () => {
    const url = await service(200, '{"status":"red"}');
    expect(await run('http.probe', { url, bodyMatches: 'green' })).toMatchObject({
      passed: false,
      result: { ok: false, status: 200 },
      error: expect.stringContaining('got 200 but the body does not match /green/'),
    });
  });

  it('refuses a bad regular expression or a non-HTTP URL before requesting anything', async () => {
    expect((await run('http.probe', { url: 'http://127.0.0.1/', bodyMatches: '(' })).error).toBe(
      'http.probe: invalid input (bodyMatches: not a valid regular expression)',
    );
    expect((await run('http.probe', { url: 'file:///etc/passwd' })).error).toMatch(
      /^http\.probe: invalid input \(url: /,
    );
  });
});
