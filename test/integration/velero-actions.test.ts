import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { kubernetesActions } from '../../src/actions/k8s/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import { eventually } from '../support/eventually.js';
import { K8sEmulator } from '../../src/sandbox/k8s-emulator.js';
import { readFile } from 'node:fs/promises';
import {
  backup,
  hoursAgo,
  schedule,
  snapshotLocation,
  storageLocation,
} from '../../src/sandbox/k8s/objects.js';
import type { KObject } from '../../src/sandbox/k8s/store.js';
import { resourceList, volumeInfos } from '../../src/sandbox/velero/backup-files.js';
import { actionRunner } from '../support/k8s/run-action.js';

let api: K8sEmulator;
beforeAll(async () => {
  api = await K8sEmulator.create({ tickMs: 40 });
  api.seed(
    'backups',
    backup('daily-20260301010000', { schedule: 'daily', completedHoursAgo: 30 }),
    backup('daily-20260302010000', { schedule: 'daily', completedHoursAgo: 6, gitVersion: 'v1.30.5-eks-1' }),
    backup('daily-20260303010000', { schedule: 'daily', completedHoursAgo: 0.2, phase: 'InProgress' }),
    backup('shop-only', { completedHoursAgo: 2, included: ['shop'], warnings: 2 }),
    backup('all-but-shop', { completedHoursAgo: 1, excluded: ['shop'] }),
    backup('broken', { completedHoursAgo: 0.5, phase: 'PartiallyFailed', errors: 4 }),
  );
  const both = {
    shop: { deployments: ['storefront'], pvcs: { data: 'CSISnapshot' as const } },
    web: { deployments: ['web'] },
  };
  for (const name of ['daily-20260301010000', 'daily-20260302010000', 'daily-20260303010000', 'broken'])
    api.backupFiles(name, { resources: resourceList(both), volumes: volumeInfos(both) });
  api.backupFiles('shop-only', {
    resources: resourceList({ shop: both.shop }),
    volumes: volumeInfos({ shop: both.shop }),
  });
  api.backupFiles('all-but-shop', { resources: resourceList({ web: both.web }), volumes: [] });
  api.seed('schedules', schedule('daily', { lastBackupHoursAgo: 0.2 }), schedule('weekly', { paused: true }));
  api.seed(
    'backupstoragelocations',
    storageLocation('default', 'Available', 0.5),
    storageLocation(
      'secondary',
      'Unavailable',
      30,
      'BackupStorageLocation "secondary" is unavailable: AccessDenied',
    ),
  );
  api.seed('volumesnapshotlocations', snapshotLocation('default', 'aws', 'eu-west-1'));
});
afterAll(() => api.close());
afterEach(() => {
  api.heal();
  api.state.veleroInstalled = true;
  api.restorePlan = { ticks: 4, totalItems: 300, outcome: 'Completed', warnings: 0, errors: 0 };
});

const clusters = { primary: { context: 'prod-eu', region: 'eu-west-1' } };
const run = actionRunner(createRegistry(kubernetesActions((target) => api.kubeConfig(target))), clusters);
let incidents = 0;
/** Each restore in its own incident: a second run of one incident's step adopts its Restore. */
const restoreRun = (input: Record<string, unknown>, options: Parameters<typeof run>[2] = {}) =>
  run('velero.restore', input, { incidentId: `INC-${++incidents}`, ...options });

describe('velero.latest-backup', () => {
  it('finds the newest Completed backup covering a namespace, with its source Kubernetes version', async () => {
    const outcome = await run('velero.latest-backup', { cluster: 'primary', namespace: 'shop' });
    expect(outcome).toMatchObject({
      passed: true,
      result: {
        name: 'shop-only',
        phase: 'Completed',
        errors: 0,
        warnings: 2,
        sourceK8sVersion: 'v1.31.4',
        sourceK8sMinor: '31',
      },
    });
    expect(outcome.result.ageSeconds).toBeGreaterThanOrEqual(7190);
    expect(outcome.result.ageSeconds).toBeLessThan(7300);
    expect(Date.parse(String(outcome.result.time))).toBeLessThan(Date.now());
  });

  it('skips a backup taken after the namespace was deleted: it covers the namespace by its spec and holds nothing of it', async () => {
    api.seed('backups', backup('shop-after-deletion', { completedHoursAgo: 0.3, included: ['shop'] }));
    api.backupFiles('shop-after-deletion', { resources: { 'v1/ConfigMap': ['other/x'] }, volumes: [] });
    const outcome = await run('velero.latest-backup', { cluster: 'primary', namespace: 'shop' });
    expect(outcome).toMatchObject({ passed: true, result: { name: 'shop-only', items: 2, skipped: 2 } });
    expect(outcome.progress).toEqual([
      'passed over newer backups: shop-after-deletion: holds no objects of namespace shop (taken after it was deleted?); all-but-shop: holds no objects of namespace shop (taken after it was deleted?)',
    ]);
    // The responder's pick is the one checked, so the RPO and version checks judge what will be restored.
    const picked = await run('velero.latest-backup', {
      cluster: 'primary',
      namespace: 'shop',
      backup: 'daily-20260302010000',
    });
    expect(picked.result).toMatchObject({ name: 'daily-20260302010000', sourceK8sMinor: '30' });
    expect(picked.result.ageSeconds).toBeGreaterThan(6 * 3600 - 60);
    const empty = await run('velero.latest-backup', {
      cluster: 'primary',
      namespace: 'shop',
      backup: 'shop-after-deletion',
    });
    expect(empty).toMatchObject({
      passed: false,
      error:
        'backup shop-after-deletion holds no objects of namespace shop in namespace velero of cluster primary',
    });
    api.state.objects.backups.pop();
  });

  it('reads the source version from the annotation a real backup carries, not from a label', async () => {
    const real = JSON.parse(
      await readFile('test/fixtures/velero/backup-payments-daily.json', 'utf8'),
    ) as KObject;
    real.status = { ...real.status, completionTimestamp: hoursAgo(0.01) };
    api.seed('backups', real);
    const outcome = await run('velero.latest-backup', { cluster: 'primary', schedule: 'daily' });
    expect(outcome.result).toMatchObject({
      name: 'daily-20261130010002',
      sourceK8sVersion: 'v1.31.4-eks-2d5f260',
      sourceK8sMinor: '31',
    });
    // The old mistake: a version only in labels is not where Velero writes it, so it is not found.
    const labelled = backup('labelled-only', { completedHoursAgo: 0.005, schedule: 'daily' });
    labelled.metadata.labels = { ...labelled.metadata.labels, ...labelled.metadata.annotations };
    labelled.metadata.annotations = {};
    api.seed('backups', labelled);
    const wrong = await run('velero.latest-backup', { cluster: 'primary', schedule: 'daily' });
    expect(wrong.result).toMatchObject({ name: 'labelled-only', sourceK8sVersion: '', sourceK8sMinor: '' });
    api.state.objects.backups.splice(-2);
  });

  it('keeps to one schedule, skipping a backup still in progress', async () => {
    const outcome = await run(
      'velero.latest-backup',
      { cluster: 'primary', schedule: 'daily' },
      { expect: { ageSeconds: { lt: 86400 } } },
    );
    expect(outcome).toMatchObject({
      passed: true,
      result: { name: 'daily-20260302010000', sourceK8sVersion: 'v1.30.5-eks-1', sourceK8sMinor: '30' },
    });
  });

  it('says plainly when there is no completed backup, so the check fails', async () => {
    const outcome = await run(
      'velero.latest-backup',
      { cluster: 'primary', schedule: 'hourly', namespace: 'shop' },
      { expect: { ageSeconds: { lt: 86400 } } },
    );
    expect(outcome).toMatchObject({
      passed: false,
      error: 'no completed backup of schedule hourly in namespace velero of cluster primary',
      failures: ['ageSeconds should be < 86400, got undefined'],
    });
  });
});

describe('velero.list-backups', () => {
  it('lists the completed backups covering a namespace, newest first, as choices for a param', async () => {
    const outcome = await run('velero.list-backups', { cluster: 'primary', namespace: 'shop' });
    expect(outcome.passed).toBe(true);
    const choices = outcome.result.choices as { value: string; label: string; description: string }[];
    expect(choices.map((c) => c.value)).toEqual([
      'shop-only',
      'daily-20260302010000',
      'daily-20260301010000',
    ]);
    expect(choices[0]).toEqual({
      value: 'shop-only',
      label: 'shop-only',
      description: '2h ago · 2 objects of shop · 2 warnings',
    });
    expect(outcome.result.count).toBe(3);
  });

  it('offers only backups whose contents hold the namespace: one taken after the deletion is left out', async () => {
    // Covers shop by its spec, but was taken after shop was deleted: its resource list has no shop objects.
    api.seed('backups', backup('after-deletion', { completedHoursAgo: 0.1, included: ['shop'] }));
    api.backupFiles('after-deletion', {
      resources: resourceList({ web: { deployments: ['web'] } }),
      volumes: [],
    });
    try {
      const outcome = await run('velero.list-backups', { cluster: 'primary', namespace: 'shop' });
      const choices = outcome.result.choices as { value: string; description: string }[];
      expect(choices.map((c) => c.value)).not.toContain('after-deletion');
      expect(choices.map((c) => c.value)[0]).toBe('shop-only');
      expect(choices.find((c) => c.value === 'daily-20260302010000')?.description).toBe(
        '6h ago · 2 objects of shop',
      );
      // Without a namespace, every Completed backup, each saying what it holds.
      const all = await run('velero.list-backups', { cluster: 'primary' });
      const described = Object.fromEntries(
        (all.result.choices as { value: string; description: string }[]).map((c) => [c.value, c.description]),
      );
      expect(described['after-deletion']).toBe('6m ago · 1 object of web');
      expect(described['daily-20260302010000']).toBe('6h ago · 2 objects of shop, 1 object of web');
    } finally {
      const list = api.state.objects.backups;
      list.splice(
        list.findIndex((b) => b.metadata.name === 'after-deletion'),
        1,
      );
    }
  });

  it('keeps to one schedule', async () => {
    const outcome = await run('velero.list-backups', { cluster: 'primary', schedule: 'daily' });
    expect((outcome.result.choices as { value: string }[]).map((c) => c.value)).toEqual([
      'daily-20260302010000',
      'daily-20260301010000',
    ]);
  });
});

describe('velero.bsl-available, velero.snapshot-location, velero.schedule-status', () => {
  it('reports an Available location and how long ago Velero validated it', async () => {
    const outcome = await run('velero.bsl-available', { cluster: 'primary' });
    expect(outcome).toMatchObject({
      passed: true,
      result: { available: true, phase: 'Available', message: '' },
    });
    expect(outcome.result.lastValidationAgeSeconds).toBeGreaterThanOrEqual(1795);
  });

  it('reports an Unavailable location with Velero’s message', async () => {
    const outcome = await run('velero.bsl-available', { cluster: 'primary', name: 'secondary' });
    expect(outcome).toMatchObject({
      passed: false,
      result: { available: false, phase: 'Unavailable' },
      error:
        'BackupStorageLocation secondary is Unavailable: BackupStorageLocation "secondary" is unavailable: AccessDenied',
    });
  });

  it('checks every location named, not only default', async () => {
    const outcome = await run('velero.bsl-available', {
      cluster: 'primary',
      names: ['default', 'secondary'],
    });
    expect(outcome).toMatchObject({
      passed: false,
      result: { available: false, locations: 'default: Available, secondary: Unavailable' },
      error:
        'BackupStorageLocation secondary is Unavailable: BackupStorageLocation "secondary" is unavailable: AccessDenied',
    });
  });

  it('needs no VolumeSnapshotLocation named default: a CSI setup with none is not out of region', async () => {
    const saved = api.state.objects.volumesnapshotlocations.splice(0);
    try {
      expect(
        await run('velero.snapshot-location', { cluster: 'primary', backup: 'shop-only' }),
      ).toMatchObject({
        passed: true,
        result: { locations: 0, inRegion: true },
      });
      api.seed('volumesnapshotlocations', snapshotLocation('aws-east', 'aws', 'us-east-1'));
      expect(await run('velero.snapshot-location', { cluster: 'primary' })).toMatchObject({
        passed: false,
        result: { locations: 1, inRegion: false },
        error: 'volume snapshots of aws-east are in us-east-1, not eu-west-1',
      });
    } finally {
      api.state.objects.volumesnapshotlocations.splice(0, Infinity, ...saved);
    }
  });

  it('says which location does not exist', async () => {
    expect(await run('velero.bsl-available', { cluster: 'primary', name: 'tertiary' })).toMatchObject({
      passed: false,
      error: 'BackupStorageLocation tertiary not found in namespace velero',
    });
  });

  it('reads the snapshot provider and region, comparable with the cluster’s region', async () => {
    const outcome = await run(
      'velero.snapshot-location',
      { cluster: 'primary' },
      {
        expect: { region: '{{ cluster.primary.region }}' },
        values: { 'cluster.primary.region': 'eu-west-1' },
      },
    );
    expect(outcome).toMatchObject({ passed: true, result: { provider: 'aws', region: 'eu-west-1' } });
  });

  it('fails a schedule in FailedValidation with the message Velero wrote, and says when a run was skipped', async () => {
    const invalid = 'invalid schedule: expected exactly 5 fields, found 1: [every-day]';
    api.seed('schedules', schedule('broken-cron', { cron: 'every-day', validationErrors: [invalid] }));
    expect(
      await run('velero.schedule-status', { cluster: 'primary', schedule: 'broken-cron' }),
    ).toMatchObject({
      passed: false,
      result: { schedulePhase: 'FailedValidation', validationErrors: invalid, healthy: false },
      error: `schedule broken-cron failed validation and never runs: ${invalid}`,
    });
    api.seed('schedules', schedule('skipping', { lastSkippedHoursAgo: 2 }));
    const skipped = await run('velero.schedule-status', { cluster: 'primary', schedule: 'skipping' });
    expect(skipped.error).toMatch(
      /^schedule skipping has not made a backup yet \(last run skipped at \d{4}-/,
    );
  });

  it("reports a schedule's last finished backup, its phase and whether it is paused", async () => {
    const outcome = await run('velero.schedule-status', { cluster: 'primary', schedule: 'daily' });
    expect(outcome).toMatchObject({ passed: true, result: { phase: 'Completed', errors: 0, paused: false } });
    expect(outcome.result.ageSeconds).toBeGreaterThan(6 * 3600);
    const paused = await run('velero.schedule-status', { cluster: 'primary', schedule: 'weekly' });
    expect(paused).toMatchObject({
      passed: false,
      result: { lastBackup: null, ageSeconds: null, phase: 'none', paused: true },
      error: 'schedule weekly is paused',
    });
  });
});

describe('velero.restore', () => {
  it('creates a Restore and follows it through its phases, reporting progress', async () => {
    const outcome = await restoreRun(
      {
        cluster: 'primary',
        backup: 'shop-only',
        namespaces: ['{{ params.namespace }}'],
        namespaceMapping: { shop: 'shop-restored' },
      },
      { values: { 'params.namespace': 'shop' }, expect: { phase: 'Completed', errors: 0 } },
    );
    expect(outcome).toMatchObject({
      passed: true,
      result: { phase: 'Completed', errors: 0, warnings: 0, itemsRestored: 300, totalItems: 300 },
    });
    const name = String(outcome.result.name);
    expect(name).toMatch(/^lifeboat-inc-\d+-restore-1$/);
    // "New" shows only when Lifeboat looks before Velero's first update; every later step is reported.
    const order = [
      `created Restore ${name} from backup shop-only`,
      'InProgress: 0/300 items',
      'InProgress: 100/300 items',
      'InProgress: 200/300 items',
      // Every restore passes through Finalizing (pkg/controller/restore_finalizer_controller.go).
      'Finalizing: 300/300 items',
      'Completed: 300/300 items',
    ];
    // Lines seen before Lifeboat's first look may be missed; every one after it is reported, in order.
    const seen = outcome.progress.filter((line) => line !== 'New');
    expect(seen.slice(-3)).toEqual(order.slice(-3));
    expect(seen).toEqual(order.filter((line) => seen.includes(line)));
    expect(api.state.find('restores', 'velero', name)?.spec).toEqual({
      backupName: 'shop-only',
      includedNamespaces: ['shop'],
      namespaceMapping: { shop: 'shop-restored' },
      restorePVs: true,
    });
  });

  it('restores from the latest backup of a schedule, with restorePVs from a template string', async () => {
    const outcome = await restoreRun({
      cluster: 'primary',
      schedule: 'daily',
      namespaces: 'shop',
      restorePVs: 'false',
      existingResourcePolicy: 'update',
    });
    expect(outcome).toMatchObject({ passed: true, result: { phase: 'Completed' } });
    // The controller fills in the schedule's newest Completed backup, as Velero does.
    expect(api.state.find('restores', 'velero', String(outcome.result.name))?.spec).toEqual({
      scheduleName: 'daily',
      backupName: 'daily-20260302010000',
      includedNamespaces: ['shop'],
      restorePVs: false,
      existingResourcePolicy: 'update',
    });
  });

  it('re-establishes a watch that drops mid-restore and still reports the right result', async () => {
    api.restorePlan = { ...api.restorePlan, ticks: 16, totalItems: 700 };
    api.dropWatches(1, 2);
    const watchesBefore = api.stats.watches;
    const outcome = await restoreRun({ cluster: 'primary', backup: 'shop-only' });
    expect(outcome).toMatchObject({
      passed: true,
      result: { phase: 'Completed', itemsRestored: 700, totalItems: 700 },
    });
    expect(api.drop.times).toBe(0);
    expect(api.stats.watches - watchesBefore).toBeGreaterThanOrEqual(3);
    expect(outcome.progress.at(-1)).toBe('Completed: 700/700 items');
  });

  it('fails the step when the restore ends PartiallyFailed, naming the phase and the counts', async () => {
    api.restorePlan = { ...api.restorePlan, outcome: 'PartiallyFailed', warnings: 12, errors: 2 };
    const outcome = await restoreRun({ cluster: 'primary', backup: 'shop-only' });
    expect(outcome).toMatchObject({
      passed: false,
      result: { phase: 'PartiallyFailed', warnings: 12, errors: 2 },
      error: expect.stringMatching(
        /^Restore lifeboat-inc-\d+-restore-1 ended PartiallyFailed; 2 errors: error restoring deployments\.apps\/default\/worker-1: .*; 12 warnings not allowed by allowWarnings: default: could not restore, ConfigMap "settings-1" already exists.*; check it with: velero restore describe lifeboat-inc-\d+-restore-1 --details -n velero$/,
      ),
    });
  });

  it('reports why a restore Failed or failed validation', async () => {
    api.restorePlan = {
      ...api.restorePlan,
      outcome: 'Failed',
      failureReason: 'error getting backup: AccessDenied',
    };
    const failed = await restoreRun({ cluster: 'primary', backup: 'shop-only' });
    expect(failed.error).toMatch(/ended Failed \(error getting backup: AccessDenied\)/);
    const invalid = await restoreRun({ cluster: 'primary', backup: 'no-such-backup' });
    expect(invalid).toMatchObject({ passed: false, result: { phase: 'FailedValidation' } });
    expect(invalid.error).toMatch(
      /ended FailedValidation \(Error retrieving backup: can't find backup velero\/no-such-backup: backups.velero.io "no-such-backup" not found/,
    );
  });

  it('turns a 403 into the RBAC permission Lifeboat lacks', async () => {
    api.fail({ method: 'POST', path: '/restores', status: 403 });
    expect(await restoreRun({ cluster: 'primary', backup: 'shop-only' })).toMatchObject({
      passed: false,
      error:
        'Kubernetes refused (403) to create restores.velero.io: Lifeboat\'s RBAC needs create on restores.velero.io (restores.velero.io is forbidden: User "system:serviceaccount:lifeboat:lifeboat" cannot create resource "restores" in API group "velero.io" in the namespace "velero")',
    });
  });

  it('says Velero is not installed when its resources are missing', async () => {
    api.state.veleroInstalled = false;
    expect(await restoreRun({ cluster: 'primary', backup: 'shop-only' })).toMatchObject({
      passed: false,
      error: 'Velero is not installed (no velero.io/v1 Restores)',
    });
    expect(await run('velero.latest-backup', { cluster: 'primary' })).toMatchObject({
      passed: false,
      error: 'Velero is not installed (no velero.io/v1 Backups)',
    });
  });

  it('reports a 500 clearly, and a second run after the API recovers succeeds', async () => {
    api.fail({ method: 'POST', path: '/restores', status: 500, message: 'etcdserver: leader changed' });
    expect(await restoreRun({ cluster: 'primary', backup: 'shop-only' })).toMatchObject({
      passed: false,
      error: expect.stringMatching(
        /^Kubernetes API error \(500 InternalError\) to create restores\.velero\.io: etcdserver: leader changed; the create may have happened anyway: check with kubectl get restores\.velero\.io lifeboat-inc-9-restore-1 -n velero/,
      ),
    });
    api.heal();
    expect(await restoreRun({ cluster: 'primary', backup: 'shop-only' })).toMatchObject({
      passed: true,
      result: { phase: 'Completed' },
    });
  });

  it('rides out 500s while following a restore', async () => {
    api.restorePlan = { ...api.restorePlan, ticks: 8 };
    api.fail({ method: 'GET', path: /restores\/lifeboat-|watch=true/, status: 500, times: 4 });
    expect(await restoreRun({ cluster: 'primary', backup: 'shop-only' })).toMatchObject({
      passed: true,
      result: { phase: 'Completed', itemsRestored: 300 },
    });
  });

  it('when the API is taken away mid-restore, says so clearly; a second run after it is back succeeds', async () => {
    api.restorePlan = { ...api.restorePlan, ticks: 100 };
    const lost = restoreRun(
      { cluster: 'primary', backup: 'shop-only' },
      {
        timeout: '2s',
        onProgress: (line) => {
          if (line.startsWith('InProgress')) void api.stop();
        },
      },
    );
    const outcome = await lost;
    await api.start();
    expect(outcome).toMatchObject({ passed: false, result: { phase: 'InProgress' } });
    expect(outcome.error).toMatch(
      /^cannot reach the API server of cluster primary \(context prod-eu\): ECONNREFUSED, so Lifeboat lost Restore lifeboat-inc-\d+-restore-1 \(InProgress: \d+\/300 items\); it may still be running: check it with: velero restore describe/,
    );
    // Refused, or reset if a pooled connection was cut first: either way, said once.
    expect(outcome.progress.filter((line) => line.endsWith('still trying'))).toEqual([
      expect.stringMatching(
        /^cannot reach the API server of cluster primary \(context prod-eu\): \w+; still trying$/,
      ),
    ]);
    api.restorePlan = { ...api.restorePlan, ticks: 4 };
    expect(await restoreRun({ cluster: 'primary', backup: 'shop-only' })).toMatchObject({
      passed: true,
      result: { phase: 'Completed' },
    });
  });

  it('picks the restore up again when the API comes back, seeing a phase change made while it was away', async () => {
    api.restorePlan = { ...api.restorePlan, ticks: 10 };
    let stopped = false;
    const finishedWhileAway = async (name: string) => {
      await api.stop();
      await eventually(
        () => Promise.resolve(api.state.find('restores', 'velero', name)?.status?.phase === 'Completed'),
        'the restore to complete in the emulator',
      );
      await api.start();
    };
    const outcome = await restoreRun(
      { cluster: 'primary', backup: 'shop-only' },
      {
        onProgress: (line) => {
          const created = /^created Restore (\S+)/.exec(line);
          if (created?.[1] && !stopped) {
            stopped = true;
            void finishedWhileAway(created[1]);
          }
        },
      },
    );
    expect(outcome).toMatchObject({ passed: true, result: { phase: 'Completed', itemsRestored: 300 } });
    // Refused, or reset if a pooled connection was cut first: either way, said once.
    expect(outcome.progress.filter((line) => line.endsWith('still trying'))).toEqual([
      expect.stringMatching(
        /^cannot reach the API server of cluster primary \(context prod-eu\): \w+; still trying$/,
      ),
    ]);
    expect(outcome.progress.slice(-2)).toEqual([
      'reached the API server of cluster primary again',
      'Completed: 300/300 items',
    ]);
  });

  it('stops following when the run is stopped, saying the restore keeps running', async () => {
    api.restorePlan = { ...api.restorePlan, ticks: 100 };
    const stop = new AbortController();
    const outcome = await restoreRun(
      { cluster: 'primary', backup: 'shop-only' },
      {
        signal: stop.signal,
        onProgress: (line) => {
          if (line.startsWith('InProgress')) stop.abort();
        },
      },
    );
    expect(outcome).toMatchObject({ passed: false, result: { phase: 'InProgress' } });
    expect(outcome.error).toMatch(
      /^stopped following Restore lifeboat-inc-\d+-restore-1 \(InProgress: \d+\/300 items\); it keeps running in the cluster/,
    );
  });

  it('follows the real phase order through WaitingForPluginOperations and Finalizing', async () => {
    api.restorePlan = { ...api.restorePlan, ticks: 2, totalItems: 10, pluginOperations: { ticks: 3 } };
    const outcome = await restoreRun({ cluster: 'primary', backup: 'shop-only' });
    expect(outcome.passed).toBe(true);
    // The phases in Velero's order; how many items the first InProgress look saw depends on the tick.
    const phases = outcome.progress.filter((l) => !l.startsWith('created') && l !== 'New');
    expect(phases.map((l) => l.replace(/^InProgress: \d+\/10 items$/, 'InProgress'))).toEqual([
      'InProgress',
      'WaitingForPluginOperations: 10/10 items',
      'Finalizing: 10/10 items',
      'Completed: 10/10 items',
    ]);
  });

  it('checks a schedule restore against the schedule’s backups, in the controller’s words', async () => {
    api.seed('schedules', schedule('hourly'));
    const outcome = await restoreRun({ cluster: 'primary', schedule: 'hourly' });
    expect(outcome).toMatchObject({ passed: false, result: { phase: 'FailedValidation' } });
    expect(outcome.error).toContain(
      '(No backups found for schedule; No completed backups found for schedule)',
    );
  });

  it('the emulated API server refuses a Restore its CRD refuses, with a 422 Status', async () => {
    const client = api.kubeConfig({ name: 'primary', context: 'prod-eu' }).makeApiClient(CustomObjectsApi);
    const body = {
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: { name: 'r1' },
      spec: { backupName: 'x', restorePVs: 'yes' },
    };
    const refused = await client
      .createNamespacedCustomObject({
        group: 'velero.io',
        version: 'v1',
        namespace: 'velero',
        plural: 'restores',
        body,
      })
      .then(
        () => undefined,
        (error: unknown) => error as { code: number; body: string },
      );
    expect(refused?.code).toBe(422);
    expect(JSON.parse(String(refused?.body))).toMatchObject({
      reason: 'Invalid',
      message:
        'Restore.velero.io "r1" is invalid: spec.restorePVs: Invalid value: "string": spec.restorePVs in body must be of type boolean: "string"',
    });
    expect(api.state.find('restores', 'velero', 'r1')).toBeUndefined();
  });

  it('refuses a restore naming both a backup and a schedule', async () => {
    expect(await restoreRun({ cluster: 'primary', backup: 'a', schedule: 'b' })).toMatchObject({
      passed: false,
      error: 'velero.restore: invalid input (input: give backup or schedule (one of them))',
    });
  });
});
