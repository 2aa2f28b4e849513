import { z } from 'zod';
import { actionContract } from '../contract.js';
import { K8sName } from '../inputs.js';
import type { KubeConfigSource } from '../k8s/clients.js';
import { kubeAction } from '../k8s/kube-action.js';
import { minorFromGitVersion } from '../k8s/version.js';
import { chooseBackup, completedAt } from './backup-choice.js';
import type { Backup } from './objects.js';
import { backupFilter } from './inputs.js';
import { ageSeconds, SOURCE_VERSION_ANNOTATION } from './objects.js';

export { SCHEDULE_LABEL } from './objects.js';
export { completedAt } from './backup-choice.js';

export const latestBackupContract = actionContract({
  name: 'velero.latest-backup',
  summary:
    'The backup that will be restored: the one picked, or the newest Completed one whose contents (BackupResourceList) hold the namespace',
  readOnly: true,
  timeout: '5m',
  input: z.strictObject({
    ...backupFilter,
    // `{{ params.backup | default('') }}`: empty means "choose one".
    backup: z
      .union([K8sName, z.literal('')])
      .optional()
      .describe("the responder's pick, checked instead of chosen (empty = choose)"),
  }),
  result: {
    items: 'objects of the namespace in the backup',
    skipped: 'newer backups passed over (e.g. taken after the deletion)',
    storageLocation: "the backup's BackupStorageLocation",
    name: 'backup name',
    time: 'completion time (ISO 8601)',
    ageSeconds: 'age in seconds',
    sourceK8sVersion: 'Kubernetes version of the source cluster',
    sourceK8sMinor: 'its minor version, e.g. 31',
    phase: 'backup phase',
    errors: 'error count',
    warnings: 'warning count',
  },
});

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
