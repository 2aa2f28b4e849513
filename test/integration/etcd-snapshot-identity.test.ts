/**
 * "The snapshot is from this cluster" for any producer: real etcd 3.4 and 3.5, snapshots taken with
 * plain `etcdctl snapshot save` and uploaded without any metadata (a team's own job), or by Lifeboat
 * with its metadata; the identity is the kube-system namespace UID, read from the snapshot itself
 * when no metadata says it, and the check names the evidence it used.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { s3Client } from '../../src/actions/s3/client.js';
import { s3Actions } from '../../src/actions/s3/index.js';
import { snapshotIdentity } from '../../src/actions/etcd/snapshot-identity-read.js';
import { createRegistry } from '../../src/actions/registry.js';
import { runCall } from '../../src/engine/run-call.js';
import { etcd35Bin, pathWith, putKeys, startEtcd } from '../support/etcd.js';
import { putKubeSystem } from '../support/k8s-protobuf.js';
import { S3RVER_CREDENTIALS, startS3, type LocalS3 } from '../support/s3.js';

const PROD = '5f1c7a52-8d0e-4c1b-9a8e-2f7f0b6c1d11';
const STAGING = '0b9e2d4a-71c3-4f5e-8a2b-c6d9e8f7a100';

let dir = '';
let s3: LocalS3;
let registry: ReturnType<typeof createRegistry>;
const call = (input: Record<string, unknown>) =>
  runCall(registry, { action: 'etcd.snapshot-identity', with: input }, () => undefined, {
    incidentId: 'inc-identity',
    workdir: dir,
    signal: new AbortController().signal,
    progress: () => undefined,
    cluster: () => undefined,
  });

/** What a team's own job does: `etcdctl snapshot save`, then a plain upload with no metadata. */
async function plainSnapshot(uid: string, name: string, metadata?: Record<string, string>): Promise<string> {
  const etcd = await startEtcd();
  try {
    await putKubeSystem(etcd.endpoint, uid);
    await putKeys(etcd.endpoint, '/registry/configmaps/shop/cm-', 50);
    const file = path.join(dir, `${name}.db`);
    await execa('etcdctl', [`--endpoints=${etcd.endpoint}`, 'snapshot', 'save', file], {
      env: { ETCDCTL_API: '3' },
    });
    const key = `etcd/prod/${name}.db`;
    await s3Client(s3.settings, S3RVER_CREDENTIALS).send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: key,
        Body: await readFile(file),
        ...(metadata ? { Metadata: metadata } : {}),
      }),
    );
    return key;
  } finally {
    await etcd.cleanUp();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-identity-'));
  s3 = await startS3();
  registry = createRegistry(s3Actions(s3.settings, { credentials: S3RVER_CREDENTIALS }));
}, 60_000);
afterAll(async () => {
  await s3?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe.each([
  ['3.4', undefined],
  ['3.5', 'etcd35'],
] as const)('etcd %s snapshots', (version, bin) => {
  let restorePath: () => void = () => undefined;
  beforeAll(() => {
    restorePath = pathWith(bin ? etcd35Bin() : undefined);
  });
  afterAll(() => restorePath());

  it('a plain etcdctl snapshot with no metadata passes from its contents, and says so', async () => {
    const key = await plainSnapshot(PROD, `plain-${version}`);
    const outcome = await call({ bucket: s3.bucket, key, cluster: 'prod', identity: PROD });
    expect(outcome).toMatchObject({
      passed: true,
      result: { matches: true, uid: PROD, evidence: 'snapshot contents', expectedFrom: 'the identity param' },
    });
    // The copy read for the check is not left in the workdir.
    expect((await readdir(dir)).filter((f) => f.startsWith('.identity-'))).toEqual([]);
  }, 60_000);

  it("another cluster's snapshot is refused, naming both identities and the evidence", async () => {
    const key = await plainSnapshot(STAGING, `staging-${version}`);
    const outcome = await call({ bucket: s3.bucket, key, cluster: 'prod', identity: PROD });
    expect(outcome.passed).toBe(false);
    expect(outcome.result).toMatchObject({ matches: false, uid: STAGING, evidence: 'snapshot contents' });
    expect(outcome.error).toContain(`its kube-system UID is ${STAGING} (snapshot contents)`);
    expect(outcome.error).toContain(`prod is ${PROD}`);
  }, 60_000);
});

describe('where the expected identity comes from', () => {
  it('with no identity given, the one Lifeboat recorded on its own earlier snapshot of the cluster is used', async () => {
    await plainSnapshot(PROD, 'lifeboat-earlier', { cluster: 'prod', 'cluster-identity': PROD });
    const foreign = await plainSnapshot(STAGING, 'team-job-later');
    const refused = await call({ bucket: s3.bucket, key: foreign, cluster: 'prod' });
    expect(refused).toMatchObject({
      passed: false,
      result: { matches: false, evidence: 'snapshot contents', expected: PROD },
    });
    expect(refused.result.expectedFrom).toContain('etcd/prod/lifeboat-earlier.db');
  }, 60_000);

  it("Lifeboat's own metadata is read without downloading; a snapshot naming another cluster fails", async () => {
    const key = await plainSnapshot(PROD, 'lifeboat-meta', { cluster: 'prod', 'cluster-identity': PROD });
    expect(await call({ bucket: s3.bucket, key, cluster: 'prod', identity: PROD })).toMatchObject({
      passed: true,
      result: { matches: true, evidence: 'lifeboat metadata' },
    });
    const renamed = await plainSnapshot(PROD, 'named-staging', {
      cluster: 'staging',
      'cluster-identity': PROD,
    });
    const outcome = await call({ bucket: s3.bucket, key: renamed, cluster: 'prod', identity: PROD });
    expect(outcome).toMatchObject({
      passed: false,
      result: { matches: false, evidence: 'lifeboat metadata' },
    });
    expect(outcome.error).toContain('names cluster staging');
  }, 60_000);

  it('a snapshot of an older Lifeboat (cluster name, no identity anywhere) is judged by its name, and says so', async () => {
    const put = (key: string, cluster: string) =>
      s3Client(s3.settings, S3RVER_CREDENTIALS).send(
        new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: 'x', Metadata: { cluster } }),
      );
    await put('legacy/prod.db', 'prod');
    await put('legacy/staging.db', 'staging');
    expect(await call({ bucket: s3.bucket, key: 'legacy/prod.db', cluster: 'prod' })).toMatchObject({
      passed: true,
      result: {
        matches: true,
        evidence: 'lifeboat metadata',
        expectedFrom: expect.stringContaining('cluster name only'),
      },
    });
    const refused = await call({ bucket: s3.bucket, key: 'legacy/staging.db', cluster: 'prod' });
    expect(refused).toMatchObject({ passed: false, result: { matches: false } });
    expect(refused.error).toContain('its "cluster" metadata names staging, not prod');
  });

  it('with neither, the check fails and says how to record the identity', async () => {
    await s3Client(s3.settings, S3RVER_CREDENTIALS).send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: 'other/plain.db', Body: 'x' }),
    );
    const outcome = await call({ bucket: s3.bucket, key: 'other/plain.db', cluster: 'prod' });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toContain("kubectl get namespace kube-system -o jsonpath='{.metadata.uid}'");
  });
});

describe('reading the snapshot file', () => {
  it('the newest state of kube-system wins across many pages, and a deleted one is said to be deleted', async () => {
    const etcd = await startEtcd();
    try {
      await putKubeSystem(etcd.endpoint, STAGING);
      await putKeys(etcd.endpoint, '/registry/pods/shop/pod-', 3000);
      await putKubeSystem(etcd.endpoint, PROD);
      const file = path.join(dir, 'pages.db');
      await execa('etcdctl', [`--endpoints=${etcd.endpoint}`, 'snapshot', 'save', file], {
        env: { ETCDCTL_API: '3' },
      });
      expect(await snapshotIdentity(file)).toMatchObject({ uid: PROD });
      await execa('etcdctl', [`--endpoints=${etcd.endpoint}`, 'del', '/registry/namespaces/kube-system'], {
        env: { ETCDCTL_API: '3' },
      });
      const after = path.join(dir, 'deleted.db');
      await execa('etcdctl', [`--endpoints=${etcd.endpoint}`, 'snapshot', 'save', after], {
        env: { ETCDCTL_API: '3' },
      });
      expect(await snapshotIdentity(after)).toMatchObject({ error: expect.stringContaining('was deleted') });
    } finally {
      await etcd.cleanUp();
    }
  }, 60_000);

  it('a file that is not an etcd snapshot is named as such', async () => {
    const file = path.join(dir, 'not-a-snapshot.db');
    await writeFile(file, randomBytes(8192));
    expect(await snapshotIdentity(file)).toMatchObject({
      error: expect.stringContaining('not an etcd snapshot'),
    });
  });
});
