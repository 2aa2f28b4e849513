import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startWorld, type World } from '../support/e2e.js';
import { eventually } from '../support/eventually.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 30_000);
afterAll(() => world?.stop());

describe('commands sent one after another', () => {
  it('reach the timeline in the order they were sent, even while Slack is failing and each is slow', async () => {
    const { slack, emulator, store, until } = world;
    await slack.command('UALICE', 'declare orders namespace deleted');
    await until(() => world.cardText().includes('What is failing?'), 'the card');
    const id = [...(await store.openIncidents()).keys()][0] ?? '';

    // While Slack answers 500, every reply and lookup the bot makes is retried, so each command's work is slow.
    emulator.fail('*', { status: 500 }, 3000);
    const sent = Array.from({ length: 8 }, (_, i) => `note ${i + 1}`);
    for (const text of sent) expect((await slack.command(i2u(text), `note ${text}`)).status).toBe(200);

    const notes = await eventually(
      async () => {
        const events = (await store.read(id)).events.filter((e) => e.type === 'NoteAdded');
        return events.length === sent.length && events.map((e) => ('text' in e ? e.text : ''));
      },
      'every note recorded',
      20_000,
    );
    expect(notes).toEqual(sent);
  });
});

/** Two responders taking turns, as on a real bridge call. */
function i2u(text: string): string {
  return Number(text.split(' ')[1]) % 2 ? 'UALICE' : 'UBOB';
}
