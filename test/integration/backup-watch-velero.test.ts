import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { kubernetesActions } from '../../src/actions/k8s/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import { exposure } from '../../src/domain/backups.js';
import { BackupWatch } from '../../src/domain/config.js';
import { BackupWatcher, lastBackupStates } from '../../src/engine/backup-watch.js';
import type { RedisStore } from '../../src/store/redis.js';
import { K8sEmulator } from '../../src/sandbox/k8s-emulator.js';
import { backup, hoursAgo, schedule, storageLocation } from '../../src/sandbox/k8s/objects.js';
import { deletePrefix, redisStore, testPrefix } from '../support/redis.js';

let api: K8sEmulator;
let store: RedisStore;
const prefix = testPrefix();

beforeAll(async () => {
  api = await K8sEmulator.create();
  api.seed('schedules', schedule('nightly', { lastBackupHoursAgo: 2.1 }));
  api.seed('backups', backup('nightly-1', { schedule: 'nightly', completedHoursAgo: 2 }));
  api.seed('backupstoragelocations', storageLocation('default', 'Available', 0.2));
  store = redisStore(prefix);
});
afterAll(async () => {
  await store.close();
  await deletePrefix(prefix);
  await api.close();
});

describe('the backup watch over Velero', () => {
  it('alerts once when a schedule’s newest backup fails or goes stale and once when it recovers; the same for a storage location', async () => {
    let now = Date.now();
    const alerts: string[] = [];
    const watcher = new BackupWatcher({
      store,
      registry: createRegistry(kubernetesActions((target) => api.kubeConfig(target))),
      watch: BackupWatch.parse({
        velero: [{ cluster: 'prod', schedule: 'nightly', rpo: '24h' }],
        storageLocations: [{ cluster: 'prod', name: 'default', maxValidationAge: '1h' }],
      }),
      clusters: { prod: { context: 'prod-eu' } },
      owner: 'replica-a',
      alert: (text) => Promise.resolve(void alerts.push(text)),
      clock: () => now,
    });
    const ticks = async (n: number) => {
      for (let i = 0; i < n; i++) await watcher.tick();
    };

    expect((await watcher.tick())?.map((s) => [s.source, s.status])).toEqual([
      ['velero/prod/nightly', 'fresh'],
      ['storage/prod/default', 'fresh'],
    ]);
    expect(alerts).toEqual([]);

    // Last night's backup ended PartiallyFailed: one alert, however many ticks see it.
    api.seed(
      'backups',
      backup('nightly-2', {
        schedule: 'nightly',
        completedHoursAgo: 0.05,
        phase: 'PartiallyFailed',
        errors: 3,
      }),
    );
    await ticks(3);
    expect(alerts).toEqual([
      expect.stringMatching(
        /^🔥 Backups FAILING: velero\/prod\/nightly — last backup PartiallyFailed with 3 errors\./,
      ),
    ]);

    api.seed('backups', backup('nightly-3', { schedule: 'nightly', completedHoursAgo: 0.01 }));
    await ticks(2);
    expect(alerts.slice(1)).toEqual([
      expect.stringMatching(
        /^✅ Backups recovered: velero\/prod\/nightly — newest backup \d+m(\d+s)? old \(RPO 24h\)/,
      ),
    ]);

    // No backup for 30 hours against an RPO of 24: stale, said once; then fresh again, said once.
    now += 30 * 3600_000;
    await ticks(3);
    expect(alerts.slice(2)).toEqual([
      expect.stringMatching(
        /^⚠️ Backups STALE: velero\/prod\/nightly — newest backup 1d6h(\d+m)?(\d+s)? old \(RPO 24h\)/,
      ),
    ]);
    now -= 30 * 3600_000;
    await ticks(2);
    expect(alerts.slice(3)).toEqual([expect.stringMatching(/^✅ Backups recovered: velero\/prod\/nightly/)]);

    // The storage location becomes Unavailable: one alert with Velero's reason, then one recovery.
    api.state.update('backupstoragelocations', 'velero', 'default', (location) => {
      location.status = {
        phase: 'Unavailable',
        lastValidationTime: hoursAgo(0.1),
        message: 'rpc error: AccessDenied: the bucket policy refuses the Velero role',
      };
    });
    await ticks(3);
    expect(alerts.slice(4)).toEqual([
      expect.stringMatching(
        /^🔥 Backups FAILING: storage\/prod\/default — backup storage is Unavailable: BackupStorageLocation default is Unavailable: rpc error: AccessDenied/,
      ),
    ]);
    expect(exposure(await lastBackupStates(store))).toContain(
      '⚠️ `storage/prod/default` — backup storage is Unavailable',
    );
    api.state.update('backupstoragelocations', 'velero', 'default', (location) => {
      location.status = { phase: 'Available', lastValidationTime: new Date().toISOString() };
    });
    await ticks(2);
    expect(alerts.slice(5)).toEqual([
      expect.stringMatching(
        /^✅ Backups recovered: storage\/prod\/default — Available, validated \d+s ago\./,
      ),
    ]);
    expect(alerts).toHaveLength(6);

    // Someone edits the cron into something Velero cannot parse: the schedule never runs again.
    const invalid = 'invalid schedule: expected exactly 5 fields, found 1: [nightly]';
    api.state.update('schedules', 'velero', 'nightly', (found) => {
      found.spec = { ...found.spec, schedule: 'nightly' };
      found.status = { ...found.status, phase: 'FailedValidation', validationErrors: [invalid] };
    });
    await ticks(2);
    expect(alerts.slice(6)).toEqual([
      `🔥 Backups FAILING: velero/prod/nightly — schedule nightly failed validation and never runs: ${invalid}. A disaster now would lose more than the RPO allows; check the backup job and its credentials.`,
    ]);
  });
});
