import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { egressFence } from '../../src/actions/egress.js';
import { httpActions } from '../../src/actions/http.js';
import { BODY_CAP, httpProbe } from '../../src/actions/http-probe.js';
import { createRegistry } from '../../src/actions/registry.js';
import { validateParams } from '../../src/domain/params.js';
import { actionRunner } from '../support/k8s/run-action.js';

// These services listen on loopback, which the fence refuses unless egress.allow names it.
const run = actionRunner(createRegistry(httpActions(['127.0.0.0/8'])), {});
const fenced = actionRunner(createRegistry(httpActions()), {});
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
      'http.probe: invalid input (bodyMatches: not a usable regular expression (RE2: no look-around or back-references))',
    );
    expect((await run('http.probe', { url: 'file:///etc/passwd' })).error).toMatch(
      /^http\.probe: invalid input \(url: /,
    );
  });
});

/** A loopback service that counts the requests reaching it. */
async function counting(): Promise<{ port: number; requests: () => number; hosts: string[] }> {
  let requests = 0;
  const hosts: string[] = [];
  const server = http.createServer((req, res) => {
    requests++;
    hosts.push(req.headers.host ?? '');
    res.end('ok');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, requests: () => requests, hosts };
}

describe('http.probe reaches only what egress.allow lets it', () => {
  it('refuses loopback, with what was refused and the config key that allows it, and sends nothing', async () => {
    const target = await counting();
    const outcome = await fenced('http.probe', {
      url: `http://127.0.0.1:${target.port}/healthz`,
      within: '5s',
    });
    expect(outcome).toMatchObject({
      passed: false,
      result: { ok: false, status: 'REFUSED', attempts: 1 },
      error: `GET http://127.0.0.1:${target.port}/healthz refused: 127.0.0.1 is a loopback address; if the runbook really needs it, add it to egress.allow in LIFEBOAT_CONFIG (e.g. "127.0.0.1/32")`,
    });
    expect(target.requests()).toBe(0);
  });

  it('shows no password written into the URL', async () => {
    const outcome = await fenced('http.probe', { url: 'http://probe:hunter2@10.1.2.3/healthz' });
    expect(outcome.error).toMatch(
      /^GET http:\/\/10\.1\.2\.3\/healthz refused: 10\.1\.2\.3 is a private address/,
    );
    expect(outcome.error).not.toContain('hunter2');
  });

  it('refuses a name after resolving it: localhost is loopback too', async () => {
    const target = await counting();
    const outcome = await fenced('http.probe', { url: `http://localhost:${target.port}/` });
    expect(outcome.error).toMatch(
      /refused: localhost \((127\.0\.0\.1|::1)\) is a loopback address; .*egress\.allow/,
    );
    expect(target.requests()).toBe(0);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'a cloud metadata address'],
    ['http://0xa9fea9fe/latest/meta-data/', 'a cloud metadata address'],
    ['http://2852039166/latest/meta-data/', 'a cloud metadata address'],
    ['http://0251.0376.0251.0376/latest/meta-data/', 'a cloud metadata address'],
    ['http://[::ffff:169.254.169.254]/latest/meta-data/', 'a cloud metadata address'],
    ['http://[fd00:ec2::254]/latest/meta-data/', 'a cloud metadata address'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'a cloud metadata service'],
    ['http://169.254.1.1/', 'a link-local address'],
    ['http://[fe80::1]/', 'a link-local address'],
    ['http://[::1]:9/', 'a loopback address'],
    ['http://[::ffff:127.0.0.1]:9/', 'a loopback address'],
    ['http://0x7f000001:9/', 'a loopback address'],
    ['http://10.0.0.1/', 'a private address'],
    ['http://172.16.5.4/', 'a private address'],
    ['http://192.168.1.1/', 'a private address'],
    ['http://[fc00::1]/', 'a private address'],
    ['http://0.0.0.0:9/', 'an unspecified address'],
    ['http://[::]:9/', 'an unspecified address'],
  ])('refuses %s: %s', async (url, why) => {
    const outcome = await fenced('http.probe', { url }, { expect: { ok: false } });
    // `expect: { ok: false }` cannot turn a refusal into a pass.
    expect(outcome.passed).toBe(false);
    expect(outcome.result).toMatchObject({ status: 'REFUSED' });
    expect(outcome.error).toContain(`is ${why}; if the runbook really needs it, add it to egress.allow`);
  });

  it('reaches a fenced address that egress.allow names, by CIDR or by host name', async () => {
    const target = await counting();
    const byName = actionRunner(createRegistry(httpActions(['localhost'])), {});
    expect(await byName('http.probe', { url: `http://localhost:${target.port}/` })).toMatchObject({
      passed: true,
    });
    expect(await run('http.probe', { url: `http://0x7f000001:${target.port}/` })).toMatchObject({
      passed: true,
    });
    expect(target.requests()).toBe(2);
  });

  it('connects to the address it checked: the name is not looked up again (no DNS rebinding)', async () => {
    const target = await counting();
    // A resolver of the test's own: the name exists nowhere else, so only the pinned address can reach the service.
    let lookups = 0;
    const resolver = () => {
      lookups++;
      return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    };
    const pinned = actionRunner(
      createRegistry({ 'http.probe': httpProbe(egressFence(['127.0.0.0/8'], resolver)) }),
      {},
    );
    const url = `http://rebind.lifeboat.invalid:${target.port}/healthz`;
    expect(await pinned('http.probe', { url })).toMatchObject({ passed: true, result: { status: 200 } });
    expect(lookups).toBe(1);
    expect(target.hosts).toEqual([`rebind.lifeboat.invalid:${target.port}`]);
    // One public answer and one internal: refused, whichever the connection would have taken.
    const mixed = actionRunner(
      createRegistry({
        'http.probe': httpProbe(
          egressFence([], () =>
            Promise.resolve([
              { address: '93.184.215.14', family: 4 },
              { address: '169.254.169.254', family: 4 },
            ]),
          ),
        ),
      }),
      {},
    );
    expect((await mixed('http.probe', { url })).error).toContain(
      'refused: rebind.lifeboat.invalid (169.254.169.254) is a cloud metadata address',
    );
  });

  it('keeps asking while a name does not resolve, as DNS catches up after a failover', async () => {
    const outcome = await fenced('http.probe', { url: 'http://status.lifeboat.invalid/', within: '1s' });
    expect(outcome).toMatchObject({ passed: false, result: { ok: false, status: 'ENOTFOUND' } });
    expect(outcome.result.attempts).toBeGreaterThan(1);
    expect(outcome.error).toMatch(/got ENOTFOUND, want 200/);
  });

  it('over https, connects to the pinned address yet speaks TLS to the name: SNI and certificate check use the host', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lifeboat-tls-'));
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=rebind.lifeboat.invalid',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const names: string[] = [];
    const server = https.createServer(
      {
        key: readFileSync(key),
        cert: readFileSync(cert),
        SNICallback: (name, done) => {
          names.push(name);
          done(null);
        },
      },
      (_req, res) => res.end('ok'),
    );
    rmSync(dir, { recursive: true, force: true });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const probe = actionRunner(
      createRegistry({
        'http.probe': httpProbe(
          egressFence(['127.0.0.0/8'], () => Promise.resolve([{ address: '127.0.0.1', family: 4 }])),
        ),
      }),
      {},
    );
    const outcome = await probe('http.probe', { url: `https://rebind.lifeboat.invalid:${port}/healthz` });
    expect(names).toEqual(['rebind.lifeboat.invalid']);
    // The certificate is checked as usual: this one is self-signed, so the probe fails on it.
    expect(outcome).toMatchObject({ passed: false, result: { status: 'DEPTH_ZERO_SELF_SIGNED_CERT' } });
  });

  it('refuses an egress.allow entry it cannot read, naming it', () => {
    expect(() => httpActions(['10.0.0.0/33'])).toThrow(
      'LIFEBOAT_CONFIG: egress.allow: "10.0.0.0/33" has a bad prefix length',
    );
    expect(() => httpActions(['http://x/'])).toThrow(/"http:\/\/x\/" is neither a CIDR/);
  });
});

describe('hostile url params through http.probe', () => {
  it('each is refused with a message, or requested exactly as re-serialised', async () => {
    const paths: string[] = [];
    const server = http.createServer((req, res) => {
      paths.push(req.url ?? '');
      res.end('ok');
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const hostile = [
      `${base}/$(touch pwned)`,
      `${base}/\`touch pwned\`?q=';rm -rf /;'`,
      `${base}/a b/../../etc/passwd`,
      `${base}/ünïcödé ✓`,
      `${base}/x\r\nX-Injected: 1`,
      `${base}/${'x'.repeat(10_000)}`,
      `http://admin:hunter2@127.0.0.1:9/`,
      'javascript:alert(1)',
      'http://0xa9fea9fe/latest/meta-data/',
    ];
    const requested: string[] = [];
    for (const raw of hostile) {
      const checked = validateParams({ url: { type: 'url', prompt: 'Health URL' } }, { url: raw });
      if ('errors' in checked) {
        expect(checked.errors).toEqual([{ param: 'url', why: expect.any(String) }]);
        continue;
      }
      const url = String(checked.values.url);
      const outcome = await run('http.probe', { url });
      if (url.startsWith(base)) {
        expect(outcome).toMatchObject({ passed: true, result: { status: 200 } });
        requested.push(new URL(url).pathname + new URL(url).search);
      } else expect(outcome.error).toMatch(/refused: 169\.254\.169\.254 is a cloud metadata address/);
    }
    // The server saw exactly the canonical paths: nothing added, nothing run.
    expect(paths).toEqual(requested);
    expect(paths).toEqual([
      '/$(touch%20pwned)',
      '/%60touch%20pwned%60?q=%27;rm%20-rf%20/;%27',
      '/etc/passwd',
      '/%C3%BCn%C3%AFc%C3%B6d%C3%A9%20%E2%9C%93',
    ]);
  });
});

describe('http.probe reads at most BODY_CAP of a body', () => {
  it('probes a 300 MiB body without the process growing by more than a few tens of MB', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const total = 300 * 1024 * 1024;
    let sent = 0;
    let closed = false;
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(total) });
      const pump = (): void => {
        while (sent < total && !closed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (closed = true));
      pump();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/big`;
    const before = process.memoryUsage().rss;
    const outcome = await run('http.probe', { url, bodyMatches: 'status.*green' });
    const grown = process.memoryUsage().rss - before;
    expect(outcome).toMatchObject({ passed: false, result: { status: 200 } });
    expect(outcome.error).toContain('the body does not match');
    expect(grown).toBeLessThan(48 * 1024 * 1024);
    // The rest was cancelled: the server got to send only a little past the cap.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(true);
    expect(sent).toBeLessThan(total / 10);
  });

  it('finds a marker within the cap, and not one past it', async () => {
    const early = await service(200, `{"status":"green"}${'x'.repeat(3 * BODY_CAP)}`);
    expect(await run('http.probe', { url: early, bodyMatches: '"status":"green"' })).toMatchObject({
      passed: true,
    });
    const late = await service(200, `${'x'.repeat(BODY_CAP)}{"status":"green"}`);
    expect(await run('http.probe', { url: late, bodyMatches: '"status":"green"' })).toMatchObject({
      passed: false,
    });
  });
});
