import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Message } from '../../src/sandbox/slack/emulator.js';
import { CHANNEL, startWorld, type World } from '../support/e2e.js';

let world: World;
let store: World['store'];
beforeAll(async () => {
  world = await startWorld();
  store = world.store;
}, 30_000);
afterAll(() => world?.stop());

/** Every event of every incident, to prove a bad request changed nothing. */
async function everything(): Promise<string> {
  const open = await store.openIncidents();
  const streams = await Promise.all(
    [...open.keys()].sort().map(async (id) => JSON.stringify((await store.read(id)).events)),
  );
  return streams.join('\n');
}

/** The first question's card, kept after it was answered: what a person whose Slack has not refreshed sees. */
let staleCard: Message | undefined;

const ephemeralsFor = (user: string) => world.emulator.ephemerals(CHANNEL, user).map((e) => e.text);

describe('bad input gets a clear answer and changes nothing', () => {
  it('a declare delivered twice (a Slack retry) declares once', async () => {
    const first = await world.slack.command('UALICE', 'declare checkout is down', { retry: true });
    expect([first.status, first.retry?.status]).toEqual([200, 200]);
    await world.until(() => world.card(), 'the card');
    expect((await store.openIncidents()).size).toBe(1);
    expect(
      world.emulator
        .messages(CHANNEL)
        .filter((m) => m.thread_ts === undefined && m.text.includes('INCIDENT')),
    ).toHaveLength(1);
  });

  it('a wrong signature and a six-minute-old timestamp get 401 and change nothing', async () => {
    const before = await everything();
    const body = new URLSearchParams({
      command: '/dr',
      text: 'abort',
      user_id: 'UALICE',
      channel_id: CHANNEL,
      trigger_id: 't',
      response_url: 'http://127.0.0.1:1/x',
      team_id: 'T0LIFEBOAT',
    }).toString();
    expect(
      (
        await world.slack.raw(body, {
          signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000',
        })
      ).status,
    ).toBe(401);
    expect((await world.slack.raw(body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(
      401,
    );
    expect((await world.slack.raw(body, { signature: null })).status).toBe(401);
    expect(await everything()).toBe(before);
  });

  it('a malformed interaction payload gets 400 and changes nothing', async () => {
    const before = await everything();
    const result = await world.slack.raw(
      new URLSearchParams({ payload: '{"type":"block_actions",' }).toString(),
    );
    expect(result.status).toBe(400);
    expect(await everything()).toBe(before);
  });

  it('an unknown command is answered with the usage, naming what was wrong', async () => {
    const result = await world.slack.command('UALICE', 'launch rockets');
    expect(result.status).toBe(200);
    await world.until(
      () => ephemeralsFor('UALICE').find((t) => t.includes('`/dr launch` is not a command I know')),
      'the usage reply',
    );
    await world.slack.command('UALICE', 'note');
    await world.until(
      () => ephemeralsFor('UALICE').find((t) => t.includes('`/dr note` needs &lt;text&gt;')),
      'the missing-text reply',
    );
  });

  it('an unknown button is acked and changes nothing', async () => {
    const before = await everything();
    const card = await world.until(() => world.card(), 'the card');
    const id = [...(await store.openIncidents()).keys()][0] ?? '';
    const payload = {
      type: 'block_actions',
      user: { id: 'UALICE', username: 'alice', team_id: 'T0LIFEBOAT' },
      team: { id: 'T0LIFEBOAT', domain: 'lifeboat' },
      channel: { id: CHANNEL, name: 'incident' },
      container: { type: 'message', message_ts: card.ts, channel_id: CHANNEL },
      trigger_id: 'trigger-unknown',
      api_app_id: 'A0LIFEBOAT',
      token: 'x',
      actions: [
        {
          type: 'button',
          action_id: 'lb.launch',
          block_id: 'b',
          value: JSON.stringify({ i: id }),
          action_ts: '1',
        },
      ],
    };
    const result = await world.slack.raw(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    );
    expect(result.status).toBe(200);
    expect(await everything()).toBe(before);
  });

  it('a click on a stale card says the question has moved on and changes nothing', async () => {
    const card = await world.until(() => world.card(), 'the card');
    const stale = structuredClone(card);
    staleCard = stale;
    await world.slack.click('UALICE', card, 'Something else');
    await world.until(() => world.cardText().includes('Is it the whole region?'), 'the next question');
    const before = await everything();
    await world.slack.click('UBOB', stale, 'A namespace was deleted', { asSeen: true });
    await world.until(
      () => ephemeralsFor('UBOB').find((t) => t.includes('already answered; look at the latest card')),
      'the stale-click reply',
    );
    expect(await everything()).toBe(before);
  });

  it('a click on a stale card delivered twice (a double click) gets one reply, not two', async () => {
    const stale = staleCard;
    if (!stale) throw new Error('the stale-card test runs first');
    const before = await everything();
    const twice = await world.slack.click('UCAROL', stale, 'A namespace was deleted', {
      asSeen: true,
      retry: 'concurrent',
    });
    expect([twice.status, twice.retry?.status]).toEqual([200, 200]);
    // A later click of Carol's, queued behind the double click: once it is answered, the double click was too.
    await world.slack.click('UCAROL', stale, 'Something else', { asSeen: true });
    const replies = await world.until(() => {
      const texts = ephemeralsFor('UCAROL');
      return texts.length >= 2 && texts;
    }, 'the replies to both clicks');
    expect(replies).toHaveLength(2);
    expect(replies.every((t) => t.includes('already answered; look at the latest card'))).toBe(true);
    expect(await everything()).toBe(before);
  });

  it('a double click on Back goes back once', async () => {
    const card = await world.until(() => world.card(), 'the card');
    const result = await world.slack.click('UALICE', card, 'Back', { retry: 'concurrent' });
    expect(result.status).toBe(200);
    await world.until(() => world.cardText().includes('What is failing?'), 'the first question again');
    const id = [...(await store.openIncidents()).keys()][0] ?? '';
    expect((await store.read(id)).events.filter((e) => e.type === 'DecisionReverted')).toHaveLength(1);
  });
});
