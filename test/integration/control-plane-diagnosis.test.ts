/**
 * The diagnosis before a control-plane restart, against real parts: etcd.alarms with Debian's etcd
 * 3.4 (on PATH) and 3.5 (LIFEBOAT_ETCD35_BIN) filled up to a real NOSPACE alarm, and
 * tls.certificate-expiry against real TLS servers serving certificates made with openssl.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { etcdActions } from '../../src/actions/etcd/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import { certificateExpiry } from '../../src/actions/tls/certificate-expiry.js';
import { startEtcdMember, type EtcdMember } from '../../src/sandbox/etcd.js';
import { etcd35Bin, pathWith } from '../support/etcd.js';
import { actionRunner, type Clusters } from '../support/k8s/run-action.js';

const registry = createRegistry({ ...etcdActions(), 'tls.certificate-expiry': certificateExpiry });
const runner = (clusters: Clusters) => actionRunner(registry, clusters);

/** A quota small enough that a few writes raise NOSPACE (etcd --quota-backend-bytes). */
const QUOTA = 300_000;

describe.each([
  ['3.4', undefined],
  ['3.5', 'etcd35'],
])('etcd.alarms with etcd %s', (version, which) => {
  let dir = '';
  let member: EtcdMember;
  let restorePath: () => void;
  let run: ReturnType<typeof runner>;

  beforeAll(async () => {
    restorePath = pathWith(which ? etcd35Bin() : undefined);
    dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-alarms-'));
    member = await startEtcdMember({
      dataDir: path.join(dir, 'data'),
      name: 'cp-1',
      extraArgs: [`--quota-backend-bytes=${QUOTA}`],
    });
    run = runner({ primary: { context: 'prod', etcd: { endpoints: [member.endpoint] } } });
    const { stdout } = await execa('etcd', ['--version']);
    expect(stdout).toContain(`etcd Version: ${version}.`);
  }, 30_000);

  afterAll(async () => {
    await member.stop();
    await rm(dir, { recursive: true, force: true });
    restorePath();
  });

  it('passes on a healthy etcd and reports each database size against the quota', async () => {
    const outcome = await run('etcd.alarms', { cluster: 'primary', quotaBytes: QUOTA });
    expect(outcome).toMatchObject({ passed: true, result: { ok: true, alarms: [] } });
    const [seen] = outcome.result.members as Array<{
      endpoint: string;
      dbSize: number;
      percentOfQuota: number;
    }>;
    expect(seen?.endpoint).toBe(member.endpoint);
    expect(seen?.dbSize).toBeGreaterThan(0);
    expect(seen?.percentOfQuota).toBeCloseTo(((seen?.dbSize ?? 0) / QUOTA) * 100, 0);
  });

  it('fails when a database fills more of the quota than allowed, before any alarm', async () => {
    const outcome = await run('etcd.alarms', { cluster: 'primary', quotaBytes: 1000 });
    expect(outcome.passed).toBe(false);
    expect(outcome.result).toMatchObject({ ok: false, alarms: [] });
    expect(outcome.error).toMatch(/database is \d+ bytes, [\d.]+% of the 1000-byte quota/);
  });

  it('names the member with a raised NOSPACE alarm, in the hex etcdctl member list shows, and what to do', async () => {
    const env = { ETCDCTL_API: '3' };
    const value = 'x'.repeat(20_000);
    for (let i = 0; i < 100; i++) {
      const put = await execa(
        'etcdctl',
        [`--endpoints=${member.endpoint}`, 'put', `/registry/fill/${i}`, value],
        {
          env,
          reject: false,
        },
      );
      if (put.exitCode !== 0) break;
    }
    const members = await execa('etcdctl', [`--endpoints=${member.endpoint}`, 'member', 'list'], { env });
    const id = members.stdout.split(',')[0]?.trim();
    const outcome = await run('etcd.alarms', { cluster: 'primary', quotaBytes: QUOTA, maxPercent: 100 });
    expect(outcome.passed).toBe(false);
    expect(outcome.result.alarms).toEqual([{ memberId: id, alarm: 'NOSPACE' }]);
    expect(outcome.error).toContain(`alarm NOSPACE on member ${id}`);
    expect(outcome.error).toContain('etcdctl alarm disarm');
  }, 30_000);

  it('says which etcd could not be asked', async () => {
    const outcome = await runner({
      primary: { context: 'prod', etcd: { endpoints: ['http://127.0.0.1:1'] } },
    })('etcd.alarms', { cluster: 'primary' }, { timeout: '10s' });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toMatch(/^etcdctl exited with 1/);
  });
});

describe('tls.certificate-expiry', () => {
  const openssl = promisify(execFile);
  let dir = '';
  const servers: tls.Server[] = [];
  const urls: Record<'valid' | 'expired', string> = { valid: '', expired: '' };

  /** A server certificate for 127.0.0.1 signed by a throwaway CA, valid for `days` (negative: already expired). */
  async function certificate(name: string, days: number): Promise<{ key: string; cert: string }> {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    const run = (...args: string[]) => openssl('openssl', args, { cwd: dir });
    await run('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=kube-apiserver');
    await run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      String(days),
    );
    const read = (file: string) => readFile(path.join(dir, file), 'utf8');
    // The chain as an API server sends it: leaf, then its CA.
    return { key: await read(`${name}.key`), cert: `${await read(`${name}.crt`)}${await read('ca.crt')}` };
  }

  async function serve(pair: { key: string; cert: string }): Promise<string> {
    const server = tls.createServer(pair, (socket) => socket.end());
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-tls-expiry-'));
    await openssl(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        'ca.key',
        '-out',
        'ca.crt',
        '-days',
        '365',
        '-subj',
        '/CN=kubernetes',
      ],
      { cwd: dir },
    );
    urls.valid = await serve(await certificate('valid', 30));
    urls.expired = await serve(await certificate('expired', -1));
  }, 30_000);

  afterAll(async () => {
    for (const server of servers) server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('passes when every certificate of the chain outlives the margin, and reads each one', async () => {
    const run = runner({ primary: { context: 'prod', apiServers: [urls.valid] } });
    const outcome = await run('tls.certificate-expiry', { cluster: 'primary' });
    expect(outcome).toMatchObject({ passed: true, result: { ok: true } });
    const [endpoint] = outcome.result.endpoints as Array<{
      chain: Array<{ subject: string; daysLeft: number }>;
    }>;
    expect(endpoint?.chain.map((c) => c.subject)).toEqual(['CN=kube-apiserver', 'CN=kubernetes']);
    expect(endpoint?.chain[0]?.daysLeft).toBeGreaterThanOrEqual(29);
  });

  it('fails on a certificate that expires within the margin', async () => {
    const run = runner({ primary: { context: 'prod', apiServers: [urls.valid] } });
    const outcome = await run('tls.certificate-expiry', { cluster: 'primary', margin: '60d' });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toContain(`${urls.valid}: CN=kube-apiserver expires`);
  });

  it('fails on an expired certificate, naming the endpoint, and on an API server that does not answer', async () => {
    const run = runner({
      primary: { context: 'prod', apiServers: [urls.valid, urls.expired, 'https://127.0.0.1:1'] },
    });
    const outcome = await run('tls.certificate-expiry', { cluster: 'primary' });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toContain(`${urls.expired}: CN=kube-apiserver expired`);
    expect(outcome.error).toContain('https://127.0.0.1:1: ECONNREFUSED');
    expect(outcome.error).not.toContain(`${urls.valid}:`);
    expect(outcome.error).toContain('kubeadm certs renew all');
  });

  it('with allowUnreachable, a down API server is listed, not failed, but one answering is still read; none answering fails', async () => {
    const run = runner({ primary: { context: 'prod', apiServers: [urls.valid, 'https://127.0.0.1:1'] } });
    const outcome = await run('tls.certificate-expiry', { cluster: 'primary', allowUnreachable: true });
    expect(outcome).toMatchObject({
      passed: true,
      result: { ok: true, unreachable: ['https://127.0.0.1:1'] },
    });
    const expired = await runner({
      primary: { context: 'prod', apiServers: [urls.expired, 'https://127.0.0.1:1'] },
    })('tls.certificate-expiry', { cluster: 'primary', allowUnreachable: 'true' });
    expect(expired.passed).toBe(false);
    expect(expired.error).toContain(`${urls.expired}: CN=kube-apiserver expired`);
    const none = await runner({ primary: { context: 'prod', apiServers: ['https://127.0.0.1:1'] } })(
      'tls.certificate-expiry',
      { cluster: 'primary', allowUnreachable: true },
    );
    expect(none.passed).toBe(false);
    expect(none.error).toContain('no endpoint of cluster primary answered TLS');
  });

  it('asks for the endpoints when the cluster lists none', async () => {
    const outcome = await runner({ primary: { context: 'prod' } })('tls.certificate-expiry', {
      cluster: 'primary',
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toContain('list its API servers as clusters.primary.apiServers');
  });
});
