import { AppsV1Api, PatchStrategy } from '@kubernetes/client-node';
import { z } from 'zod';
import { actionContract } from '../contract.js';
import { Cluster, K8sName, Namespace, WholeNumber } from '../inputs.js';
import type { KubeConfigSource } from './clients.js';
import { messageOf, type Resource } from './errors.js';
import { failed, kubeAction, type Kube } from './kube-action.js';

export const scaleContract = actionContract({
  name: 'k8s.scale',
  summary: 'Set the replica count of a Deployment or StatefulSet',
  readOnly: false,
  input: z
    .strictObject({
      cluster: Cluster,
      namespace: Namespace,
      kind: z
        .enum(['Deployment', 'StatefulSet'])
        .default('Deployment')
        .describe('Deployment (default) or StatefulSet'),
      name: K8sName.optional().describe('workload name; omit with selector'),
      selector: z.string().min(1).optional().describe('label selector picking several workloads'),
      replicas: WholeNumber.describe('replica count'),
    })
    .refine((input) => (input.name === undefined) !== (input.selector === undefined), {
      message: 'give name or selector (one of them)',
    }),
  result: { scaled: 'names of the workloads scaled', previous: 'their replica counts before' },
});

type Kind = 'Deployment' | 'StatefulSet';
const resourceOf = (kind: Kind, subresource?: string): Resource => ({
  plural: kind === 'Deployment' ? 'deployments' : 'statefulsets',
  group: 'apps',
  kind,
  ...(subresource ? { subresource } : {}),
});

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

/** Sets the replica count of one workload or of every workload a selector picks. */
export const scale = (source: KubeConfigSource) =>
  kubeAction(source, scaleContract, async ({ namespace, kind, name, selector, replicas }, kube) => {
    const apps = kube.api(AppsV1Api);
    const before = await current(kube, kind, namespace, name, selector);
    if (before.size === 0) return failed(`no ${kind} in namespace ${namespace} matches selector ${selector}`);
    const scaled: string[] = [];
    const previous: Record<string, number> = {};
    for (const [target, count] of before) {
      const body = { spec: { replicas } };
      try {
        await kube.call(
          { verb: 'patch', resource: resourceOf(kind, 'scale'), namespace, name: target, idempotent: true },
          (o) =>
            kind === 'Deployment'
              ? apps.patchNamespacedDeploymentScale({ name: target, namespace, body }, o)
              : apps.patchNamespacedStatefulSetScale({ name: target, namespace, body }, o),
          // A merge patch sets spec.replicas even when it is 0 and therefore absent.
          PatchStrategy.MergePatch,
        );
      } catch (error) {
        const done = scaled.length ? ` (already scaled: ${scaled.join(', ')})` : '';
        return failed(`${messageOf(error)}${done}`, { scaled, previous });
      }
      scaled.push(target);
      previous[target] = count;
    }
    return { completed: true, result: { scaled, previous } };
  });
