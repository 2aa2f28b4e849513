import type { BackupState } from '../domain/backups.js';
import type { IncidentEvent } from '../domain/events.js';
import type { DrillRecord } from '../domain/readiness.js';
import {
  NOTHING_POSTED,
  type AppendOptions,
  type AppendResult,
  type ClaimResult,
  type CommandOutcome,
  type FeedEntry,
  type IncidentRead,
  type LeaseState,
  type OutboxState,
  type OutboxUpdate,
  type ReadOptions,
  type Store,
} from '../engine/ports/index.js';

/** The store for the demo and for one-process use: the same contract as Redis, nothing survives a restart. */
export class MemoryStore implements Store {
  private readonly streams = new Map<string, string[]>();
  private readonly outcomes = new Map<string, string>();
  private readonly open = new Map<string, string>();
  private readonly claims = new Set<string>();
  private readonly leases = new Map<string, { owner: string; until: number }>();
  private readonly feed: FeedEntry[] = [];
  private readonly groups = new Map<
    string,
    { next: number; pending: Map<string, { consumer: string; since: number }> }
  >();
  private readonly waiting = new Set<() => void>();
  private readonly outboxes = new Map<string, OutboxState>();
  private readonly backups = new Map<string, BackupState>();
  private readonly marks = new Map<string, number>();
  private readonly drills = new Map<string, DrillRecord>();
  private readonly locks = new Map<string, { owner: string; until: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  read(incidentId: string, { idempotencyKey, after: afterId }: ReadOptions = {}): Promise<IncidentRead> {
    const stream = this.streams.get(incidentId) ?? [];
    const events = stream
      .slice(afterId ? Number(afterId) : 0)
      .map((json) => JSON.parse(json) as IncidentEvent);
    const prior = idempotencyKey ? this.outcomes.get(`${incidentId}\u0000${idempotencyKey}`) : undefined;
    return Promise.resolve({
      events,
      length: stream.length,
      ...(stream.length > 0 ? { lastId: String(stream.length) } : {}),
      ...(prior ? { outcome: JSON.parse(prior) as CommandOutcome } : {}),
    });
  }

  append(
    incidentId: string,
    expectedVersion: number,
    events: readonly IncidentEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const key = options.idempotencyKey ? `${incidentId}\u0000${options.idempotencyKey}` : undefined;
    const prior = key ? this.outcomes.get(key) : undefined;
    if (prior) return Promise.resolve({ status: 'duplicate', outcome: JSON.parse(prior) as CommandOutcome });
    const stream = this.streams.get(incidentId) ?? [];
    if (stream.length !== expectedVersion) return Promise.resolve({ status: 'conflict' });
    // Stored as JSON, as in Redis, so that both stores hand back equal copies and nothing shares references.
    stream.push(...events.map((event) => JSON.stringify(event)));
    this.streams.set(incidentId, stream);
    if (key) this.outcomes.set(key, JSON.stringify(options.outcome));
    this.feed.push({
      id: String(this.feed.length + 1),
      incidentId,
      version: stream.length,
      types: events.map((e) => e.type),
    });
    for (const wake of this.waiting) wake();
    if (options.index?.op === 'open') this.open.set(incidentId, options.index.channel);
    if (options.index?.op === 'close') this.open.delete(incidentId);
    return Promise.resolve({ status: 'appended', version: stream.length });
  }

  remember(incidentId: string, idempotencyKey: string, outcome: CommandOutcome): Promise<void> {
    const key = `${incidentId}\u0000${idempotencyKey}`;
    if (!this.outcomes.has(key)) this.outcomes.set(key, JSON.stringify(outcome));
    return Promise.resolve();
  }

  openIncidents(): Promise<ReadonlyMap<string, string>> {
    return Promise.resolve(new Map(this.open));
  }

  openIncidentIn(channel: string): Promise<string | undefined> {
    return Promise.resolve([...this.open].find(([, c]) => c === channel)?.[0]);
  }

  claimStep(
    incidentId: string,
    step: string,
    attempt: number,
    owner: string,
    leaseMs: number,
  ): Promise<ClaimResult> {
    const key = `${incidentId}/${step}/${attempt}`;
    if (!this.claims.has(key)) {
      this.claims.add(key);
      this.leases.set(key, { owner, until: this.clock() + leaseMs });
      return Promise.resolve('claimed');
    }
    const lease = this.leases.get(key);
    return Promise.resolve(lease && lease.until > this.clock() ? 'running-elsewhere' : 'abandoned');
  }

  heartbeat(
    incidentId: string,
    step: string,
    attempt: number,
    owner: string,
    leaseMs: number,
  ): Promise<boolean> {
    const key = `${incidentId}/${step}/${attempt}`;
    const lease = this.leases.get(key);
    if (!lease || lease.owner !== owner || lease.until <= this.clock()) return Promise.resolve(false);
    this.leases.set(key, { owner, until: this.clock() + leaseMs });
    return Promise.resolve(true);
  }

  releaseLease(incidentId: string, step: string, attempt: number, owner: string): Promise<void> {
    const key = `${incidentId}/${step}/${attempt}`;
    if (this.leases.get(key)?.owner === owner) this.leases.delete(key);
    return Promise.resolve();
  }

  leaseState(incidentId: string, step: string, attempt: number): Promise<LeaseState> {
    const key = `${incidentId}/${step}/${attempt}`;
    if (!this.claims.has(key)) return Promise.resolve('unclaimed');
    const lease = this.leases.get(key);
    return Promise.resolve(lease && lease.until > this.clock() ? 'alive' : 'abandoned');
  }

  private group(name: string) {
    let group = this.groups.get(name);
    if (!group) this.groups.set(name, (group = { next: 0, pending: new Map() }));
    return group;
  }

  async readFeed(groupName: string, consumer: string, count: number, blockMs: number): Promise<FeedEntry[]> {
    const group = this.group(groupName);
    if (group.next >= this.feed.length && blockMs > 0) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.waiting.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, blockMs);
        this.waiting.add(wake);
      });
    }
    const entries = this.feed.slice(group.next, group.next + count);
    group.next += entries.length;
    for (const entry of entries) group.pending.set(entry.id, { consumer, since: this.clock() });
    return entries;
  }

  claimStaleFeed(
    groupName: string,
    consumer: string,
    minIdleMs: number,
    count: number,
  ): Promise<FeedEntry[]> {
    const group = this.group(groupName);
    const stale = [...group.pending].filter(([, p]) => this.clock() - p.since >= minIdleMs).slice(0, count);
    for (const [id] of stale) group.pending.set(id, { consumer, since: this.clock() });
    return Promise.resolve(stale.flatMap(([id]) => this.feed.filter((entry) => entry.id === id)));
  }

  ackFeed(groupName: string, entryId: string): Promise<void> {
    this.group(groupName).pending.delete(entryId);
    return Promise.resolve();
  }

  feedBacklog(groupName: string): Promise<number> {
    const group = this.groups.get(groupName);
    return Promise.resolve(group ? group.pending.size + this.feed.length - group.next : this.feed.length);
  }

  outbox(incidentId: string): Promise<OutboxState> {
    return Promise.resolve(this.outboxes.get(incidentId) ?? NOTHING_POSTED);
  }

  recordPosted(incidentId: string, posted: OutboxUpdate): Promise<void> {
    this.outboxes.set(incidentId, { ...NOTHING_POSTED, ...this.outboxes.get(incidentId), ...posted });
    return Promise.resolve();
  }

  backupStates(): Promise<BackupState[]> {
    return Promise.resolve([...this.backups.values()]);
  }

  saveBackupStates(states: readonly BackupState[]): Promise<void> {
    for (const state of states) this.backups.set(state.source, state);
    return Promise.resolve();
  }

  scheduleMark(schedule: string): Promise<number | undefined> {
    return Promise.resolve(this.marks.get(schedule));
  }

  markSchedule(schedule: string, due: number): Promise<void> {
    this.marks.set(schedule, due);
    return Promise.resolve();
  }

  lock(name: string, owner: string, ms: number): Promise<boolean> {
    const held = this.locks.get(name);
    if (held && held.until > this.clock() && held.owner !== owner) return Promise.resolve(false);
    this.locks.set(name, { owner, until: this.clock() + ms });
    return Promise.resolve(true);
  }

  unlock(name: string, owner: string): Promise<void> {
    if (this.locks.get(name)?.owner === owner) this.locks.delete(name);
    return Promise.resolve();
  }

  recordDrill(record: DrillRecord): Promise<void> {
    this.drills.set(record.incident, record);
    return Promise.resolve();
  }

  drillRecords(): Promise<DrillRecord[]> {
    return Promise.resolve([...this.drills.values()]);
  }

  close(): Promise<void> {
    for (const wake of this.waiting) wake();
    return Promise.resolve();
  }
}
