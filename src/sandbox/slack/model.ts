import type { KnownBlock, View } from '@slack/types';

/** The emulated workspace's state, in Slack's own field names so tests compare it with what Slack documents. */

/** Request parameters after parsing: form fields are strings, JSON-valued fields (blocks, view, …) parsed. */
export type Params = Readonly<Record<string, unknown>>;

export type SlackUser = {
  readonly id: string;
  readonly name: string;
  readonly real_name: string;
  readonly is_bot: boolean;
};

export type SlackChannel = {
  readonly id: string;
  readonly name: string;
  readonly is_private: boolean;
  /** A direct message with `user`, opened when the bot posts to a user id. */
  readonly is_im: boolean;
  readonly user?: string;
  /** Whether the bot was invited; Slack refuses its posts to a channel it is not in. */
  readonly is_member: boolean;
  /** Who is in the channel; absent, everyone in the workspace. */
  readonly members?: readonly string[];
};

export type UserGroup = {
  readonly id: string;
  readonly handle: string;
  readonly name: string;
  users: string[];
};

/** Who the bot is: what auth.test answers and what its messages carry. */
export type BotIdentity = {
  readonly teamId: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly botName: string;
};

export type ApiCall = {
  readonly method: string;
  readonly params: Params;
  /** The bearer token, when one was sent. */
  readonly token: string | undefined;
  readonly contentType: string | undefined;
  /** Emulator clock, ms since the epoch. */
  readonly at: number;
  readonly status: number;
  readonly response: Params;
};

export type MessageVersion = {
  readonly text: string;
  readonly blocks: readonly KnownBlock[];
  readonly at: number;
};

export type Message = {
  readonly channel: string;
  readonly ts: string;
  readonly thread_ts?: string;
  /** The author; the bot's user id for everything the bot posts. */
  readonly user: string;
  readonly bot_id?: string;
  text: string;
  /** As stored by Slack: parsed, with block_id and action_id filled in where the sender left them out. */
  blocks: KnownBlock[];
  readonly files: readonly string[];
  readonly metadata?: unknown;
  /** Earlier versions, oldest first; the current one is `text`/`blocks`. */
  readonly edits: MessageVersion[];
  deleted: boolean;
  /** `person`: typed by a person in the workspace page (the sandbox), not sent by the bot. */
  readonly via:
    'chat.postMessage' | 'response_url' | 'command_ack' | 'files.completeUploadExternal' | 'person';
  readonly at: number;
};

export type Ephemeral = {
  readonly channel: string;
  /** The one person who sees it. */
  readonly user: string;
  readonly ts: string;
  readonly thread_ts?: string;
  text: string;
  blocks: KnownBlock[];
  readonly edits: MessageVersion[];
  deleted: boolean;
  readonly via: 'chat.postEphemeral' | 'response_url' | 'command_ack';
  readonly at: number;
};

export type ViewEvent = {
  readonly action: 'views.open' | 'views.update' | 'views.publish' | 'views.push' | 'response_action';
  readonly at: number;
  readonly view: View;
};

export type ViewRecord = {
  readonly id: string;
  readonly type: 'modal' | 'home';
  readonly user: string;
  /** The trigger that opened it (modals opened with views.open). */
  readonly trigger_id?: string;
  hash: string;
  /** The current view as the bot sent it, with block ids filled in. */
  view: View;
  state: 'open' | 'closed';
  /** Errors from the last `response_action: errors`, keyed by block_id. */
  errors?: Readonly<Record<string, string>>;
  readonly history: ViewEvent[];
};

export type UploadedFile = {
  readonly id: string;
  readonly filename: string;
  /** The length the client announced in files.getUploadURLExternal. */
  readonly length: number;
  readonly alt_text?: string;
  title?: string;
  bytes?: Buffer;
  completed: boolean;
  channel?: string;
  thread_ts?: string;
  initial_comment?: string;
  readonly at: number;
};

export type Trigger = {
  readonly id: string;
  readonly user: string;
  readonly issuedAt: number;
  usedAt?: number;
};

/** Where a response (response_url post or an ack body) lands. */
export type ResponseTarget = {
  readonly channel: string;
  readonly user: string;
  /** The message the interaction came from, for replace_original / delete_original. */
  readonly message?: { readonly ts: string; readonly ephemeral: boolean };
};

export type ResponsePost = {
  readonly at: number;
  readonly body: Params;
  readonly response_type: 'ephemeral' | 'in_channel';
  readonly replace_original: boolean;
  readonly delete_original: boolean;
  /** HTTP status the emulator answered. */
  readonly status: number;
};

export type ResponseUrl = {
  readonly id: string;
  readonly url: string;
  readonly target: ResponseTarget;
  readonly issuedAt: number;
  readonly posts: ResponsePost[];
};

export type Failure = { readonly status: 429; readonly retryAfter: number } | { readonly status: 500 };

/** Slack's answer to a Web API call. */
export type SlackResult = { readonly ok: true; readonly [key: string]: unknown } | SlackError;
export type SlackError = { readonly ok: false; readonly error: string; readonly [key: string]: unknown };

export function slackError(error: string, extra: Record<string, unknown> = {}): SlackError {
  return { ok: false, error, ...extra };
}
