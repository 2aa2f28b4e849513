import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CHANNEL, startWorld, type World } from '../support/e2e.js';
import { eventually } from '../support/eventually.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 30_000);
afterAll(() => world?.stop());

describe('/dr timeline', () => {
  it('uploads the timeline as Markdown into the incident thread, every event once and in order', async () => {
    const { slack, emulator, until, store } = world;
    await slack.command('UALICE', 'declare checkout is down');
    await until(() => world.cardText().includes('What is failing?'), 'the first question');
    await slack.click('UALICE', await until(() => world.card(), 'the card'), 'Something else');
    await until(() => world.cardText().includes('Is it the whole region?'), 'the second question');
    await slack.click('UBOB', await until(() => world.card(), 'the card'), 'Back');
    await until(() => world.cardText().includes('What is failing?'), 'the first question again');
    await slack.command('UBOB', 'note payments team paged');
    await slack.command('UALICE', 'note error rate back to normal in eu-west');
    const id = [...(await store.openIncidents()).keys()][0] ?? '';
    const events = await eventually(async () => {
      const { events: all } = await store.read(id);
      return all.filter((e) => e.type === 'NoteAdded').length === 2 && all;
    }, 'both notes recorded');

    const asked = await slack.command('UCAROL', 'timeline');
    expect(asked.status).toBe(200);
    const file = await until(
      () => emulator.files().find((f) => f.completed && f.filename === `${id}-timeline.md`),
      'the uploaded timeline',
    );
    expect(emulator.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    expect(emulator.callsTo('files.completeUploadExternal')).toHaveLength(1);
    // Shared where the responders look: the incident's thread in its channel.
    expect(file.channel).toBe(CHANNEL);
    expect(file.thread_ts).toBe(world.card()?.ts);
    expect(file.title).toBe(`Timeline of ${id}`);

    const markdown = file.bytes?.toString('utf8') ?? '';
    expect(markdown.split('\n')[0]).toBe(`# ${id}: checkout is down`);
    const lines = markdown.split('\n').filter((l) => /^- `\d\d:\d\d:\d\d` /.test(l));
    expect(lines).toHaveLength(events.length);
    const expected = [
      '@UALICE declared an incident: checkout is down',
      '@UALICE answered: Something else',
      '@UBOB went back a question',
      '@UBOB noted: payments team paged',
      '@UALICE noted: error rate back to normal in eu-west',
    ];
    expect(lines.map((l) => l.replace(/^- `\d\d:\d\d:\d\d` /, ''))).toEqual(expected);
    const stamps = lines.map((l) => l.slice(3, 11));
    expect([...stamps].sort()).toEqual(stamps);
  }, 60_000);
});
