import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { z } from 'zod';
import { ClusterName, K8sName, Within } from '../inputs.js';
import { keepTrying } from '../keep-trying.js';
import type { KubeConfigSource } from './clients.js';
import { KubeError } from './errors.js';
import { kubeAction, type Kube } from './kube-action.js';

const Input = z.strictObject({ cluster: ClusterName, namespace: K8sName, within: Within.optional() });

type Workload = { readonly label: string; readonly available: number; readonly desired: number };
type Look = { readonly workloads: Workload[]; readonly pvcsPending: string[] };

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
  const workloads: Workload[] = [
    ...deployments.items.map((d) => {
      const stale = (d.status?.observedGeneration ?? Infinity) < (d.metadata?.generation ?? 0);
      const available = stale ? 0 : (d.status?.availableReplicas ?? 0);
      return { label: `Deployment/${d.metadata?.name}`, available, desired: d.spec?.replicas ?? 1 };
    }),
    ...statefulSets.items.map((s) => ({
      label: `StatefulSet/${s.metadata?.name}`,
      available: s.status?.availableReplicas ?? s.status?.readyReplicas ?? 0,
      desired: s.spec?.replicas ?? 1,
    })),
    ...daemonSets.items.map((d) => ({
      label: `DaemonSet/${d.metadata?.name}`,
      available: d.status?.numberAvailable ?? 0,
      desired: d.status?.desiredNumberScheduled ?? 0,
    })),
  ];
  const pvcsPending = claims.items
    .filter((claim) => claim.status?.phase !== 'Bound')
    .map((claim) => claim.metadata?.name ?? '?');
  return { workloads, pvcsPending };
}

function judge(namespace: string, { workloads, pvcsPending }: Look) {
  const notReady = workloads.filter((w) => w.available < w.desired).map((w) => w.label);
  const ready = workloads.length > 0 && notReady.length === 0 && pvcsPending.length === 0;
  const waiting = [...notReady, ...pvcsPending.map((name) => `PVC ${name}`)];
  // An empty namespace is what a failed restore looks like, so it does not pass.
  const note =
    workloads.length === 0
      ? `no Deployments, StatefulSets or DaemonSets in namespace ${namespace}`
      : `${waiting.length} not available yet: ${waiting.slice(0, 5).join(', ')}${waiting.length > 5 ? ', …' : ''}`;
  const result = {
    ready,
    workloads: workloads.map((w) => `${w.label} ${w.available}/${w.desired}`),
    notReady,
    pvcsPending,
  };
  return { result, ready, note };
}

type Verdict = ReturnType<typeof judge>['result'];

/** Deployments, StatefulSets and DaemonSets available and PVCs Bound; with `within`, waits for it. */
export const workloadsReady = (source: KubeConfigSource) =>
  kubeAction(source, Input, async ({ namespace, within }, kube, context) => {
    const outcome = await keepTrying<Verdict | KubeError>({
      withinMs: Math.min(within ?? 0, context.timeoutMs),
      signal: context.signal,
      progress: context.progress,
      attempt: async () => {
        try {
          const verdict = judge(namespace, await look(kube, namespace));
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
  });
