import type { Rejection } from '../domain/commands.js';
import type { IncidentEvent } from '../domain/events.js';
import type { DrillRecord } from '../domain/readiness.js';

/** What a repeated idempotency key gets back: the first outcome, unchanged. */
export type CommandOutcome =
  | { readonly ok: true; readonly eventTypes: readonly string[] }
  | { readonly ok: false; readonly rejection: Rejection };

/**
 * Events after `after` (all of them without it), the stream's length, the id of its last entry, and
 * the first outcome of the idempotency key if it was used before.
 */
export type IncidentRead = {
  readonly events: readonly IncidentEvent[];
  readonly length: number;
  readonly lastId?: string;
  readonly outcome?: CommandOutcome;
};

export type AppendOptions = {
  readonly idempotencyKey?: string;
  readonly outcome: CommandOutcome;
  /** `open` indexes the incident under its channel; `close` removes it from the open index. */
  readonly index?: { readonly op: 'open' | 'close'; readonly channel: string };
};

export type AppendResult =
  | { readonly status: 'appended'; readonly version: number }
  | { readonly status: 'conflict' }
  | { readonly status: 'duplicate'; readonly outcome: CommandOutcome };

/** A pointer to freshly appended events, for the reactors: which incident, its version after the append, the event types. */
export type FeedEntry = {
  readonly id: string;
  readonly incidentId: string;
  readonly version: number;
  readonly types: readonly string[];
};

/** What the sweeper sees of a step attempt without claiming it. */
export type LeaseState = 'unclaimed' | 'alive' | 'abandoned';

/** Whether a step attempt may run here: claimed now, still running elsewhere, or claimed by someone whose lease ran out. */
export type ClaimResult = 'claimed' | 'running-elsewhere' | 'abandoned';

/** Where incidents live. Every method is one round trip to the backing store. */
export interface IncidentStore {
  read(incidentId: string, idempotencyKey?: string, afterId?: string): Promise<IncidentRead>;
  /** Appends only if the incident still has `expectedVersion` events and the key was never used. */
  append(
    incidentId: string,
    expectedVersion: number,
    events: readonly IncidentEvent[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  /** Remembers the outcome of a command that appended nothing (a rejection), so a repeat gets the same answer. */
  remember(incidentId: string, idempotencyKey: string, outcome: CommandOutcome): Promise<void>;
  openIncidents(): Promise<ReadonlyMap<string, string>>;
  openIncidentIn(channel: string): Promise<string | undefined>;
  claimStep(
    incidentId: string,
    step: string,
    attempt: number,
    owner: string,
    leaseMs: number,
  ): Promise<ClaimResult>;
  /** Extends the lease; false when it was lost (expired, or never ours). */
  heartbeat(
    incidentId: string,
    step: string,
    attempt: number,
    owner: string,
    leaseMs: number,
  ): Promise<boolean>;
  releaseLease(incidentId: string, step: string, attempt: number, owner: string): Promise<void>;
  leaseState(incidentId: string, step: string, attempt: number): Promise<LeaseState>;
  /** Consumer-group reads of the feed: new entries for `group`, delivered to one consumer each until acked. */
  readFeed(group: string, consumer: string, count: number, blockMs: number): Promise<FeedEntry[]>;
  /** Entries another consumer took but did not ack within `minIdleMs` (it died): now ours. */
  claimStaleFeed(group: string, consumer: string, minIdleMs: number, count: number): Promise<FeedEntry[]>;
  ackFeed(group: string, entryId: string): Promise<void>;
  /** Feed entries `group` has not acked yet: taken and still being handled, or not taken at all (the outbox depth). */
  feedBacklog(group: string): Promise<number>;
  /** Small per-incident facts the adapters keep (the card's message ts, what the timeline has posted). */
  getMeta(incidentId: string): Promise<Readonly<Record<string, string>>>;
  setMeta(incidentId: string, values: Readonly<Record<string, string>>): Promise<void>;
  /** A short lock across replicas (e.g. one presenter per incident at a time); false when someone else holds it. */
  lock(name: string, owner: string, ms: number): Promise<boolean>;
  unlock(name: string, owner: string): Promise<void>;
  /** Finished drills, kept for readiness (one record per drill incident; recording again replaces it). */
  recordDrill(record: DrillRecord): Promise<void>;
  drillRecords(): Promise<DrillRecord[]>;
  close(): Promise<void>;
}

export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
