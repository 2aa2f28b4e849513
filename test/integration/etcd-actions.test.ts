import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { etcdActions } from '../../src/actions/etcd/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import { s3Actions } from '../../src/actions/s3/index.js';
import type { Expect } from '../../src/domain/expect.js';
import type { ClusterTarget } from '../../src/engine/action-port.js';
import { runCall } from '../../src/engine/run-call.js';
import { freePort, getValue, putKeys, startEtcd, startEtcdIn, type LocalEtcd } from '../support/etcd.js';
import { S3RVER_CREDENTIALS, startS3, type LocalS3 } from '../support/s3.js';

const KEYS = 10_000;
const DEAD = 'http://127.0.0.1:1';

let workdir = '';
let s3: LocalS3;
let etcd: LocalEtcd & { cleanUp(): Promise<void> };
let restored: LocalEtcd | undefined;
let endpoint = '';
let registry: ReturnType<typeof createRegistry>;

/** What the engine's config would say: test-cluster has etcd access, no-etcd has only a kubeconfig context. */
const clusters: Record<string, () => ClusterTarget> = {
  'test-cluster': () => ({ name: 'test-cluster', context: 'test', etcd: { endpoints: [endpoint] } }),
  'no-etcd': () => ({ name: 'no-etcd', context: 'test' }),
};

const call = (
  action: string,
  input: Record<string, unknown>,
  options: { expect?: Expect; timeout?: string } = {},
) =>
  runCall(registry, { action, with: input, ...options }, () => undefined, {
    incidentId: 'inc-etcd',
    workdir,
    signal: new AbortController().signal,
    progress: () => undefined,
    cluster: (name) => clusters[name]?.(),
  });

const sha256Of = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

beforeAll(async () => {
  workdir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-etcd-actions-'));
  [s3, etcd] = await Promise.all([startS3(), startEtcd()]);
  endpoint = etcd.endpoint;
  registry = createRegistry({
    ...etcdActions(),
    ...s3Actions(s3.settings, { credentials: S3RVER_CREDENTIALS }),
  });
  await putKeys(endpoint, '/registry/lifeboat/key-', KEYS);
}, 60_000);

afterAll(async () => {
  await restored?.stop();
  await etcd?.cleanUp();
  await s3?.stop();
  await rm(workdir, { recursive: true, force: true });
});

describe('an etcd snapshot, through S3, back into a running etcd', () => {
  let uploadedSha = '';

  it('saves a snapshot of the cluster and reads its key count and revision', async () => {
    const saved = await call('etcd.snapshot-save', { cluster: 'test-cluster', file: 'snapshot.db' });
    expect(saved).toMatchObject({
      passed: true,
      result: { file: path.join(workdir, 'snapshot.db'), endpoint },
    });
    expect(saved.result.size).toBe((await stat(path.join(workdir, 'snapshot.db'))).size);
    const status = await call(
      'etcd.snapshot-status',
      { file: 'snapshot.db' },
      { expect: { totalKey: { gt: KEYS - 1 }, revision: { gt: 0 } } },
    );
    expect(status).toMatchObject({ passed: true, failures: [] });
    expect(Object.keys(status.result).sort()).toEqual(['hash', 'revision', 'tool', 'totalKey', 'totalSize']);
  });

  it('uploads it with its cluster name, and S3 names it as the newest snapshot with that metadata', async () => {
    const file = path.join(workdir, 'snapshot.db');
    const uploaded = await call('s3.upload', {
      bucket: s3.bucket,
      key: 'test-cluster/snapshot-1.db',
      file,
      metadata: { cluster: 'test-cluster' },
    });
    expect(uploaded).toMatchObject({
      passed: true,
      result: {
        key: 'test-cluster/snapshot-1.db',
        size: (await stat(file)).size,
        sha256: await sha256Of(file),
      },
    });
    uploadedSha = String(uploaded.result.sha256);
    const latest = await call('s3.latest-object', { bucket: s3.bucket, prefix: 'test-cluster/' });
    expect(latest).toMatchObject({
      passed: true,
      result: {
        key: 'test-cluster/snapshot-1.db',
        metadata: { cluster: 'test-cluster', sha256: uploadedSha },
      },
    });
    const head = await call(
      's3.head',
      { bucket: s3.bucket, key: 'test-cluster/snapshot-1.db' },
      { expect: { 'metadata.cluster': 'test-cluster', exists: true } },
    );
    expect(head.passed).toBe(true);
  });

  it('downloads it to a new path with its checksum verified', async () => {
    const downloaded = await call('s3.download', {
      bucket: s3.bucket,
      key: 'test-cluster/snapshot-1.db',
      file: 'download/snapshot.db',
    });
    expect(downloaded).toMatchObject({
      passed: true,
      result: { file: path.join(workdir, 'download/snapshot.db'), sha256: uploadedSha, verified: true },
    });
    expect(await sha256Of(path.join(workdir, 'download/snapshot.db'))).toBe(uploadedSha);
  });

  it('restores the downloaded snapshot after etcd and its data are gone, and etcd serves every key again', async () => {
    await etcd.stop();
    await rm(etcd.dataDir, { recursive: true, force: true });
    expect(await call('etcd.endpoint-health', { cluster: 'test-cluster' }, { timeout: '3s' })).toMatchObject({
      passed: false,
      result: { healthy: false },
    });

    const peerUrl = `http://127.0.0.1:${await freePort()}`;
    const restore = await call('etcd.snapshot-restore', {
      file: 'download/snapshot.db',
      initialCluster: `m1=${peerUrl}`,
      dataDirRoot: 'restored',
      // Debian bookworm's etcd 3.4 cannot bump (etcd-restore-cluster.test.ts restores 3.5 with the bump).
      bumpRevision: 0,
    });
    expect(restore).toMatchObject({
      passed: true,
      result: {
        dataDirs: { m1: path.join(workdir, 'restored/m1.etcd') },
        token: 'lifeboat-restore-inc-etcd',
      },
    });
    restored = await startEtcdIn({ dataDir: path.join(workdir, 'restored/m1.etcd'), name: 'm1', peerUrl });
    endpoint = restored.endpoint;

    expect(await call('etcd.endpoint-health', { cluster: 'test-cluster' })).toMatchObject({
      passed: true,
      result: { healthy: true, endpoints: [{ endpoint, healthy: true }] },
    });
    expect(await call('etcd.key-count', { cluster: 'test-cluster' })).toMatchObject({
      passed: true,
      result: { count: KEYS, prefix: '/registry' },
    });
    expect(await call('etcd.key-count', { cluster: 'test-cluster', prefix: '' })).toMatchObject({
      result: { count: KEYS },
    });
    for (const i of [0, 1234, KEYS - 1])
      expect(await getValue(endpoint, `/registry/lifeboat/key-${i}`)).toBe(`value-${i}`);
  });

  it('runs the same restore again without work, and refuses to write into a used data dir', async () => {
    const input = {
      file: 'download/snapshot.db',
      initialCluster: `m1=${restored?.peerUrl}`,
      dataDirRoot: 'restored',
      bumpRevision: 0,
    };
    expect(await call('etcd.snapshot-restore', input)).toMatchObject({
      passed: true,
      result: { reused: true },
    });
    expect(await call('etcd.snapshot-restore', { ...input, token: 'another-cluster' })).toMatchObject({
      passed: false,
      error: `data dir ${path.join(workdir, 'restored/m1.etcd')} already exists and is not empty: move it away first, a restore never writes into existing data`,
    });
  });
});

describe('etcd actions', () => {
  it('restores a data dir for every member of the initial cluster', async () => {
    const restore = await call('etcd.snapshot-restore', {
      file: 'snapshot.db',
      initialCluster:
        'ip-10-0-0-1.ec2.internal=http://10.0.0.1:2380,ip-10-0-0-2.ec2.internal=http://10.0.0.2:2380,m3=http://10.0.0.3:2380',
      dataDirRoot: 'three',
      token: 'three-members',
      bumpRevision: 0,
    });
    expect(restore.passed).toBe(true);
    // kubeadm names members after their nodes: FQDNs are names too.
    const names = ['ip-10-0-0-1.ec2.internal', 'ip-10-0-0-2.ec2.internal', 'm3'];
    expect(Object.keys(restore.result.dataDirs as object)).toEqual(names);
    for (const name of names)
      expect(await readdir(path.join(workdir, 'three', `${name}.etcd`))).toEqual(['member']);
    expect((await readdir(path.join(workdir, 'three'))).filter((entry) => entry.includes('partial'))).toEqual(
      [],
    );
  });

  it('refuses to restore without the revision bump unless the runbook says bumpRevision: 0', async () => {
    const input = { file: 'snapshot.db', initialCluster: 'b1=http://10.0.0.1:2380', dataDirRoot: 'bump' };
    const outcome = await call('etcd.snapshot-restore', input);
    expect(outcome).toMatchObject({
      passed: false,
      error:
        "etcdctl 3.4.23 cannot bump the revision on restore (--bump-revision and --mark-compacted need etcdutl from etcd 3.5.10 or later): upgrade to etcd 3.5 and install the etcd 3.5 tools with etcdutl on Lifeboat's PATH (Debian trixie's etcd-server package, or a node:24-trixie-slim based image); for a cluster that stays on etcd 3.4, to restore without the bump (the revision goes backwards and watchers keep stale state, kubernetes/kubernetes#107457), set bumpRevision: 0 in the runbook step",
    });
    await expect(readdir(path.join(workdir, 'bump'))).rejects.toThrow('ENOENT');
    const plain = await call('etcd.snapshot-restore', { ...input, dataDirRoot: 'no-bump', bumpRevision: 0 });
    expect(plain).toMatchObject({
      passed: true,
      result: { bumpRevision: 0, markCompacted: false, toolVersion: '3.4.23', snapshotVersion: '3.4.0' },
    });
  });

  it('holds the restore tool against the running cluster, and says which versions differ', async () => {
    const input = {
      file: 'snapshot.db',
      initialCluster: 'v1=http://10.0.0.1:2380',
      dataDirRoot: 'versions',
      bumpRevision: 0,
    };
    const checked = await call('etcd.snapshot-restore', { ...input, cluster: 'test-cluster' });
    expect(checked).toMatchObject({
      passed: true,
      result: {
        clusterVersion: '3.4.23',
        versionEvidence: [
          `cluster: ${endpoint} runs etcd 3.4.23 (endpoint status)`,
          'snapshot: written by an etcd 3.4 cluster (its stored cluster version)',
        ],
      },
    });
  });

  it('reports a dead endpoint as unhealthy, with the reason, which a probe may expect', async () => {
    const outcome = await call('etcd.endpoint-health', { endpoints: DEAD }, { timeout: '3s' });
    // Nothing answered: Lifeboat cannot tell a dead etcd from a closed port, so the verdict is unknown.
    expect(outcome).toMatchObject({
      passed: false,
      result: {
        healthy: false,
        verdict: 'unknown',
        endpoints: [{ endpoint: DEAD, healthy: false, answered: false, error: 'context deadline exceeded' }],
      },
      error: expect.stringContaining(
        `etcd is unknown: no etcd endpoint answered from where Lifeboat runs (${DEAD}: no answer (context deadline exceeded))`,
      ),
    });
    const expected = await call(
      'etcd.endpoint-health',
      { endpoints: [DEAD] },
      { timeout: '3s', expect: { healthy: false } },
    );
    expect(expected.passed).toBe(true);
    expect(
      await call('etcd.snapshot-save', { endpoints: DEAD, file: 'dead.db' }, { timeout: '3s' }),
    ).toMatchObject({
      passed: false,
      error: `no healthy etcd endpoint to save from (${DEAD}: context deadline exceeded)`,
    });
  });

  it('says what to configure for an unknown cluster or one without etcd access', async () => {
    expect(await call('etcd.key-count', { cluster: 'staging' })).toMatchObject({
      passed: false,
      error: 'cluster staging is not configured: add clusters.staging.etcd.endpoints to LIFEBOAT_CONFIG',
    });
    expect(await call('etcd.endpoint-health', { cluster: 'no-etcd' })).toMatchObject({
      passed: false,
      error:
        'cluster no-etcd has no etcd access: set clusters.no-etcd.etcd.endpoints (and cacert, cert, key for TLS) in LIFEBOAT_CONFIG',
    });
    expect(await call('etcd.key-count', {})).toMatchObject({
      passed: false,
      error: expect.stringMatching(/^say which etcd/),
    });
  });

  it('says etcdctl is missing instead of a stack trace', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-empty-path-'));
    const saved = process.env.PATH;
    process.env.PATH = empty;
    try {
      for (const [action, input] of [
        ['etcd.key-count', { endpoints: endpoint }],
        ['etcd.snapshot-status', { file: 'snapshot.db' }],
        [
          'etcd.snapshot-restore',
          {
            file: 'snapshot.db',
            initialCluster: 'x=http://10.0.0.1:2380',
            dataDirRoot: 'none',
            bumpRevision: 0,
          },
        ],
      ] as const)
        expect(await call(action, input)).toMatchObject({
          passed: false,
          error: 'etcdctl not found on PATH',
        });
    } finally {
      process.env.PATH = saved;
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('keeps a hostile prefix a key, never a flag', async () => {
    const outcome = await call('etcd.key-count', { endpoints: endpoint, prefix: `--endpoints=${DEAD}` });
    expect(outcome).toMatchObject({ passed: true, result: { count: 0 } });
  });
});
