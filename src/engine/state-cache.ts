import { evolve, replay, type IncidentState } from '../domain/incident.js';
import type { CommandOutcome, EventLog } from './ports/index.js';

type Entry = { readonly state: IncidentState; readonly lastId: string };

/**
 * Folded incident states kept in this process, so a command reads only the events appended since
 * (one round trip, constant size) instead of the whole stream. Least recently used go first.
 */
export class StateCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = 1000) {}

  /** The current state and the idempotency key's first outcome, in one round trip when cached. */
  async load(
    store: EventLog,
    incidentId: string,
    { idempotencyKey }: { readonly idempotencyKey?: string } = {},
  ): Promise<{ state?: IncidentState; outcome?: CommandOutcome }> {
    const cached = this.entries.get(incidentId);
    const read = await store.read(incidentId, {
      ...(idempotencyKey ? { idempotencyKey } : {}),
      ...(cached ? { after: cached.lastId } : {}),
    });
    let state: IncidentState | undefined;
    if (cached && read.length === cached.state.version + read.events.length) {
      state = read.events.reduce((s, e) => evolve(s, e, incidentId), cached.state);
    } else if (cached) {
      // The stream is not the one we folded (restored from an older backup, deleted): start over.
      this.entries.delete(incidentId);
      return this.load(store, incidentId, idempotencyKey ? { idempotencyKey } : {});
    } else {
      state = replay(incidentId, read.events);
    }
    this.remember(incidentId, state, read.lastId);
    return { ...(state ? { state } : {}), ...(read.outcome ? { outcome: read.outcome } : {}) };
  }

  /** The state as last loaded here, without asking the store: for what never changes, like the tree. */
  peek(incidentId: string): IncidentState | undefined {
    return this.entries.get(incidentId)?.state;
  }

  private remember(incidentId: string, state: IncidentState | undefined, lastId: string | undefined): void {
    this.entries.delete(incidentId);
    if (!state || !lastId) return;
    this.entries.set(incidentId, { state, lastId });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}
