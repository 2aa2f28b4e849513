import type { KubeConfigSource } from '../k8s/clients.js';
import { kubeAction } from '../k8s/kube-action.js';
import { minorFromGitVersion } from '../k8s/version.js';
import { chooseBackup, completedAt } from './backup-choice.js';
import type { Backup } from './objects.js';
import { ageSeconds, SOURCE_VERSION_ANNOTATION } from './objects.js';
import { latestBackupContract } from './latest-backup-contract.js';

export { SCHEDULE_LABEL } from './objects.js';

export { completedAt } from './backup-choice.js';

/** Velero's own rule: no includedNamespaces (or `*`) means every namespace, minus the excluded ones. */
export function covers(backup: Backup, namespace: string): boolean {
  const included = backup.spec?.includedNamespaces ?? [];
  const excluded = backup.spec?.excludedNamespaces ?? [];
  const inside = included.length === 0 || included.includes('*') || included.includes(namespace);
  return inside && !excluded.includes(namespace);
}

/**
 * The backup that will be restored — the responder's pick, or the newest Completed one whose
 * contents hold the namespace — with what the RPO, version and region checks need.
 */
export const latestBackup = (source: KubeConfigSource) =>
  kubeAction(source, latestBackupContract, async (input, kube, context) => {
    const { schedule, namespace, veleroNamespace } = input;
    const choice = await chooseBackup(
      kube,
      { veleroNamespace, namespace, schedule, backup: input.backup || undefined },
      context.signal,
    );
    if (typeof choice === 'string')
      return {
        completed: true,
        result: {},
        error: `${choice} in namespace ${veleroNamespace} of cluster ${kube.target.name}`,
      };
    const { backup, items, skipped } = choice;
    const sourceK8sVersion = backup.metadata.annotations?.[SOURCE_VERSION_ANNOTATION] ?? '';
    const time = new Date(completedAt(backup)).toISOString();
    if (skipped.length > 0) context.progress(`passed over newer backups: ${skipped.join('; ')}`);
    return {
      completed: true,
      result: {
        name: backup.metadata.name,
        time,
        ageSeconds: ageSeconds(time),
        sourceK8sVersion,
        sourceK8sMinor: minorFromGitVersion(sourceK8sVersion),
        phase: 'Completed',
        errors: backup.status?.errors ?? 0,
        warnings: backup.status?.warnings ?? 0,
        storageLocation: backup.spec?.storageLocation ?? 'default',
        ...(namespace ? { items } : {}),
        skipped: skipped.length,
      },
    };
  });
