import { afterEach, describe, expect, it } from '@jest/globals';
import { LogLevel, WebClient } from '@slack/web-api';
import {
  startSlackEmulator,
  type SlackEmulator,
  type SlackEmulatorOptions,
} from '../../src/sandbox/slack/emulator.js';

let emulator: SlackEmulator | undefined;
afterEach(() => emulator?.stop());

async function start(options: SlackEmulatorOptions = {}) {
  emulator = await startSlackEmulator({
    channels: [
      { id: 'C0STATUS', name: 'status', invited: false },
      { id: 'G0SECRET', name: 'secret', is_private: true, invited: false },
      { id: 'C0SMALL', name: 'small', members: ['UALICE'] },
    ],
    ...options,
  });
  // No retries: each call shows Slack's first answer.
  const client = new WebClient('xoxb-test', {
    slackApiUrl: emulator.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // The refusals are the point here; the client's logging of them is not.
    logger: {
      debug() {},
      info() {},
      warn() {},
      error() {},
      setLevel() {},
      getLevel: () => LogLevel.ERROR,
      setName() {},
    },
  });
  return { emulator, client };
}

const errorOf = async (call: Promise<unknown>): Promise<string> => {
  try {
    await call;
    return 'accepted';
  } catch (error) {
    const e = error as { data?: { error?: string }; code?: string };
    return e.data?.error ?? e.code ?? String(error);
  }
};

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const select = (options: unknown[]) => ({
  type: 'actions',
  elements: [{ type: 'static_select', action_id: 'pick', options }],
});
const option = (text: string, value: string) => ({ text: { type: 'plain_text', text }, value });

describe('the Slack emulator refuses what Slack refuses', () => {
  it('refuses posts where the bot was not invited (not_in_channel, channel_not_found) and ephemerals to non-members', async () => {
    const { client } = await start();
    expect(await errorOf(client.chat.postMessage({ channel: 'C0STATUS', text: 'hi' }))).toBe(
      'not_in_channel',
    );
    expect(await errorOf(client.chat.postMessage({ channel: 'G0SECRET', text: 'hi' }))).toBe(
      'channel_not_found',
    );
    expect(await errorOf(client.chat.postMessage({ channel: 'C0INCIDENT', text: 'hi' }))).toBe('accepted');
    expect(await errorOf(client.chat.postEphemeral({ channel: 'C0SMALL', user: 'UBOB', text: 'hi' }))).toBe(
      'user_not_in_channel',
    );
    expect(await errorOf(client.chat.postEphemeral({ channel: 'C0SMALL', user: 'UALICE', text: 'hi' }))).toBe(
      'accepted',
    );
  });

  it('lets a test turn the membership check off', async () => {
    const { client } = await start({ strict: { membership: false } });
    expect(await errorOf(client.chat.postMessage({ channel: 'C0STATUS', text: 'hi' }))).toBe('accepted');
  });

  it('refuses block element limits: options, confirm dialogs, empty text, mrkdwn headers, unknown types, ids', async () => {
    const { client } = await start({ strict: { postingLimit: false } });
    const post = (blocks: unknown[]) =>
      errorOf(client.chat.postMessage({ channel: 'C0INCIDENT', text: 'x', blocks: blocks as never }));
    expect(await post([select([option('a'.repeat(75), 'v'.repeat(150))])])).toBe('accepted');
    expect(await post([select([option('a'.repeat(76), 'v')])])).toBe('invalid_blocks');
    expect(await post([select([option('a', 'v'.repeat(151))])])).toBe('invalid_blocks');
    expect(await post([select(Array.from({ length: 101 }, (_, i) => option(`o${i}`, `v${i}`)))])).toBe(
      'invalid_blocks',
    );
    const confirm = (title: number, text: number, yes: number) => ({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: 'b',
          text: { type: 'plain_text', text: 'Go' },
          confirm: {
            title: { type: 'plain_text', text: 't'.repeat(title) },
            text: { type: 'mrkdwn', text: 'x'.repeat(text) },
            confirm: { type: 'plain_text', text: 'y'.repeat(yes) },
            deny: { type: 'plain_text', text: 'No' },
          },
        },
      ],
    });
    expect(await post([confirm(100, 300, 30)])).toBe('accepted');
    expect(await post([confirm(101, 300, 30)])).toBe('invalid_blocks');
    expect(await post([confirm(100, 301, 30)])).toBe('invalid_blocks');
    expect(await post([confirm(100, 300, 31)])).toBe('invalid_blocks');
    expect(await post([section('')])).toBe('invalid_blocks');
    expect(await post([{ type: 'header', text: { type: 'mrkdwn', text: 'Title' } }])).toBe('invalid_blocks');
    expect(await post([{ type: 'banner', text: { type: 'plain_text', text: 'x' } }])).toBe('invalid_blocks');
    expect(await post([{ ...section('x'), block_id: 'b'.repeat(256) }])).toBe('invalid_blocks');
  });

  it('refuses input labels and hints over 2000 characters in a modal', async () => {
    const { client } = await start();
    const view = (label: number, hint: number) => ({
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'Params' },
      submit: { type: 'plain_text' as const, text: 'Start' },
      blocks: [
        {
          type: 'input',
          block_id: 'p',
          label: { type: 'plain_text', text: 'l'.repeat(label) },
          hint: { type: 'plain_text', text: 'h'.repeat(hint) },
          element: { type: 'plain_text_input', action_id: 'value' },
        },
      ],
    });
    const trigger = () => emulator?.issueTrigger('UALICE') ?? '';
    expect(await errorOf(client.views.open({ trigger_id: trigger(), view: view(2000, 2000) as never }))).toBe(
      'accepted',
    );
    expect(await errorOf(client.views.open({ trigger_id: trigger(), view: view(2001, 10) as never }))).toBe(
      'invalid_arguments',
    );
    expect(await errorOf(client.views.open({ trigger_id: trigger(), view: view(10, 2001) as never }))).toBe(
      'invalid_arguments',
    );
  });

  it('answers msg_blocks_too_long above ~13k characters of blocks, though each block is within its own limit', async () => {
    const { client } = await start();
    const blocks = Array.from({ length: 5 }, () => section('x'.repeat(2900)));
    expect(
      await errorOf(
        client.chat.postMessage({ channel: 'C0INCIDENT', text: 'x', blocks: blocks.slice(0, 4) }),
      ),
    ).toBe('accepted');
    expect(await errorOf(client.chat.postMessage({ channel: 'C0INCIDENT', text: 'x', blocks: blocks }))).toBe(
      'msg_blocks_too_long',
    );
  });

  it('truncates text over 40,000 characters and says so with the message_truncated warning', async () => {
    const { client, emulator: slack } = await start();
    const answer = await client.chat.postMessage({ channel: 'C0INCIDENT', text: 'y'.repeat(57_837) });
    expect(answer.ok).toBe(true);
    expect(answer.warning).toBe('message_truncated');
    expect(slack.message('C0INCIDENT', answer.ts ?? '')?.text).toHaveLength(40_000);
  });

  it('answers 429 with Retry-After past a burst of posts to one channel, other channels unaffected', async () => {
    const { client } = await start({ strict: { postingLimit: { burst: 3, perSecond: 1 } } });
    const results: string[] = [];
    for (let i = 0; i < 4; i++)
      results.push(await errorOf(client.chat.postMessage({ channel: 'C0INCIDENT', text: `m${i}` })));
    expect(results).toEqual(['accepted', 'accepted', 'accepted', 'slack_webapi_rate_limited_error']);
    const limited = emulator?.callsTo('chat.postMessage').at(-1);
    expect(limited?.status).toBe(429);
    const wait = await client.chat
      .postMessage({ channel: 'C0INCIDENT', text: 'again' })
      .catch((e: unknown) => e);
    expect((wait as { retryAfter?: number }).retryAfter).toBe(1);
    expect(await errorOf(client.chat.postMessage({ channel: 'C0GENERAL', text: 'elsewhere' }))).toBe(
      'accepted',
    );
  });

  it('lets a test turn the posting limit off', async () => {
    const { client } = await start({ strict: { postingLimit: false } });
    for (let i = 0; i < 30; i++)
      expect(await errorOf(client.chat.postMessage({ channel: 'C0INCIDENT', text: `m${i}` }))).toBe(
        'accepted',
      );
  });
});
