import type { EventLog } from './event-log.js';
import type { Feed } from './feed.js';
import type { Locks, StepLeases } from './leases.js';
import type { BackupStates, DrillRecords, ScheduleMarks, SlackOutbox } from './records.js';

export type * from './event-log.js';
export type * from './feed.js';
export type * from './leases.js';
export type * from './records.js';
export { IDEMPOTENCY_TTL_SECONDS } from './event-log.js';
export { isEventType } from './feed.js';
export { NOTHING_POSTED } from './records.js';

/**
 * Every port, as one store (Memory or Redis) implements them. Only the composition root and the CLI
 * hold a whole store; each part of the engine and of Slack is handed the ports its role needs.
 */
export interface Store
  extends EventLog, Feed, StepLeases, Locks, DrillRecords, BackupStates, ScheduleMarks, SlackOutbox {
  close(): Promise<void>;
}
