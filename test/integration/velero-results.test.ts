import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { kubernetesActions } from '../../src/actions/k8s/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import { restoreName } from '../../src/actions/velero/restore-name.js';
import { K8sEmulator } from '../../src/sandbox/k8s-emulator.js';
import { DEFAULT_PLAN } from '../../src/sandbox/k8s/restores.js';
import { backup, deployment, pvc, storageLocation } from '../../src/sandbox/k8s/objects.js';
import { actionRunner } from '../support/k8s/run-action.js';
import { admit, type VeleroPlural } from '../../src/sandbox/velero/crd.js';
import { resourceList, volumeInfos, type NamespaceContents } from '../../src/sandbox/velero/backup-files.js';

const payments: Record<string, NamespaceContents> = {
  payments: {
    deployments: ['api', 'worker'],
    configMaps: ['settings', 'feature-flags'],
    pvcs: { data: 'CSISnapshot', ledger: 'PodVolumeBackup' },
    custom: { 'monitoring.coreos.com/v1/ServiceMonitor': ['api'] },
  },
};
const halfEmpty: Record<string, NamespaceContents> = {
  payments: { deployments: ['api'], pvcs: { data: 'none', ledger: 'NativeSnapshot' } },
};

let api: K8sEmulator;
beforeAll(async () => {
  api = await K8sEmulator.create({ tickMs: 30 });
  api.seed('backupstoragelocations', storageLocation('default', 'Available', 0.2));
  api.seed(
    'backups',
    backup('payments-daily', { included: ['payments'] }),
    backup('payments-partial', { included: ['payments'] }),
  );
  api.backupFiles('payments-daily', { resources: resourceList(payments), volumes: volumeInfos(payments) });
  api.backupFiles('payments-partial', {
    resources: resourceList(halfEmpty),
    volumes: volumeInfos(halfEmpty),
  });
  api.seed('customresourcedefinitions', {
    metadata: { name: 'servicemonitors.monitoring.coreos.com' },
    spec: {
      group: 'monitoring.coreos.com',
      names: { kind: 'ServiceMonitor', plural: 'servicemonitors' },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true }],
    },
  });
});
afterAll(async () => {
  await api.close();
});
afterEach(() => {
  api.heal();
  api.restorePlan = { ...DEFAULT_PLAN };
});

const clusters = { primary: { context: 'prod-eu' } };
const run = actionRunner(createRegistry(kubernetesActions((target) => api.kubeConfig(target))), clusters);
let incidents = 0;
const nextIncident = () => `INC-${7000 + ++incidents}`;
const restoreIn = (
  incidentId: string,
  input: Record<string, unknown> = {},
  options: Parameters<typeof run>[2] = {},
) =>
  run(
    'velero.restore',
    { cluster: 'primary', backup: 'payments-daily', namespaces: ['payments'], ...input },
    { incidentId, ...options },
  );

const alreadyExists = (name: string) =>
  `could not restore, ConfigMap "${name}" already exists. Warning: the in-cluster version is different than the backed-up version`;

describe('velero.restore judges a restore by its results', () => {
  it('fails a Completed restore with two "already exists" warnings, naming both, and lists them in the ledger', async () => {
    api.restorePlan = {
      ...DEFAULT_PLAN,
      results: {
        errors: {},
        warnings: { namespaces: { payments: [alreadyExists('settings'), alreadyExists('feature-flags')] } },
      },
    };
    const outcome = await restoreIn(nextIncident());
    expect(outcome).toMatchObject({
      passed: false,
      result: { phase: 'Completed', warnings: 2, unexpectedWarnings: 2, skipped: 2 },
    });
    expect(outcome.error).toContain(
      '2 warnings not allowed by allowWarnings: payments: could not restore, ConfigMap "settings" already exists',
    );
    expect(outcome.error).toContain('ConfigMap "feature-flags" already exists');
    const report = String(outcome.result.stdout);
    expect(report).toContain(
      'Warnings (2):\n  namespace payments · ConfigMap:\n    - could not restore, ConfigMap "settings"',
    );
    expect(report).toMatch(/Ledger: \d+ restored \(.*Deployment 2.*\), 2 skipped, 0 failed/);
    expect(report).toContain(
      '  skipped ConfigMap payments/settings: could not restore, ConfigMap "settings" already exists',
    );
  });

  it('passes the same restore when every warning matches allowWarnings', async () => {
    api.restorePlan = {
      ...DEFAULT_PLAN,
      results: {
        errors: {},
        warnings: { namespaces: { payments: [alreadyExists('settings'), alreadyExists('feature-flags')] } },
      },
    };
    const outcome = await restoreIn(nextIncident(), {
      allowWarnings: ['ConfigMap "(settings|feature-flags)" already exists'],
    });
    expect(outcome).toMatchObject({ passed: true, result: { phase: 'Completed', unexpectedWarnings: 0 } });
    expect(String(outcome.result.stdout)).toContain('2 warning(s) allowed by allowWarnings');
  });

  it('refuses an allowWarnings pattern that could backtrack for ever, before creating anything', async () => {
    const before = api.state.objects.restores.length;
    const outcome = await restoreIn(nextIncident(), { allowWarnings: ['(a+)+$'] });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toContain(
      'allowWarnings pattern "(a+)+$" refused: a quantified group holding a quantifier',
    );
    expect(api.state.objects.restores.length).toBe(before);
  });

  it('fails on a failed plugin operation or a failed hook even when the phase reads well', async () => {
    api.restorePlan = { ...DEFAULT_PLAN, ticks: 2, pluginOperations: { ticks: 1, failed: 1 } };
    const operations = await restoreIn(nextIncident());
    expect(operations).toMatchObject({
      passed: false,
      result: { phase: 'PartiallyFailed', failedOperations: 1 },
    });
    expect(operations.error).toContain('1 plugin item operation failed');
    api.restorePlan = { ...DEFAULT_PLAN, ticks: 2, hooks: { attempted: 2, failed: 1 } };
    const hooks = await restoreIn(nextIncident());
    expect(hooks).toMatchObject({ passed: false, result: { phase: 'Completed', failedHooks: 1 } });
    expect(hooks.error).toContain('1 restore hook failed');
  });
});

describe('one Restore per step attempt', () => {
  it('a step timeout then a retry follows the same Restore: exactly one is created', async () => {
    const incident = nextIncident();
    api.restorePlan = { ...DEFAULT_PLAN, ticks: 40 };
    const first = await restoreIn(incident, {}, { timeout: '1s' });
    expect(first).toMatchObject({ passed: false, result: { phase: 'InProgress' } });
    expect(first.error).toContain('it keeps running, and Retry follows it again');
    const second = await restoreIn(incident);
    expect(second).toMatchObject({
      passed: true,
      result: { phase: 'Completed', name: restoreName(incident, 'restore', 1) },
    });
    expect(second.progress[0]).toBe(
      `following Restore ${restoreName(incident, 'restore', 1)}, made by an earlier run of this step`,
    );
    const mine = api.state.list('restores', 'velero', {
      labelSelector: `lifeboat.io/incident=${incident.toLowerCase()}`,
    });
    expect(mine.map((r) => r.metadata.name)).toEqual([restoreName(incident, 'restore', 1)]);
    expect(mine[0]?.metadata.labels).toMatchObject({
      'lifeboat.io/step': 'restore',
      'lifeboat.io/attempt': '1',
    });
  });

  it('a new attempt after a failed Restore creates a new one, named so', async () => {
    const incident = nextIncident();
    api.restorePlan = { ...DEFAULT_PLAN, outcome: 'Failed', failureReason: 'error downloading backup' };
    expect((await restoreIn(incident)).passed).toBe(false);
    api.restorePlan = { ...DEFAULT_PLAN };
    const again = await restoreIn(incident);
    expect(again).toMatchObject({ passed: true, result: { name: restoreName(incident, 'restore', 2) } });
    const names = api.state.list('restores', 'velero', {
      labelSelector: `lifeboat.io/incident=${incident.toLowerCase()}`,
    });
    expect(names.map((r) => r.metadata.name).sort()).toEqual([
      restoreName(incident, 'restore', 1),
      restoreName(incident, 'restore', 2),
    ]);
  });

  it('keeps a long incident id within a DNS-1123 name of 63 characters', () => {
    const name = restoreName(
      'INC-2026-12-01-payments-namespace-deleted-by-terraform-apply',
      'restore-namespace',
      3,
    );
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(name).not.toBe(
      restoreName('INC-2026-12-01-payments-namespace-deleted-by-terraform-apply-2', 'restore-namespace', 3),
    );
  });
});

describe('velero.restore-plan', () => {
  const plan = (input: Record<string, unknown> = {}) =>
    run('velero.restore-plan', {
      cluster: 'primary',
      backup: 'payments-daily',
      namespace: 'payments',
      ...input,
    });

  it('shows objects by kind, volume data sources and CRDs, with a stable digest', async () => {
    const outcome = await plan();
    expect(outcome).toMatchObject({
      passed: true,
      result: { objects: 7, emptyVolumes: 0, missingCrds: 0, blockingVolumes: 0 },
    });
    expect(String(outcome.result.digest)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(String(outcome.result.stdout)).toContain(
      'Volumes: payments/data from CSI snapshot; payments/ledger from file-system backup',
    );
    expect(String(outcome.result.stdout)).toContain(
      'CRDs needed: monitoring.coreos.com/ServiceMonitor present',
    );
    // Its CRD serves it, so the plan checked it: none of its objects are in the target yet.
    expect(String(outcome.result.stdout).split('\n')).toContain('  1 ServiceMonitor.monitoring.coreos.com');
    expect((await plan()).result.digest).toBe(outcome.result.digest);
  });

  it('names a PVC whose data is not in the backup, unless the empty volume is accepted', async () => {
    const outcome = await plan({ backup: 'payments-partial' });
    expect(outcome).toMatchObject({ passed: false, result: { emptyVolumes: 1 } });
    expect(outcome.error).toBe(
      'payments/data would come back empty (no snapshot or file-system backup of its data in payments-partial)',
    );
    expect(await plan({ backup: 'payments-partial', allowEmptyVolumes: 'true' })).toMatchObject({
      passed: true,
    });
  });

  it('sees what exists, a missing CRD and a Released Retain PV that would block; and the restore refuses a changed plan', async () => {
    const approved = await plan();
    api.seed('deployments', deployment('payments', 'api'));
    api.seed('persistentvolumeclaims', pvc('payments', 'data', 'Pending'));
    api.seed('persistentvolumes', {
      metadata: { name: 'pvc-old-data' },
      spec: { persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'payments', name: 'data' } },
      status: { phase: 'Released' },
    });
    const crds = api.state.objects.customresourcedefinitions.splice(0);
    try {
      const changed = await plan();
      expect(changed.result).toMatchObject({ existing: 2, missingCrds: 1, blockingVolumes: 1 });
      expect(changed.result.digest).not.toBe(approved.result.digest);
      expect(changed.error).toContain('the target has no CRD for monitoring.coreos.com/ServiceMonitor');
      expect(changed.error).toContain(`kubectl patch pv pvc-old-data -p '{"spec":{"claimRef":null}}'`);
      expect(String(changed.result.stdout)).toContain(
        'Already in the cluster: Deployment payments/api, PersistentVolumeClaim payments/data; existing objects are left as they are',
      );
      const before = api.state.objects.restores.length;
      const refused = await restoreIn(nextIncident(), { planDigest: approved.result.digest });
      expect(refused.passed).toBe(false);
      expect(refused.error).toContain('the restore would not do what it must');
      expect(api.state.objects.restores.length).toBe(before);
    } finally {
      api.state.objects.customresourcedefinitions.push(...crds);
      api.state.objects.persistentvolumes.length = 0;
    }
    // Only an object now in the way: the plan differs from the approved one, so the restore refuses.
    const refused = await restoreIn(nextIncident(), { planDigest: approved.result.digest });
    expect(refused.error).toMatch(
      /^the restore plan changed since approval: approved sha256:[0-9a-f]{12}…, now sha256:[0-9a-f]{12}…; request the step again/,
    );
    api.state.objects.deployments.length = 0;
    api.state.objects.persistentvolumeclaims.length = 0;
    expect(await restoreIn(nextIncident(), { planDigest: approved.result.digest })).toMatchObject({
      passed: true,
    });
  });
});

describe('the emulator writes only what the CRDs allow', () => {
  it('every Restore and DownloadRequest version it served in this file passes the CRD schema', () => {
    const written = api.state.history.filter(
      (e) => e.plural === 'restores' || e.plural === 'downloadrequests',
    );
    expect(written.length).toBeGreaterThan(20);
    const phases = new Set(written.filter((e) => e.plural === 'restores').map((e) => e.object.status?.phase));
    expect([...phases]).toEqual(
      expect.arrayContaining([
        'InProgress',
        'WaitingForPluginOperations',
        'FinalizingPartiallyFailed',
        'Finalizing',
        'Completed',
        'PartiallyFailed',
        'Failed',
      ]),
    );
    const refused = written
      .map((e) => ({
        name: e.object.metadata.name,
        errors: admit(e.plural as VeleroPlural, e.object as unknown as Record<string, unknown>).errors,
      }))
      .filter((r) => r.errors.length > 0);
    expect(refused).toEqual([]);
  });
});
