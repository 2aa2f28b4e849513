/**
 * The backup watch reports the snapshot bucket's protection next to the snapshot's age: s3rver
 * behind the bucket-settings front, the real Redis store, the real S3 actions.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { s3Client } from '../../src/actions/s3/client.js';
import { s3Actions } from '../../src/actions/s3/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import { exposure } from '../../src/domain/backups.js';
import { BackupWatch } from '../../src/domain/config.js';
import { BackupWatcher, lastBackupStates } from '../../src/engine/backup-watch.js';
import type { RedisStore } from '../../src/store/redis.js';
import { deletePrefix, redisStore, testPrefix } from '../support/redis.js';
import { S3RVER_CREDENTIALS } from '../support/s3.js';
import { startS3WithBucketSettings, type S3WithBucketSettings } from '../support/s3-bucket-settings.js';

let s3: S3WithBucketSettings;
let client: ReturnType<typeof s3Client>;
let store: RedisStore;
const prefix = testPrefix();

beforeAll(async () => {
  s3 = await startS3WithBucketSettings('etcd-snapshots');
  client = s3Client(s3.settings, S3RVER_CREDENTIALS);
  await client.send(
    new PutObjectCommand({ Bucket: s3.bucket, Key: 'etcd/prod/snap-1.db', Body: 'snapshot' }),
  );
  store = redisStore(prefix);
});
afterAll(async () => {
  client?.destroy();
  await store?.close();
  await deletePrefix(prefix);
  await s3?.stop();
});

describe('the backup watch and the snapshot bucket', () => {
  it('alerts when the bucket lacks versioning or lifecycle or the expected replication, and when it is fixed', async () => {
    const alerts: string[] = [];
    const watcher = new BackupWatcher({
      store,
      registry: createRegistry(s3Actions(s3.settings, { credentials: S3RVER_CREDENTIALS })),
      watch: BackupWatch.parse({
        interval: '1m',
        etcd: [
          {
            name: 'prod',
            bucket: s3.bucket,
            prefix: 'etcd/',
            rpo: '1h',
            replication: { bucket: 'etcd-snapshots-usw2', region: 'us-west-2' },
          },
        ],
      }),
      clusters: {},
      owner: 'replica-a',
      alert: (text) => Promise.resolve(void alerts.push(text)),
    });
    const first = await watcher.tick();
    expect(first?.map((s) => [s.source, s.status])).toEqual([
      ['etcd/prod', 'fresh'],
      ['bucket/prod', 'failing'],
    ]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatch(/^🔥 Backups FAILING: bucket\/prod — versioning is not enabled/);
    expect(alerts[0]).toContain('no lifecycle configuration');
    expect(alerts[0]).toContain('no replication configuration');
    expect(alerts[0]).toContain('etcd-snapshots-usw2 in us-west-2');
    expect(exposure(await lastBackupStates(store))).toContain('`bucket/prod`');

    // Versioning and lifecycle fixed; replication still missing: the same state, no second alert.
    await client.send(
      new PutBucketVersioningCommand({ Bucket: s3.bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: s3.bucket,
        LifecycleConfiguration: {
          Rules: [{ ID: 'expire', Status: 'Enabled', Filter: { Prefix: 'etcd/' }, Expiration: { Days: 30 } }],
        },
      }),
    );
    const second = await watcher.tick();
    expect(second?.find((s) => s.source === 'bucket/prod')).toMatchObject({
      status: 'failing',
      detail: expect.not.stringContaining('versioning'),
    });
    expect(alerts).toHaveLength(1);
  }, 60_000);
});
