import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { kubernetesActions } from '../../src/actions/k8s/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import { K8sEmulator } from '../../src/sandbox/k8s-emulator.js';
import {
  endpointSlice,
  leaderLease,
  nodeLease,
  webhookConfiguration,
} from '../../src/sandbox/k8s/control-plane-objects.js';
import { node } from '../../src/sandbox/k8s/objects.js';
import { actionRunner } from '../support/k8s/run-action.js';

let api: K8sEmulator;
let run: ReturnType<typeof actionRunner>;
beforeEach(async () => {
  api = await K8sEmulator.create({ tickMs: 50 });
  run = actionRunner(createRegistry(kubernetesActions((target) => api.kubeConfig(target))), {
    primary: { context: 'prod' },
  });
});
afterEach(() => api.close());

/** When the snapshot was taken: every Lease restored from it was last renewed then. */
const SNAPSHOT = new Date(Date.now() - 3_600_000);

describe('k8s.leases-renewed', () => {
  it('fails on Leases restored from the snapshot that nobody renews, naming each with its holder and last renewal', async () => {
    api.seed(
      'leases',
      leaderLease('kube-controller-manager', 'cp-1_7c1f', SNAPSHOT),
      leaderLease('kube-scheduler', 'cp-1_9a2e', SNAPSHOT),
    );
    const outcome = await run('k8s.leases-renewed', { cluster: 'primary', within: '2s' });
    expect(outcome.passed).toBe(false);
    expect(outcome.result).toMatchObject({
      renewed: false,
      stale: ['kube-controller-manager', 'kube-scheduler'],
    });
    expect(outcome.error).toContain(
      `kube-scheduler (holder cp-1_9a2e, last renewed ${SNAPSHOT.toISOString()})`,
    );
    expect(outcome.progress[0]).toMatch(
      /^not renewed yet: kube-controller-manager, kube-scheduler; asking again/,
    );
  });

  it('passes once the new leaders renew both Leases, and says who holds them', async () => {
    api.seed(
      'leases',
      leaderLease('kube-controller-manager', 'cp-1_7c1f', SNAPSHOT),
      leaderLease('kube-scheduler', 'cp-1_9a2e', SNAPSHOT),
    );
    setTimeout(() => {
      api.heartbeats.add('kube-system/kube-controller-manager');
      api.heartbeats.add('kube-system/kube-scheduler');
    }, 300);
    const outcome = await run('k8s.leases-renewed', { cluster: 'primary', within: '10s' });
    expect(outcome).toMatchObject({ passed: true, result: { renewed: true, stale: [] } });
    const leases = outcome.result.leases as Array<{ name: string; holder: string; renewTime: string }>;
    expect(leases.map((l) => l.holder)).toEqual(['cp-1_7c1f', 'cp-1_9a2e']);
    for (const lease of leases) expect(Date.parse(lease.renewTime)).toBeGreaterThan(SNAPSHOT.getTime());
  });

  it('only the scheduler renewing is not enough: the controller manager is named', async () => {
    api.seed(
      'leases',
      leaderLease('kube-controller-manager', 'cp-1_7c1f', SNAPSHOT),
      leaderLease('kube-scheduler', 'cp-1_9a2e', SNAPSHOT),
    );
    api.heartbeats.add('kube-system/kube-scheduler');
    const outcome = await run('k8s.leases-renewed', { cluster: 'primary', within: '4s' });
    expect(outcome).toMatchObject({ passed: false, result: { stale: ['kube-controller-manager'] } });
  });

  it('with `after`, a renewTime later than the restore passes at once and an older one does not', async () => {
    const restoredAt = new Date(Date.now() - 60_000);
    api.seed(
      'leases',
      leaderLease('kube-controller-manager', 'cp-2_11aa', new Date(Date.now() - 5000)),
      leaderLease('kube-scheduler', 'cp-1_9a2e', SNAPSHOT),
    );
    const after = restoredAt.toISOString();
    const manager = await run('k8s.leases-renewed', {
      cluster: 'primary',
      leases: 'kube-controller-manager',
      after,
    });
    expect(manager).toMatchObject({ passed: true, result: { renewed: true } });
    const scheduler = await run('k8s.leases-renewed', {
      cluster: 'primary',
      leases: ['kube-scheduler'],
      after,
      within: '1s',
    });
    expect(scheduler.passed).toBe(false);
    expect(scheduler.error).toContain(`not renewed after ${after}`);
  });

  it('a missing Lease (the component never led this cluster) is said so; a bad time is refused before asking', async () => {
    api.seed('leases', leaderLease('kube-scheduler', 'cp-1_9a2e', SNAPSHOT));
    api.heartbeats.add('kube-system/kube-scheduler');
    const outcome = await run('k8s.leases-renewed', { cluster: 'primary', within: '1s' });
    expect(outcome.error).toContain('kube-controller-manager (no Lease in kube-system)');
    const bad = await run('k8s.leases-renewed', { cluster: 'primary', after: 'yesterday' });
    expect(bad.passed).toBe(false);
    expect(bad.error).toContain('expected an ISO time with its offset');
  });
});

describe('k8s.node-heartbeats', () => {
  it('lists a Node from the snapshot whose kubelet never heartbeats as a ghost', async () => {
    api.seed('nodes', node('node-1'), node('node-2'));
    api.seed('leases', nodeLease('node-1', SNAPSHOT), nodeLease('node-2', SNAPSHOT));
    api.heartbeats.add('kube-node-lease/node-1');
    const outcome = await run('k8s.node-heartbeats', { cluster: 'primary', within: '4s' });
    expect(outcome.passed).toBe(false);
    expect(outcome.result).toMatchObject({
      ok: false,
      total: 2,
      heartbeating: ['node-1'],
      ghosts: ['node-2'],
      missing: [],
    });
    expect(outcome.error).toContain(
      'no heartbeat from node-2: start their kubelet, or if the machine is gone delete the Node',
    );
  });

  it('lists as missing a kubelet that heartbeats without a Node (joined after the snapshot) and an expected name the API lacks', async () => {
    api.seed('nodes', node('node-1'));
    api.seed('leases', nodeLease('node-1', SNAPSHOT));
    api.heartbeats.add('kube-node-lease/node-1');
    api.heartbeats.add('kube-node-lease/node-3');
    const outcome = await run('k8s.node-heartbeats', {
      cluster: 'primary',
      within: '5s',
      expectedNodes: 'node-1,node-4',
    });
    expect(outcome.result).toMatchObject({ ok: false, ghosts: [], missing: ['node-3', 'node-4'] });
    expect(outcome.error).toContain('not in the API: node-3, node-4: restart the kubelet');
  });

  it('passes when every Node heartbeats, and fails when fewer heartbeat than before the incident', async () => {
    api.seed('nodes', node('node-1'), node('node-2', false));
    api.heartbeats.add('kube-node-lease/node-1');
    api.heartbeats.add('kube-node-lease/node-2');
    const outcome = await run('k8s.node-heartbeats', { cluster: 'primary', within: '5s' });
    expect(outcome).toMatchObject({ passed: true, result: { ok: true, heartbeating: ['node-1', 'node-2'] } });
    const nodes = outcome.result.nodes as Array<{ name: string; ready: string }>;
    expect(nodes.map((n) => n.ready)).toEqual(['True', 'False']);
    const fewer = await run('k8s.node-heartbeats', { cluster: 'primary', within: '5s', expectedCount: 3 });
    expect(fewer.passed).toBe(false);
    expect(fewer.error).toContain('2 Nodes heartbeat, 3 expected');
  });
});

describe('k8s.webhooks-health', () => {
  it('finds a failurePolicy Fail webhook whose Service has no ready endpoint, and only that one', async () => {
    api.seed(
      'validatingwebhookconfigurations',
      webhookConfiguration('policy', [
        { name: 'pods.policy.example.com', service: { namespace: 'policy', name: 'policy-webhook' } },
        {
          name: 'soft.policy.example.com',
          service: { namespace: 'policy', name: 'gone' },
          failurePolicy: 'Ignore',
        },
        { name: 'saas.example.com', url: 'https://hooks.example.com/validate' },
      ]),
    );
    api.seed(
      'mutatingwebhookconfigurations',
      webhookConfiguration('sidecars', [
        { name: 'inject.mesh.example.com', service: { namespace: 'mesh', name: 'injector' } },
      ]),
    );
    // The policy pods are restored but not ready; the injector serves.
    api.seed(
      'endpointslices',
      endpointSlice('policy', 'policy-webhook', [{ ip: '10.0.0.5', ready: false }]),
      endpointSlice('mesh', 'injector', [{ ip: '10.0.1.7', ready: true }]),
    );
    const outcome = await run('k8s.webhooks-health', { cluster: 'primary' });
    expect(outcome.passed).toBe(false);
    expect(outcome.result).toEqual({
      ok: false,
      checked: 2,
      notChecked: ['policy/saas.example.com'],
      blocking: [
        {
          kind: 'ValidatingWebhookConfiguration',
          configuration: 'policy',
          webhook: 'pods.policy.example.com',
          service: 'policy/policy-webhook',
          why: 'no ready endpoint in its EndpointSlices',
        },
      ],
    });
    expect(outcome.error).toContain('Service policy/policy-webhook has no ready endpoint');
    expect(api.requests).toContain(
      'GET /apis/discovery.k8s.io/v1/namespaces/policy/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dpolicy-webhook',
    );
  });

  it('passes when every Fail webhook has a ready backend, and when there are no webhooks at all', async () => {
    const empty = await run('k8s.webhooks-health', { cluster: 'primary' });
    expect(empty).toMatchObject({ passed: true, result: { ok: true, checked: 0, blocking: [] } });
    api.seed(
      'validatingwebhookconfigurations',
      webhookConfiguration('policy', [
        { name: 'pods.policy.example.com', service: { namespace: 'policy', name: 'policy-webhook' } },
      ]),
    );
    api.seed('endpointslices', endpointSlice('policy', 'policy-webhook', [{ ip: '10.0.0.5', ready: true }]));
    const outcome = await run('k8s.webhooks-health', { cluster: 'primary' });
    expect(outcome).toMatchObject({ passed: true, result: { ok: true, checked: 1 } });
  });
});
