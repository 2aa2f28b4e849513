import { z } from 'zod';
import { ClusterName, K8sName } from '../inputs.js';
import type { KubeConfigSource } from '../k8s/clients.js';
import { kubeAction } from '../k8s/kube-action.js';
import { SCHEDULE_LABEL } from './latest-backup.js';
import {
  ageSeconds,
  Backup,
  BACKUPS,
  getVelero,
  isoTime,
  listVelero,
  Schedule,
  SCHEDULES,
  VELERO_NAMESPACE,
} from './objects.js';

const Input = z.strictObject({
  cluster: ClusterName,
  schedule: K8sName,
  veleroNamespace: K8sName.default(VELERO_NAMESPACE),
});

const FINISHED = new Set(['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation']);
const startedAt = (backup: Backup): string =>
  backup.status?.startTimestamp ?? backup.metadata.creationTimestamp ?? '';

/**
 * The schedule's last backup and how it ended. A backup still running is skipped in favour of
 * the last finished one, so a check during the nightly run does not fail on "InProgress".
 */
export const scheduleStatus = (source: KubeConfigSource) =>
  kubeAction(source, Input, async ({ schedule, veleroNamespace }, kube) => {
    const found = await getVelero(kube, SCHEDULES, veleroNamespace, schedule, Schedule);
    const backups = await listVelero(kube, BACKUPS, veleroNamespace, Backup, `${SCHEDULE_LABEL}=${schedule}`);
    const newestFirst = backups.sort((a, b) => Date.parse(startedAt(b)) - Date.parse(startedAt(a)));
    const last = newestFirst.find((b) => FINISHED.has(b.status?.phase ?? '')) ?? newestFirst[0];
    const paused = found.spec?.paused === true;
    const lastBackup = isoTime(last ? startedAt(last) : (found.status?.lastBackup ?? undefined));
    const result = {
      lastBackup,
      ageSeconds: lastBackup === null ? null : ageSeconds(lastBackup),
      phase: last?.status?.phase ?? (last ? 'New' : 'none'),
      errors: last?.status?.errors ?? 0,
      paused,
    };
    const problem = !last
      ? `schedule ${schedule} has not made a backup yet`
      : paused
        ? `schedule ${schedule} is paused`
        : result.phase !== 'Completed'
          ? `the last backup of schedule ${schedule}, ${last.metadata.name}, is ${result.phase}`
          : undefined;
    return { completed: true, result, ...(problem ? { error: problem } : {}) };
  });
