import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { kubeConfigFromDefault } from '../../src/actions/k8s/clients.js';
import { kubernetesActions } from '../../src/actions/k8s/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import { K8sEmulator } from '../../src/sandbox/k8s-emulator.js';
import { daemonSet, deployment, namespace, node, pvc, statefulSet } from '../../src/sandbox/k8s/objects.js';
import { actionRunner } from '../support/k8s/run-action.js';

let api: K8sEmulator;
beforeAll(async () => {
  api = await K8sEmulator.create();
});
afterAll(() => api.close());
afterEach(() => api.heal());

const clusters = { primary: { context: 'prod-eu' }, standby: { context: 'standby-eu', region: 'eu-west-2' } };
const run = actionRunner(createRegistry(kubernetesActions((target) => api.kubeConfig(target))), clusters);

describe('k8s.apiserver-ready', () => {
  it('says ready when /readyz answers ok', async () => {
    const outcome = await run('k8s.apiserver-ready', { cluster: 'primary' });
    expect(outcome).toMatchObject({ passed: true, result: { ready: true, status: 200 } });
    expect(outcome.result.durationMs).toEqual(expect.any(Number));
  });

  it('reports a down API server as not ready, with the connection error, without failing to run', async () => {
    await api.stop();
    try {
      const down = await run('k8s.apiserver-ready', { cluster: 'primary' }, { expect: { ready: false } });
      expect(down).toMatchObject({
        passed: true,
        result: { ready: false, status: 'ECONNREFUSED', verdict: 'unhealthy' },
      });
      const plain = await run('k8s.apiserver-ready', { cluster: 'primary' });
      expect(plain).toMatchObject({
        passed: false,
        error: 'the API server of cluster primary is not ready: /readyz does not answer (ECONNREFUSED)',
      });
    } finally {
      await api.start();
    }
  });

  it('with `within`, keeps asking until the API server comes back', async () => {
    await api.stop();
    setTimeout(() => void api.start(), 800);
    const outcome = await run('k8s.apiserver-ready', { cluster: 'primary', within: '10s' });
    expect(outcome).toMatchObject({ passed: true, result: { ready: true, status: 200 } });
    expect(outcome.progress[0]).toMatch(/^not ready yet \(ECONNREFUSED\); asking again \(\d+s left\)$/);
  });

  it('says unknown, not down, when nothing answers at all (a name that does not resolve): triage suggests nothing on it', async () => {
    const nowhere = actionRunner(
      createRegistry(
        kubernetesActions((target) => {
          const config = api.kubeConfig(target);
          const cluster = config.getCurrentCluster();
          if (!cluster) throw new Error('no cluster in the emulator kubeconfig');
          config.loadFromOptions({
            clusters: [{ ...cluster, server: 'https://lifeboat-no-such-host.invalid:6443' }],
            users: config.users,
            contexts: config.contexts,
            currentContext: config.currentContext,
          });
          return config;
        }),
      ),
      clusters,
    );
    const outcome = await nowhere('k8s.apiserver-ready', { cluster: 'primary' });
    expect(outcome).toMatchObject({
      passed: false,
      result: {
        ready: false,
        verdict: 'unknown',
        why: expect.stringMatching(/^no answer from \/readyz \(E/),
      },
    });
  });

  it('treats a 500 from /readyz as not ready', async () => {
    api.state.readyz = { status: 500, body: '[-]etcd failed: reason withheld' };
    try {
      const outcome = await run('k8s.apiserver-ready', { cluster: 'primary' });
      expect(outcome).toMatchObject({
        passed: false,
        result: { ready: false, status: 500, verdict: 'unhealthy' },
      });
    } finally {
      api.state.readyz = { status: 200, body: 'ok' };
    }
  });
});

describe('k8s.version', () => {
  it('reads gitVersion and the minor version as a plain number string', async () => {
    api.state.version = {
      major: '1',
      minor: '30+',
      gitVersion: 'v1.30.5-eks-ce1d5eb',
      platform: 'linux/amd64',
    };
    const outcome = await run('k8s.version', { cluster: 'primary' }, { expect: { minor: '30' } });
    expect(outcome).toMatchObject({
      passed: true,
      result: { gitVersion: 'v1.30.5-eks-ce1d5eb', minor: '30' },
    });
  });
});

describe('k8s.nodes-ready', () => {
  beforeAll(() => api.seed('nodes', node('cp-1'), node('worker-1'), node('worker-2', false)));

  it('counts Ready nodes and names the others', async () => {
    const outcome = await run('k8s.nodes-ready', { cluster: 'primary' });
    expect(outcome).toMatchObject({
      passed: false,
      result: { ready: 2, total: 3, allReady: false, notReady: ['worker-2'] },
      error: '2 of 3 nodes are Ready, all needed',
    });
  });

  it('passes with minReady, which may arrive from a template as a string', async () => {
    const outcome = await run(
      'k8s.nodes-ready',
      { cluster: 'primary', minReady: '{{ params.min }}' },
      { values: { 'params.min': '2' } },
    );
    expect(outcome).toMatchObject({ passed: true, result: { allReady: true } });
  });
});

describe('k8s.namespace-exists', () => {
  beforeAll(() => api.seed('namespaces', namespace('shop'), namespace('old-shop', 'Terminating')));

  it.each([
    ['shop', { exists: true, phase: 'Active' }],
    ['old-shop', { exists: true, phase: 'Terminating' }],
    ['gone', { exists: false, phase: 'absent' }],
  ])('%s → %o', async (name, result) => {
    expect(await run('k8s.namespace-exists', { cluster: 'primary', name })).toMatchObject({
      passed: true,
      result,
    });
  });
});

describe('k8s.workloads-ready', () => {
  it('passes when every workload is available and every PVC bound', async () => {
    api.seed('deployments', deployment('ready-ns', 'web', { replicas: 3 }));
    api.seed('statefulsets', statefulSet('ready-ns', 'db', { replicas: 2 }));
    api.seed('daemonsets', daemonSet('ready-ns', 'logs', 3));
    api.seed('persistentvolumeclaims', pvc('ready-ns', 'data-db-0'));
    const outcome = await run('k8s.workloads-ready', { cluster: 'primary', namespace: 'ready-ns' });
    expect(outcome).toMatchObject({
      passed: true,
      result: {
        ready: true,
        workloads: ['Deployment/web 3/3', 'StatefulSet/db 2/2', 'DaemonSet/logs 3/3'],
        notReady: [],
        pvcsPending: [],
      },
    });
  });

  it('names what is not available and which PVCs are not bound', async () => {
    api.seed('deployments', deployment('half-ns', 'api', { replicas: 3, available: 1 }));
    api.seed('persistentvolumeclaims', pvc('half-ns', 'uploads', 'Pending'));
    const outcome = await run('k8s.workloads-ready', { cluster: 'primary', namespace: 'half-ns' });
    expect(outcome).toMatchObject({
      passed: false,
      result: { ready: false, notReady: ['Deployment/api'], pvcsPending: ['uploads'] },
      error:
        'namespace half-ns is not ready: 2 not ready yet: Deployment/api (1 of 3 updated replicas available), PVC uploads',
    });
  });

  it('does not call an empty namespace ready (that is what a failed restore looks like)', async () => {
    const outcome = await run('k8s.workloads-ready', { cluster: 'primary', namespace: 'empty-ns' });
    expect(outcome).toMatchObject({ passed: false, result: { ready: false, workloads: [] } });
  });

  it('with `within`, waits until a deployment becomes available, reporting progress', async () => {
    api.seed('deployments', deployment('slow-ns', 'web', { replicas: 2, available: 0 }));
    setTimeout(() => {
      api.state.update('deployments', 'slow-ns', 'web', (d) => {
        d.status = { ...d.status, availableReplicas: 2, readyReplicas: 2 };
      });
    }, 700);
    const outcome = await run('k8s.workloads-ready', {
      cluster: 'primary',
      namespace: 'slow-ns',
      within: '10s',
    });
    expect(outcome).toMatchObject({
      passed: true,
      result: { ready: true, workloads: ['Deployment/web 2/2'] },
    });
    expect(outcome.progress[0]).toMatch(
      /^1 not ready yet: Deployment\/web \(0 of 2 updated replicas available\); asking again/,
    );
  });

  it('gives up when `within` runs out, saying what is still missing', async () => {
    api.seed('statefulsets', statefulSet('stuck-ns', 'kafka', { replicas: 3, available: 2 }));
    const outcome = await run('k8s.workloads-ready', {
      cluster: 'primary',
      namespace: 'stuck-ns',
      within: '1s',
    });
    expect(outcome).toMatchObject({
      passed: false,
      error: 'namespace stuck-ns is not ready: 1 not ready yet: StatefulSet/kafka (1 pods not ready)',
    });
  });
});

describe('k8s.scale', () => {
  it('scales one Deployment through the scale subresource, coercing replicas from a template', async () => {
    api.seed('deployments', deployment('scale-ns', 'web', { replicas: 0 }));
    const outcome = await run(
      'k8s.scale',
      { cluster: 'standby', namespace: 'scale-ns', name: 'web', replicas: '{{ params.replicas }}' },
      { values: { 'params.replicas': '4' } },
    );
    expect(outcome).toMatchObject({ passed: true, result: { scaled: ['web'], previous: { web: 0 } } });
    expect(api.state.find('deployments', 'scale-ns', 'web')?.spec?.replicas).toBe(4);
    expect(api.requests).toContain('PATCH /apis/apps/v1/namespaces/scale-ns/deployments/web/scale');
  });

  it('scales every StatefulSet a selector picks', async () => {
    const labels = { tier: 'standby' };
    api.seed(
      'statefulsets',
      statefulSet('sel-ns', 'db', { replicas: 1, labels }),
      statefulSet('sel-ns', 'cache', { replicas: 2, labels }),
    );
    api.seed('statefulsets', statefulSet('sel-ns', 'other', { replicas: 1 }));
    const outcome = await run('k8s.scale', {
      cluster: 'standby',
      namespace: 'sel-ns',
      kind: 'StatefulSet',
      selector: 'tier=standby',
      replicas: 3,
    });
    expect(outcome).toMatchObject({
      passed: true,
      result: { scaled: ['db', 'cache'], previous: { db: 1, cache: 2 } },
    });
    expect(api.state.list('statefulsets', 'sel-ns').map((s) => [s.metadata.name, s.spec?.replicas])).toEqual([
      ['db', 3],
      ['cache', 3],
      ['other', 1],
    ]);
  });

  it('fails clearly when the selector matches nothing, or input is ambiguous', async () => {
    expect(
      await run('k8s.scale', {
        cluster: 'standby',
        namespace: 'nothing-ns',
        selector: 'app=ghost',
        replicas: 1,
      }),
    ).toMatchObject({
      passed: false,
      error: 'no Deployment in namespace nothing-ns matches selector app=ghost',
    });
    const bad = (input: Record<string, unknown>) =>
      run('k8s.scale', { cluster: 'standby', namespace: 'x', ...input }).then((o) => o.error);
    expect(await bad({ name: 'a', replicas: 'three' })).toBe(
      'k8s.scale: invalid input (replicas: expected a whole number, got "three")',
    );
    expect(await bad({ name: 'a', selector: 'b=c', replicas: 1 })).toBe(
      'k8s.scale: invalid input (input: give name or selector (one of them))',
    );
  });
});

/** An autoscaling/v2 HPA whose metrics recommend `desired` replicas for its target. */
const autoscaler = (
  ns: string,
  name: string,
  target: { kind: string; name: string },
  min: number,
  max: number,
  desired: number,
) => ({
  metadata: { name, namespace: ns },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', ...target },
    minReplicas: min,
    maxReplicas: max,
    metrics: [],
  },
  status: { currentReplicas: desired, desiredReplicas: desired },
});
const replicasOf = (plural: 'deployments' | 'statefulsets', ns: string, name: string) =>
  api.state.find(plural, ns, name)?.spec?.replicas;
const settled = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('k8s.scale with an HPA', () => {
  it('an HPA undoes a scale that leaves its minReplicas alone (why k8s.scale raises it)', async () => {
    api.seed('deployments', deployment('hpa-undo', 'web', { replicas: 1 }));
    api.seed(
      'horizontalpodautoscalers',
      autoscaler('hpa-undo', 'web', { kind: 'Deployment', name: 'web' }, 1, 10, 1),
    );
    api.state.update('deployments', 'hpa-undo', 'web', (o) => {
      o.spec = { ...o.spec, replicas: 4 };
    });
    await settled();
    expect(replicasOf('deployments', 'hpa-undo', 'web')).toBe(1);
  });

  it("raises the HPA's minReplicas with the scale, so the standby stays at size, and records both", async () => {
    api.seed(
      'deployments',
      deployment('hpa-ns', 'web', { replicas: 1 }),
      deployment('hpa-ns', 'worker', { replicas: 2 }),
    );
    api.seed(
      'horizontalpodautoscalers',
      autoscaler('hpa-ns', 'web-hpa', { kind: 'Deployment', name: 'web' }, 1, 3, 1),
    );
    const outcome = await run('k8s.scale', {
      cluster: 'standby',
      namespace: 'hpa-ns',
      name: 'web',
      replicas: 5,
    });
    expect(outcome).toMatchObject({
      passed: true,
      result: {
        scaled: ['web'],
        previous: { web: 1 },
        autoscalers: { 'web-hpa': { minReplicas: 1, maxReplicas: 3 } },
      },
    });
    expect(api.state.find('horizontalpodautoscalers', 'hpa-ns', 'web-hpa')?.spec).toMatchObject({
      minReplicas: 5,
      maxReplicas: 5,
    });
    expect(api.requests).toContain(
      'PATCH /apis/autoscaling/v2/namespaces/hpa-ns/horizontalpodautoscalers/web-hpa',
    );
    await settled();
    expect(replicasOf('deployments', 'hpa-ns', 'web')).toBe(5);
  });

  it('rolls back to the counts recorded before, not to 0, putting the HPA back first', async () => {
    api.seed(
      'deployments',
      deployment('rb-ns', 'web', { replicas: 2, labels: { tier: 'front' } }),
      deployment('rb-ns', 'api', { replicas: 0, labels: { tier: 'front' } }),
    );
    api.seed(
      'horizontalpodautoscalers',
      autoscaler('rb-ns', 'web', { kind: 'Deployment', name: 'web' }, 2, 4, 2),
    );
    const up = await run('k8s.scale', {
      cluster: 'standby',
      namespace: 'rb-ns',
      selector: 'tier=front',
      replicas: 6,
    });
    expect(up).toMatchObject({ passed: true, result: { previous: { web: 2, api: 0 } } });
    // The rollback step as the runbook writes it: the restore result through a template, as JSON text.
    const back = await run(
      'k8s.scale',
      { cluster: 'standby', namespace: 'rb-ns', restore: '{{ steps.scale-standby.result.restore }}' },
      { values: { 'steps.scale-standby.result.restore': JSON.stringify(up.result.restore) } },
    );
    expect(back).toMatchObject({ passed: true });
    await settled();
    expect(api.state.find('horizontalpodautoscalers', 'rb-ns', 'web')?.spec).toMatchObject({
      minReplicas: 2,
      maxReplicas: 4,
    });
    expect(replicasOf('deployments', 'rb-ns', 'web')).toBe(2);
    expect(replicasOf('deployments', 'rb-ns', 'api')).toBe(0);
  });

  it("scales a StatefulSet and raises its HPA's minReplicas", async () => {
    api.seed('statefulsets', statefulSet('sts-ns', 'db', { replicas: 1 }));
    api.seed(
      'horizontalpodautoscalers',
      autoscaler('sts-ns', 'db', { kind: 'StatefulSet', name: 'db' }, 1, 5, 1),
    );
    const outcome = await run('k8s.scale', {
      cluster: 'standby',
      namespace: 'sts-ns',
      kind: 'StatefulSet',
      name: 'db',
      replicas: 3,
    });
    expect(outcome).toMatchObject({
      passed: true,
      result: { previous: { db: 1 }, autoscalers: { db: { minReplicas: 1 } } },
    });
    await settled();
    expect(replicasOf('statefulsets', 'sts-ns', 'db')).toBe(3);
  });

  it('refuses a restore that is not one, and both replicas and restore', async () => {
    const bad = (input: Record<string, unknown>) =>
      run('k8s.scale', { cluster: 'standby', namespace: 'x', ...input }).then((o) => o.error);
    expect(await bad({ restore: 'zero' })).toMatch(
      /restore: expected the restore result of a k8s\.scale step/,
    );
    expect(await bad({ name: 'a', replicas: 1, restore: { workloads: { a: 1 } } })).toMatch(
      /give replicas or restore \(one of them\)/,
    );
  });
});

describe('when the cluster says no or is not there', () => {
  it('names the RBAC permission Lifeboat lacks when the API server says RBAC denied it', async () => {
    api.fail({
      path: '/api/v1/nodes',
      status: 403,
      message:
        'nodes is forbidden: User "system:serviceaccount:lifeboat:lifeboat" cannot list resource "nodes" in API group "" at the cluster scope',
    });
    expect(await run('k8s.nodes-ready', { cluster: 'primary' })).toMatchObject({
      passed: false,
      error:
        'Kubernetes refused (403) to list nodes: Lifeboat\'s RBAC needs list on nodes (nodes is forbidden: User "system:serviceaccount:lifeboat:lifeboat" cannot list resource "nodes" in API group "" at the cluster scope)',
    });
    api.fail({
      method: 'PATCH',
      path: '/scale',
      status: 403,
      message:
        'deployments.apps "web" is forbidden: User "system:serviceaccount:lifeboat:lifeboat" cannot patch resource "deployments/scale" in API group "apps" in the namespace "rbac-ns"',
    });
    api.seed('deployments', deployment('rbac-ns', 'web'));
    expect(
      await run('k8s.scale', { cluster: 'primary', namespace: 'rbac-ns', name: 'web', replicas: 2 }),
    ).toMatchObject({
      passed: false,
      error: expect.stringMatching(
        /^Kubernetes refused \(403\) to patch deployments.apps\/scale: Lifeboat's RBAC needs patch on deployments.apps\/scale \(deployments.apps "web" is forbidden: User/,
      ),
    });
  });

  it('reads the permission from the denial of the RBAC authorizer, for a subresource too', async () => {
    api.seed('deployments', deployment('deny-ns', 'web'));
    api.fail({ method: 'GET', path: '/deny-ns/deployments/web/scale', status: 403, times: 1 });
    expect(
      (await run('k8s.scale', { cluster: 'primary', namespace: 'deny-ns', name: 'web', replicas: 2 })).error,
    ).toBe(
      'Kubernetes refused (403) to get deployments.apps/scale: Lifeboat\'s RBAC needs get on deployments.apps/scale (deployments.apps "web" is forbidden: User "system:serviceaccount:lifeboat:lifeboat" cannot get resource "deployments/scale" in API group "apps" in the namespace "deny-ns")',
    );
  });

  it('says it cannot tell when a 403 comes without a message', async () => {
    api.fail({ path: '/api/v1/nodes', status: 403, message: '', times: 1 });
    expect((await run('k8s.nodes-ready', { cluster: 'primary' })).error).toBe(
      'Kubernetes refused (403) to list nodes without saying why; if it is RBAC, Lifeboat needs list on nodes',
    );
  });

  it.each([
    [
      'an admission webhook',
      'admission webhook "validate.kyverno.svc-fail" denied the request: policy Deployment/shop/web for resource violation: require-team-label',
    ],
    [
      'a quota',
      'pods "web-7f9c" is forbidden: exceeded quota: compute, requested: limits.cpu=2, used: limits.cpu=8, limited: limits.cpu=8',
    ],
    [
      'a terminating namespace',
      'deployments.apps "web" is forbidden: unable to create new content in namespace quota-ns because it is being terminated',
    ],
  ])('shows the API server’s reason for a 403 from %s, without blaming RBAC', async (_what, message) => {
    api.seed('deployments', deployment('quota-ns', `web-${api.requests.length}`));
    api.fail({ method: 'PATCH', path: '/scale', status: 403, message, times: 1 });
    const name = api.state.list('deployments', 'quota-ns').at(-1)?.metadata.name;
    const outcome = await run('k8s.scale', { cluster: 'primary', namespace: 'quota-ns', name, replicas: 2 });
    expect(outcome).toMatchObject({
      passed: false,
      error: `Kubernetes refused (403) to patch deployments.apps/scale: ${message}`,
    });
    expect(outcome.error).not.toMatch(/RBAC/);
  });

  it('reports a 500 that does not go away with what the API server said, after asking again within the step', async () => {
    api.fail({ path: '/namespaces/err-ns/', status: 500, message: 'etcdserver: request timed out' });
    const outcome = await run(
      'k8s.workloads-ready',
      { cluster: 'primary', namespace: 'err-ns' },
      { timeout: '3s' },
    );
    expect(outcome).toMatchObject({
      passed: false,
      error: expect.stringMatching(
        /^Kubernetes API error \(500 InternalError\) to list .*: etcdserver: request timed out \(asked \d+ times; the next try in [\d.]+ s would be past the step's timeout\)$/,
      ),
    });
    expect(outcome.progress).toContainEqual(
      expect.stringMatching(/: API server answered 500; asking again in 0.5 s, attempt 2 of 10$/),
    );
  });

  it('says which cluster cannot be reached', async () => {
    await api.stop();
    try {
      expect(await run('k8s.namespace-exists', { cluster: 'standby', name: 'shop' })).toMatchObject({
        passed: false,
        error: 'cannot reach the API server of cluster standby (context standby-eu): ECONNREFUSED',
      });
    } finally {
      await api.start();
    }
  });

  it('verifies the API server certificate against the kubeconfig CA', async () => {
    const withoutCa = actionRunner(
      createRegistry(
        kubernetesActions((target) => {
          const config = api.kubeConfig(target);
          config.loadFromOptions({
            clusters: config.clusters.map(({ caData: _dropped, ...cluster }) => cluster),
            users: config.users,
            contexts: config.contexts,
            currentContext: config.currentContext,
          });
          return config;
        }),
      ),
      clusters,
    );
    expect(await withoutCa('k8s.nodes-ready', { cluster: 'primary' })).toMatchObject({
      passed: false,
      error:
        "cannot reach the API server of cluster primary (context prod-eu): UNABLE_TO_VERIFY_LEAF_SIGNATURE (check the cluster's certificate-authority in the kubeconfig)",
    });
  });

  it('names a cluster missing from the config', async () => {
    expect(await run('k8s.version', { cluster: 'staging' })).toMatchObject({
      passed: false,
      error: 'no cluster staging in LIFEBOAT_CONFIG clusters',
    });
  });

  it('says so when the credentials are rejected, without showing them', async () => {
    const stale = actionRunner(
      createRegistry(kubernetesActions((t) => api.kubeConfig(t, 'expired-token'))),
      clusters,
    );
    const outcome = await stale('k8s.version', { cluster: 'primary' });
    expect(outcome).toMatchObject({
      passed: false,
      error: 'Kubernetes refused (401) to get /version: the credentials of context prod-eu were not accepted',
    });
    expect(JSON.stringify(outcome)).not.toContain('expired-token');
  });
});

describe('the production kubeconfig source', () => {
  let dir = '';
  const saved = process.env.KUBECONFIG;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-kubeconfig-'));
    await writeFile(path.join(dir, 'config'), api.kubeconfigFile(['other', 'prod-eu']));
    process.env.KUBECONFIG = path.join(dir, 'config');
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it('loads KUBECONFIG and switches to the cluster’s context', async () => {
    const real = actionRunner(createRegistry(kubernetesActions(kubeConfigFromDefault)), {
      primary: { context: 'prod-eu' },
      typo: { context: 'prod-eu-1' },
    });
    expect(await real('k8s.apiserver-ready', { cluster: 'primary' })).toMatchObject({ passed: true });
    expect(await real('k8s.version', { cluster: 'typo' })).toMatchObject({
      passed: false,
      error: 'kubeconfig has no context prod-eu-1: set clusters.typo.context in LIFEBOAT_CONFIG',
    });
  });
});
