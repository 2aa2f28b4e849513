import { z } from 'zod';
import { actionContract } from '../contract.js';
import { Cluster, K8sName } from '../inputs.js';
import { VeleroNamespace } from './inputs.js';

export const scheduleStatusContract = actionContract({
  name: 'velero.schedule-status',
  summary: "A Velero Schedule's last backup and its outcome",
  readOnly: true,
  timeout: '5m',
  input: z.strictObject({
    cluster: Cluster,
    schedule: K8sName.describe('schedule name'),
    veleroNamespace: VeleroNamespace,
  }),
  result: {
    lastBackup: 'time of the last backup',
    ageSeconds: 'its age in seconds',
    phase: "the last backup's phase",
    errors: 'its error count',
    paused: 'true when the schedule is paused',
    schedulePhase: "the Schedule's phase: New, Enabled or FailedValidation (never runs)",
    validationErrors: "Velero's validation errors of the schedule",
    lastSkipped: 'when a run was last skipped',
    healthy: 'false when the schedule cannot be counted on (its error says why)',
  },
});
