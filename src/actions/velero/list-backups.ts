import { z } from 'zod';
import { formatSeconds } from '../../domain/duration.js';
import { actionContract } from '../contract.js';
import type { KubeConfigSource } from '../k8s/clients.js';
import { kubeAction } from '../k8s/kube-action.js';
import { completedAt, covers, SCHEDULE_LABEL } from './latest-backup.js';
import { backupFilter } from './inputs.js';
import { ageSeconds, Backup, BACKUPS, listVelero } from './objects.js';

export const listBackupsContract = actionContract({
  name: 'velero.list-backups',
  summary: 'Completed Velero backups, newest first, as choices for a param (choicesFrom)',
  readOnly: true,
  timeout: '5m',
  input: z.strictObject(backupFilter),
  result: {
    choices: 'the backups as [{ value: name, label, description }], newest first, at most 100',
    count: 'completed backups found (may be more than the choices)',
  },
});

/** Slack offers at most 100 options in a select. */
const MAX_CHOICES = 100;

/** What a backup holds, in the words of `velero backup describe`. */
function scope(backup: Backup): string {
  const included = (backup.spec?.includedNamespaces ?? []).filter((n) => n !== '*');
  const excluded = backup.spec?.excludedNamespaces ?? [];
  if (included.length > 0) return `namespaces ${included.join(', ')}`;
  return excluded.length > 0 ? `all namespaces but ${excluded.join(', ')}` : 'all namespaces';
}

/** Completed backups, newest first, as choices for a param: the name, and when and what it covers. */
export const listBackups = (source: KubeConfigSource) =>
  kubeAction(source, listBackupsContract, async ({ schedule, namespace, veleroNamespace }, kube) => {
    const selector = schedule === undefined ? undefined : `${SCHEDULE_LABEL}=${schedule}`;
    const backups = await listVelero(kube, BACKUPS, veleroNamespace, Backup, selector);
    const completed = backups
      .filter((b) => namespace === undefined || covers(b, namespace))
      .filter((b) => b.status?.phase === 'Completed' && !Number.isNaN(completedAt(b)))
      .sort((a, b) => completedAt(b) - completedAt(a));
    const choices = completed.slice(0, MAX_CHOICES).map((backup) => {
      // To the minute: "2h ago", not "2h5s ago".
      const age = formatSeconds(
        Math.round(ageSeconds(new Date(completedAt(backup)).toISOString()) / 60) * 60,
      );
      const count = backup.status?.warnings ?? 0;
      const warnings = count > 0 ? ` · ${count} warning${count === 1 ? '' : 's'}` : '';
      return {
        value: backup.metadata.name,
        label: backup.metadata.name,
        description: `${age} ago · ${scope(backup)}${warnings}`,
      };
    });
    return { completed: true, result: { choices, count: completed.length } };
  });
