import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startBot, type Bot } from './bot.js';
import { ROOT } from './cli.js';
import { eventually } from './eventually.js';
import { RedisStore } from '../../src/store/redis.js';
import { deletePrefix, REDIS_URL, testPrefix } from './redis.js';
import { startSlackEmulator, type Message, type SlackEmulator } from '../../src/sandbox/slack/emulator.js';
import { slackDriver, type SlackDriver } from '../../src/sandbox/slack/driver.js';

export const SECRET = 'e2e-signing-secret-0123456789';
export const CHANNEL = 'C0INCIDENT';

/** The bot as a process, a Slack emulator, a signed driver, and the real Redis under a fresh prefix. */
export type World = {
  readonly emulator: SlackEmulator;
  readonly bot: Bot;
  readonly slack: SlackDriver;
  readonly prefix: string;
  /** The bot's state, read straight from Redis: to prove what a request did or did not change. */
  readonly store: RedisStore;
  /** The newest card, in #incident unless another channel is named. */
  readonly card: (where?: InChannel) => Message | undefined;
  readonly cardText: (where?: InChannel) => string;
  readonly thread: (where?: InChannel) => readonly Message[];
  readonly until: <T>(check: () => T | undefined | false, what: string, ms?: number) => Promise<T>;
  readonly stop: () => Promise<void>;
};

/** Drills need a cluster of their own; these tests' runbooks name none, so any stand-in will do. */
export const DRILL_CLUSTER = 'clusters:\n  drill: { context: drill }\ndrills:\n  cluster: drill\n';
const DEFAULT_CONFIG = `access:\n  approvers: [UALICE, UBOB]\n${DRILL_CLUSTER}`;

/** A channel to look in: incidents in channels of their own are not paced behind each other's posts. */
export type InChannel = { readonly channel?: string };

export async function startWorld(
  options: {
    config?: string;
    runbooks?: string;
    env?: Record<string, string>;
    /** More channels the bot is in, by id. */
    channels?: readonly string[];
  } = {},
): Promise<World> {
  const emulator = await startSlackEmulator({
    channels: [
      { id: 'C0STATUS', name: 'status' },
      ...(options.channels ?? []).map((id) => ({ id, name: id.toLowerCase() })),
    ],
  });
  const prefix = testPrefix();
  const workdir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-e2e-'));
  const config = path.join(workdir, 'lifeboat.yaml');
  await writeFile(config, options.config ?? DEFAULT_CONFIG);
  const bot = await startBot({
    SLACK_BOT_TOKEN: 'xoxb-e2e-token',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: emulator.url,
    REDIS_URL,
    LIFEBOAT_REDIS_PREFIX: prefix,
    LIFEBOAT_RUNBOOKS: options.runbooks ?? path.join(ROOT, 'test/fixtures/e2e'),
    LIFEBOAT_CONFIG: config,
    LIFEBOAT_WORKDIR: path.join(workdir, 'work'),
    ...options.env,
  });
  const store = new RedisStore(REDIS_URL, { prefix });
  const slack = slackDriver({ botUrl: bot.eventsUrl, signingSecret: SECRET, emulator });
  const card = ({ channel = CHANNEL }: InChannel = {}): Message | undefined =>
    emulator
      .messages(channel)
      // The newest card: an incident card opens with a header block (other posts may say DRILL too).
      .findLast(
        (m) =>
          m.thread_ts === undefined &&
          /INCIDENT|DRILL/.test(m.text) &&
          JSON.stringify(m.blocks ?? []).startsWith('[{"type":"header"'),
      );
  const cardText = (where: InChannel = {}): string => JSON.stringify(card(where)?.blocks ?? []);
  const thread = (where: InChannel = {}): readonly Message[] => {
    const c = card(where);
    return c ? emulator.replies(where.channel ?? CHANNEL, c.ts).filter((m) => m.ts !== c.ts) : [];
  };
  const until = <T>(check: () => T | undefined | false, what: string, ms = 15_000): Promise<T> =>
    eventually(() => Promise.resolve(check()), what, ms).catch((error: unknown) => {
      const seen = JSON.stringify(emulator.ephemerals(CHANNEL).map((e) => e.text));
      throw new Error(
        `${(error as Error).message}\nephemerals: ${seen}\nbot: ${bot.output()}\ncard: ${cardText()}`,
      );
    });
  return {
    emulator,
    bot,
    slack,
    prefix,
    store,
    card,
    cardText,
    thread,
    until,
    stop: async () => {
      await store.close();
      await bot.stop();
      await emulator.stop();
      await deletePrefix(prefix);
      await rm(workdir, { recursive: true, force: true });
    },
  };
}
