import { randomBytes } from 'node:crypto';
import type { Ephemeral, Message, ResponseTarget, SlackEmulator, ViewRecord } from './emulator.js';
import { findButton, findSelect, stateValues, type ButtonTarget, type InputValue } from './interactions.js';
import { signedSender, type Delivery, type DriverResult, type RawOptions } from './send.js';

export { FORM_CONTENT_TYPE, slackSignature } from './signing.js';
export type { ButtonTarget, InputValue } from './interactions.js';
export type { Delivery, DriverResult, RawOptions } from './send.js';

export type SlackDriver = {
  command(
    user: string,
    text: string,
    options?: { readonly channel?: string; readonly command?: string } & Delivery,
  ): Promise<DriverResult>;
  /** `asSeen`: click the message as given, not as it is now — a person whose Slack has not refreshed yet. */
  click(
    user: string,
    message: Message | Ephemeral,
    button: ButtonTarget,
    options?: Delivery & { readonly asSeen?: boolean },
  ): Promise<DriverResult>;
  /** Picks an option (by value or visible text) in a static select of a message. */
  select(
    user: string,
    message: Message | Ephemeral,
    select: ButtonTarget,
    option: string,
    options?: Delivery,
  ): Promise<DriverResult>;
  submitView(
    user: string,
    view: ViewRecord | string,
    values: Readonly<Record<string, InputValue>>,
    options?: Delivery,
  ): Promise<DriverResult>;
  /** The person opens the app's Home tab: Slack sends the Events API event app_home_opened. */
  homeOpened(user: string, options?: Delivery): Promise<DriverResult>;
  raw(body: string, options?: RawOptions): Promise<DriverResult>;
};

/** The legacy verification token Slack still sends; Bolt ignores it. */
const VERIFICATION_TOKEN = 'emulated-verification-token';

/** Acts as Slack towards the bot: signed slash commands and interactions, built from the emulator's state. */
export function slackDriver(options: {
  botUrl: string;
  signingSecret: string;
  emulator: SlackEmulator;
}): SlackDriver {
  const { botUrl, signingSecret, emulator } = options;
  const { identity } = emulator;
  const team = { id: identity.teamId, domain: identity.teamDomain };

  const { raw, deliver } = signedSender(botUrl, signingSecret);

  const person = (id: string) => {
    const name = emulator.users().find((u) => u.id === id)?.name ?? id;
    return { id, username: name, name, team_id: identity.teamId };
  };
  const channelName = (id: string) => emulator.channels().find((c) => c.id === id)?.name ?? id;
  const payload = (value: unknown) => new URLSearchParams({ payload: JSON.stringify(value) }).toString();

  /** A person acting on a message: Slack reads it afresh, then sends block_actions with what was acted on. */
  const interact = async (
    user: string,
    message: Message | Ephemeral,
    delivery: Delivery & { readonly asSeen?: boolean },
    acted: (blocks: readonly unknown[]) => Record<string, unknown>,
  ): Promise<DriverResult> => {
    // The person acts on what Slack shows now, so read the message afresh.
    const ephemeral = emulator.ephemerals(message.channel).find((e) => e.ts === message.ts);
    const current = delivery.asSeen ? message : (ephemeral ?? emulator.message(message.channel, message.ts));
    if (!current) throw new Error(`message ${message.ts} is not in ${message.channel} (deleted?)`);
    if (ephemeral && ephemeral.user !== user)
      throw new Error(`${user} cannot see an ephemeral meant for ${ephemeral.user}`);
    const action = acted(current.blocks);
    const triggerId = emulator.issueTrigger(user);
    const target = { channel: current.channel, user, message: { ts: current.ts, ephemeral: !!ephemeral } };
    const responseUrl = emulator.issueResponseUrl(target, 'actions');
    const body = payload({
      type: 'block_actions',
      user: person(user),
      api_app_id: identity.appId,
      token: VERIFICATION_TOKEN,
      container: {
        type: 'message',
        message_ts: current.ts,
        channel_id: current.channel,
        is_ephemeral: !!ephemeral,
        ...(current.thread_ts ? { thread_ts: current.thread_ts } : {}),
      },
      trigger_id: triggerId,
      team,
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: current.channel, name: channelName(current.channel) },
      ...(ephemeral ? {} : { message: emulator.wireMessage(current as Message) }),
      state: { values: {} },
      response_url: responseUrl.url,
      actions: [{ ...action, action_ts: (Date.now() / 1000).toFixed(6) }],
    });
    return deliver(
      body,
      { ...(delivery.retry !== undefined ? { retry: delivery.retry } : {}) },
      { triggerId, responseUrl },
    );
  };

  return {
    raw,

    async homeOpened(user, delivery = {}) {
      const published = emulator.views(user).find((v) => v.type === 'home');
      const now = Date.now() / 1000;
      const body = JSON.stringify({
        token: VERIFICATION_TOKEN,
        team_id: identity.teamId,
        api_app_id: identity.appId,
        event: {
          type: 'app_home_opened',
          user,
          channel: `D${user.slice(1)}`,
          tab: 'home',
          event_ts: now.toFixed(6),
          // Slack sends the tab as last published, once there is one.
          ...(published ? { view: emulator.wireView(published) } : {}),
        },
        type: 'event_callback',
        event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
        event_time: Math.floor(now),
        authorizations: [
          {
            enterprise_id: null,
            team_id: identity.teamId,
            user_id: identity.botUserId,
            is_bot: true,
            is_enterprise_install: false,
          },
        ],
        is_ext_shared_channel: false,
      });
      return deliver(body, delivery, {}, 'application/json');
    },

    async command(user, text, { channel = 'C0INCIDENT', command = '/dr', ...delivery } = {}) {
      const target: ResponseTarget = { channel, user };
      const triggerId = emulator.issueTrigger(user);
      const responseUrl = emulator.issueResponseUrl(target, 'commands');
      const form = new URLSearchParams({
        token: VERIFICATION_TOKEN,
        team_id: identity.teamId,
        team_domain: identity.teamDomain,
        channel_id: channel,
        channel_name: channelName(channel),
        user_id: user,
        user_name: person(user).name,
        command,
        text: asSlackSends(text),
        api_app_id: identity.appId,
        is_enterprise_install: 'false',
        response_url: responseUrl.url,
        trigger_id: triggerId,
      });
      const result = await deliver(form.toString(), delivery, { triggerId, responseUrl });
      // Slack shows a command's ack body to the person, as a response_url post would be.
      if (result.status === 200 && result.body.trim() !== '')
        emulator.deliverAck(target, isRecord(result.json) ? result.json : { text: result.body });
      return result;
    },

    async click(user, message, button, delivery = {}) {
      return interact(user, message, delivery, (blocks) => ({
        ...findButton(blocks, button),
        type: 'button',
      }));
    },

    async select(user, message, target, option, delivery = {}) {
      return interact(user, message, delivery, (blocks) => {
        const found = findSelect(blocks, target, option);
        return { ...found, type: 'static_select' };
      });
    },

    async submitView(user, view, values, delivery = {}) {
      const record = emulator.view(typeof view === 'string' ? view : view.id);
      if (!record || record.type !== 'modal' || record.state !== 'open')
        throw new Error(`no open modal ${typeof view === 'string' ? view : view.id}`);
      if (record.user !== user) throw new Error(`modal ${record.id} is open for ${record.user}, not ${user}`);
      const triggerId = emulator.issueTrigger(user);
      const body = payload({
        type: 'view_submission',
        team,
        user: person(user),
        api_app_id: identity.appId,
        token: VERIFICATION_TOKEN,
        trigger_id: triggerId,
        view: emulator.wireView(record, stateValues(record.view, values)),
        response_urls: [],
        is_enterprise_install: false,
        enterprise: null,
      });
      const result = await deliver(body, delivery, { triggerId });
      // Slack closes, replaces or annotates the modal according to the ack.
      if (result.status === 200)
        emulator.applyViewAck(record.id, isRecord(result.json) ? result.json : undefined);
      return result;
    },
  };
}

/**
 * What a person typed, as Slack sends it to a slash command with `should_escape: false` (our
 * manifest): `&`, `<`, `>` as entities, as in all Slack text
 * (https://api.slack.com/reference/surfaces/formatting#escaping); `@alice` and `#incident` as typed,
 * since only escaping turns them into `<@U…>` and `<#C…>` (https://api.slack.com/interactivity/slash-commands).
 */
export function asSlackSends(typed: string): string {
  return typed.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
