import type { KubeConfigSource } from '../k8s/clients.js';
import { kubeAction } from '../k8s/kube-action.js';
import {
  ageSeconds,
  Backup,
  BACKUPS,
  getVelero,
  isoTime,
  listVelero,
  SCHEDULE_LABEL,
  Schedule,
  SCHEDULES,
} from './objects.js';
import { scheduleHealth } from './schedule-health.js';
import { scheduleStatusContract } from './schedule-status-contract.js';

const FINISHED = new Set(['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation']);

const startedAt = (backup: Backup): string =>
  backup.status?.startTimestamp ?? backup.metadata.creationTimestamp ?? '';

/**
 * The schedule's health and its last backup. A backup still running is skipped in favour of
 * the last finished one, so a check during the nightly run does not fail on "InProgress".
 */
export const scheduleStatus = (source: KubeConfigSource) =>
  kubeAction(source, scheduleStatusContract, async ({ schedule, veleroNamespace }, kube) => {
    const found = await getVelero(kube, SCHEDULES, veleroNamespace, schedule, Schedule);
    const backups = await listVelero(kube, BACKUPS, veleroNamespace, Backup, `${SCHEDULE_LABEL}=${schedule}`);
    const newestFirst = backups.sort((a, b) => Date.parse(startedAt(b)) - Date.parse(startedAt(a)));
    const last = newestFirst.find((b) => FINISHED.has(b.status?.phase ?? '')) ?? newestFirst[0];
    const health = scheduleHealth(schedule, found, last);
    const lastBackup = isoTime(last ? startedAt(last) : (found.status?.lastBackup ?? undefined));
    const result = {
      lastBackup,
      ageSeconds: lastBackup === null ? null : ageSeconds(lastBackup),
      phase: last?.status?.phase ?? (last ? 'New' : 'none'),
      errors: last?.status?.errors ?? 0,
      paused: health.paused,
      schedulePhase: health.schedulePhase,
      validationErrors: health.validationErrors,
      lastSkipped: health.lastSkipped,
      healthy: health.problem === undefined,
    };
    return { completed: true, result, ...(health.problem ? { error: health.problem } : {}) };
  });
