import type { Rejection } from '../../domain/commands.js';
import type { IncidentEvent, IncidentEventType } from '../../domain/events.js';

/** What a repeated idempotency key gets back: the first outcome, unchanged. */
export type CommandOutcome =
  | { readonly ok: true; readonly eventTypes: readonly IncidentEventType[] }
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

export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/**
 * The incidents themselves: one append-only stream of events each, the idempotency keys of the
 * commands that wrote them, and the index of open incidents by channel. Each method is one round trip.
 */
export type ReadOptions = {
  /** Also answer this key's first outcome, if it was used. */
  readonly idempotencyKey?: string;
  /** Only the events after this entry id (a `lastId` of an earlier read). */
  readonly after?: string;
};

export interface EventLog {
  read(incidentId: string, options?: ReadOptions): Promise<IncidentRead>;
  /** Appends only if the incident still has `expectedVersion` events and the key was never used. */
  append(
    incidentId: string,
    expectedVersion: number,
    events: readonly IncidentEvent[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  /** Remembers the outcome of a command that appended nothing (a rejection), so a repeat gets the same answer. */
  remember(incidentId: string, idempotencyKey: string, outcome: CommandOutcome): Promise<void>;
  /** Open incidents: id → channel. */
  openIncidents(): Promise<ReadonlyMap<string, string>>;
  openIncidentIn(channel: string): Promise<string | undefined>;
}
