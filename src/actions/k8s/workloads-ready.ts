import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { keepTrying } from '../keep-trying.js';
import type { KubeConfigSource } from './clients.js';
import { KubeError } from './errors.js';
import { kubeAction, type Kube } from './kube-action.js';
import { daemonSetRollout, deploymentRollout, statefulSetRollout, type Rollout } from './rollout.js';
import { workloadsReadyContract } from './workloads-ready-contract.js';

type Look = { readonly workloads: Rollout[]; readonly pvcsPending: string[] };

/** A rollout that will not finish by itself: waiting longer only hides it. */
class RolloutFailed extends Error {}

function listOf(namespace: string, plural: string, kind: string, group?: string) {
  return { verb: 'list', resource: { plural, kind, ...(group ? { group } : {}) }, namespace } as const;
}

async function look(kube: Kube, namespace: string): Promise<Look> {
  const [apps, core] = [kube.api(AppsV1Api), kube.api(CoreV1Api)];
  const [deployments, statefulSets, daemonSets, claims] = await Promise.all([
    kube.call(listOf(namespace, 'deployments', 'Deployment', 'apps'), (o) =>
      apps.listNamespacedDeployment({ namespace }, o),
    ),
    kube.call(listOf(namespace, 'statefulsets', 'StatefulSet', 'apps'), (o) =>
      apps.listNamespacedStatefulSet({ namespace }, o),
    ),
    kube.call(listOf(namespace, 'daemonsets', 'DaemonSet', 'apps'), (o) =>
      apps.listNamespacedDaemonSet({ namespace }, o),
    ),
    kube.call(listOf(namespace, 'persistentvolumeclaims', 'PersistentVolumeClaim'), (o) =>
      core.listNamespacedPersistentVolumeClaim({ namespace }, o),
    ),
  ]);
  const workloads = [
    ...deployments.items.map(deploymentRollout),
    ...statefulSets.items.map(statefulSetRollout),
    ...daemonSets.items.map(daemonSetRollout),
  ];
  const pvcsPending = claims.items
    .filter((claim) => claim.status?.phase !== 'Bound')
    .map((claim) => claim.metadata?.name ?? '?');
  return { workloads, pvcsPending };
}

const firstFive = (items: string[]): string =>
  `${items.slice(0, 5).join(', ')}${items.length > 5 ? ', …' : ''}`;

function judge(namespace: string, { workloads, pvcsPending }: Look) {
  const notReady = workloads.filter((w) => !w.done);
  const ready = workloads.length > 0 && notReady.length === 0 && pvcsPending.length === 0;
  const waiting = [
    ...notReady.map((w) => `${w.label} (${w.failed ?? w.waiting})`),
    ...pvcsPending.map((name) => `PVC ${name}`),
  ];
  // An empty namespace is what a failed restore looks like, so it does not pass.
  const note =
    workloads.length === 0
      ? `no Deployments, StatefulSets or DaemonSets in namespace ${namespace}`
      : `${waiting.length} not ready yet: ${firstFive(waiting)}`;
  const stuck = notReady.filter((w) => w.failed).map((w) => `${w.label} ${w.failed}`);
  const result = {
    ready,
    workloads: workloads.map((w) => `${w.label} ${w.count}`),
    notReady: notReady.map((w) => w.label),
    pvcsPending,
  };
  return { result, ready, note, stuck };
}

type Verdict = ReturnType<typeof judge>['result'];

/** Deployments, StatefulSets and DaemonSets rolled out and PVCs Bound; with `within`, waits for it. */
export const workloadsReady = (source: KubeConfigSource) =>
  kubeAction(source, workloadsReadyContract, async ({ namespace, within }, kube, context) => {
    let last: Verdict | undefined;
    try {
      const outcome = await keepTrying<Verdict | KubeError>({
        withinMs: Math.min(within ?? 0, context.timeoutMs),
        signal: context.signal,
        progress: context.progress,
        attempt: async () => {
          try {
            const verdict = judge(namespace, await look(kube, namespace));
            last = verdict.result;
            if (verdict.stuck.length > 0) throw new RolloutFailed(firstFive(verdict.stuck));
            return { value: verdict.result, passed: verdict.ready, note: verdict.note };
          } catch (error) {
            // While waiting, an API server that blinks is a reason to ask again, not to give up.
            if (error instanceof KubeError && error.transient && within !== undefined)
              return { value: error, passed: false, note: error.message };
            throw error;
          }
        },
      });
      if (outcome.value instanceof KubeError) throw outcome.value;
      return {
        completed: true,
        result: outcome.value,
        ...(outcome.passed ? {} : { error: `namespace ${namespace} is not ready: ${outcome.note}` }),
      };
    } catch (error) {
      if (!(error instanceof RolloutFailed) || !last) throw error;
      return {
        completed: true,
        result: last,
        error: `namespace ${namespace} will not be ready: ${error.message}`,
      };
    }
  });
