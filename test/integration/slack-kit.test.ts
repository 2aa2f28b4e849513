import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  App,
  LogLevel,
  type BlockAction,
  type ButtonAction,
  type Logger,
  type StaticSelectAction,
} from '@slack/bolt';
import type { KnownBlock, ModalView } from '@slack/types';
import { ErrorCode, WebClient, type RetryOptions } from '@slack/web-api';
import type { AddressInfo } from 'node:net';
import { eventually } from '../support/eventually.js';
import { slackDriver, slackSignature, type SlackDriver } from '../../src/sandbox/slack/driver.js';
import {
  startSlackEmulator,
  type Message,
  type SlackEmulator,
  type WorkspaceSnapshot,
} from '../../src/sandbox/slack/emulator.js';
import { slackTimestamp } from '../../src/sandbox/slack/signing.js';

const CHANNEL = 'C0INCIDENT';
const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const CARD: KnownBlock[] = [
  section('*Namespace deleted*: payments'),
  {
    type: 'actions',
    block_id: 'gate',
    elements: [
      {
        type: 'button',
        action_id: 'approve',
        value: 'approve:restore',
        text: { type: 'plain_text', text: 'Approve' },
      },
      {
        type: 'button',
        action_id: 'deny',
        value: 'deny:restore',
        text: { type: 'plain_text', text: 'Deny' },
      },
    ],
  },
];
const REASON_MODAL: ModalView = {
  type: 'modal',
  callback_id: 'approve-reason',
  title: { type: 'plain_text', text: 'Approve restore' },
  submit: { type: 'plain_text', text: 'Approve' },
  blocks: [
    {
      type: 'input',
      block_id: 'reason',
      label: { type: 'plain_text', text: 'Why' },
      element: { type: 'plain_text_input', action_id: 'text' },
    },
    {
      type: 'input',
      block_id: 'severity',
      label: { type: 'plain_text', text: 'Severity' },
      element: {
        type: 'static_select',
        action_id: 'choice',
        options: ['sev1', 'sev2'].map((value) => ({
          text: { type: 'plain_text' as const, text: value.toUpperCase() },
          value,
        })),
      },
    },
  ],
};
/** Slack's invalid_blocks answers carry [ERROR] lines the WebClient logs; the test asserts them instead. */
const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};
const platformError = (error: string) => ({
  code: ErrorCode.PlatformError,
  data: expect.objectContaining({ error }),
});

describe('the Slack emulator, through a real @slack/web-api WebClient', () => {
  let emulator: SlackEmulator;
  beforeAll(async () => {
    emulator = await startSlackEmulator({ userGroups: { 'dr-approvers': ['UALICE', 'UBOB'] } });
  });
  afterAll(() => emulator.stop());
  const client = (retryConfig: RetryOptions = { retries: 0 }, token = 'xoxb-kit-test') =>
    new WebClient(token, { slackApiUrl: emulator.url, retryConfig, logger: quiet });

  it('posts a card, replies in its thread and updates it, keeping every version', async () => {
    const web = client();
    const posted = await web.chat.postMessage({ channel: CHANNEL, text: 'Incident declared', blocks: CARD });
    expect(posted).toMatchObject({
      ok: true,
      channel: CHANNEL,
      message: { text: 'Incident declared', bot_id: 'B0LIFEBOAT' },
    });
    const ts = String(posted.ts);
    const reply = await web.chat.postMessage({ channel: CHANNEL, thread_ts: ts, text: 'step 1 done' });
    expect(reply.message?.thread_ts).toBe(ts);
    await web.chat.update({ channel: CHANNEL, ts, text: 'Incident resolved', blocks: [] });

    expect(emulator.message(CHANNEL, ts)).toMatchObject({ text: 'Incident resolved', blocks: [] });
    expect(emulator.message(CHANNEL, ts)?.edits).toEqual([
      expect.objectContaining({
        text: 'Incident declared',
        blocks: [expect.objectContaining({ type: 'section' }), CARD[1]],
      }),
    ]);
    expect(emulator.replies(CHANNEL, ts).map((m) => m.text)).toEqual(['step 1 done']);
    const call = emulator.callsTo('chat.postMessage')[0];
    expect(call).toMatchObject({
      token: 'xoxb-kit-test',
      contentType: 'application/x-www-form-urlencoded',
      params: { blocks: [{ type: 'section' }, { type: 'actions' }] },
    });
  });

  it('refuses what Slack refuses, with the error Slack gives', async () => {
    const web = client();
    await expect(web.chat.postMessage({ channel: 'CNOWHERE', text: 'x' })).rejects.toMatchObject(
      platformError('channel_not_found'),
    );
    const many = Array.from({ length: 51 }, (_, i) => section(`line ${i}`));
    await expect(web.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: many })).rejects.toMatchObject(
      platformError('invalid_blocks'),
    );
    await expect(
      web.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: [section('y'.repeat(3001))] }),
    ).rejects.toMatchObject({
      data: {
        error: 'invalid_blocks',
        errors: ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
      },
    });
    // Text over 40,000 characters is cut and posted with a warning (Slack changelog 2018-04), not refused.
    const long = await web.chat.postMessage({ channel: CHANNEL, text: 'z'.repeat(40_001) });
    expect(long.response_metadata?.warnings).toEqual(['message_truncated']);
    expect(emulator.message(CHANNEL, long.ts ?? '')?.text).toHaveLength(40_000);
    await expect(web.chat.update({ channel: CHANNEL, ts: '1.000001', text: 'x' })).rejects.toMatchObject(
      platformError('message_not_found'),
    );
    await expect(web.apiCall('chat.frobnicate', { channel: CHANNEL })).rejects.toMatchObject(
      platformError('unknown_method'),
    );
    expect(emulator.callsTo('chat.frobnicate')).toHaveLength(1);
    await expect(client(undefined, 'xoxp-a-user-token').auth.test()).rejects.toMatchObject(
      platformError('invalid_auth'),
    );

    const json = await fetch(`${emulator.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-kit-test', 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: CHANNEL, text: 'sent as JSON', blocks: [section('json')] }),
    });
    expect(await json.json()).toMatchObject({
      ok: true,
      message: { text: 'sent as JSON', blocks: [{ type: 'section' }] },
    });
  });

  it('opens a modal with a fresh trigger once; a used or expired trigger is refused', async () => {
    const web = client();
    const trigger = emulator.issueTrigger('UALICE');
    const opened = await web.views.open({ trigger_id: trigger, view: REASON_MODAL });
    const record = emulator.view(String(opened.view?.id));
    expect(record).toMatchObject({
      user: 'UALICE',
      trigger_id: trigger,
      state: 'open',
      view: { callback_id: 'approve-reason' },
    });
    await expect(web.views.open({ trigger_id: trigger, view: REASON_MODAL })).rejects.toMatchObject(
      platformError('exchanged_trigger_id'),
    );
    const late = emulator.issueTrigger('UALICE');
    emulator.advanceClock(3001);
    await expect(web.views.open({ trigger_id: late, view: REASON_MODAL })).rejects.toMatchObject(
      platformError('expired_trigger_id'),
    );

    const hash = String(opened.view?.hash);
    await web.views.update({
      view_id: String(opened.view?.id),
      hash,
      view: { ...REASON_MODAL, private_metadata: 'v2' },
    });
    await expect(
      web.views.update({ view_id: String(opened.view?.id), hash, view: REASON_MODAL }),
    ).rejects.toMatchObject(platformError('hash_conflict'));
    await web.views.publish({ user_id: 'UBOB', view: { type: 'home', blocks: [section('Home')] } });
    expect(emulator.views('UBOB')).toEqual([
      expect.objectContaining({
        type: 'home',
        history: [expect.objectContaining({ action: 'views.publish' })],
      }),
    ]);
  });

  it('takes a file through files.uploadV2 and shares it in the channel', async () => {
    const content = '# Timeline\n03:00 declared\n03:20 restored\n';
    await client().files.uploadV2({
      channel_id: CHANNEL,
      filename: 'timeline.md',
      title: 'Timeline',
      content,
      initial_comment: 'Timeline attached',
    });
    const file = emulator.files().find((f) => f.filename === 'timeline.md');
    expect(file).toMatchObject({
      completed: true,
      channel: CHANNEL,
      title: 'Timeline',
      length: Buffer.byteLength(content),
    });
    expect(file?.bytes?.toString('utf8')).toBe(content);
    expect(emulator.messages(CHANNEL).at(-1)).toMatchObject({ text: 'Timeline attached', files: [file?.id] });
  });

  it('waits out a 429 Retry-After and then succeeds; a 500 reaches a client that does not retry', async () => {
    emulator.fail('chat.postMessage', { status: 429, retryAfter: 1 }, 300);
    await client({ retries: 2, minTimeout: 10, maxTimeout: 50 }).chat.postMessage({
      channel: CHANNEL,
      text: 'after the storm',
    });
    const calls = emulator.callsTo('chat.postMessage').filter((c) => c.params.text === 'after the storm');
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    // Paused for Retry-After (1 s), not for the 10 ms retry policy; a margin for timer rounding.
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);

    const lift = emulator.fail('*', { status: 500 });
    await expect(client().auth.test()).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500 });
    lift();
    await expect(client().auth.test()).resolves.toMatchObject({ ok: true, user_id: 'U0LIFEBOAT' });
  });

  it('answers who is who: users, channels, user groups, ephemerals and permalinks', async () => {
    const web = client();
    const [group] = (await web.usergroups.list({ include_users: true })).usergroups ?? [];
    expect(group).toMatchObject({ handle: 'dr-approvers', users: ['UALICE', 'UBOB'] });
    emulator.userGroups({ 'dr-approvers': ['UCAROL'] });
    expect((await web.usergroups.users.list({ usergroup: String(group?.id) })).users).toEqual(['UCAROL']);
    expect((await web.users.info({ user: 'UBOB' })).user).toMatchObject({ name: 'bob', is_bot: false });
    await expect(web.users.info({ user: 'UNOBODY' })).rejects.toMatchObject(platformError('user_not_found'));
    expect((await web.conversations.info({ channel: CHANNEL })).channel).toMatchObject({ name: 'incident' });
    await web.chat.postEphemeral({ channel: CHANNEL, user: 'UCAROL', text: 'only for carol' });
    expect(emulator.ephemerals(CHANNEL, 'UCAROL').map((e) => e.text)).toEqual(['only for carol']);
    const posted = await web.chat.postMessage({ channel: CHANNEL, text: 'link me' });
    const { permalink } = await web.chat.getPermalink({ channel: CHANNEL, message_ts: String(posted.ts) });
    expect(permalink).toBe(`${emulator.origin}/archives/${CHANNEL}/p${String(posted.ts).replace('.', '')}`);

    const state = (await (await fetch(`${emulator.origin}/_emulator/state`)).json()) as WorkspaceSnapshot;
    const incident = state.channels.find((c) => c.id === CHANNEL);
    expect(incident?.messages.at(-1)).toMatchObject({ ts: posted.ts, text: 'link me' });
    expect(incident?.ephemerals.map((e) => e.user)).toEqual(['UCAROL']);
  });
});

describe('a real Bolt app, driven with signed requests', () => {
  const signingSecret = 'kit-signing-secret';
  let emulator: SlackEmulator;
  let app: App;
  let driver: SlackDriver;
  const seen = {
    commands: [] as { user: string; channel: string; text: string; retryNum: number | undefined }[],
    clicks: [] as {
      user: string;
      channel: string | undefined;
      value: string | undefined;
      ts: string | undefined;
    }[],
    submissions: [] as { user: string; metadata: string; reason: unknown; severity: unknown }[],
    picks: [] as { user: string; value: string; ts: string | undefined }[],
  };

  beforeAll(async () => {
    emulator = await startSlackEmulator();
    app = new App({
      token: 'xoxb-bolt',
      signingSecret,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: emulator.url, retryConfig: { retries: 0 } },
    });
    app.command('/dr', async ({ command, ack, respond, client, context }) => {
      seen.commands.push({
        user: command.user_id,
        channel: command.channel_id,
        text: command.text,
        retryNum: context.retryNum,
      });
      await ack();
      if (context.retryNum !== undefined) return;
      await client.chat.postMessage({
        channel: command.channel_id,
        text: `Incident: ${command.text}`,
        blocks: CARD,
      });
      await respond({ text: 'Declared.' });
    });
    app.action<BlockAction<ButtonAction>>('approve', async ({ ack, body, action, client }) => {
      await ack();
      // Open the modal first: the trigger lives 3 s.
      await client.views.open({
        trigger_id: body.trigger_id,
        view: { ...REASON_MODAL, private_metadata: body.message?.ts ?? '' },
      });
      seen.clicks.push({
        user: body.user.id,
        channel: body.channel?.id,
        value: action.value,
        ts: body.message?.ts,
      });
      await client.chat.update({
        channel: CHANNEL,
        ts: String(body.message?.ts),
        text: `Approved by <@${body.user.id}>`,
        blocks: [],
      });
    });
    app.action<BlockAction<StaticSelectAction>>('pick-severity', async ({ ack, body, action }) => {
      await ack();
      seen.picks.push({ user: body.user.id, value: action.selected_option.value, ts: body.message?.ts });
    });
    app.view('approve-reason', async ({ ack, view, body }) => {
      const values = view.state.values;
      seen.submissions.push({
        user: body.user.id,
        metadata: view.private_metadata,
        reason: values.reason?.text?.value,
        severity: values.severity?.choice?.selected_option?.value,
      });
      await ack();
    });
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    const { port } = server.address() as AddressInfo;
    driver = slackDriver({ botUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret, emulator });
  });
  afterAll(async () => {
    await app.stop();
    await emulator.stop();
  });

  const declare = async (text: string): Promise<Message> => {
    const answer = await driver.command('UALICE', text, { channel: CHANNEL });
    expect(answer.status).toBe(200);
    return eventually(
      () => Promise.resolve(emulator.messages(CHANNEL).find((m) => m.text === `Incident: ${text}`)),
      'the card',
    );
  };

  it('acks a signed slash command and its handler sees who, where and what', async () => {
    const authTest = await eventually(
      () => Promise.resolve(emulator.callsTo('auth.test')[0]),
      'auth.test at start',
    );
    expect(authTest).toMatchObject({ token: 'xoxb-bolt', status: 200 });
    const answer = await driver.command('UALICE', 'declare etcd is down', { channel: CHANNEL });
    expect(answer).toMatchObject({ status: 200, body: '' });
    expect(answer.ms).toBeLessThan(3000);
    expect(seen.commands.at(-1)).toEqual({
      user: 'UALICE',
      channel: CHANNEL,
      text: 'declare etcd is down',
      retryNum: undefined,
    });
    await eventually(
      () =>
        Promise.resolve(emulator.messages(CHANNEL).some((m) => m.text === 'Incident: declare etcd is down')),
      'the card',
    );
    await eventually(
      () => Promise.resolve(emulator.responseUrl(String(answer.responseUrl?.id)).length === 1),
      'the response',
    );
    expect(emulator.ephemerals(CHANNEL, 'UALICE')).toEqual([
      expect.objectContaining({ text: 'Declared.', via: 'response_url' }),
    ]);
  });

  it('delivers a click on a button of the posted card: clicker, channel and value reach the handler', async () => {
    const card = await declare('declare payments namespace deleted');
    const click = await driver.click('UBOB', card, 'Approve');
    expect(click.status).toBe(200);
    await eventually(
      () => Promise.resolve(emulator.message(CHANNEL, card.ts)?.edits.length === 1),
      'the card update',
    );
    expect(seen.clicks.at(-1)).toEqual({
      user: 'UBOB',
      channel: CHANNEL,
      value: 'approve:restore',
      ts: card.ts,
    });
    expect(emulator.message(CHANNEL, card.ts)?.text).toBe('Approved by <@UBOB>');
    expect(emulator.views('UBOB').find((v) => v.trigger_id === click.triggerId)).toMatchObject({
      state: 'open',
    });
    await expect(driver.click('UBOB', card, 'Approve')).rejects.toThrow('no button "Approve"');
  });

  it('submits the modal the app opened, with what the person typed, and Slack closes it', async () => {
    const card = await declare('declare lost cluster');
    const click = await driver.click('UCAROL', card, { actionId: 'approve' });
    const modal = await eventually(
      () => Promise.resolve(emulator.views('UCAROL').find((v) => v.trigger_id === click.triggerId)),
      'the modal',
    );
    const answer = await driver.submitView('UCAROL', modal, { reason: 'backup verified', choice: 'SEV1' });
    expect(answer.status).toBe(200);
    expect(seen.submissions.at(-1)).toEqual({
      user: 'UCAROL',
      metadata: card.ts,
      reason: 'backup verified',
      severity: 'sev1',
    });
    expect(emulator.view(modal.id)?.state).toBe('closed');
  });

  it('delivers a choice in a static select of a message, picked by its visible text', async () => {
    const web = new WebClient('xoxb-bolt', { slackApiUrl: emulator.url, retryConfig: { retries: 0 } });
    const options = ['sev1', 'sev2'].map((value) => ({
      text: { type: 'plain_text' as const, text: value.toUpperCase() },
      value,
    }));
    const posted = await web.chat.postMessage({
      channel: CHANNEL,
      text: 'How bad is it?',
      blocks: [
        {
          type: 'actions',
          block_id: 'severity',
          elements: [
            {
              type: 'static_select',
              action_id: 'pick-severity',
              placeholder: { type: 'plain_text', text: 'Severity' },
              options,
            },
          ],
        },
      ],
    });
    const message = emulator.message(CHANNEL, String(posted.ts));
    if (!message) throw new Error('the message was not stored');
    expect((await driver.select('UBOB', message, 'Severity', 'SEV2')).status).toBe(200);
    await eventually(() => Promise.resolve(seen.picks.length === 1), 'the pick');
    expect(seen.picks).toEqual([{ user: 'UBOB', value: 'sev2', ts: posted.ts }]);
    await expect(driver.select('UBOB', message, 'Severity', 'SEV9')).rejects.toThrow('no option "SEV9"');
  });

  it('sends a Slack retry with its retry number', async () => {
    const answer = await driver.command('UALICE', 'status', { channel: CHANNEL, retry: true });
    expect([answer.status, answer.retry?.status]).toEqual([200, 200]);
    expect(seen.commands.filter((c) => c.text === 'status').map((c) => c.retryNum)).toEqual([undefined, 1]);
  });

  it('answers 401 to a bad signature or a 6-minute-old timestamp, and 400 to the wrong content type, running no handler', async () => {
    const body = new URLSearchParams({
      command: '/dr',
      text: 'declare forged',
      user_id: 'UMALLORY',
      channel_id: CHANNEL,
    }).toString();
    const now = slackTimestamp();
    expect(
      await driver.raw(body, { timestamp: now, signature: slackSignature('not-the-secret', now, body) }),
    ).toMatchObject({ status: 401, body: '' });
    expect((await driver.raw(body, { timestamp: now - 6 * 60 })).status).toBe(401);
    expect((await driver.raw(body, { signature: null })).status).toBe(401);
    expect(
      (await driver.raw(body, { contentType: 'application/x-www-form-urlencoded; charset=utf-8' })).status,
    ).toBe(400);
    expect((await driver.raw(body, { contentType: 'application/json' })).status).toBe(400);
    expect(seen.commands.filter((c) => c.text === 'declare forged')).toEqual([]);
  });
});
