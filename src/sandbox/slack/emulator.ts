import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlackHttp } from './http.js';
import type {
  ApiCall,
  BotIdentity,
  Ephemeral,
  Failure,
  Message,
  ResponsePost,
  ResponseTarget,
  ResponseUrl,
  SlackChannel,
  SlackUser,
  UploadedFile,
  ViewRecord,
} from './model.js';
import { applyViewAck, deliver } from './responses.js';
import { snapshot, type SnapshotOptions, type WorkspaceSnapshot } from './snapshot.js';
import { SLACK_POSTING_LIMIT } from './rate-limit.js';
import {
  DEFAULT_CHANNELS,
  DEFAULT_IDENTITY,
  DEFAULT_USERS,
  Workspace,
  type Strictness,
} from './workspace.js';

export type * from './model.js';
export type { SnapshotOptions, WorkspaceSnapshot } from './snapshot.js';
export type { Strictness } from './workspace.js';
export type { PostingLimit } from './rate-limit.js';

export type SlackEmulatorOptions = {
  /** Added to alice, bob, carol and mallory (UALICE, UBOB, UCAROL, UMALLORY). */
  users?: readonly { id: string; name: string; real_name?: string }[];
  /**
   * Added to #incident (C0INCIDENT) and #general (C0GENERAL). `invited: false` is a channel the bot
   * was not invited to; `members` (default: everyone) limits who may get ephemerals there.
   */
  channels?: readonly {
    id: string;
    name: string;
    is_private?: boolean;
    invited?: boolean;
    members?: readonly string[];
  }[];
  /** Slack's membership checks and per-channel posting limit; both on unless a test turns one off. */
  strict?: Partial<Strictness>;
  /** User groups by handle, e.g. `{ 'dr-approvers': ['UALICE', 'UBOB'] }`. */
  userGroups?: Readonly<Record<string, readonly string[]>>;
  /** Bot tokens accepted; by default any `xoxb-…` token. */
  tokens?: readonly string[];
  identity?: Partial<BotIdentity>;
};

/** A Slack Web API on loopback that answers like Slack and remembers everything it was asked. */
export type SlackEmulator = {
  /** Base for SLACK_API_URL / `slackApiUrl`, ending in /api/. */
  readonly url: string;
  readonly origin: string;
  readonly identity: BotIdentity;
  /** Every Web API call in arrival order, failures included. */
  readonly calls: readonly ApiCall[];
  callsTo(method: string): readonly ApiCall[];
  /** A channel's messages (thread replies included, deleted ones not), oldest first. */
  messages(channel: string): readonly Message[];
  message(channel: string, ts: string): Message | undefined;
  replies(channel: string, threadTs: string): readonly Message[];
  ephemerals(channel: string, user?: string): readonly Ephemeral[];
  views(user?: string): readonly ViewRecord[];
  view(id: string): ViewRecord | undefined;
  files(): readonly UploadedFile[];
  /** What was posted to a response URL the emulator issued. */
  responseUrl(id: string): readonly ResponsePost[];
  users(): readonly SlackUser[];
  channels(): readonly SlackChannel[];
  /** Sets user groups (handle → member ids); answers handle → usergroup id. */
  userGroups(groups: Readonly<Record<string, readonly string[]>>): Record<string, string>;
  /** Makes `method` (or every method) answer 429 with Retry-After, or 500, for `forMs`; returns a function that lifts it. */
  fail(method: string, failure: Failure, forMs?: number): () => void;
  /** Moves the emulator's clock on (trigger and response_url expiry) without waiting. */
  advanceClock(ms: number): void;
  /** What Slack does when a person interacts; used by the driver. */
  issueTrigger(user: string): string;
  issueResponseUrl(target: ResponseTarget, kind: 'commands' | 'actions'): ResponseUrl;
  deliverAck(target: ResponseTarget, body: Record<string, unknown>): void;
  applyViewAck(viewId: string, body: Record<string, unknown> | undefined): void;
  wireMessage(message: Message): Record<string, unknown>;
  wireView(view: ViewRecord, values?: Record<string, unknown>): Record<string, unknown>;
  /** A person writes in a channel or a thread (what the sandbox page's message box does). */
  say(user: string, channel: string, text: string, threadTs?: string): Message;
  /** Plain JSON of the whole workspace, also served at GET /_emulator/state. */
  snapshot(options?: SnapshotOptions): WorkspaceSnapshot;
  stop(): Promise<void>;
};

export async function startSlackEmulator(options: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const identity = { ...DEFAULT_IDENTITY, ...options.identity };
  const users = [
    ...DEFAULT_USERS,
    ...(options.users ?? []).map((u) => ({
      id: u.id,
      name: u.name,
      real_name: u.real_name ?? u.name,
      is_bot: false,
    })),
  ];
  const channels = [
    ...DEFAULT_CHANNELS,
    ...(options.channels ?? []).map((c) => ({
      id: c.id,
      name: c.name,
      is_private: c.is_private ?? false,
      is_im: false,
      is_member: c.invited ?? true,
      ...(c.members ? { members: [...c.members, identity.botUserId] } : {}),
    })),
  ];
  let http: SlackHttp | undefined;
  const server = createServer((req, res) => {
    if (!http) return void res.writeHead(503).end();
    http.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const workspace = new Workspace(origin, identity, users, channels, {
    membership: options.strict?.membership ?? true,
    postingLimit: options.strict?.postingLimit ?? SLACK_POSTING_LIMIT,
  });
  const routes = (http = new SlackHttp(workspace, options.tokens, () => snapshot(workspace)));

  const setGroups = (groups: Readonly<Record<string, readonly string[]>>): Record<string, string> => {
    const ids: Record<string, string> = {};
    for (const [handle, members] of Object.entries(groups)) {
      const existing = [...workspace.groups.values()].find((g) => g.handle === handle);
      const group = existing ?? { id: workspace.nextId('S'), handle, name: handle, users: [] };
      group.users = [...members];
      workspace.groups.set(group.id, group);
      ids[handle] = group.id;
    }
    return ids;
  };
  setGroups(options.userGroups ?? {});

  return {
    url: `${origin}/api/`,
    origin,
    identity,
    calls: workspace.calls,
    callsTo: (method) => workspace.calls.filter((c) => c.method === method),
    messages: (channel) => (workspace.messages.get(channel) ?? []).filter((m) => !m.deleted),
    message: (channel, ts) => workspace.findMessage(channel, ts),
    replies: (channel, threadTs) =>
      (workspace.messages.get(channel) ?? []).filter((m) => !m.deleted && m.thread_ts === threadTs),
    ephemerals: (channel, user) =>
      workspace.ephemerals.filter((e) => e.channel === channel && !e.deleted && (!user || e.user === user)),
    views: (user) => [...workspace.views.values()].filter((v) => !user || v.user === user),
    view: (id) => workspace.views.get(id),
    files: () => [...workspace.files.values()],
    responseUrl: (id) => workspace.responseUrls.get(id)?.posts ?? [],
    users: () => [...workspace.users.values()],
    channels: () => [...workspace.channels.values()],
    userGroups: setGroups,
    fail: (method, failure, forMs = Number.POSITIVE_INFINITY) => {
      const entry = { method, failure, until: workspace.now() + forMs };
      routes.failures.push(entry);
      return () => {
        const index = routes.failures.indexOf(entry);
        if (index >= 0) routes.failures.splice(index, 1);
      };
    },
    advanceClock: (ms) => workspace.advance(ms),
    issueTrigger: (user) => workspace.issueTrigger(user),
    issueResponseUrl: (target, kind) => workspace.issueResponseUrl(target, kind),
    deliverAck: (target, body) => void deliver(workspace, target, body, 'command_ack'),
    applyViewAck: (viewId, body) => applyViewAck(workspace, viewId, body),
    wireMessage: (message) => workspace.wireMessage(message),
    wireView: (view, values) => workspace.wireView(view, values),
    say: (user, channel, text, threadTs) =>
      workspace.addMessage({
        channel,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        user,
        text,
        blocks: [],
        files: [],
        via: 'person',
      }),
    snapshot: (snapshotOptions) => snapshot(workspace, snapshotOptions),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Clients keep connections alive (undici); close them so stop() does not wait for their timeout.
        server.closeAllConnections();
      }),
  };
}
