import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Actions } from '../../src/actions/s3/index.js';
import { s3Client } from '../../src/actions/s3/client.js';
import { createRegistry } from '../../src/actions/registry.js';
import { exposure } from '../../src/domain/backups.js';
import { BackupWatch } from '../../src/domain/config.js';
import { BackupWatcher, lastBackupStates } from '../../src/engine/backup-watch.js';
import type { RedisStore } from '../../src/store/redis.js';
import { deletePrefix, redisStore, testPrefix } from '../support/redis.js';
import { S3RVER_CREDENTIALS, startS3, type LocalS3 } from '../support/s3.js';

let s3: LocalS3;
const prefix = testPrefix();
const stores: RedisStore[] = [];
const cleanup = [prefix];
let uploadedAt = 0;

beforeAll(async () => {
  s3 = await startS3('etcd-snapshots');
  const client = s3Client(s3.settings, S3RVER_CREDENTIALS);
  await client.send(
    new PutObjectCommand({ Bucket: 'etcd-snapshots', Key: 'prod/snap-1.db', Body: 'snapshot' }),
  );
  uploadedAt = Date.now();
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await Promise.all(cleanup.map((p) => deletePrefix(p)));
  await s3.stop();
});

function replica(name: string, clock: () => number, alerts: string[]): BackupWatcher {
  const store = redisStore(prefix);
  stores.push(store);
  return new BackupWatcher({
    store,
    registry: createRegistry(s3Actions(s3.settings, { credentials: S3RVER_CREDENTIALS })),
    watch: BackupWatch.parse({
      interval: '1m',
      // s3rver has no bucket versioning or lifecycle API (backup-watch-buckets.test.ts checks them).
      etcd: [{ name: 'prod', bucket: 'etcd-snapshots', prefix: 'prod/', rpo: '1h', checkBucket: false }],
    }),
    clusters: {},
    owner: name,
    alert: (text) => Promise.resolve(void alerts.push(text)),
    clock,
  });
}

describe('the backup watch', () => {
  it('alerts once when a backup goes stale, once when it recovers, runs on one replica, and reports the exposure', async () => {
    let now = uploadedAt + 10 * 60_000;
    const alerts: string[] = [];
    const a = replica('replica-a', () => now, alerts);
    const b = replica('replica-b', () => now, alerts);

    expect((await a.tick())?.map((s) => [s.source, s.status])).toEqual([['etcd/prod', 'fresh']]);
    expect(await b.tick()).toBeUndefined();
    expect(alerts).toEqual([]);

    now = uploadedAt + 2 * 3600_000;
    for (let i = 0; i < 3; i++) await a.tick();
    expect(alerts).toEqual([
      expect.stringMatching(/^⚠️ Backups STALE: etcd\/prod — newest backup 2h(\d+s)? old \(RPO 1h\)/),
    ]);
    const states = await lastBackupStates(stores[0] as RedisStore);
    expect(exposure(states)).toMatch(
      /^If the cluster died now, you would lose about 2h(\d+s)? of cluster state\./,
    );

    now = uploadedAt + 30 * 60_000;
    await a.tick();
    await a.tick();
    expect(alerts).toHaveLength(2);
    expect(alerts[1]).toMatch(/^✅ Backups recovered: etcd\/prod — newest backup 30m(\d+s)? old/);
  });

  it('treats a missing bucket as unknown with the reason, not as fresh', async () => {
    const alerts: string[] = [];
    const own = testPrefix();
    const store = redisStore(own);
    stores.push(store);
    cleanup.push(own);
    const watcher = new BackupWatcher({
      store,
      registry: createRegistry(s3Actions(s3.settings, { credentials: S3RVER_CREDENTIALS })),
      watch: BackupWatch.parse({ etcd: [{ name: 'gone', bucket: 'no-such-bucket', rpo: '1h' }] }),
      clusters: {},
      owner: 'r',
      alert: (text) => Promise.resolve(void alerts.push(text)),
    });
    const [state] = (await watcher.tick()) ?? [];
    expect(state).toMatchObject({
      source: 'etcd/gone',
      status: 'unknown',
      detail: expect.stringMatching(/bucket no-such-bucket does not exist/),
    });
    expect(alerts).toEqual([expect.stringMatching(/Backups UNKNOWN: etcd\/gone/)]);
  });
});
