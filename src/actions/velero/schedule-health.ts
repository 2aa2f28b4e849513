import type { Backup, Schedule } from './objects.js';

export type ScheduleHealth = {
  readonly schedulePhase: string;
  readonly validationErrors: string;
  readonly paused: boolean;
  readonly lastSkipped: string | null;
  /** Why this schedule cannot be counted on, or undefined when it can. */
  readonly problem: string | undefined;
};

/**
 * One judgement of a Schedule, shared by the backup watch and backup-health-check: a schedule in
 * FailedValidation never runs (pkg/controller/schedule_controller.go writes "invalid schedule: …"),
 * a paused one makes nothing, a skipped run (status.lastSkipped, skipImmediately) is said, and
 * the last finished backup must have Completed.
 */
export function scheduleHealth(name: string, schedule: Schedule, last: Backup | undefined): ScheduleHealth {
  const status = schedule.status ?? {};
  const schedulePhase = status.phase || 'New';
  const validationErrors = (status.validationErrors ?? []).join('; ');
  const paused = schedule.spec?.paused === true;
  const lastSkipped = status.lastSkipped ?? null;
  const lastPhase = last?.status?.phase ?? 'New';
  const problem =
    schedulePhase === 'FailedValidation'
      ? `schedule ${name} failed validation and never runs: ${validationErrors || 'no reason given'}`
      : paused
        ? `schedule ${name} is paused`
        : !last
          ? `schedule ${name} has not made a backup yet${lastSkipped ? ` (last run skipped at ${lastSkipped})` : ''}`
          : lastPhase !== 'Completed'
            ? `the last backup of schedule ${name}, ${last.metadata.name}, is ${lastPhase}`
            : undefined;
  return { schedulePhase, validationErrors, paused, lastSkipped, problem };
}
