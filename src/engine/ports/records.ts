import type { BackupState } from '../../domain/backups.js';
import type { DrillRecord } from '../../domain/readiness.js';

/** Finished drills, kept for readiness (one record per drill incident; recording again replaces it). */
export interface DrillRecords {
  recordDrill(record: DrillRecord): Promise<void>;
  drillRecords(): Promise<DrillRecord[]>;
}

/** What the backup watch last found, one state per source; a new round replaces the sources it checked. */
export interface BackupStates {
  backupStates(): Promise<BackupState[]>;
  saveBackupStates(states: readonly BackupState[]): Promise<void>;
}

/** Where each drill schedule last counted from: the due time of the slot it last handled. */
export interface ScheduleMarks {
  /** Undefined for a schedule never seen (its first tick only marks where counting begins). */
  scheduleMark(schedule: string): Promise<number | undefined>;
  markSchedule(schedule: string, due: number): Promise<void>;
}

/** What Slack has been shown of one incident, so a redelivered feed entry posts nothing twice. */
export type OutboxState = {
  /** The card's message ts; absent until the card is posted. */
  readonly card?: string;
  readonly channel?: string;
  /** How many events the thread shows. */
  readonly posted: number;
  /** Whether the drill report was posted. */
  readonly reported: boolean;
};

/** An incident nothing was posted for yet. */
export const NOTHING_POSTED: OutboxState = { posted: 0, reported: false };

/** What was just posted; fields left out keep their value. */
export type OutboxUpdate = {
  readonly card?: string;
  readonly channel?: string;
  readonly posted?: number;
  readonly reported?: true;
};

/** The Slack outbox state per incident: written by the presenter, read by the handlers (through the engine). */
export interface SlackOutbox {
  outbox(incidentId: string): Promise<OutboxState>;
  recordPosted(incidentId: string, posted: OutboxUpdate): Promise<void>;
}
