import { expect, it } from '@jest/globals';
import type { IncidentEvent } from '../../../src/domain/events.js';
import type { EventLog } from '../../../src/engine/ports/index.js';
import { contract } from './stores.js';

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

contract<EventLog>('event log', (fresh) => {
  it('returns appended events in order, equal to what was appended', async () => {
    const log = fresh();
    expect(
      await log.append('inc-1', 0, [declared], { outcome: ok, index: { op: 'open', channel: 'C1' } }),
    ).toEqual({ status: 'appended', version: 1 });
    expect(await log.append('inc-1', 1, [note('a'), note('b')], { outcome: ok })).toEqual({
      status: 'appended',
      version: 3,
    });
    expect((await log.read('inc-1')).events).toEqual([declared, note('a'), note('b')]);
    expect((await log.read('inc-2')).events).toEqual([]);
  });

  it('reads only the entries after a given one, with the stream length', async () => {
    const log = fresh();
    await log.append('inc-1', 0, [declared, note('a')], { outcome: ok });
    const first = await log.read('inc-1');
    expect(first).toMatchObject({ length: 2 });
    await log.append('inc-1', 2, [note('b')], { outcome: ok });
    const rest = await log.read('inc-1', { after: first.lastId ?? '' });
    expect(rest.events).toEqual([note('b')]);
    expect(rest.length).toBe(3);
    const none = await log.read('inc-1', { after: rest.lastId ?? '' });
    expect(none).toMatchObject({ events: [], length: 3, lastId: rest.lastId });
  });

  it('refuses an append at a stale version and keeps the winner only', async () => {
    const log = fresh();
    await log.append('inc-1', 0, [declared], { outcome: ok });
    expect(await log.append('inc-1', 1, [note('winner')], { outcome: ok })).toMatchObject({
      status: 'appended',
    });
    expect(await log.append('inc-1', 1, [note('loser')], { outcome: ok })).toEqual({ status: 'conflict' });
    expect((await log.read('inc-1')).events.map((e) => (e.type === 'NoteAdded' ? e.text : e.type))).toEqual([
      'IncidentDeclared',
      'winner',
    ]);
  });

  it('returns the first outcome for a repeated idempotency key and appends nothing', async () => {
    const log = fresh();
    await log.append('inc-1', 0, [declared], { outcome: ok });
    await log.append('inc-1', 1, [note('once')], { outcome: ok, idempotencyKey: 'click-1' });
    expect(await log.append('inc-1', 2, [note('twice')], { outcome: ok, idempotencyKey: 'click-1' })).toEqual(
      { status: 'duplicate', outcome: ok },
    );
    expect((await log.read('inc-1', { idempotencyKey: 'click-1' })).outcome).toEqual(ok);
    const rejection = { ok: false, rejection: { code: 'self-approval', message: 'no' } } as const;
    await log.remember('inc-1', 'click-2', rejection);
    expect((await log.read('inc-1', { idempotencyKey: 'click-2' })).outcome).toEqual(rejection);
    expect((await log.read('inc-1')).events).toHaveLength(2);
  });

  it('indexes open incidents by channel until they close', async () => {
    const log = fresh();
    await log.append('inc-a', 0, [declared], { outcome: ok, index: { op: 'open', channel: 'C-ops' } });
    expect(await log.openIncidentIn('C-ops')).toBe('inc-a');
    expect((await log.openIncidents()).get('inc-a')).toBe('C-ops');
    await log.append('inc-a', 1, [{ type: 'IncidentResolved', at: 3, by: 'UALICE' }], {
      outcome: ok,
      index: { op: 'close', channel: 'C-ops' },
    });
    expect(await log.openIncidentIn('C-ops')).toBeUndefined();
  });
});
