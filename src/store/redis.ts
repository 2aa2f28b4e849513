import { Redis, type RedisOptions } from 'ioredis';
import type { BackupState } from '../domain/backups.js';
import type { IncidentEvent } from '../domain/events.js';
import type { DrillRecord } from '../domain/readiness.js';
import { errorMessage } from '../errors.js';
import { within } from '../within.js';
import {
  IDEMPOTENCY_TTL_SECONDS,
  isEventType,
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
import { guarded } from './redis-errors.js';

// Hashes kept under ids of their own, beside the incidents' (the layout of earlier versions, kept so they upgrade in place).
const BACKUP_WATCH_ID = 'backup-watch';
const scheduleId = (schedule: string): string => `schedule:${schedule}`;

// Checks the version and the idempotency key, then appends and updates the indexes, atomically.
const APPEND = `
if ARGV[2] ~= '' then
  local prior = redis.call('GET', KEYS[2])
  if prior then return {'duplicate', prior} end
end
local length = redis.call('XLEN', KEYS[1])
if length ~= tonumber(ARGV[1]) then return {'conflict', tostring(length)} end
local types = {}
for i = 8, #ARGV do
  redis.call('XADD', KEYS[1], '*', 'e', ARGV[i])
  table.insert(types, cjson.decode(ARGV[i])['type'])
end
redis.call('XADD', KEYS[4], 'MAXLEN', '~', 100000, '*', 'incident', ARGV[6], 'version', tostring(length + #ARGV - 7), 'types', table.concat(types, ','))
if ARGV[2] ~= '' then redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4]) end
if ARGV[5] == 'open' then
  redis.call('HSET', KEYS[3], ARGV[6], ARGV[7])
elseif ARGV[5] == 'close' then
  redis.call('HDEL', KEYS[3], ARGV[6])
end
return {'appended', tostring(length + #ARGV - 7)}
`;

// A claim is forever (one run per attempt); the lease beside it says whether its owner is alive.
const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', 604800) then
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
  return 'claimed'
end
if redis.call('EXISTS', KEYS[2]) == 1 then return 'running-elsewhere' end
return 'abandoned'
`;

const HEARTBEAT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
`;

function feedEntry([id, fields]: [string, string[]]): FeedEntry {
  const field = (name: string): string => fields[fields.indexOf(name) + 1] ?? '';
  return {
    id,
    incidentId: field('incident'),
    version: Number(field('version')),
    types: field('types').split(',').filter(isEventType),
  };
}

/** A flat Redis reply [name, value, name, value, …] as pairs. */
function pairs(flat: readonly unknown[]): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([String(flat[i]), flat[i + 1]]);
  return out;
}

type Scripts = {
  lifeboatAppend(...args: (string | number)[]): Promise<[string, string]>;
  lifeboatClaim(...args: (string | number)[]): Promise<ClaimResult>;
  lifeboatHeartbeat(...args: (string | number)[]): Promise<number>;
  lifeboatRelease(...args: (string | number)[]): Promise<number>;
};

/**
 * Incidents in Redis: one stream per incident. Keys of one incident share the hash tag {id}, so
 * its stream, idempotency keys and leases sit in one slot; the open-incident index is one hash.
 * Every failure leaves as a LifeboatError (store-timeout, store-unavailable, internal) with the
 * driver's error as its cause.
 */
export class RedisStore implements Store {
  private readonly redis: Redis & Scripts;
  /** One connection per reader: a blocking read holds its connection, and readers must not queue behind each other. */
  private readonly blocking = new Map<string, Redis>();
  private readonly groups = new Set<string>();

  private readonly prefix: string;

  /** `prefix` starts every key, so several deployments (or tests) share one Redis. */
  constructor(connection: string | RedisOptions, { prefix }: { readonly prefix: string }) {
    this.prefix = prefix;
    const options: RedisOptions = {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      connectTimeout: 2000,
      commandTimeout: 2000,
      // No auto-pipelining: for the same reason as in `read`.
      enableAutoPipelining: false,
    };
    const redis =
      typeof connection === 'string'
        ? new Redis(connection, options)
        : new Redis({ ...options, ...connection });
    // Each command's own rejection says what failed and /readyz reports the outage; ioredis would print every reconnect.
    redis.on('error', () => undefined);
    redis.defineCommand('lifeboatAppend', { numberOfKeys: 4, lua: APPEND });
    redis.defineCommand('lifeboatClaim', { numberOfKeys: 2, lua: CLAIM });
    redis.defineCommand('lifeboatHeartbeat', { numberOfKeys: 1, lua: HEARTBEAT });
    redis.defineCommand('lifeboatRelease', { numberOfKeys: 1, lua: RELEASE });
    this.redis = redis as Redis & Scripts;
  }

  private key(incidentId: string, ...rest: (string | number)[]): string {
    return [`${this.prefix}{${incidentId}}`, ...rest].join(':');
  }

  read(incidentId: string, { idempotencyKey, after: afterId }: ReadOptions = {}): Promise<IncidentRead> {
    return guarded(async () => {
      const stream = this.key(incidentId, 'events');
      // Sent together, answered in one round trip: the new entries, the length (to notice a stream that is
      // not what we cached), the key. Plain commands, not an ioredis pipeline: a pipeline's objects outlive
      // young-generation collections, and the old-space collections they cause stall the acks.
      const [entries, length, prior] = await Promise.all([
        this.redis.xrange(stream, afterId ? `(${afterId}` : '-', '+') as Promise<[string, string[]][]>,
        this.redis.xlen(stream),
        idempotencyKey ? this.redis.get(this.key(incidentId, 'idem', idempotencyKey)) : undefined,
      ]);
      const events = entries.map(([, fields]) => JSON.parse(fields[1] ?? 'null') as IncidentEvent);
      const lastId = entries.at(-1)?.[0] ?? (length > 0 ? afterId : undefined);
      return {
        events,
        length,
        ...(lastId ? { lastId } : {}),
        ...(typeof prior === 'string' ? { outcome: JSON.parse(prior) as CommandOutcome } : {}),
      };
    });
  }

  append(
    incidentId: string,
    expectedVersion: number,
    events: readonly IncidentEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return guarded(async () => {
      const [status, detail] = await this.redis.lifeboatAppend(
        this.key(incidentId, 'events'),
        this.key(incidentId, 'idem', options.idempotencyKey ?? '-'),
        `${this.prefix}open`,
        `${this.prefix}feed`,
        expectedVersion,
        options.idempotencyKey ?? '',
        JSON.stringify(options.outcome),
        IDEMPOTENCY_TTL_SECONDS,
        options.index?.op ?? '',
        incidentId,
        options.index?.channel ?? '',
        ...events.map((event) => JSON.stringify(event)),
      );
      if (status === 'duplicate') return { status, outcome: JSON.parse(detail) as CommandOutcome };
      if (status === 'conflict') return { status };
      return { status: 'appended', version: Number(detail) };
    });
  }

  remember(incidentId: string, idempotencyKey: string, outcome: CommandOutcome): Promise<void> {
    return guarded(async () => {
      await this.redis.set(
        this.key(incidentId, 'idem', idempotencyKey),
        JSON.stringify(outcome),
        'EX',
        IDEMPOTENCY_TTL_SECONDS,
        'NX',
      );
    });
  }

  openIncidents(): Promise<ReadonlyMap<string, string>> {
    return guarded(async () => new Map(Object.entries(await this.redis.hgetall(`${this.prefix}open`))));
  }

  async openIncidentIn(channel: string): Promise<string | undefined> {
    return [...(await this.openIncidents())].find(([, c]) => c === channel)?.[0];
  }

  claimStep(
    incidentId: string,
    step: string,
    attempt: number,
    owner: string,
    leaseMs: number,
  ): Promise<ClaimResult> {
    return guarded(() =>
      this.redis.lifeboatClaim(
        this.key(incidentId, 'claim', step, attempt),
        this.key(incidentId, 'lease', step, attempt),
        owner,
        leaseMs,
      ),
    );
  }

  heartbeat(
    incidentId: string,
    step: string,
    attempt: number,
    owner: string,
    leaseMs: number,
  ): Promise<boolean> {
    return guarded(
      async () =>
        (await this.redis.lifeboatHeartbeat(this.key(incidentId, 'lease', step, attempt), owner, leaseMs)) ===
        1,
    );
  }

  releaseLease(incidentId: string, step: string, attempt: number, owner: string): Promise<void> {
    return guarded(async () => {
      await this.redis.lifeboatRelease(this.key(incidentId, 'lease', step, attempt), owner);
    });
  }

  leaseState(incidentId: string, step: string, attempt: number): Promise<LeaseState> {
    return guarded(async () => {
      const [claim, lease] = await this.redis.mget(
        this.key(incidentId, 'claim', step, attempt),
        this.key(incidentId, 'lease', step, attempt),
      );
      return claim === null ? 'unclaimed' : lease === null ? 'abandoned' : 'alive';
    });
  }

  private async ensureGroup(group: string): Promise<void> {
    if (this.groups.has(group)) return;
    await this.redis
      .xgroup('CREATE', `${this.prefix}feed`, group, '0', 'MKSTREAM')
      .catch((error: unknown) => {
        // Redis's own reply when the group exists: https://redis.io/docs/latest/commands/xgroup-create/
        if (!errorMessage(error).includes('BUSYGROUP')) throw error;
      });
    this.groups.add(group);
  }

  readFeed(group: string, consumer: string, count: number, blockMs: number): Promise<FeedEntry[]> {
    return guarded(async () => {
      await this.ensureGroup(group);
      const reader = `${group}/${consumer}`;
      let connection = this.blocking.get(reader);
      if (!connection) {
        connection = this.redis.duplicate({ commandTimeout: blockMs + 2000, enableAutoPipelining: false });
        connection.on('error', () => undefined);
        this.blocking.set(reader, connection);
      }
      const reply = (await connection.xreadgroup(
        'GROUP',
        group,
        consumer,
        'COUNT',
        count,
        'BLOCK',
        blockMs,
        'STREAMS',
        `${this.prefix}feed`,
        '>',
      )) as [string, [string, string[]][]][] | null;
      return (reply?.[0]?.[1] ?? []).map(feedEntry);
    });
  }

  claimStaleFeed(group: string, consumer: string, minIdleMs: number, count: number): Promise<FeedEntry[]> {
    return guarded(async () => {
      await this.ensureGroup(group);
      const [, entries] = (await this.redis.xautoclaim(
        `${this.prefix}feed`,
        group,
        consumer,
        minIdleMs,
        '0',
        'COUNT',
        count,
      )) as [string, [string, string[] | null][]];
      return entries.filter((entry): entry is [string, string[]] => Array.isArray(entry[1])).map(feedEntry);
    });
  }

  ackFeed(group: string, entryId: string): Promise<void> {
    return guarded(async () => {
      await this.redis.xack(`${this.prefix}feed`, group, entryId);
    });
  }

  feedBacklog(group: string): Promise<number> {
    return guarded(async () => {
      const feed = `${this.prefix}feed`;
      // XINFO GROUPS answers per group: pending (taken, not acked) and lag (not taken yet).
      const groups = (await this.redis.xinfo('GROUPS', feed).catch((error: unknown) => {
        if (/no such key/i.test(errorMessage(error))) return [];
        throw error;
      })) as unknown[][];
      const info = groups
        .map((fields) => Object.fromEntries(pairs(fields)))
        .find((fields) => fields.name === group);
      if (!info) return this.redis.xlen(feed);
      const pending = Number(info.pending ?? 0);
      if (typeof info.lag === 'number') return pending + info.lag;
      // Redis cannot tell the lag after entries were trimmed or deleted: count what follows the last delivered entry.
      const after = await this.redis.xrange(
        feed,
        `(${String(info['last-delivered-id'])}`,
        '+',
        'COUNT',
        100_000,
      );
      return pending + after.length;
    });
  }

  // The outbox, the backup states and the schedule marks are small hashes named `{id}:meta`, as before the ports.

  outbox(incidentId: string): Promise<OutboxState> {
    return guarded(async () => {
      const meta = await this.redis.hgetall(this.key(incidentId, 'meta'));
      return {
        ...(meta.card ? { card: meta.card } : {}),
        ...(meta.channel ? { channel: meta.channel } : {}),
        posted: Number(meta.posted ?? 0),
        reported: meta.report === '1',
      };
    });
  }

  recordPosted(incidentId: string, posted: OutboxUpdate): Promise<void> {
    const fields = {
      ...(posted.card !== undefined ? { card: posted.card } : {}),
      ...(posted.channel !== undefined ? { channel: posted.channel } : {}),
      ...(posted.posted !== undefined ? { posted: String(posted.posted) } : {}),
      ...(posted.reported ? { report: '1' } : {}),
    };
    return guarded(async () => {
      if (Object.keys(fields).length > 0) await this.redis.hset(this.key(incidentId, 'meta'), fields);
    });
  }

  backupStates(): Promise<BackupState[]> {
    return guarded(async () =>
      Object.values(await this.redis.hgetall(this.key(BACKUP_WATCH_ID, 'meta'))).map(
        (json) => JSON.parse(json) as BackupState,
      ),
    );
  }

  saveBackupStates(states: readonly BackupState[]): Promise<void> {
    return guarded(async () => {
      if (states.length > 0)
        await this.redis.hset(
          this.key(BACKUP_WATCH_ID, 'meta'),
          Object.fromEntries(states.map((s) => [s.source, JSON.stringify(s)])),
        );
    });
  }

  scheduleMark(schedule: string): Promise<number | undefined> {
    return guarded(async () => {
      const last = await this.redis.hget(this.key(scheduleId(schedule), 'meta'), 'last');
      return last === null ? undefined : Number(last);
    });
  }

  markSchedule(schedule: string, due: number): Promise<void> {
    return guarded(async () => {
      await this.redis.hset(this.key(scheduleId(schedule), 'meta'), { last: String(due) });
    });
  }

  lock(name: string, owner: string, ms: number): Promise<boolean> {
    return guarded(async () => {
      const key = `${this.prefix}lock:${name}`;
      if ((await this.redis.set(key, owner, 'PX', ms, 'NX')) === 'OK') return true;
      // Re-entrant for its owner: extend instead of refusing ourselves.
      return (await this.redis.lifeboatHeartbeat(key, owner, ms)) === 1;
    });
  }

  unlock(name: string, owner: string): Promise<void> {
    return guarded(async () => {
      await this.redis.lifeboatRelease(`${this.prefix}lock:${name}`, owner);
    });
  }

  recordDrill(record: DrillRecord): Promise<void> {
    return guarded(async () => {
      await this.redis.hset(`${this.prefix}drills`, record.incident, JSON.stringify(record));
    });
  }

  drillRecords(): Promise<DrillRecord[]> {
    return guarded(async () =>
      Object.values(await this.redis.hgetall(`${this.prefix}drills`)).map(
        (json) => JSON.parse(json) as DrillRecord,
      ),
    );
  }

  /** Whether Redis answers within `withinMs`; for /readyz, which must answer well inside the kubelet's probe timeout. */
  async ping(withinMs = 1000): Promise<boolean> {
    return (
      (await within(
        this.redis.ping().catch(() => ''),
        withinMs,
        '',
      )) === 'PONG'
    );
  }

  async close(): Promise<void> {
    for (const connection of this.blocking.values()) connection.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
