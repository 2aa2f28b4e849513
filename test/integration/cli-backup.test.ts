/**
 * `lifeboat backup etcd --cluster NAME` as the CronJob runs it: the real CLI as a child process,
 * real etcd 3.5, s3rver behind the bucket-settings front, the cluster identity from the API emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { snapshotIdentity } from '../../src/actions/etcd/snapshot-identity-read.js';
import { s3Client } from '../../src/actions/s3/client.js';
import { execa } from 'execa';
import { BIN, ROOT } from '../support/cli.js';
import { etcd35Bin, putKeys, startEtcd } from '../support/etcd.js';
import { K8sEmulator } from '../../src/sandbox/k8s-emulator.js';
import * as k8s from '../../src/sandbox/k8s/objects.js';
import { putKubeSystem } from '../support/k8s-protobuf.js';
import { S3RVER_CREDENTIALS } from '../support/s3.js';
import { startS3WithBucketSettings, type S3WithBucketSettings } from '../support/s3-bucket-settings.js';

const UID = '9d2b6c1e-3f4a-4b5c-8d7e-1a2b3c4d5e6f';
const PREFIX = 'etcd/';

let dir = '';
let s3: S3WithBucketSettings;
let api: K8sEmulator;
let etcd: Awaited<ReturnType<typeof startEtcd>> | undefined;
let env: Record<string, string> = {};
let client: ReturnType<typeof s3Client>;

async function writeConfig(endpoint: string): Promise<string> {
  const file = path.join(dir, 'lifeboat.yaml');
  await writeFile(
    file,
    stringify({
      clusters: { prod: { context: 'prod-use1', etcd: { endpoints: [endpoint] } } },
      s3: s3.settings,
      backups: { etcd: [{ name: 'prod', bucket: s3.bucket, prefix: PREFIX, rpo: '1h' }] },
    }),
  );
  return file;
}

/** The built CLI as a child process; a longer limit than support/cli.ts's, since a snapshot and upload happen. */
const lifeboat = (args: string[], options: { env: Record<string, string> }) =>
  execa(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: options.env,
    extendEnv: false,
    reject: false,
    timeout: 120_000,
  });

const snapshots = async () =>
  (await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${PREFIX}prod/` }))).Contents ??
  [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-cli-backup-'));
  const etcdPath = `${etcd35Bin()}${path.delimiter}${process.env.PATH ?? ''}`;
  const savedPath = process.env.PATH;
  process.env.PATH = etcdPath;
  try {
    etcd = await startEtcd();
  } finally {
    process.env.PATH = savedPath;
  }
  [s3, api] = await Promise.all([startS3WithBucketSettings(), K8sEmulator.create()]);
  client = s3Client(s3.settings, S3RVER_CREDENTIALS);
  const kubeSystem = k8s.namespace('kube-system');
  api.seed('namespaces', {
    ...kubeSystem,
    metadata: { ...kubeSystem.metadata, uid: UID },
  } as typeof kubeSystem);
  await putKubeSystem(etcd.endpoint, UID);
  await putKeys(etcd.endpoint, '/registry/configmaps/shop/cm-', 100);
  const kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(kubeconfig, api.kubeconfigFile(['prod-use1']));
  env = {
    PATH: etcdPath,
    HOME: dir,
    KUBECONFIG: kubeconfig,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    LIFEBOAT_CONFIG: await writeConfig(etcd.endpoint),
  };
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await etcd?.cleanUp();
  await api?.close();
  await s3?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('lifeboat backup etcd', () => {
  it('uploads a snapshot with its sha256 and metadata, and exits 3 naming what the bucket lacks', async () => {
    const run = await lifeboat(['backup', 'etcd', '--cluster', 'prod', '--format', 'json'], { env });
    expect(run.stderr).toContain('versioning is not enabled');
    expect(run.stderr).toContain('has no lifecycle configuration');
    expect(run.exitCode).toBe(3);
    const [object] = await snapshots();
    expect(object?.Key).toMatch(/^etcd\/prod\/\d{8}T\d{6}Z\.db$/);
    const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: object?.Key }));
    expect(head.Metadata).toMatchObject({
      cluster: 'prod',
      'cluster-identity': UID,
      'etcd-version': expect.stringMatching(/^3\.5\.\d+$/),
      revision: expect.stringMatching(/^\d+$/),
      'taken-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // The bytes are an etcd snapshot of this cluster, and hash to the sha256 metadata.
    const body = Buffer.from(
      await (
        await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: object?.Key }))
      ).Body!.transformToByteArray(),
    );
    expect(createHash('sha256').update(body).digest('hex')).toBe(head.Metadata?.sha256);
    const copy = path.join(dir, 'copy.db');
    await writeFile(copy, body);
    expect(await snapshotIdentity(copy)).toMatchObject({ uid: UID });
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      identity: UID,
      bucketProtected: false,
      key: `s3://${s3.bucket}/${object?.Key}`,
    });
  }, 150_000);

  it('exits 0 once the bucket is versioned and expires old snapshots', async () => {
    await client.send(
      new PutBucketVersioningCommand({ Bucket: s3.bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: s3.bucket,
        LifecycleConfiguration: {
          Rules: [
            {
              ID: 'expire-old-snapshots',
              Status: 'Enabled',
              Filter: { Prefix: PREFIX },
              Expiration: { Days: 30 },
              NoncurrentVersionExpiration: { NoncurrentDays: 7 },
            },
          ],
        },
      }),
    );
    const before = (await snapshots()).length;
    const run = await lifeboat(['backup', 'etcd', '--cluster', 'prod'], { env });
    expect({ code: run.exitCode, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(run.stdout).toContain(`uploaded s3://${s3.bucket}/${PREFIX}prod/`);
    expect((await snapshots()).length).toBe(before + 1);
  }, 150_000);

  it('with etcd down, exits 1 saying why, and uploads nothing', async () => {
    await etcd?.cleanUp();
    etcd = undefined;
    const before = (await snapshots()).length;
    const run = await lifeboat(['backup', 'etcd', '--cluster', 'prod'], { env });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/snapshot failed: .*no snapshot was uploaded/s);
    expect((await snapshots()).length).toBe(before);
  }, 150_000);

  it('a cluster without a backups.etcd entry is refused with what to add', async () => {
    const run = await lifeboat(['backup', 'etcd', '--cluster', 'staging'], { env });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('cluster staging is not in LIFEBOAT_CONFIG clusters');
  }, 150_000);
});
