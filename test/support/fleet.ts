import { DRILL_CLUSTER } from './e2e.js';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startBot, type Bot } from './bot.js';
import { ROOT } from './cli.js';
import { SECRET } from './e2e.js';
import { eventually } from './eventually.js';
import { deletePrefix, REDIS_URL, testPrefix } from './redis.js';
import { RedisStore } from '../../src/store/redis.js';
import { startSlackEmulator, type Message, type SlackEmulator } from '../../src/sandbox/slack/emulator.js';
import { slackDriver, type SlackDriver } from '../../src/sandbox/slack/driver.js';

export type Replica = { readonly name: string; readonly bot: Bot; readonly slack: SlackDriver };

/**
 * Several bot processes sharing one Redis prefix and one Slack workspace, as replicas behind a
 * Service: each has its own port, scratch folder and name. Runbooks come from test/fixtures/chaos,
 * their commands append to a shared ledger file, so a test counts runs by what the commands did.
 */
export type Fleet = {
  readonly emulator: SlackEmulator;
  readonly store: RedisStore;
  readonly prefix: string;
  readonly replicas: () => readonly Replica[];
  /** Starts one more replica (a new pod replacing a dead one). */
  readonly add: (name: string) => Promise<Replica>;
  /** `kill -9`: no shutdown hook runs, leases are left to expire. */
  readonly kill: (name: string) => Promise<void>;
  /** The replica's own LIFEBOAT_WORKDIR (a pod's emptyDir): other replicas never see it. */
  readonly workdir: (name: string) => string;
  /** Lines the runbooks' commands appended, for one incident: "start", "rollback", … or the id alone. */
  readonly ledger: (incidentId: string) => Promise<string[]>;
  readonly card: (channel: string) => Message | undefined;
  readonly thread: (channel: string) => readonly Message[];
  readonly until: <T>(
    check: () => T | undefined | false | Promise<T | undefined | false>,
    what: string,
    ms?: number,
  ) => Promise<T>;
  readonly stop: () => Promise<void>;
};

export async function startFleet(options: {
  names: readonly string[];
  channels: readonly string[];
  config?: string;
  env?: Record<string, string>;
  redisUrl?: string;
  /** A runbook folder used as it is, instead of the chaos fixtures. */
  runbooks?: string;
}): Promise<Fleet> {
  const redisUrl = options.redisUrl ?? REDIS_URL;
  const emulator = await startSlackEmulator({
    channels: options.channels.map((id) => ({ id, name: id.toLowerCase() })),
  });
  const prefix = testPrefix();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-fleet-'));
  const ledgerFile = path.join(dir, 'ledger.log');
  await writeFile(ledgerFile, '');
  const runbooks = options.runbooks ?? path.join(dir, 'runbooks');
  if (!options.runbooks) await writeRunbooks(runbooks, ledgerFile);
  const config = path.join(dir, 'lifeboat.yaml');
  await writeFile(config, options.config ?? `access:\n  approvers: [UALICE, UBOB, UCAROL]\n${DRILL_CLUSTER}`);

  const running: Replica[] = [];
  const workdir = (name: string) => path.join(dir, 'work', name);
  const add = async (name: string): Promise<Replica> => {
    const bot = await startBot({
      SLACK_BOT_TOKEN: 'xoxb-fleet-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: emulator.url,
      REDIS_URL: redisUrl,
      LIFEBOAT_REDIS_PREFIX: prefix,
      LIFEBOAT_RUNBOOKS: runbooks,
      LIFEBOAT_CONFIG: config,
      LIFEBOAT_WORKDIR: workdir(name),
      LIFEBOAT_REPLICA: name,
      ...options.env,
    });
    const replica = {
      name,
      bot,
      slack: slackDriver({ botUrl: bot.eventsUrl, signingSecret: SECRET, emulator }),
    };
    running.push(replica);
    return replica;
  };
  await Promise.all(options.names.map(add));

  const store = new RedisStore(redisUrl, { prefix });
  const card = (channel: string): Message | undefined =>
    emulator.messages(channel).find((m) => m.thread_ts === undefined && /INCIDENT|DRILL/.test(m.text));
  const thread = (channel: string): readonly Message[] => {
    const c = card(channel);
    return c ? emulator.replies(channel, c.ts).filter((m) => m.ts !== c.ts) : [];
  };
  const output = () =>
    [
      ...running.map((r) => `--- ${r.name}\n${r.bot.output()}`),
      `--- Slack calls (last 10)`,
      ...emulator.calls.slice(-10).map((c) => `${c.method} ${JSON.stringify(c.params).slice(0, 300)}`),
    ].join('\n');
  return {
    emulator,
    store,
    prefix,
    replicas: () => running,
    add,
    workdir,
    kill: async (name) => {
      const index = running.findIndex((r) => r.name === name);
      const [replica] = running.splice(index, 1);
      if (!replica) throw new Error(`no replica ${name}`);
      await replica.bot.stop('SIGKILL');
    },
    ledger: async (incidentId) =>
      (await readFile(ledgerFile, 'utf8'))
        .split('\n')
        .filter((line) => line === incidentId || line.startsWith(`${incidentId} `))
        .map((line) => line.slice(incidentId.length).trim()),
    card,
    thread,
    until: (check, what, ms = 20_000) =>
      eventually(() => Promise.resolve(check()), what, ms).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\n${output()}`);
      }),
    stop: async () => {
      await store.close();
      await Promise.all(running.map((r) => r.bot.stop()));
      await emulator.stop();
      await deletePrefix(prefix, redisUrl);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The chaos fixtures with the ledger's absolute path filled in. */
async function writeRunbooks(target: string, ledger: string): Promise<void> {
  const source = path.join(ROOT, 'test/fixtures/chaos');
  await mkdir(target, { recursive: true });
  for (const file of await readdir(source)) {
    const text = await readFile(path.join(source, file), 'utf8');
    await writeFile(path.join(target, file), text.replaceAll('@LEDGER@', ledger));
  }
}
