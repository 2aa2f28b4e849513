import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startWorld, type World } from '../support/e2e.js';

let world: World;
let store: World['store'];
beforeAll(async () => {
  world = await startWorld();
  store = world.store;
}, 30_000);
afterAll(() => world?.stop());

describe('a Slack outage during an incident', () => {
  it('answers 500 for 30 s, then 429 for 10 s: afterwards every timeline entry is there exactly once, in order', async () => {
    const { slack, emulator, until } = world;
    await slack.command('UALICE', 'declare orders namespace deleted');
    const card = await until(() => world.cardText().includes('What is failing?') && world.card(), 'the card');
    const id = [...(await store.openIncidents()).keys()][0] ?? '';

    const started = Date.now();
    emulator.fail('*', { status: 500 }, 30_000);
    // Responders keep working while Slack's API is down: Slack still delivers their clicks and commands.
    const click = await slack.click('UALICE', card, 'Something else');
    expect(click.status).toBe(200);
    expect(click.ms).toBeLessThan(3000);
    for (const text of ['checking the region', 'pager is noisy', 'still looking']) {
      const note = await slack.command('UBOB', `note ${text}`);
      expect(note.ms).toBeLessThan(3000);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 30_000 - (Date.now() - started))));
    emulator.fail('*', { status: 429, retryAfter: 2 }, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 10_000));

    const events = (await store.read(id)).events;
    expect(events.filter((e) => e.type === 'NoteAdded')).toHaveLength(3);
    const lines = await until(
      () => {
        const posted = world.thread().map((m) => m.text);
        return posted.length >= events.length && posted;
      },
      'every event in the thread after the outage',
      40_000,
    );
    expect(lines).toHaveLength(events.length);
    expect(lines.map((l) => l.replace(/^`[\d:]+` /, ''))).toEqual([
      '<@UALICE> declared an incident: orders namespace deleted',
      '<@UALICE> answered: Something else',
      '<@UBOB> noted: checking the region',
      '<@UBOB> noted: pager is noisy',
      '<@UBOB> noted: still looking',
    ]);
    await until(() => world.cardText().includes('Is it the whole region?'), 'the card to catch up');
    expect(emulator.calls.some((c) => c.status === 500)).toBe(true);
    expect(emulator.calls.some((c) => c.status === 429)).toBe(true);
  }, 120_000);
});
