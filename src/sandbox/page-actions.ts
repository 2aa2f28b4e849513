import { z } from 'zod';
import type { Ephemeral, Message, SlackEmulator } from './slack/emulator.js';
import type { DriverResult, SlackDriver } from './slack/driver.js';

/** What the workspace page may ask for; every request names the person it acts as. */
const Person = { user: z.string().min(1) };
const OnMessage = { ...Person, channel: z.string().min(1), ts: z.string().min(1) };
const Element = { ...OnMessage, actionId: z.string().min(1), blockId: z.string().min(1) };
const Requests = {
  command: z.strictObject({ ...Person, channel: z.string().min(1), text: z.string().min(1).max(4000) }),
  message: z.strictObject({
    ...Person,
    channel: z.string().min(1),
    text: z.string().min(1).max(4000),
    threadTs: z.string().optional(),
  }),
  click: z.strictObject(Element),
  select: z.strictObject({ ...Element, value: z.string() }),
  submit: z.strictObject({
    ...Person,
    view: z.string().min(1),
    values: z.record(z.string(), z.string()),
  }),
  close: z.strictObject({ ...Person, view: z.string().min(1) }),
};
export type PageRequest = keyof typeof Requests;
export const PAGE_REQUESTS = Object.keys(Requests) as PageRequest[];

export type PageDeps = {
  readonly emulator: SlackEmulator;
  readonly driver: SlackDriver;
  /** The bot's slash command, e.g. /dr. */
  readonly command: string;
};

/** An answer for the page: 200 with what happened, or a status and one line it shows the person. */
export type PageAnswer = { readonly status: number; readonly body: Record<string, unknown> };

const refused = (status: number, error: string): PageAnswer => ({ status, body: { ok: false, error } });

/** How the bot answered, in the words the page shows when it did not take the request. */
function botAnswer(result: DriverResult): PageAnswer {
  if (result.status === 200) return { status: 200, body: { ok: true } };
  return refused(502, `the bot answered HTTP ${result.status}: ${result.body.slice(0, 200)}`);
}

function find(emulator: SlackEmulator, channel: string, ts: string): Message | Ephemeral | undefined {
  return emulator.ephemerals(channel).find((e) => e.ts === ts) ?? emulator.message(channel, ts);
}

type Handlers = {
  readonly [K in PageRequest]: (
    request: z.infer<(typeof Requests)[K]>,
    deps: PageDeps,
  ) => Promise<PageAnswer>;
};

const handlers: Handlers = {
  async command({ user, channel, text }, { driver, command }) {
    const [, typed = '', rest = ''] = /^(\/\S+)\s*([\s\S]*)$/.exec(text.trim()) ?? [];
    if (typed !== command) return refused(400, `${typed || text} is not a command here; try ${command} help`);
    return botAnswer(await driver.command(user, rest, { channel, command }));
  },
  message({ user, channel, text, threadTs }, { emulator }) {
    emulator.say(user, channel, text, threadTs);
    return Promise.resolve({ status: 200, body: { ok: true } });
  },
  async click({ user, channel, ts, actionId, blockId }, { emulator, driver }) {
    const message = find(emulator, channel, ts);
    if (!message) return refused(404, 'that message is gone; use the latest one');
    return botAnswer(await driver.click(user, message, { actionId, blockId }));
  },
  async select({ user, channel, ts, actionId, blockId, value }, { emulator, driver }) {
    const message = find(emulator, channel, ts);
    if (!message) return refused(404, 'that message is gone; use the latest one');
    return botAnswer(await driver.select(user, message, { actionId, blockId }, value));
  },
  async submit({ user, view, values }, { driver }) {
    return botAnswer(await driver.submitView(user, view, values));
  },
  close({ user, view }, { emulator }) {
    if (emulator.view(view)?.user !== user) return Promise.resolve(refused(404, 'no such modal for you'));
    // Slack closes a modal the person dismisses; without notify_on_close the app hears nothing.
    emulator.applyViewAck(view, undefined);
    return Promise.resolve({ status: 200, body: { ok: true } });
  },
};

/** Turns a page request into what Slack would do: a signed request to the bot, or a change in the workspace. */
export async function pageAction(kind: PageRequest, input: unknown, deps: PageDeps): Promise<PageAnswer> {
  const parsed = Requests[kind].safeParse(input);
  if (!parsed.success) return refused(400, `bad ${kind} request: ${parsed.error.issues[0]?.message ?? ''}`);
  const { user } = parsed.data;
  if (!deps.emulator.users().some((u) => u.id === user)) return refused(400, `no user ${user}`);
  // TypeScript cannot tie handlers[kind] to Requests[kind]; the parse above did.
  const handler = handlers[kind] as (request: unknown, deps: PageDeps) => Promise<PageAnswer>;
  return handler(parsed.data, deps);
}
