import { z } from 'zod';
import { ClusterName, K8sName } from '../inputs.js';
import type { KubeConfigSource } from '../k8s/clients.js';
import { kubeAction } from '../k8s/kube-action.js';
import { minorFromGitVersion } from '../k8s/version.js';
import {
  ageSeconds,
  Backup,
  BACKUPS,
  listVelero,
  SCHEDULE_LABEL,
  SOURCE_VERSION_ANNOTATION,
  VELERO_NAMESPACE,
} from './objects.js';

const Input = z.strictObject({
  cluster: ClusterName,
  schedule: K8sName.optional(),
  namespace: K8sName.optional(),
  veleroNamespace: K8sName.default(VELERO_NAMESPACE),
});

export { SCHEDULE_LABEL } from './objects.js';

/** Velero's own rule: no includedNamespaces (or `*`) means every namespace, minus the excluded ones. */
export function covers(backup: Backup, namespace: string): boolean {
  const included = backup.spec?.includedNamespaces ?? [];
  const excluded = backup.spec?.excludedNamespaces ?? [];
  const inside = included.length === 0 || included.includes('*') || included.includes(namespace);
  return inside && !excluded.includes(namespace);
}

/** When a backup finished, in ms; NaN when it has not. */
export const completedAt = (backup: Backup): number => Date.parse(backup.status?.completionTimestamp ?? '');

/** The newest Completed backup, optionally of one schedule and covering one namespace. */
export const latestBackup = (source: KubeConfigSource) =>
  kubeAction(source, Input, async ({ schedule, namespace, veleroNamespace }, kube) => {
    const selector = schedule === undefined ? undefined : `${SCHEDULE_LABEL}=${schedule}`;
    const backups = await listVelero(kube, BACKUPS, veleroNamespace, Backup, selector);
    const relevant = backups.filter((b) => namespace === undefined || covers(b, namespace));
    const newestFirst = (a: Backup, b: Backup) =>
      Date.parse(b.metadata.creationTimestamp ?? '') - Date.parse(a.metadata.creationTimestamp ?? '');
    const completed = relevant
      .filter((b) => b.status?.phase === 'Completed' && !Number.isNaN(completedAt(b)))
      .sort((a, b) => completedAt(b) - completedAt(a));
    const [newest] = completed;
    if (!newest) {
      const what = [schedule && ` of schedule ${schedule}`, namespace && ` covering namespace ${namespace}`]
        .filter(Boolean)
        .join('');
      const [latest] = [...relevant].sort(newestFirst);
      const seen = latest
        ? `${relevant.length} seen; the newest, ${latest.metadata.name}, is ${latest.status?.phase ?? 'New'}`
        : 'none at all';
      return {
        completed: true,
        result: {},
        error: `no completed backup${what} in namespace ${veleroNamespace} of cluster ${kube.target.name} (${seen})`,
      };
    }
    const sourceK8sVersion = newest.metadata.annotations?.[SOURCE_VERSION_ANNOTATION] ?? '';
    const time = new Date(completedAt(newest)).toISOString();
    return {
      completed: true,
      result: {
        name: newest.metadata.name,
        time,
        ageSeconds: ageSeconds(time),
        sourceK8sVersion,
        sourceK8sMinor: minorFromGitVersion(sourceK8sVersion),
        phase: 'Completed',
        errors: newest.status?.errors ?? 0,
        warnings: newest.status?.warnings ?? 0,
      },
    };
  });
