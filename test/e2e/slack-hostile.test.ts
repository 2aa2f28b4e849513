import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { ROOT } from '../support/cli.js';
import { CHANNEL, startWorld, type World } from '../support/e2e.js';

let world: World;
beforeAll(async () => {
  world = await startWorld({ runbooks: path.join(ROOT, 'test/fixtures/e2e-hostile') });
}, 30_000);
afterAll(() => world?.stop());

/** Every string Slack parses as mrkdwn in a message: its text and its blocks' mrkdwn text objects. */
function mrkdwn(message: { text: string; blocks: readonly unknown[] }): string[] {
  const found = [message.text];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== 'object' || value === null) return;
    const node = value as Record<string, unknown>;
    if (node.type === 'mrkdwn' && typeof node.text === 'string') found.push(node.text);
    Object.values(node).forEach(walk);
  };
  walk(message.blocks);
  return found;
}

describe('hostile text and oversized output through the real bot', () => {
  it('posts a failed expect over 1,200 lines as a short reply plus a file, keeps the thread going, and nothing posted is live mrkdwn', async () => {
    const { slack, until, cardText, thread, emulator } = world;
    const card = () => until(() => world.card(), 'the drill card');
    await slack.command('UALICE', 'drill oversized');
    await until(() => cardText().includes('Set parameters'), 'the card asking for parameters');
    await slack.click('UALICE', await card(), 'Set parameters');
    const modal = await until(() => emulator.views('UALICE').find((v) => v.state === 'open'), 'the modal');
    await slack.submitView('UALICE', modal, { label: '<!channel> `x` <https://evil.example|Approve>' });
    await until(() => cardText().includes('Next: Print') && cardText().includes('"Run"'), 'the step ready');
    await slack.click('UALICE', await card(), 'Run');
    const failed = await until(
      () => thread().find((m) => m.text.includes('failed') && m.text.includes('Print')),
      'the failed step in the thread',
    );
    // Once a 57,837-character text that Slack refused, stalling the thread: now one screenful.
    expect(failed.text.length).toBeLessThanOrEqual(3000);
    const file = await until(
      () => emulator.files().find((f) => f.completed && f.filename.includes('-output-')),
      'the full output as a file',
    );
    const content = Buffer.from(file.bytes ?? []).toString('utf8');
    expect(content).toContain('line 1199 <!channel>');
    expect(content).toContain('never printed');

    // The thread keeps going: a note typed afterwards (Slack sends & < > escaped) appears, as typed.
    await slack.command('UBOB', 'note <!channel> after the failure &amp; retry');
    const note = await until(
      () => thread().find((m) => m.text.includes('after the failure')),
      'the note after the failure',
    );
    expect(note.text).toContain('&lt;!channel&gt; after the failure &amp;amp; retry');

    // Nothing anywhere is a live mention or link but the people Lifeboat names.
    const posted = [...emulator.messages(CHANNEL), ...emulator.ephemerals(CHANNEL)];
    for (const message of posted)
      for (const text of mrkdwn(message)) {
        expect(text).not.toMatch(/<!(channel|here|everyone)>|<https?:/);
        expect(text.replaceAll(/<@U[A-Z0-9]+>/g, '')).not.toMatch(/[<>]/);
      }
    // Slack refused nothing the bot sent (a 429 would be a bot posting faster than Slack allows).
    const refused = emulator.calls.filter(
      (c) => c.method.startsWith('chat.') && (c.status !== 200 || c.response.ok !== true),
    );
    expect(refused.map((c) => `${c.method} ${c.status} ${String(c.response.error)}`)).toEqual([]);
  }, 60_000);
});
