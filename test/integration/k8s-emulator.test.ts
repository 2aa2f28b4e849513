import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { APIGroupList } from '@kubernetes-models/apimachinery/apis/meta/v1/APIGroupList';
import { APIResourceList } from '@kubernetes-models/apimachinery/apis/meta/v1/APIResourceList';
import { ObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import { Status } from '@kubernetes-models/apimachinery/apis/meta/v1/Status';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Scale } from 'kubernetes-models/autoscaling/v1/Scale';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Node } from 'kubernetes-models/v1/Node';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { kubernetesActions } from '../../src/actions/k8s/index.js';
import { getJson, kube } from '../../src/actions/k8s/kube-action.js';
import { METADATA_LIST } from '../../src/actions/velero/plan-lookup.js';
import { createRegistry } from '../../src/actions/registry.js';
import { K8sEmulator, type Answer } from '../../src/sandbox/k8s-emulator.js';
import { daemonSet, deployment, namespace, node, pvc, statefulSet } from '../../src/sandbox/k8s/objects.js';
import { actionRunner } from '../support/k8s/run-action.js';

/**
 * The emulator answers as an API server does (api-conventions.md; apimachinery pkg/api/errors),
 * checked against the published Kubernetes schemas (kubernetes-models) rather than against itself.
 */

let api: K8sEmulator;
beforeAll(async () => {
  api = await K8sEmulator.create();
});
afterAll(() => api.close());
afterEach(() => api.heal());

const run = actionRunner(createRegistry(kubernetesActions((target) => api.kubeConfig(target))), {
  primary: { context: 'prod-eu' },
});
const body = (answer: Answer) => JSON.parse(answer.text) as Record<string, unknown>;
const APPS = '/apis/apps/v1/namespaces';

/** A failure's body: a valid metav1.Status with the code it was sent with, and its fields. */
function failure(answer: Answer) {
  const status = new Status(body(answer));
  status.validate();
  expect(status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: answer.status });
  return status;
}

describe('the core objects it serves', () => {
  beforeAll(() => {
    api.seed('namespaces', namespace('models'));
    api.seed('nodes', node('worker-9'));
    api.seed('deployments', deployment('models', 'web', { replicas: 2 }));
    api.seed('statefulsets', statefulSet('models', 'db', { replicas: 3 }));
    api.seed('daemonsets', daemonSet('models', 'logs', 2));
    api.seed('persistentvolumeclaims', pvc('models', 'data-db-0'));
  });

  it.each([
    ['/api/v1/namespaces/models', Namespace],
    ['/api/v1/nodes/worker-9', Node],
    ['/api/v1/namespaces/models/persistentvolumeclaims/data-db-0', PersistentVolumeClaim],
    [`${APPS}/models/deployments/web`, Deployment],
    [`${APPS}/models/statefulsets/db`, StatefulSet],
    [`${APPS}/models/daemonsets/logs`, DaemonSet],
    [`${APPS}/models/deployments/web/scale`, Scale],
  ])('GET %s is valid against the Kubernetes schema', async (path, Model) => {
    const answer = await api.ask('GET', path);
    expect(answer.status).toBe(200);
    expect(() => new Model(body(answer) as never).validate()).not.toThrow();
  });

  it('serves Scale with status.selector, the label query over the workload’s pods', async () => {
    const scale = body(await api.ask('GET', `${APPS}/models/statefulsets/db/scale`));
    expect(scale).toMatchObject({
      kind: 'Scale',
      spec: { replicas: 3 },
      status: { replicas: 3, selector: 'app=db' },
    });
  });
  it('writes a selector with matchExpressions as the API server’s string form', async () => {
    const web = deployment('models', 'shop');
    const selector = {
      matchLabels: { app: 'shop' },
      matchExpressions: [
        { key: 'track', operator: 'In', values: ['stable', 'canary'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    };
    api.seed('deployments', { ...web, spec: { ...web.spec, selector } });
    const scale = body(await api.ask('GET', `${APPS}/models/deployments/shop/scale`));
    expect(scale).toMatchObject({ status: { selector: 'app=shop,!legacy,track in (canary,stable)' } });
  });
});

describe('discovery, from what it serves', () => {
  it('lists each group at the versions its resources are served at: autoscaling at v2, not v1', async () => {
    const groups = new APIGroupList(body(await api.ask('GET', '/apis')) as never);
    groups.validate();
    const autoscaling = groups.groups.find((g) => g.name === 'autoscaling');
    expect(autoscaling?.versions).toEqual([{ groupVersion: 'autoscaling/v2', version: 'v2' }]);
    expect(autoscaling?.preferredVersion).toEqual({ groupVersion: 'autoscaling/v2', version: 'v2' });
    const resources = new APIResourceList(body(await api.ask('GET', '/apis/autoscaling/v2')) as never);
    resources.validate();
    expect(resources.resources.map((r) => [r.name, r.kind, r.namespaced])).toEqual([
      ['horizontalpodautoscalers', 'HorizontalPodAutoscaler', true],
    ]);
    expect((await api.ask('GET', '/apis/autoscaling/v1')).status).toBe(404);
    const core = new APIResourceList(body(await api.ask('GET', '/api/v1')) as never);
    expect(core.resources.find((r) => r.kind === 'Secret')).toMatchObject({
      name: 'secrets',
      namespaced: true,
    });
  });

  it('serves a CRD’s resources at each served version, as apiextensions-apiserver does, until the CRD is deleted', async () => {
    const MONITORING = '/apis/monitoring.coreos.com';
    expect((await api.ask('GET', `${MONITORING}/v1`)).status).toBe(404);
    const crd = await api.ask('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      metadata: { name: 'servicemonitors.monitoring.coreos.com' },
      spec: {
        group: 'monitoring.coreos.com',
        names: { kind: 'ServiceMonitor', plural: 'servicemonitors', singular: 'servicemonitor' },
        scope: 'Namespaced',
        versions: [
          { name: 'v1', served: true, storage: true },
          { name: 'v1alpha1', served: false, storage: false },
        ],
      },
    });
    expect(crd.status).toBe(201);
    const resources = new APIResourceList(body(await api.ask('GET', `${MONITORING}/v1`)) as never);
    resources.validate();
    expect(resources).toMatchObject({
      groupVersion: 'monitoring.coreos.com/v1',
      resources: [
        {
          name: 'servicemonitors',
          singularName: 'servicemonitor',
          namespaced: true,
          kind: 'ServiceMonitor',
          verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
        },
      ],
    });
    // A version with served: false is in neither discovery nor the paths.
    expect((await api.ask('GET', `${MONITORING}/v1alpha1`)).status).toBe(404);
    expect((await api.ask('GET', `${MONITORING}/v1alpha1/namespaces/mon/servicemonitors`)).status).toBe(404);
    const groups = new APIGroupList(body(await api.ask('GET', '/apis')) as never).groups;
    expect(groups.find((g) => g.name === 'monitoring.coreos.com')).toMatchObject({
      versions: [{ groupVersion: 'monitoring.coreos.com/v1', version: 'v1' }],
      preferredVersion: { version: 'v1' },
    });

    const monitors = `${MONITORING}/v1/namespaces/mon/servicemonitors`;
    const created = await api.ask('POST', monitors, {
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, endpoints: [{ port: 'http' }] },
    });
    expect(created.status).toBe(201);
    expect(body(await api.ask('GET', `${monitors}/web`))).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'web', namespace: 'mon' },
      spec: { endpoints: [{ port: 'http' }] },
    });
    expect(body(await api.ask('GET', monitors))).toMatchObject({
      kind: 'ServiceMonitorList',
      items: [{ metadata: { name: 'web' } }],
    });
    // Namespaced: there is no cluster-scoped path for it.
    expect((await api.ask('GET', `${MONITORING}/v1/servicemonitors`)).status).toBe(404);
    expect(body(await api.ask('DELETE', `${monitors}/web`))).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'web', group: 'monitoring.coreos.com', kind: 'servicemonitors' },
    });
    expect((await api.ask('GET', `${monitors}/web`)).status).toBe(404);

    // Deleting the CRD takes its objects with it and stops serving them.
    expect((await api.ask('POST', monitors, { metadata: { name: 'api' } })).status).toBe(201);
    const crdPath =
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/servicemonitors.monitoring.coreos.com';
    const deleted = await api.ask('DELETE', crdPath);
    expect(deleted.status).toBe(200);
    expect(body(deleted)).toMatchObject({
      kind: 'CustomResourceDefinition',
      metadata: { deletionTimestamp: expect.any(String) },
    });
    expect((await api.ask('GET', `${MONITORING}/v1`)).status).toBe(404);
    expect((await api.ask('GET', monitors)).status).toBe(404);
    const names = new APIGroupList(body(await api.ask('GET', '/apis')) as never).groups.map((g) => g.name);
    expect(names).not.toContain('monitoring.coreos.com');
    expect(api.state.list('servicemonitors.monitoring.coreos.com', undefined)).toEqual([]);
  });

  it('serves a cluster-scoped CRD’s objects without a namespace, its preferred version the most stable', async () => {
    api.seed('customresourcedefinitions', {
      metadata: { name: 'clusterissuers.cert-manager.io' },
      spec: {
        group: 'cert-manager.io',
        names: { kind: 'ClusterIssuer', plural: 'clusterissuers' },
        scope: 'Cluster',
        versions: [
          { name: 'v1alpha2', served: true, storage: false },
          { name: 'v1', served: true, storage: true },
        ],
      },
    });
    api.seed('clusterissuers.cert-manager.io', { metadata: { name: 'letsencrypt' } });
    try {
      const group = new APIGroupList(body(await api.ask('GET', '/apis')) as never).groups.find(
        (g) => g.name === 'cert-manager.io',
      );
      expect(group?.versions.map((v) => v.version)).toEqual(['v1', 'v1alpha2']);
      expect(group?.preferredVersion).toEqual({ groupVersion: 'cert-manager.io/v1', version: 'v1' });
      const issuer = body(await api.ask('GET', '/apis/cert-manager.io/v1alpha2/clusterissuers/letsencrypt'));
      expect(issuer).toMatchObject({ apiVersion: 'cert-manager.io/v1alpha2', kind: 'ClusterIssuer' });
      const discovered = body(await api.ask('GET', '/apis/cert-manager.io/v1'));
      expect(discovered).toMatchObject({
        resources: [{ name: 'clusterissuers', singularName: 'clusterissuer', namespaced: false }],
      });
      expect((await api.ask('GET', '/apis/cert-manager.io/v1/namespaces/x/clusterissuers')).status).toBe(404);
    } finally {
      api.state.objects.customresourcedefinitions.length = 0;
    }
  });

  it('answers a list asked for as PartialObjectMetadataList with metadata only: no Secret data', async () => {
    api.seed('secrets', {
      metadata: { name: 'db-password', namespace: 'meta', labels: { app: 'db' } },
      type: 'Opaque',
      data: { password: Buffer.from('hunter2').toString('base64') },
    });
    const client = kube(
      api.kubeConfig({ name: 'primary', context: 'prod-eu' }),
      { name: 'primary', context: 'prod-eu' },
      {
        signal: new AbortController().signal,
        progress: () => {},
        deadline: Date.now() + 10_000,
      },
    );
    const op = { verb: 'list' as const, resource: { plural: 'secrets', kind: 'Secret' }, namespace: 'meta' };
    const path = '/api/v1/namespaces/meta/secrets';
    const full = (await getJson(client, op, path)) as { kind: string; items: { data?: unknown }[] };
    expect(full.kind).toBe('SecretList');
    expect(full.items[0]?.data).toEqual({ password: 'aHVudGVyMg==' });
    const partial = (await getJson(client, op, path, { accept: METADATA_LIST })) as {
      kind: string;
      apiVersion: string;
      items: Record<string, unknown>[];
    };
    expect(partial).toMatchObject({ kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1' });
    expect(partial.items).toHaveLength(1);
    const [item] = partial.items;
    expect(Object.keys(item ?? {}).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
    expect(item).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1' });
    expect(() => new ObjectMeta(item?.metadata as never).validate()).not.toThrow();
    expect(JSON.stringify(partial)).not.toContain('aHVudGVyMg==');
  });

  it('answers 406 NotAcceptable to a metadata-only list where the server cannot transform lists', async () => {
    api.legacyAggregatedGroups.add('apps');
    const client = kube(
      api.kubeConfig({ name: 'primary', context: 'prod-eu' }),
      { name: 'primary', context: 'prod-eu' },
      { signal: new AbortController().signal, progress: () => {}, deadline: Date.now() + 10_000 },
    );
    const op = { verb: 'list' as const, resource: { plural: 'deployments', kind: 'Deployment' } };
    const path = `${APPS}/models/deployments`;
    await expect(getJson(client, op, path, { accept: METADATA_LIST })).rejects.toMatchObject({
      status: 406,
      message: expect.stringContaining(
        'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
      ),
    });
    // Plain JSON it still serves.
    expect(await getJson(client, op, path)).toMatchObject({ kind: 'DeploymentList' });
  });
});

describe('failures as Status objects with their reasons', () => {
  beforeAll(() => api.seed('deployments', deployment('status-ns', 'web', { replicas: 1 })));

  it('409 AlreadyExists on a create of an existing name', async () => {
    const answer = await api.ask('POST', `${APPS}/status-ns/deployments`, deployment('status-ns', 'web'));
    expect(failure(answer)).toMatchObject({
      reason: 'AlreadyExists',
      message: 'deployments.apps "web" already exists',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
    });
  });

  it('422 Invalid for a create without a name and for a negative replica count', async () => {
    const nameless = await api.ask('POST', `${APPS}/status-ns/deployments`, { metadata: {} });
    expect(failure(nameless)).toMatchObject({
      reason: 'Invalid',
      details: { causes: [{ field: 'metadata.name' }] },
    });
    const negative = await api.ask(
      'PATCH',
      `${APPS}/status-ns/deployments/web/scale`,
      { spec: { replicas: -1 } },
      'application/merge-patch+json',
    );
    expect(failure(negative)).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message:
        'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      details: { kind: 'Scale', causes: [{ reason: 'FieldValueInvalid', field: 'spec.replicas' }] },
    });
  });

  it('409 Conflict for a write against a stale resourceVersion, and success against the current one', async () => {
    const path = `${APPS}/status-ns/deployments/web/scale`;
    const current = body(await api.ask('GET', `${APPS}/status-ns/deployments/web`)) as {
      metadata: { resourceVersion: string };
    };
    const stale = String(Number(current.metadata.resourceVersion) - 1);
    const conflict = await api.ask('PUT', path, {
      metadata: { name: 'web', resourceVersion: stale },
      spec: { replicas: 4 },
    });
    expect(failure(conflict)).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    });
    const fresh = {
      metadata: { name: 'web', resourceVersion: current.metadata.resourceVersion },
      spec: { replicas: 4 },
    };
    expect((await api.ask('PUT', path, fresh)).status).toBe(200);
    expect(api.state.find('deployments', 'status-ns', 'web')?.spec?.replicas).toBe(4);
  });

  it('429 TooManyRequests with Retry-After in the header and the details', async () => {
    api.fail({
      path: '/api/v1/nodes',
      status: 429,
      message: 'Too many requests, please try again later.',
      retryAfterSeconds: 2,
    });
    const answer = await api.ask('GET', '/api/v1/nodes');
    expect(answer.headers['retry-after']).toBe('2');
    expect(failure(answer)).toMatchObject({ reason: 'TooManyRequests', details: { retryAfterSeconds: 2 } });
  });

  it('403 Forbidden with the message it was given', async () => {
    const message =
      'admission webhook "validation.gatekeeper.sh" denied the request: [must-have-owner] missing label owner';
    api.fail({ method: 'PATCH', path: '/scale', status: 403, message });
    const answer = await api.ask(
      'PATCH',
      `${APPS}/status-ns/deployments/web/scale`,
      {},
      'application/merge-patch+json',
    );
    expect(failure(answer)).toMatchObject({ reason: 'Forbidden', message });
  });

  it('410 Expired for an exact list at a compacted resourceVersion', async () => {
    const before = api.state.resourceVersion;
    api.seed('deployments', deployment('status-ns', 'later'));
    api.state.compact();
    const answer = await api.ask(
      'GET',
      `${APPS}/status-ns/deployments?resourceVersion=${before}&resourceVersionMatch=Exact`,
    );
    expect(failure(answer)).toMatchObject({ code: 410, reason: 'Expired' });
  });

  it('400 for a label selector it cannot parse', async () => {
    const answer = await api.ask(
      'GET',
      `${APPS}/status-ns/deployments?labelSelector=${encodeURIComponent('tier in standby')}`,
    );
    expect(failure(answer)).toMatchObject({ code: 400, reason: 'BadRequest' });
  });
});

describe('watches', () => {
  const events = (answer: Answer) =>
    answer.text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; object: Record<string, unknown> });

  it('sends one ERROR event with a 410 Expired Status for a resourceVersion older than the history', async () => {
    api.seed('deployments', deployment('watch-ns', 'a'));
    const old = api.state.resourceVersion;
    api.seed('deployments', deployment('watch-ns', 'b'));
    api.state.compact();
    const answer = await api.ask(
      'GET',
      `${APPS}/watch-ns/deployments?watch=true&resourceVersion=${Number(old) - 1}`,
    );
    expect(answer.status).toBe(200);
    const [only, ...rest] = events(answer);
    expect(rest).toEqual([]);
    expect(only?.type).toBe('ERROR');
    const status = new Status(only?.object);
    status.validate();
    expect(status).toMatchObject({
      code: 410,
      reason: 'Expired',
      message: expect.stringMatching(/^too old resource version: /),
    });
  });

  it('ends at timeoutSeconds, with BOOKMARKs carrying the current resourceVersion only when asked for', async () => {
    api.bookmarkEveryMs = 200;
    api.seed('deployments', deployment('bm-ns', 'web'));
    const started = Date.now();
    const asked = await api.ask(
      'GET',
      `${APPS}/bm-ns/deployments?watch=true&allowWatchBookmarks=true&timeoutSeconds=1`,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const types = events(asked).map((e) => e.type);
    expect(types[0]).toBe('ADDED');
    expect(types.filter((t) => t === 'BOOKMARK').length).toBeGreaterThanOrEqual(2);
    const bookmark = events(asked).find((e) => e.type === 'BOOKMARK');
    expect(bookmark?.object).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { resourceVersion: api.state.resourceVersion },
    });
    const plain = await api.ask('GET', `${APPS}/bm-ns/deployments?watch=true&timeoutSeconds=1`);
    expect(events(plain).map((e) => e.type)).toEqual(['ADDED']);
  });
});

describe('label selectors, set-based too', () => {
  beforeAll(() =>
    api.seed(
      'deployments',
      deployment('sel-ns', 'standby-api', { replicas: 0, labels: { tier: 'standby', release: 'r1' } }),
      deployment('sel-ns', 'dr-worker', { replicas: 0, labels: { tier: 'dr', release: 'r1' } }),
      deployment('sel-ns', 'standby-canary', { replicas: 0, labels: { tier: 'standby', canary: 'true' } }),
      deployment('sel-ns', 'prod-web', { replicas: 0, labels: { tier: 'prod' } }),
    ),
  );

  it.each([
    ['tier in (standby,dr),!canary', ['standby-api', 'dr-worker']],
    ['tier notin (prod),release', ['standby-api', 'dr-worker']],
    ['canary', ['standby-canary']],
    ['tier!=standby', ['dr-worker', 'prod-web']],
  ])('k8s.scale with selector %s scales %j', async (selector, names) => {
    const outcome = await run('k8s.scale', {
      cluster: 'primary',
      namespace: 'sel-ns',
      selector,
      replicas: 1,
    });
    expect(outcome).toMatchObject({ passed: true, result: { scaled: names } });
  });
});

describe('the workload controllers', () => {
  it('catch up observedGeneration after a scale, so waiting for readiness after scaling up passes', async () => {
    api.seed('deployments', deployment('ctl-ns', 'web', { replicas: 0 }));
    api.seed('statefulsets', statefulSet('ctl-ns', 'db', { replicas: 0 }));
    for (const kind of ['Deployment', 'StatefulSet'])
      expect(
        await run('k8s.scale', {
          cluster: 'primary',
          namespace: 'ctl-ns',
          kind,
          selector: 'app',
          replicas: 3,
        }),
      ).toMatchObject({ passed: true, result: { scaled: [kind === 'Deployment' ? 'web' : 'db'] } });
    const outcome = await run('k8s.workloads-ready', {
      cluster: 'primary',
      namespace: 'ctl-ns',
      within: '10s',
    });
    expect(outcome).toMatchObject({
      passed: true,
      result: { workloads: ['Deployment/web 3/3', 'StatefulSet/db 3/3'] },
    });
    expect(api.state.find('deployments', 'ctl-ns', 'web')?.status).toMatchObject({ observedGeneration: 2 });
  });

  it('without them, a scaled workload stays unobserved and is not called ready', async () => {
    api.controllers = false;
    api.seed('deployments', deployment('noctl-ns', 'web', { replicas: 1 }));
    await run('k8s.scale', { cluster: 'primary', namespace: 'noctl-ns', name: 'web', replicas: 2 });
    expect((await run('k8s.workloads-ready', { cluster: 'primary', namespace: 'noctl-ns' })).error).toBe(
      'namespace noctl-ns is not ready: 1 not ready yet: Deployment/web (its spec update is not observed yet)',
    );
  });
});
