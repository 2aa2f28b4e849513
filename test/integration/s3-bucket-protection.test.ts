/**
 * s3.bucket-protection against s3rver behind the bucket-settings front (test/support/s3-bucket-settings.ts),
 * configured through the SDK's own Put* requests, as an operator's Terraform or aws CLI would.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  DeleteBucketLifecycleCommand,
  DeleteBucketReplicationCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { s3Client } from '../../src/actions/s3/client.js';
import { s3Actions } from '../../src/actions/s3/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import { runCall } from '../../src/engine/run-call.js';
import { S3RVER_CREDENTIALS } from '../support/s3.js';
import { startS3WithBucketSettings, type S3WithBucketSettings } from '../support/s3-bucket-settings.js';

let s3: S3WithBucketSettings;
let client: ReturnType<typeof s3Client>;
let registry: ReturnType<typeof createRegistry>;

const check = (input: Record<string, unknown> = {}) =>
  runCall(
    registry,
    { action: 's3.bucket-protection', with: { bucket: s3.bucket, prefix: 'etcd/prod/', ...input } },
    () => undefined,
    {
      incidentId: 'inc-bucket',
      workdir: '/tmp',
      signal: new AbortController().signal,
      progress: () => undefined,
      cluster: () => undefined,
    },
  );

const lifecycle = (rule: Partial<LifecycleRule>) =>
  client.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: s3.bucket,
      LifecycleConfiguration: { Rules: [{ ID: 'snapshots', Status: 'Enabled', ...rule }] },
    }),
  );

beforeAll(async () => {
  s3 = await startS3WithBucketSettings();
  client = s3Client(s3.settings, S3RVER_CREDENTIALS);
  registry = createRegistry(s3Actions(s3.settings, { credentials: S3RVER_CREDENTIALS }));
});
afterAll(async () => {
  client?.destroy();
  await s3?.stop();
});
beforeEach(async () => {
  await client.send(new DeleteBucketLifecycleCommand({ Bucket: s3.bucket }));
  await client.send(new DeleteBucketReplicationCommand({ Bucket: s3.bucket }));
});

describe('s3.bucket-protection', () => {
  it('a bare bucket is reported without versioning and without lifecycle, each with what to do', async () => {
    const outcome = await check();
    expect(outcome).toMatchObject({
      passed: false,
      result: { protected: false, versioning: false, lifecycle: false },
    });
    expect(outcome.error).toContain('versioning is not enabled');
    expect(outcome.error).toContain('put-bucket-versioning');
    expect(outcome.error).toContain('has no lifecycle configuration');
  });

  it('passes with versioning and a rule that expires the prefix; a tag-filtered or other-prefix rule does not count', async () => {
    await client.send(
      new PutBucketVersioningCommand({ Bucket: s3.bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    await lifecycle({ Filter: { Prefix: 'velero/' }, Expiration: { Days: 30 } });
    expect((await check()).result).toMatchObject({ versioning: true, lifecycle: false });
    await lifecycle({
      Filter: { And: { Prefix: 'etcd/', Tags: [{ Key: 'tier', Value: 'cold' }] } },
      Expiration: { Days: 30 },
    });
    expect((await check()).result).toMatchObject({ lifecycle: false });
    await lifecycle({ Filter: { Prefix: 'etcd/' }, NoncurrentVersionExpiration: { NoncurrentDays: 14 } });
    expect(await check()).toMatchObject({ passed: true, result: { protected: true, lifecycle: true } });
  });

  it('a suspended versioning is named as suspended', async () => {
    await client.send(
      new PutBucketVersioningCommand({ Bucket: s3.bucket, VersioningConfiguration: { Status: 'Suspended' } }),
    );
    expect((await check()).error).toContain('versioning is suspended');
  });

  it('where replication is expected, a missing or mis-aimed configuration is reported, a right one passes', async () => {
    await client.send(
      new PutBucketVersioningCommand({ Bucket: s3.bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    await lifecycle({ Filter: { Prefix: '' }, Expiration: { Days: 30 } });
    const expecting = { replicateTo: 'snapshots-usw2', replicateRegion: 'us-west-2' };
    const missing = await check(expecting);
    expect(missing).toMatchObject({ passed: false, result: { replication: false } });
    expect(missing.error).toContain('has no replication configuration');
    expect(missing.error).toContain('snapshots-usw2 in us-west-2');
    const replicate = (bucket: string) =>
      client.send(
        new PutBucketReplicationCommand({
          Bucket: s3.bucket,
          ReplicationConfiguration: {
            Role: 'arn:aws:iam::123456789012:role/s3-replication',
            Rules: [
              {
                ID: 'etcd',
                Priority: 1,
                Status: 'Enabled',
                Filter: { Prefix: 'etcd/' },
                DeleteMarkerReplication: { Status: 'Disabled' },
                Destination: { Bucket: `arn:aws:s3:::${bucket}` },
              },
            ],
          },
        }),
      );
    await replicate('snapshots-euw1');
    expect((await check(expecting)).error).toContain('no enabled replication rule');
    await replicate('snapshots-usw2');
    expect(await check(expecting)).toMatchObject({ passed: true, result: { replication: true } });
    // Not asked for, replication is neither read nor reported.
    expect((await check()).result).not.toHaveProperty('replication');
  });

  it('a missing bucket is a failure that says so', async () => {
    const outcome = await check({ bucket: 'no-such-bucket' });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toContain('no-such-bucket');
  });
});
