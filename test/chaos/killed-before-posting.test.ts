import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFleet, type Fleet } from '../support/fleet.js';
import { recordReliability } from '../support/reliability.js';
import { decodeValue } from '../../src/slack/blocks/ids.js';

const CHANNEL = 'C0KILLPOST';
const CARD_CHANNEL = 'C0KILLCARD';
const NOTES = ['replica one was paged', 'checking the feed', 'still looking'];

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({
    names: ['r1', 'r2', 'r3'],
    channels: [CHANNEL, CARD_CHANNEL],
    env: { LIFEBOAT_LEASE: '3s' },
  });
}, 60_000);
afterAll(() => fleet?.stop());

describe('kill -9 replicas after an event is stored and before Slack has it', () => {
  it('posts every timeline entry once after replacements take over', async () => {
    const { emulator } = fleet;
    const slack = () => fleet.replicas()[0]!.slack;
    await slack().command('UALICE', 'declare checkout is down', { channel: CHANNEL });
    await fleet.until(() => fleet.thread(CHANNEL).length === 1, 'the declaration in the thread');
    const incidentId = (await fleet.store.openIncidentIn(CHANNEL)) ?? '';

    // Thread posts fail, so each note is stored and handed to a replica that cannot post it yet.
    const failedBefore = emulator.callsTo('chat.postMessage').filter((c) => c.status === 500).length;
    const restore = emulator.fail('chat.postMessage', { status: 500 });
    for (const note of NOTES) await slack().command('UBOB', `note ${note}`, { channel: CHANNEL });
    await fleet.until(
      () => emulator.callsTo('chat.postMessage').filter((c) => c.status === 500).length > failedBefore,
      'a replica trying to post a note',
    );
    await fleet.until(
      async () =>
        (await fleet.store.read(incidentId)).events.filter((e) => e.type === 'NoteAdded').length ===
        NOTES.length,
      'every note stored',
    );

    for (const { name } of [...fleet.replicas()]) await fleet.kill(name);
    restore();
    for (const name of ['r4', 'r5']) await fleet.add(name);

    const lines = await fleet.until(
      () => {
        const posted = fleet.thread(CHANNEL).map((m) => m.text);
        return posted.length >= 1 + NOTES.length && posted;
      },
      'the notes in the thread',
      30_000,
    );
    // Give a duplicate the time to show up, were one on its way.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const final = fleet.thread(CHANNEL).map((m) => m.text.replace(/^`[\d:]+` /, ''));
    const missing = NOTES.filter((n) => !final.includes(`<@UBOB> noted: ${n}`)).length;
    recordReliability({
      scenario: 'kill -9 every replica between storing an event and posting it',
      runs: NOTES.length,
      failures: missing + final.length - new Set(final).size,
      lostEvents: missing,
      duplicateExecutions: final.length - new Set(final).size,
      note: 'timeline posts counted in the Slack emulator',
    });
    expect(lines.length).toBeGreaterThan(NOTES.length);
    // Notes once reached the store out of order (commands were not queued per channel); a failure shows every thread post.
    const posts = emulator
      .callsTo('chat.postMessage')
      .filter((c) => c.params.thread_ts !== undefined)
      .map((c) => `${new Date(c.at).toISOString()} ${c.status} ${String(c.params.text).slice(0, 60)}`);
    expect({ final, posts }).toEqual({
      final: ['<@UALICE> declared an incident: checkout is down', ...NOTES.map((n) => `<@UBOB> noted: ${n}`)],
      posts,
    });
  }, 90_000);

  it('brings the card up to date when the replicas that posted to the thread died before updating the card', async () => {
    const { emulator } = fleet;
    const slack = () => fleet.replicas()[0]!.slack;
    await slack().command('UALICE', 'declare payments are failing', { channel: CARD_CHANNEL });
    await fleet.until(() => fleet.thread(CARD_CHANNEL).length === 1, 'the declaration in the thread');
    const incidentId = (await fleet.store.openIncidentIn(CARD_CHANNEL)) ?? '';
    // The versions the card's buttons carry: a click on an older one is refused as out of date.
    const cardVersions = () =>
      new Set(
        (fleet.card(CARD_CHANNEL)?.blocks ?? [])
          .flatMap((b) => (b as { elements?: { value?: string }[] }).elements ?? [])
          .map((e) => (e.value ? decodeValue(e.value)?.v : undefined))
          .filter((v) => v !== undefined),
      );
    const version = async () => (await fleet.store.read(incidentId)).events.length;
    await fleet.until(async () => cardVersions().has(await version()), 'the card showing the declaration');

    const failedBefore = emulator.callsTo('chat.update').filter((c) => c.status === 500).length;
    const restore = emulator.fail('chat.update', { status: 500 });
    await slack().command('UBOB', 'note card must follow', { channel: CARD_CHANNEL });
    await fleet.until(
      () => fleet.thread(CARD_CHANNEL).some((m) => m.text.includes('noted: card must follow')),
      'the note in the thread',
    );
    await fleet.until(
      () => emulator.callsTo('chat.update').filter((c) => c.status === 500).length > failedBefore,
      'a replica trying to update the card',
    );
    for (const { name } of [...fleet.replicas()]) await fleet.kill(name);
    restore();
    await fleet.add('r6');

    const latest = await version();
    await fleet.until(
      () => cardVersions().size === 1 && cardVersions().has(latest),
      `the card's buttons at version ${latest}`,
      30_000,
    );
  }, 90_000);
});
