import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { kubernetesActions } from '../../src/actions/k8s/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import { METADATA_LIST } from '../../src/actions/velero/plan-lookup.js';
import { K8sEmulator } from '../../src/sandbox/k8s-emulator.js';
import { backup, deployment, namespace } from '../../src/sandbox/k8s/objects.js';
import { actionRunner } from '../support/k8s/run-action.js';
import { buildPlan, dataSource } from '../../src/actions/velero/plan.js';
import { planDigest, planProblems } from '../../src/actions/velero/plan-words.js';
import { allowedBy, unsafePattern } from '../../src/actions/velero/warning-match.js';
import { resourceList, volumeInfos, type NamespaceContents } from '../../src/sandbox/velero/backup-files.js';

const contents: Record<string, NamespaceContents> = {
  shop: {
    deployments: ['web'],
    pvcs: { a: 'NativeSnapshot', b: 'CSIDataMover', c: 'PodVolumeBackup', d: 'none' },
  },
};
const live = { lookups: new Map(), crds: new Set<string>(), persistentVolumes: [] };
const query = {
  backup: 'b1',
  namespace: 'shop',
  targetNamespace: 'shop',
  existingResourcePolicy: 'none' as const,
};

describe('the restore plan, from Velero’s files', () => {
  it('names where each PVC’s data comes from, as BackupVolumeInfos records it', () => {
    const plan = buildPlan(query, resourceList(contents), volumeInfos(contents), live);
    expect(plan.pvcs).toEqual([
      { name: 'shop/a', source: 'native snapshot' },
      { name: 'shop/b', source: 'CSI data upload' },
      { name: 'shop/c', source: 'file-system backup' },
      { name: 'shop/d', source: 'none' },
    ]);
    expect(planProblems(plan, false)).toEqual([
      'shop/d would come back empty (no snapshot or file-system backup of its data in b1)',
    ]);
    expect(planProblems(plan, true)).toEqual([]);
    // A volume whose backup failed has no data either; so has one with no entry (a pre-1.13 backup).
    expect(dataSource({ backupMethod: 'CSISnapshot', result: 'failed' })).toBe('none');
    expect(dataSource(undefined)).toBe('none');
  });

  it('asks no CRD for a kind an aggregated API serves (discovery lists it, no CRD defines it)', () => {
    const metrics = { shop: { custom: { 'metrics.k8s.io/v1beta1/PodMetrics': ['web-1'] } } };
    const served = new Map([
      ['metrics.k8s.io/v1beta1/PodMetrics', { check: 'checked' as const, names: new Set(['web-1']) }],
    ]);
    const plan = buildPlan(query, resourceList(metrics), [], { ...live, lookups: served });
    expect(plan.crds).toEqual([]);
    expect(plan.kinds).toEqual([
      { kind: 'PodMetrics.metrics.k8s.io', count: 1, existing: 1, check: 'checked' },
    ]);
    // Not served and no CRD: the CRD is named as missing.
    const unserved = buildPlan(query, resourceList(metrics), [], live);
    expect(unserved.crds).toEqual([{ kind: 'metrics.k8s.io/PodMetrics', present: false }]);
  });

  it('gives the same digest for the same plan whatever the key order, another for a mapped namespace', () => {
    const a = buildPlan(query, resourceList(contents), volumeInfos(contents), live);
    const reordered = Object.fromEntries(Object.entries(resourceList(contents)).reverse());
    expect(planDigest(buildPlan(query, reordered, volumeInfos(contents), live))).toBe(planDigest(a));
    expect(
      planDigest(
        buildPlan(
          { ...query, targetNamespace: 'shop-2' },
          resourceList(contents),
          volumeInfos(contents),
          live,
        ),
      ),
    ).not.toBe(planDigest(a));
  });
});

/** A namespace with config, secrets, a Service and cert-manager Certificates; its ServiceMonitor's CRD is not in the target. */
const shop: Record<string, NamespaceContents> = {
  shop: {
    deployments: ['web'],
    configMaps: ['settings', 'flags'],
    secrets: ['db-password', 'api-key'],
    services: ['web'],
    custom: {
      'cert-manager.io/v1/Certificate': ['web-tls', 'api-tls'],
      'monitoring.coreos.com/v1/ServiceMonitor': ['web'],
    },
  },
};

describe('the restore plan checks every kind of the backup against the target namespace', () => {
  let api: K8sEmulator;
  beforeAll(async () => {
    api = await K8sEmulator.create({ tickMs: 30 });
    api.seed('namespaces', namespace('shop'));
    api.seed('backups', backup('shop-daily', { included: ['shop'] }));
    api.backupFiles('shop-daily', { resources: resourceList(shop), volumes: volumeInfos(shop) });
    api.seed('customresourcedefinitions', {
      metadata: { name: 'certificates.cert-manager.io' },
      spec: {
        group: 'cert-manager.io',
        names: { kind: 'Certificate', plural: 'certificates' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true }],
      },
    });
    // Part of the namespace is back already: one ConfigMap, one Secret (with its data), the Service, one Certificate.
    api.seed('configmaps', { metadata: { name: 'settings', namespace: 'shop' }, data: { mode: 'live' } });
    api.seed('secrets', {
      metadata: { name: 'db-password', namespace: 'shop' },
      type: 'Opaque',
      data: { password: Buffer.from('hunter2').toString('base64') },
    });
    api.seed('services', { metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } });
    api.seed('certificates.cert-manager.io', {
      metadata: { name: 'web-tls', namespace: 'shop' },
      spec: { secretName: 'web-tls', dnsNames: ['shop.example.com'], issuerRef: { name: 'letsencrypt' } },
    });
    api.seed('deployments', deployment('elsewhere', 'web'));
  });
  afterAll(() => api.close());
  afterEach(() => api.heal());

  const run = actionRunner(createRegistry(kubernetesActions((target) => api.kubeConfig(target))), {
    primary: { context: 'prod-eu' },
  });
  const plan = (input: Record<string, unknown> = {}) =>
    run('velero.restore-plan', { cluster: 'primary', backup: 'shop-daily', namespace: 'shop', ...input });

  it('names exactly the objects that exist, what existingResourcePolicy does to them, the missing CRD and the kind it may not list', async () => {
    // Lifeboat may not list Services in shop: the card says so instead of failing the plan.
    api.fail({ method: 'GET', path: /^\/api\/v1\/namespaces\/shop[a-z-]*\/services$/, status: 403 });
    const none = await plan();
    const card = String(none.result.stdout);
    expect(card.split('\n')).toEqual([
      'Restore plan: 9 objects of namespace shop from backup shop-daily',
      '  1 Deployment.apps',
      '  2 Certificate.cert-manager.io (1 already exist)',
      '  1 ServiceMonitor.monitoring.coreos.com (not served by the target: nothing to check)',
      '  2 ConfigMap (1 already exist)',
      '  2 Secret (1 already exist)',
      '  1 Service (could not check (forbidden): Lifeboat may not list them here)',
      'Already in the cluster: Certificate shop/web-tls, ConfigMap shop/settings, Secret shop/db-password; existing objects are left as they are; Velero warns for each one that differs from the backup (existingResourcePolicy: none)',
      'CRDs needed: cert-manager.io/Certificate present; monitoring.coreos.com/ServiceMonitor MISSING',
    ]);
    expect(none.result).toMatchObject({ objects: 9, existing: 3, missingCrds: 1 });
    expect(none.error).toBe(
      'the target has no CRD for monitoring.coreos.com/ServiceMonitor: install it first (Velero restores no CRDs with includedNamespaces alone)',
    );

    // Mapped into a namespace that does not exist (its RoleBinding went with it): nothing can be in the way there.
    const from = api.requests.length;
    const mapped = await plan({ targetNamespace: 'shop-restored' });
    expect(api.requests.slice(from)).toContain('GET /api/v1/namespaces/shop-restored');
    expect(String(mapped.result.stdout)).toContain('\n  1 Service\n');
    expect(mapped.result).toMatchObject({ existing: 0 });

    // Once it may list them, the Service is named with the rest.
    api.heal();
    const update = await plan({ existingResourcePolicy: 'update' });
    expect(String(update.result.stdout)).toContain(
      'Already in the cluster: Certificate shop/web-tls, ConfigMap shop/settings, Secret shop/db-password, Service shop/web; existing objects are updated to the backed-up version (existingResourcePolicy: update)',
    );
    expect(update.result.digest).not.toBe(none.result.digest);
  });

  it('lists names only: every list it sends asks for PartialObjectMetadataList, so no Secret data is read', async () => {
    const from = api.requests.length;
    await plan();
    const sent = api.requests.slice(from).map((line, i) => ({ line, accept: api.accepts[from + i] }));
    const lists = sent.filter(({ line }) => /^GET \/apis?\/.*\/namespaces\/shop\/[a-z]+$/.test(line));
    expect(lists.map(({ line }) => line).sort()).toEqual([
      'GET /api/v1/namespaces/shop/configmaps',
      'GET /api/v1/namespaces/shop/secrets',
      'GET /api/v1/namespaces/shop/services',
      'GET /apis/apps/v1/namespaces/shop/deployments',
      'GET /apis/cert-manager.io/v1/namespaces/shop/certificates',
    ]);
    for (const { line, accept } of lists) expect({ line, accept }).toEqual({ line, accept: METADATA_LIST });
    // The plural of each kind came from discovery, once per group/version, the missing CRD's too (404): discovery says what is served.
    expect(
      sent
        .map(({ line }) => line)
        .filter((line) => /^GET \/(api\/v1|apis\/[^/]+\/[^/]+)$/.test(line))
        .sort(),
    ).toEqual([
      'GET /api/v1',
      'GET /apis/apps/v1',
      'GET /apis/cert-manager.io/v1',
      'GET /apis/monitoring.coreos.com/v1',
    ]);
  });

  it('shows a kind whose API server cannot list names only (406) as not checked, and never lists it whole', async () => {
    // As if cert-manager.io were served by an aggregated API server built before 1.15 (no meta.k8s.io/v1 transform).
    api.legacyAggregatedGroups.add('cert-manager.io');
    const from = api.requests.length;
    const outcome = await plan({ existingResourcePolicy: 'update' });
    const card = String(outcome.result.stdout).split('\n');
    expect(card).toContain(
      '  2 Certificate.cert-manager.io (could not check (the API server cannot list names only))',
    );
    expect(card).toContain('  2 ConfigMap (1 already exist)');
    expect(card).toContain(
      'Already in the cluster: ConfigMap shop/settings, Secret shop/db-password, Service shop/web; existing objects are updated to the backed-up version (existingResourcePolicy: update)',
    );
    // The refusal is an answer, not a failure: only the missing ServiceMonitor CRD stops the restore.
    expect(outcome.error).toBe(
      'the target has no CRD for monitoring.coreos.com/ServiceMonitor: install it first (Velero restores no CRDs with includedNamespaces alone)',
    );
    const sent = api.requests.slice(from).map((line, i) => ({ line, accept: api.accepts[from + i] }));
    expect(sent.filter(({ line }) => line.includes('/certificates'))).toEqual([
      { line: 'GET /apis/cert-manager.io/v1/namespaces/shop/certificates', accept: METADATA_LIST },
    ]);

    // Mapped into a namespace that does not exist, nothing can be in the way there, whatever the server can list.
    const mapped = await plan({ targetNamespace: 'shop-restored' });
    expect(String(mapped.result.stdout)).toContain('\n  2 Certificate.cert-manager.io\n');
  });
});

describe('allowWarnings patterns', () => {
  it('refuses patterns that backtrack exponentially and backreferences; accepts plain ones', () => {
    expect(unsafePattern('(a+)+$')).toMatch(/quantified group holding a quantifier/);
    expect(unsafePattern('(x*)*')).toMatch(/quantified group/);
    expect(unsafePattern('(.*){2,}')).toMatch(/quantified group/);
    expect(unsafePattern('(a)\\1')).toBe('backreferences are not supported');
    expect(unsafePattern('[')).toMatch(/Invalid regular expression/);
    expect(unsafePattern('ConfigMap "(settings|flags)" already exists')).toBeUndefined();
    expect(unsafePattern('already exists.*different')).toBeUndefined();
    const allowed = allowedBy(['ConfigMap "settings" already exists']);
    expect(allowed('could not restore, ConfigMap "settings" already exists. Warning: …')).toBe(true);
    expect(allowed('could not restore, Secret "settings" already exists. Warning: …')).toBe(false);
  });
});
