import { expect, it } from '@jest/globals';
import type { IncidentEvent } from '../../../src/domain/events.js';
import type { EventLog, Feed } from '../../../src/engine/ports/index.js';
import { contract, pass } from './stores.js';

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

// The feed is written by the event log's appends, so its contract is read through both ports.
contract<EventLog & Feed>('feed', (fresh) => {
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
    await pass(60);
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
});
