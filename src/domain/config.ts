import { z } from 'zod';
import { ApproverRef, Id } from './runbook.js';

/** Slack user ids (U…/W…) or user-group handles (@sre-leads). */
const People = z.array(
  ApproverRef.refine((ref) => ref !== 'approvers' && ref !== 'responders', {
    message: 'list people or @groups here',
  }),
);

export const ClusterRef = z.strictObject({
  context: z.string().min(1),
  region: z.string().min(1).optional(),
});

export const DrillSchedule = z.strictObject({
  runbook: Id,
  cron: z
    .string()
    .regex(/^(\S+\s+){4}\S+$/, { message: 'a cron expression has five fields, e.g. "0 3 1 * *"' }),
  timezone: z.string().optional(),
  preApproved: z.boolean().optional(),
});

/** The optional LIFEBOAT_CONFIG file. Everything has a default so that no file is a valid setup. */
export const LifeboatConfig = z.strictObject({
  access: z
    .strictObject({
      responders: People.optional(),
      approvers: People.optional(),
    })
    .default({}),
  clusters: z.record(Id, ClusterRef).default({}),
  drills: z
    .strictObject({
      cluster: Id.optional(),
      schedule: z.array(DrillSchedule).default([]),
    })
    .default({ schedule: [] }),
  channels: z
    .strictObject({
      alerts: z.string().optional(),
      status: z.string().optional(),
    })
    .default({}),
});
export type LifeboatConfig = z.infer<typeof LifeboatConfig>;
