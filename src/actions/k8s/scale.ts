import { AppsV1Api, AutoscalingV2Api, PatchStrategy } from '@kubernetes/client-node';
import type { KubeConfigSource } from './clients.js';
import { messageOf, type Resource } from './errors.js';
import { failed, kubeAction, type Kube } from './kube-action.js';
import { scaleContract, type Restore } from './scale-contract.js';

type Kind = 'Deployment' | 'StatefulSet';

const resourceOf = (kind: Kind, subresource?: string): Resource => ({
  plural: kind === 'Deployment' ? 'deployments' : 'statefulsets',
  group: 'apps',
  kind,
  ...(subresource ? { subresource } : {}),
});

const HPA: Resource = {
  plural: 'horizontalpodautoscalers',
  group: 'autoscaling',
  kind: 'HorizontalPodAutoscaler',
};

/** The workloads to scale with their replica counts now; by name through the scale subresource. */
async function current(kube: Kube, kind: Kind, namespace: string, name?: string, selector?: string) {
  const apps = kube.api(AppsV1Api);
  if (name !== undefined) {
    const scale = await kube.call(
      { verb: 'get', resource: resourceOf(kind, 'scale'), namespace, name },
      (o) =>
        kind === 'Deployment'
          ? apps.readNamespacedDeploymentScale({ name, namespace }, o)
          : apps.readNamespacedStatefulSetScale({ name, namespace }, o),
    );
    return new Map([[name, scale.spec?.replicas ?? 0]]);
  }
  const list = await kube.call({ verb: 'list', resource: resourceOf(kind), namespace }, (o) =>
    kind === 'Deployment'
      ? apps.listNamespacedDeployment({ namespace, labelSelector: selector }, o)
      : apps.listNamespacedStatefulSet({ namespace, labelSelector: selector }, o),
  );
  return new Map(list.items.map((item) => [item.metadata?.name ?? '', item.spec?.replicas ?? 1]));
}

type Bounds = { minReplicas: number; maxReplicas: number };

/** The autoscaling/v2 HPAs of the namespace by the workload they target (spec.scaleTargetRef). */
async function autoscalersOf(kube: Kube, kind: Kind, namespace: string) {
  const list = await kube.call({ verb: 'list', resource: HPA, namespace }, (o) =>
    kube.api(AutoscalingV2Api).listNamespacedHorizontalPodAutoscaler({ namespace }, o),
  );
  const byTarget = new Map<string, { name: string } & Bounds>();
  for (const hpa of list.items) {
    const ref = hpa.spec?.scaleTargetRef;
    if (ref?.kind !== kind || !/^apps\//.test(ref.apiVersion ?? 'apps/v1')) continue;
    byTarget.set(ref.name, {
      name: hpa.metadata?.name ?? '',
      minReplicas: hpa.spec?.minReplicas ?? 1,
      maxReplicas: hpa.spec?.maxReplicas ?? 1,
    });
  }
  return byTarget;
}

async function setBounds(kube: Kube, namespace: string, name: string, bounds: Bounds): Promise<void> {
  await kube.call(
    { verb: 'patch', resource: HPA, namespace, name, idempotent: true },
    (o) =>
      kube
        .api(AutoscalingV2Api)
        .patchNamespacedHorizontalPodAutoscaler({ name, namespace, body: { spec: bounds } }, o),
    PatchStrategy.MergePatch,
  );
}

async function setReplicas(
  kube: Kube,
  kind: Kind,
  namespace: string,
  name: string,
  replicas: number,
): Promise<void> {
  const apps = kube.api(AppsV1Api);
  const body = { spec: { replicas } };
  await kube.call(
    { verb: 'patch', resource: resourceOf(kind, 'scale'), namespace, name, idempotent: true },
    (o) =>
      kind === 'Deployment'
        ? apps.patchNamespacedDeploymentScale({ name, namespace, body }, o)
        : apps.patchNamespacedStatefulSetScale({ name, namespace, body }, o),
    // A merge patch sets spec.replicas even when it is 0 and therefore absent.
    PatchStrategy.MergePatch,
  );
}

/** Puts back what a scale recorded: the HPAs' bounds first (so they do not undo it), then the replica counts. */
async function putBack(kube: Kube, kind: Kind, namespace: string, restore: Restore) {
  const done: string[] = [];
  try {
    for (const [name, bounds] of Object.entries(restore.autoscalers)) {
      await setBounds(kube, namespace, name, bounds);
      done.push(`hpa/${name}`);
    }
    for (const [name, replicas] of Object.entries(restore.workloads)) {
      await setReplicas(kube, kind, namespace, name, replicas);
      done.push(name);
    }
  } catch (error) {
    const already = done.length ? ` (already put back: ${done.join(', ')})` : '';
    return failed(`${messageOf(error)}${already}`, { scaled: done });
  }
  return { completed: true, result: { scaled: Object.keys(restore.workloads), restored: restore } };
}

/** Sets the replica count of one workload or of every workload a selector picks, with the HPAs that target them. */
export const scale = (source: KubeConfigSource) =>
  kubeAction(source, scaleContract, async ({ namespace, kind, name, selector, replicas, restore }, kube) => {
    if (restore) return putBack(kube, kind, namespace, restore);
    const count = replicas ?? 0;
    const before = await current(kube, kind, namespace, name, selector);
    if (before.size === 0) return failed(`no ${kind} in namespace ${namespace} matches selector ${selector}`);
    const hpas = await autoscalersOf(kube, kind, namespace);
    const scaled: string[] = [];
    const previous: Record<string, number> = {};
    const autoscalers: Record<string, Bounds> = {};
    const partial = () => ({ scaled, previous, autoscalers, restore: { workloads: previous, autoscalers } });
    for (const [target, was] of before) {
      const hpa = hpas.get(target);
      try {
        // An HPA keeps replicas within its bounds: without minReplicas raised it would scale the standby back down.
        if (hpa && count >= 1 && hpa.minReplicas !== count) {
          const bounds = { minReplicas: count, maxReplicas: Math.max(hpa.maxReplicas, count) };
          await setBounds(kube, namespace, hpa.name, bounds);
          autoscalers[hpa.name] = { minReplicas: hpa.minReplicas, maxReplicas: hpa.maxReplicas };
        }
        await setReplicas(kube, kind, namespace, target, count);
      } catch (error) {
        const done = scaled.length ? ` (already scaled: ${scaled.join(', ')})` : '';
        return failed(`${messageOf(error)}${done}`, partial());
      }
      scaled.push(target);
      previous[target] = was;
    }
    return { completed: true, result: partial() };
  });
