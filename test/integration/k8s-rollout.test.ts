import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { kubernetesActions } from '../../src/actions/k8s/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import { K8sEmulator, type KObject } from '../../src/sandbox/k8s-emulator.js';
import { daemonSet, deployment, statefulSet } from '../../src/sandbox/k8s/objects.js';
import { actionRunner } from '../support/k8s/run-action.js';

/** k8s.workloads-ready judges a rollout as `kubectl rollout status` does (kubectl polymorphichelpers/rollout_status.go). */

let api: K8sEmulator;
beforeAll(async () => {
  api = await K8sEmulator.create();
});
afterAll(() => api.close());
afterEach(() => api.heal());

const run = actionRunner(createRegistry(kubernetesActions((target) => api.kubeConfig(target))), {
  primary: { context: 'prod-eu' },
});
const ready = (namespace: string, within?: string) =>
  run('k8s.workloads-ready', { cluster: 'primary', namespace, ...(within ? { within } : {}) });

/** A workload with some of its spec and status replaced, as a controller mid-rollout reports it. */
const with_ = (
  object: KObject,
  change: { spec?: object; status?: object; generation?: number },
): KObject => ({
  ...object,
  metadata: { ...object.metadata, generation: change.generation ?? object.metadata.generation },
  spec: { ...object.spec, ...change.spec },
  status: { ...object.status, ...change.status },
});

describe('Deployments', () => {
  it('is not ready mid-rollout: 1 of 3 updated while the old pods are still available', async () => {
    // During a rolling update the old ReplicaSet keeps serving: 3 available, but only 1 runs the new template.
    api.seed(
      'deployments',
      with_(deployment('mid-ns', 'web', { replicas: 3 }), {
        status: { replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3 },
      }),
    );
    expect(await ready('mid-ns')).toMatchObject({
      passed: false,
      result: { ready: false, notReady: ['Deployment/web'], workloads: ['Deployment/web 3/3'] },
      error: 'namespace mid-ns is not ready: 1 not ready yet: Deployment/web (1 of 3 new replicas updated)',
    });
  });

  it('is not ready while old replicas are pending termination', async () => {
    api.seed(
      'deployments',
      with_(deployment('old-ns', 'web', { replicas: 3 }), { status: { replicas: 5, updatedReplicas: 3 } }),
    );
    expect((await ready('old-ns')).error).toBe(
      'namespace old-ns is not ready: 1 not ready yet: Deployment/web (2 old replicas pending termination)',
    );
  });

  it('is not ready until the controller has observed the latest spec', async () => {
    api.controllers = false;
    api.seed('deployments', with_(deployment('gen-ns', 'web', { replicas: 2 }), { generation: 2 }));
    expect((await ready('gen-ns')).error).toBe(
      'namespace gen-ns is not ready: 1 not ready yet: Deployment/web (its spec update is not observed yet)',
    );
  });

  it('fails at once, with the controller’s message, past its progress deadline, well before `within`', async () => {
    const message = 'ReplicaSet "web-5d8f7c" has timed out progressing.';
    api.seed(
      'deployments',
      with_(deployment('stuck-ns', 'web', { replicas: 3, available: 1 }), {
        spec: { progressDeadlineSeconds: 600 },
        status: {
          updatedReplicas: 1,
          conditions: [
            { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' },
            { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message },
          ],
        },
      }),
    );
    const outcome = await ready('stuck-ns', '10m');
    expect(outcome).toMatchObject({
      passed: false,
      result: { ready: false, notReady: ['Deployment/web'] },
      error: `namespace stuck-ns will not be ready: Deployment/web exceeded its progress deadline (${message})`,
    });
    // It did not ask again: no "asking again" line, though 10 minutes were allowed.
    expect(outcome.progress).toEqual([]);
  });
});

describe('StatefulSets', () => {
  it('is not ready while its pods are at two revisions, and ready once the update revision is current', async () => {
    api.seed(
      'statefulsets',
      with_(statefulSet('rev-ns', 'db', { replicas: 3 }), {
        spec: { updateStrategy: { type: 'RollingUpdate' } },
        status: { updatedReplicas: 1, currentRevision: 'db-6c4f', updateRevision: 'db-7b9d' },
      }),
    );
    expect((await ready('rev-ns')).error).toBe(
      'namespace rev-ns is not ready: 1 not ready yet: StatefulSet/db (1 of 3 pods at revision db-7b9d)',
    );
    setTimeout(() => {
      api.state.update('statefulsets', 'rev-ns', 'db', (s) => {
        s.status = { ...s.status, updatedReplicas: 3, currentReplicas: 3, currentRevision: 'db-7b9d' };
      });
    }, 400);
    expect(await ready('rev-ns', '10s')).toMatchObject({ passed: true, result: { ready: true } });
  });

  it('with a partition, is ready once the pods above it are updated', async () => {
    const partitioned = (updated: number) =>
      with_(statefulSet('part-ns', `kafka-${updated}`, { replicas: 5 }), {
        spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 3 } } },
        status: { updatedReplicas: updated, currentRevision: 'kafka-1', updateRevision: 'kafka-2' },
      });
    api.seed('statefulsets', partitioned(2));
    expect(await ready('part-ns')).toMatchObject({ passed: true });
    api.seed('statefulsets', partitioned(1));
    expect((await ready('part-ns')).error).toBe(
      'namespace part-ns is not ready: 1 not ready yet: StatefulSet/kafka-1 (1 of 2 pods above partition 3 updated)',
    );
  });

  it('with OnDelete (pods change only when deleted), counts ready pods and not revisions', async () => {
    api.seed(
      'statefulsets',
      with_(statefulSet('ondelete-ns', 'zk', { replicas: 3 }), {
        spec: { updateStrategy: { type: 'OnDelete' } },
        status: { updatedReplicas: 0, currentRevision: 'zk-1', updateRevision: 'zk-2' },
      }),
    );
    api.seed(
      'daemonsets',
      with_(daemonSet('ondelete-ns', 'cni', 3), {
        spec: { updateStrategy: { type: 'OnDelete' } },
        status: { updatedNumberScheduled: 1 },
      }),
    );
    expect(await ready('ondelete-ns')).toMatchObject({ passed: true });
  });

  it('counts ready pods, and an unobserved spec as not ready', async () => {
    api.controllers = false;
    api.seed('statefulsets', statefulSet('sts-ns', 'cache', { replicas: 3, available: 1 }));
    api.seed('statefulsets', with_(statefulSet('sts-ns', 'queue'), { status: { observedGeneration: 0 } }));
    expect((await ready('sts-ns')).error).toBe(
      'namespace sts-ns is not ready: 2 not ready yet: StatefulSet/cache (2 pods not ready), StatefulSet/queue (its spec update is not observed yet)',
    );
  });
});

describe('DaemonSets', () => {
  it('is not ready until every scheduled pod is updated, then until every one is available', async () => {
    api.seed(
      'daemonsets',
      with_(daemonSet('ds-ns', 'logs', 4), { status: { updatedNumberScheduled: 2 } }),
      daemonSet('ds-ns', 'metrics', 4, 3),
    );
    expect((await ready('ds-ns')).error).toBe(
      'namespace ds-ns is not ready: 2 not ready yet: DaemonSet/logs (2 of 4 new pods updated), DaemonSet/metrics (3 of 4 updated pods available)',
    );
  });
});
