import { randomBytes } from 'node:crypto';
import type { View } from '@slack/types';
import type {
  ApiCall,
  BotIdentity,
  Ephemeral,
  Message,
  ResponseTarget,
  ResponseUrl,
  SlackChannel,
  SlackUser,
  Trigger,
  UploadedFile,
  UserGroup,
  ViewEvent,
  ViewRecord,
} from './model.js';
import { slackError, type SlackError } from './model.js';
import { SLACK_POSTING_LIMIT, type PostingLimit } from './rate-limit.js';

/** What the emulator refuses beyond Block Kit: both on by default, as in Slack; tests of other things may turn them off. */
export type Strictness = {
  /** Refuse posts to channels the bot is not in, and ephemerals to people not in the channel. */
  readonly membership: boolean;
  /** chat.postMessage per channel; false never answers 429 on its own. */
  readonly postingLimit: PostingLimit | false;
};

export const DEFAULT_IDENTITY: BotIdentity = {
  teamId: 'T0LIFEBOAT',
  teamDomain: 'lifeboat-test',
  botUserId: 'U0LIFEBOAT',
  botId: 'B0LIFEBOAT',
  appId: 'A0LIFEBOAT',
  botName: 'lifeboat',
};

/** The people of the sandbox and of test/support/incident-fixtures.ts, so ids line up across tests. */
export const DEFAULT_USERS: readonly SlackUser[] = [
  { id: 'UALICE', name: 'alice', real_name: 'Alice Archer', is_bot: false },
  { id: 'UBOB', name: 'bob', real_name: 'Bob Baker', is_bot: false },
  { id: 'UCAROL', name: 'carol', real_name: 'Carol Chen', is_bot: false },
  { id: 'UMALLORY', name: 'mallory', real_name: 'Mallory Moss', is_bot: false },
];

export const DEFAULT_CHANNELS: readonly SlackChannel[] = [
  { id: 'C0INCIDENT', name: 'incident', is_private: false, is_im: false, is_member: true },
  { id: 'C0GENERAL', name: 'general', is_private: false, is_im: false, is_member: true },
];

/** Everything the emulated workspace holds; plain data, mutated only through the Web API handlers. */
export class Workspace {
  readonly users = new Map<string, SlackUser>();
  readonly channels = new Map<string, SlackChannel>();
  readonly groups = new Map<string, UserGroup>();
  readonly calls: ApiCall[] = [];
  readonly messages = new Map<string, Message[]>();
  readonly ephemerals: Ephemeral[] = [];
  readonly views = new Map<string, ViewRecord>();
  readonly files = new Map<string, UploadedFile>();
  readonly triggers = new Map<string, Trigger>();
  readonly responseUrls = new Map<string, ResponseUrl>();
  private clockOffset = 0;
  private lastTsMicros = 0;
  private serial = 0;

  constructor(
    readonly origin: string,
    readonly identity: BotIdentity,
    users: readonly SlackUser[],
    channels: readonly SlackChannel[],
    readonly strict: Strictness = { membership: true, postingLimit: SLACK_POSTING_LIMIT },
  ) {
    const bot = { id: identity.botUserId, name: identity.botName, real_name: 'Lifeboat', is_bot: true };
    for (const user of [bot, ...users]) this.users.set(user.id, user);
    for (const channel of channels) this.channels.set(channel.id, channel);
  }

  /** The emulator's clock: real time, moved on by `advance` so expiry tests need not wait. */
  now(): number {
    return Date.now() + this.clockOffset;
  }
  advance(ms: number): void {
    this.clockOffset += ms;
  }

  /** Slack ts: seconds.micros, strictly increasing across the workspace. */
  nextTs(): string {
    const micros = Math.max(this.now() * 1000, this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  /** Ids in Slack's shape (prefix letter + uppercase alphanumerics), deterministic per emulator. */
  nextId(prefix: string): string {
    this.serial += 1;
    return `${prefix}0${String(this.serial).padStart(9, '0')}`;
  }

  /** A channel id, or a user id the bot writes to directly (which opens a DM, as Slack does). */
  resolveChannel(id: unknown): SlackChannel | undefined {
    if (typeof id !== 'string') return undefined;
    const channel = this.channels.get(id);
    if (channel) return channel;
    // Slack also takes a channel's name, as "#name".
    if (id.startsWith('#')) return [...this.channels.values()].find((c) => c.name === id.slice(1));
    if (!this.users.has(id)) return undefined;
    const dm: SlackChannel = {
      id: `D${id.slice(1)}`,
      name: id,
      is_private: true,
      is_im: true,
      user: id,
      is_member: true,
      members: [id, this.identity.botUserId],
    };
    this.channels.set(dm.id, dm);
    return dm;
  }

  /**
   * Whether the bot may post in a channel, as chat.postMessage answers: `not_in_channel` for a public
   * channel it was not invited to, `channel_not_found` for a private one it cannot see
   * (https://api.slack.com/methods/chat.postMessage#errors). Off when the emulator is told not to check.
   */
  refusePost(channel: SlackChannel): SlackError | undefined {
    if (!this.strict.membership || channel.is_member) return undefined;
    return slackError(channel.is_private ? 'channel_not_found' : 'not_in_channel');
  }

  /** Whether someone is in a channel (chat.postEphemeral answers `user_not_in_channel` otherwise). */
  isInChannel(channel: SlackChannel, user: string): boolean {
    return !this.strict.membership || channel.members === undefined || channel.members.includes(user);
  }

  channelMessages(channel: string): Message[] {
    let list = this.messages.get(channel);
    if (!list) this.messages.set(channel, (list = []));
    return list;
  }

  findMessage(channel: string, ts: unknown): Message | undefined {
    return this.messages.get(channel)?.find((m) => m.ts === ts && !m.deleted);
  }

  findEphemeral(channel: string, ts: unknown): Ephemeral | undefined {
    return this.ephemerals.find((m) => m.channel === channel && m.ts === ts && !m.deleted);
  }

  addMessage(message: Omit<Message, 'ts' | 'edits' | 'deleted' | 'at'>): Message {
    const record: Message = { ...message, ts: this.nextTs(), edits: [], deleted: false, at: this.now() };
    this.channelMessages(message.channel).push(record);
    return record;
  }

  addEphemeral(message: Omit<Ephemeral, 'ts' | 'edits' | 'deleted' | 'at'>): Ephemeral {
    const record: Ephemeral = { ...message, ts: this.nextTs(), edits: [], deleted: false, at: this.now() };
    this.ephemerals.push(record);
    return record;
  }

  /** Slack's wire shape of a message, as API answers and interaction payloads carry it. */
  wireMessage(message: Message): Record<string, unknown> {
    return {
      type: 'message',
      text: message.text,
      user: message.user,
      ...(message.bot_id
        ? { bot_id: message.bot_id, app_id: this.identity.appId, team: this.identity.teamId }
        : {}),
      ts: message.ts,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
      ...(message.files.length > 0 ? { files: message.files.map((id) => ({ id })) } : {}),
      ...(message.edits.length > 0 ? { edited: { user: message.user, ts: message.ts } } : {}),
    };
  }

  issueTrigger(user: string): string {
    this.serial += 1;
    const id = `${this.serial}.${Math.floor(this.now() / 1000)}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { id, user, issuedAt: this.now() });
    return id;
  }

  issueResponseUrl(target: ResponseTarget, kind: 'commands' | 'actions'): ResponseUrl {
    const id = this.nextId('R');
    const url = `${this.origin}/${kind}/${this.identity.teamId}/${id}/${randomBytes(12).toString('hex')}`;
    const record: ResponseUrl = { id, url, target, issuedAt: this.now(), posts: [] };
    this.responseUrls.set(id, record);
    return record;
  }

  newHash(): string {
    return `${Math.floor(this.now() / 1000)}.${randomBytes(4).toString('hex')}`;
  }

  recordView(record: ViewRecord, action: ViewEvent['action'], view: View): void {
    record.view = view;
    record.hash = this.newHash();
    record.history.push({ action, at: this.now(), view });
  }

  /** Slack's wire shape of a view, as views.* answer and view_submission payloads carry it. */
  wireView(record: ViewRecord, values: Record<string, unknown> = {}): Record<string, unknown> {
    const view = record.view as View & Record<string, unknown>;
    return {
      id: record.id,
      team_id: this.identity.teamId,
      private_metadata: '',
      callback_id: '',
      external_id: '',
      ...(record.type === 'modal' ? { clear_on_close: false, notify_on_close: false } : {}),
      ...view,
      state: { values },
      hash: record.hash,
      previous_view_id: null,
      root_view_id: record.id,
      app_id: this.identity.appId,
      app_installed_team_id: this.identity.teamId,
      bot_id: this.identity.botId,
    };
  }
}
