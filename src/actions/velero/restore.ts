import { CustomObjectsApi } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { formatSeconds } from '../../domain/duration.js';
import { ClusterName, Flag, K8sName } from '../inputs.js';
import type { KubeConfigSource } from '../k8s/clients.js';
import { kubeAction } from '../k8s/kube-action.js';
import { describeRestore, followRestore, type Followed } from './follow-restore.js';
import { RESTORES, VELERO_NAMESPACE, type Restore } from './objects.js';

const Namespace = z.union([K8sName, z.literal('*')]);
const Input = z
  .strictObject({
    cluster: ClusterName,
    backup: K8sName.optional(),
    schedule: K8sName.optional(),
    // `namespaces: "{{ params.namespace }}"` renders to one string; take it as a list of one.
    namespaces: z.union([Namespace.transform((one) => [one]), z.array(Namespace)]).optional(),
    namespaceMapping: z.record(K8sName, K8sName).optional(),
    restorePVs: Flag.default(true),
    existingResourcePolicy: z.enum(['none', 'update']).optional(),
    veleroNamespace: K8sName.default(VELERO_NAMESPACE),
  })
  .refine((input) => (input.backup === undefined) !== (input.schedule === undefined), {
    message: 'give backup or schedule (one of them)',
  });

/** A label-safe piece of the incident id: Velero copies the restore name into labels (63 characters). */
const slug = (text: string, max: number): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, max)
    .replace(/^-+|-+$/g, '') || 'incident';

export function restoreName(incidentId: string): string {
  const suffix = randomBytes(4).readUInt32BE().toString(36).padStart(5, '0').slice(-5);
  return `lifeboat-${slug(incidentId, 63 - 'lifeboat-'.length - 6)}-${suffix}`;
}

function summary(name: string, restore: Restore | undefined, started: number) {
  const status = restore?.status;
  return {
    name,
    phase: status?.phase || 'New',
    errors: status?.errors ?? 0,
    warnings: status?.warnings ?? 0,
    itemsRestored: status?.progress?.itemsRestored ?? 0,
    totalItems: status?.progress?.totalItems ?? 0,
    durationMs: Date.now() - started,
  };
}

function failure(followed: Followed, name: string, namespace: string, timeoutMs: number): string | undefined {
  const check = `check it with: velero restore describe ${name} --details -n ${namespace}`;
  switch (followed.end) {
    case 'finished': {
      const status = followed.restore.status;
      if (status?.phase === 'Completed') return undefined;
      const why = [status?.failureReason, ...(status?.validationErrors ?? [])].filter(Boolean).join('; ');
      return `Restore ${name} ended ${status?.phase}: ${status?.errors ?? 0} errors, ${status?.warnings ?? 0} warnings${why ? ` (${why})` : ''}; ${check}`;
    }
    case 'timeout':
      return followed.unreachable
        ? `${followed.unreachable.message}, so Lifeboat lost Restore ${name} (${describeRestore(followed.last)}); it may still be running: ${check}`
        : `Restore ${name} did not finish within ${formatSeconds(timeoutMs / 1000)} (${describeRestore(followed.last)}); it keeps running: ${check}`;
    case 'stopped':
      return `stopped following Restore ${name} (${describeRestore(followed.last)}); it keeps running in the cluster: ${check}`;
    case 'failed':
      return `${followed.error.message} (while following Restore ${name})`;
  }
}

/** Creates a Velero Restore and follows it to its end, reporting progress as Velero counts items. */
export const restore = (source: KubeConfigSource) =>
  kubeAction(source, Input, async (input, kube, context) => {
    const started = Date.now();
    const namespace = input.veleroNamespace;
    const name = restoreName(context.incidentId);
    const spec = {
      ...(input.backup ? { backupName: input.backup } : { scheduleName: input.schedule }),
      ...(input.namespaces ? { includedNamespaces: input.namespaces } : {}),
      ...(input.namespaceMapping ? { namespaceMapping: input.namespaceMapping } : {}),
      restorePVs: input.restorePVs,
      ...(input.existingResourcePolicy ? { existingResourcePolicy: input.existingResourcePolicy } : {}),
    };
    const body = {
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: { name, namespace, labels: { 'lifeboat.io/incident': slug(context.incidentId, 63) } },
      spec,
    };
    await kube.call({ verb: 'create', resource: RESTORES, namespace, name }, (options) =>
      kube
        .api(CustomObjectsApi)
        .createNamespacedCustomObject(
          { group: 'velero.io', version: 'v1', namespace, plural: 'restores', body },
          options,
        ),
    );
    const from = input.backup ? `backup ${input.backup}` : `the latest backup of schedule ${input.schedule}`;
    context.progress(`created Restore ${name} from ${from}`);
    const followed = await followRestore({
      kube,
      namespace,
      name,
      deadline: started + context.timeoutMs,
      signal: context.signal,
      progress: context.progress,
    });
    const result = summary(name, followed.end === 'finished' ? followed.restore : followed.last, started);
    const error = failure(followed, name, namespace, context.timeoutMs);
    return { completed: followed.end === 'finished', result, ...(error ? { error } : {}) };
  });
