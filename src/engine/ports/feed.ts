import type { IncidentEventType } from '../../domain/events.js';

/** A pointer to freshly appended events, for the reactors: which incident, its version after the append, the event types. */
export type FeedEntry = {
  readonly id: string;
  readonly incidentId: string;
  readonly version: number;
  readonly types: readonly IncidentEventType[];
};

/** Every event type, checked complete by the compiler: a renamed or new event must be named here. */
const EVENT_TYPES: { readonly [T in IncidentEventType]: true } = {
  IncidentDeclared: true,
  DecisionAnswered: true,
  DecisionReverted: true,
  RunbookSelected: true,
  ProbeRecorded: true,
  ParamsSet: true,
  PrerequisitesChecked: true,
  StepRequested: true,
  ApprovalGranted: true,
  ApprovalDenied: true,
  ApprovalsVoided: true,
  StepStarted: true,
  StepFinished: true,
  ManualConfirmed: true,
  VerificationRecorded: true,
  StepInterrupted: true,
  StepSkipped: true,
  RollbackStarted: true,
  RollbackFinished: true,
  ServiceRestored: true,
  NoteAdded: true,
  AccessRefused: true,
  IncidentResolved: true,
  IncidentAborted: true,
};

/** A type name read back from storage; one this version does not know (written by a newer replica) is not one. */
export function isEventType(name: string): name is IncidentEventType {
  return Object.hasOwn(EVENT_TYPES, name);
}

/**
 * The feed of appended batches, read through consumer groups: each group (executor, presenter, …)
 * sees every entry, one consumer of the group handles it, and an entry not acked is handed on.
 */
export interface Feed {
  /** New entries for `group`, delivered to one consumer each until acked; waits up to `blockMs` for one. */
  readFeed(group: string, consumer: string, count: number, blockMs: number): Promise<FeedEntry[]>;
  /** Entries another consumer took but did not ack within `minIdleMs` (it died): now ours. */
  claimStaleFeed(group: string, consumer: string, minIdleMs: number, count: number): Promise<FeedEntry[]>;
  ackFeed(group: string, entryId: string): Promise<void>;
  /** Feed entries `group` has not acked yet: taken and still being handled, or not taken at all (the outbox depth). */
  feedBacklog(group: string): Promise<number>;
}
