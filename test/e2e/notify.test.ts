import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { ROOT } from '../support/cli.js';
import { startWorld, type World } from '../support/e2e.js';

let world: World;
beforeAll(async () => {
  world = await startWorld({ runbooks: path.join(ROOT, 'test/fixtures/notify') });
}, 30_000);
afterAll(() => world?.stop());

/** Runs the one-step `announce` runbook in `channel` once it has been chosen (and its modal opened, if `opened`). */
async function announce(channel: string, opened = false): Promise<void> {
  const { slack, emulator, until } = world;
  const card = () =>
    until(() => emulator.messages(channel).find((m) => m.thread_ts === undefined), `the card in ${channel}`);
  const shows = async (text: string) => JSON.stringify((await card()).blocks).includes(text);
  if (!opened) {
    await until(() => shows('Set parameters'), 'the parameters button');
    await slack.click('UALICE', await card(), 'Set parameters');
  }
  const modal = await until(() => emulator.views('UALICE').find((v) => v.state === 'open'), 'the modal');
  await slack.submitView('UALICE', modal, { service: 'checkout' });
  await until(() => shows('"Run"'), 'the step');
  await slack.click('UALICE', await card(), 'Run');
  await until(() => shows('restored'), 'the step to pass');
}

describe('the notify action', () => {
  it('posts to the named channel in an incident, reports a status channel Slack refuses, and keeps to the drill channel in a drill', async () => {
    const { slack, emulator, until } = world;
    await slack.command('UALICE', 'declare checkout is failing over', { channel: 'C0GENERAL' });
    const card = await until(
      () => emulator.messages('C0GENERAL').find((m) => m.thread_ts === undefined),
      'card',
    );
    await until(() => JSON.stringify(card.blocks).includes('Checkout'), 'the question');
    // Choosing the runbook opens its parameters modal at once.
    await slack.click('UALICE', card, 'Checkout');
    await announce('C0GENERAL', true);
    expect(emulator.messages('C0STATUS').map((m) => m.text)).toEqual([
      'Failing over checkout to the standby region.',
    ]);
    // The communication plan names a channel Slack does not know: said in the thread, and the timeline goes on.
    const thread = () => emulator.messages('C0GENERAL').filter((m) => m.thread_ts !== undefined);
    await until(
      () =>
        thread().some((m) =>
          m.text.includes('Could not post the planned update to #nowhere (channel_not_found)'),
        ),
      'the refused status update reported in the thread',
    );
    await slack.command('UALICE', 'note status page updated by hand', { channel: 'C0GENERAL' });
    await until(() => thread().some((m) => m.text.includes('status page updated by hand')), 'the next entry');

    await slack.command('UALICE', 'drill announce', { channel: 'C0INCIDENT' });
    await announce('C0INCIDENT');
    expect(emulator.messages('C0STATUS')).toHaveLength(1);
    expect(emulator.messages('C0INCIDENT').map((m) => m.text)).toContain(
      '🧪 [DRILL — would post to #status] Failing over checkout to the standby region.',
    );
  }, 60_000);
});
