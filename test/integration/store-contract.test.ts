import { afterAll, describe, expect, it } from '@jest/globals';
import type { IncidentEvent } from '../../src/domain/events.js';
import { MemoryStore } from '../../src/store/memory.js';
import type { IncidentStore } from '../../src/store/port.js';
import { deletePrefix, redisStore, testPrefix } from '../support/redis.js';

const declared: IncidentEvent = {
  type: 'IncidentDeclared',
  mode: 'incident',
  summary: 'etcd lost',
  channel: 'C1',
  at: 1,
  by: 'UALICE',
};
const note = (text: string): IncidentEvent => ({ type: 'NoteAdded', text, at: 2, by: 'UBOB' });
const ok = { ok: true, eventTypes: ['NoteAdded'] } as const;

const stores: IncidentStore[] = [];
const prefixes: string[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await Promise.all(prefixes.map((p) => deletePrefix(p)));
});

let clockNow = 1_000_000;
describe.each([
  ['MemoryStore', () => new MemoryStore(() => clockNow)],
  [
    'RedisStore',
    () => {
      const prefix = testPrefix();
      prefixes.push(prefix);
      return redisStore(prefix);
    },
  ],
])('%s keeps the store contract', (_name, make) => {
  const fresh = (): IncidentStore => {
    const store = make();
    stores.push(store);
    return store;
  };

  it('returns appended events in order, equal to what was appended', async () => {
    const store = fresh();
    expect(
      await store.append('inc-1', 0, [declared], { outcome: ok, index: { op: 'open', channel: 'C1' } }),
    ).toEqual({ status: 'appended', version: 1 });
    expect(await store.append('inc-1', 1, [note('a'), note('b')], { outcome: ok })).toEqual({
      status: 'appended',
      version: 3,
    });
    expect((await store.read('inc-1')).events).toEqual([declared, note('a'), note('b')]);
    expect((await store.read('inc-2')).events).toEqual([]);
  });

  it('reads only the entries after a given one, with the stream length', async () => {
    const store = fresh();
    await store.append('inc-1', 0, [declared, note('a')], { outcome: ok });
    const first = await store.read('inc-1');
    expect(first).toMatchObject({ length: 2 });
    await store.append('inc-1', 2, [note('b')], { outcome: ok });
    const rest = await store.read('inc-1', undefined, first.lastId);
    expect(rest.events).toEqual([note('b')]);
    expect(rest.length).toBe(3);
    const none = await store.read('inc-1', undefined, rest.lastId);
    expect(none).toMatchObject({ events: [], length: 3, lastId: rest.lastId });
  });

  it('refuses an append at a stale version and keeps the winner only', async () => {
    const store = fresh();
    await store.append('inc-1', 0, [declared], { outcome: ok });
    expect(await store.append('inc-1', 1, [note('winner')], { outcome: ok })).toMatchObject({
      status: 'appended',
    });
    expect(await store.append('inc-1', 1, [note('loser')], { outcome: ok })).toEqual({ status: 'conflict' });
    expect((await store.read('inc-1')).events.map((e) => (e.type === 'NoteAdded' ? e.text : e.type))).toEqual(
      ['IncidentDeclared', 'winner'],
    );
  });

  it('returns the first outcome for a repeated idempotency key and appends nothing', async () => {
    const store = fresh();
    await store.append('inc-1', 0, [declared], { outcome: ok });
    await store.append('inc-1', 1, [note('once')], { outcome: ok, idempotencyKey: 'click-1' });
    expect(
      await store.append('inc-1', 2, [note('twice')], { outcome: ok, idempotencyKey: 'click-1' }),
    ).toEqual({ status: 'duplicate', outcome: ok });
    expect((await store.read('inc-1', 'click-1')).outcome).toEqual(ok);
    const rejection = { ok: false, rejection: { code: 'self-approval', message: 'no' } } as const;
    await store.remember('inc-1', 'click-2', rejection);
    expect((await store.read('inc-1', 'click-2')).outcome).toEqual(rejection);
    expect((await store.read('inc-1')).events).toHaveLength(2);
  });

  it('indexes open incidents by channel until they close', async () => {
    const store = fresh();
    await store.append('inc-a', 0, [declared], { outcome: ok, index: { op: 'open', channel: 'C-ops' } });
    expect(await store.openIncidentIn('C-ops')).toBe('inc-a');
    expect((await store.openIncidents()).get('inc-a')).toBe('C-ops');
    await store.append('inc-a', 1, [{ type: 'IncidentResolved', at: 3, by: 'UALICE' }], {
      outcome: ok,
      index: { op: 'close', channel: 'C-ops' },
    });
    expect(await store.openIncidentIn('C-ops')).toBeUndefined();
  });

  it('lets exactly one owner claim a step attempt, and tells an expired lease from a live one', async () => {
    const store = fresh();
    expect(await store.claimStep('inc-1', 'restore', 1, 'replica-a', 150)).toBe('claimed');
    expect(await store.claimStep('inc-1', 'restore', 1, 'replica-b', 150)).toBe('running-elsewhere');
    expect(await store.heartbeat('inc-1', 'restore', 1, 'replica-b', 150)).toBe(false);
    expect(await store.heartbeat('inc-1', 'restore', 1, 'replica-a', 150)).toBe(true);
    clockNow += 1000;
    await new Promise((r) => setTimeout(r, 300));
    expect(await store.claimStep('inc-1', 'restore', 1, 'replica-b', 150)).toBe('abandoned');
    expect(await store.heartbeat('inc-1', 'restore', 1, 'replica-a', 150)).toBe(false);
    expect(await store.claimStep('inc-1', 'restore', 2, 'replica-b', 150)).toBe('claimed');
  });

  it('feeds each appended batch to one consumer of a group, and hands an unacked entry to another after it idles', async () => {
    const store = fresh();
    await store.append('inc-f', 0, [declared], { outcome: ok });
    await store.append('inc-f', 1, [note('a'), note('b')], { outcome: ok });
    const first = await store.readFeed('executor', 'replica-a', 1, 10);
    const second = await store.readFeed('executor', 'replica-b', 10, 10);
    expect(
      [...first, ...second].filter((e) => e.incidentId === 'inc-f').map((e) => [e.version, e.types]),
    ).toEqual([
      [1, ['IncidentDeclared']],
      [3, ['NoteAdded', 'NoteAdded']],
    ]);
    expect(await store.readFeed('presenter', 'replica-a', 10, 10)).toHaveLength(first.length + second.length);
    for (const entry of first) await store.ackFeed('executor', entry.id);
    clockNow += 1000;
    await new Promise((r) => setTimeout(r, 60));
    const reclaimed = await store.claimStaleFeed('executor', 'replica-c', 50, 10);
    expect(reclaimed.map((e) => e.id)).toEqual(second.map((e) => e.id));
    expect(await store.readFeed('executor', 'replica-a', 10, 10)).toEqual([]);
  });

  it('counts what a group has not acked yet, taken or not, as the outbox depth', async () => {
    const store = fresh();
    expect(await store.feedBacklog('presenter')).toBe(0);
    await store.append('inc-o', 0, [declared], { outcome: ok });
    await store.append('inc-o', 1, [note('a')], { outcome: ok });
    await store.append('inc-o', 2, [note('b')], { outcome: ok });
    expect(await store.feedBacklog('presenter')).toBe(3);
    const taken = await store.readFeed('presenter', 'replica-a', 2, 10);
    expect(await store.feedBacklog('presenter')).toBe(3);
    await store.ackFeed('presenter', taken[0]?.id ?? '');
    expect(await store.feedBacklog('presenter')).toBe(2);
    for (const entry of [...taken.slice(1), ...(await store.readFeed('presenter', 'replica-a', 10, 10))])
      await store.ackFeed('presenter', entry.id);
    expect(await store.feedBacklog('presenter')).toBe(0);
    expect(await store.feedBacklog('executor')).toBe(3);
  });

  it('tells the sweeper whether an attempt is unclaimed, alive or abandoned, without claiming it', async () => {
    const store = fresh();
    expect(await store.leaseState('inc-1', 'restore', 1)).toBe('unclaimed');
    expect(await store.leaseState('inc-1', 'restore', 1)).toBe('unclaimed');
    await store.claimStep('inc-1', 'restore', 1, 'replica-a', 100);
    expect(await store.leaseState('inc-1', 'restore', 1)).toBe('alive');
    clockNow += 1000;
    await new Promise((r) => setTimeout(r, 200));
    expect(await store.leaseState('inc-1', 'restore', 1)).toBe('abandoned');
  });

  it('keeps per-incident facts and short locks across replicas', async () => {
    const store = fresh();
    expect(await store.getMeta('inc-m')).toEqual({});
    await store.setMeta('inc-m', { card: '1700000000.000100', posted: '3' });
    await store.setMeta('inc-m', { posted: '5' });
    expect(await store.getMeta('inc-m')).toEqual({ card: '1700000000.000100', posted: '5' });
    expect(await store.lock('presenter:inc-m', 'replica-a', 100)).toBe(true);
    expect(await store.lock('presenter:inc-m', 'replica-b', 100)).toBe(false);
    expect(await store.lock('presenter:inc-m', 'replica-a', 100)).toBe(true);
    await store.unlock('presenter:inc-m', 'replica-b');
    expect(await store.lock('presenter:inc-m', 'replica-b', 100)).toBe(false);
    await store.unlock('presenter:inc-m', 'replica-a');
    expect(await store.lock('presenter:inc-m', 'replica-b', 100)).toBe(true);
    clockNow += 1000;
    await new Promise((r) => setTimeout(r, 150));
    expect(await store.lock('presenter:inc-m', 'replica-a', 100)).toBe(true);
  });

  it('keeps one record per finished drill, for readiness', async () => {
    const store = fresh();
    const record = {
      incident: 'DRILL-1',
      runbook: 'etcd-snapshot-restore',
      passed: false,
      endedAt: 1000,
      rtoTarget: 3600,
    };
    await store.recordDrill(record);
    await store.recordDrill({ ...record, passed: true, rtoSeconds: 1200 });
    await store.recordDrill({ ...record, incident: 'DRILL-2', runbook: 'region-failover' });
    const records = (await store.drillRecords()).sort((a, b) => a.incident.localeCompare(b.incident));
    expect(records).toEqual([
      { ...record, passed: true, rtoSeconds: 1200 },
      { ...record, incident: 'DRILL-2', runbook: 'region-failover' },
    ]);
  });
});
