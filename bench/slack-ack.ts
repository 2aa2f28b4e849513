/**
 * bench/slack-ack: how fast Lifeboat acks a signed button click, next to a bare Bolt app whose handler
 * only calls ack(), at 50, 200 and 500 clicks/s, open loop (each click is sent on schedule whatever the
 * answers). One process tree: this process generates the load and measures; Lifeboat (`serve()` against
 * the Slack emulator and the real Redis), the bare Bolt app, a null HTTP server (the floor of the load
 * generator and loopback) and the Slack emulator each run in a child process of their own, so neither app
 * shares an event loop with the generator or with "Slack". Per rate the apps alternate A B B A in 5 s
 * rounds, so drift hits both. Run: npm run bench:slack-ack
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, createServer, request } from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { constants, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { textOf } from '../src/sandbox/slack/blocks.js';
import { buttonsIn, type FoundButton } from '../src/sandbox/slack/interactions.js';
import type { BotIdentity } from '../src/sandbox/slack/model.js';
import { FORM_CONTENT_TYPE, slackSignature } from '../src/sandbox/slack/signing.js';

const HERE = fileURLToPath(import.meta.url);
/** out/bench/slack-ack.js → the repository root. */
const ROOT = path.resolve(path.dirname(HERE), '../..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** BENCH_RATES=200 runs one rate (for profiling); the recorded numbers use all three. */
const RATES: readonly number[] = process.env.BENCH_RATES?.split(',').map(Number) ?? [50, 200, 500];
/** BENCH_PROFILE_DIR: Lifeboat's and the bare app's processes write V8 CPU profiles there (node --cpu-prof) when they stop. */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
/** The node flags the image runs Lifeboat with (the Dockerfile's ENTRYPOINT): both apps get them, so each runs as shipped. */
const SHIPPED_FLAGS = shippedNodeFlags(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
/** BENCH_LIFEBOAT_FLAGS: more node flags for Lifeboat's process (e.g. --max-semi-space-size=1). */
const LIFEBOAT_FLAGS = process.env.BENCH_LIFEBOAT_FLAGS?.split(' ').filter(Boolean) ?? [];

/** `ENTRYPOINT ["node", "--flag", …, "dist/cli/main.js"]` → the flags. */
function shippedNodeFlags(dockerfile: string): string[] {
  const entrypoint = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1];
  const argv = entrypoint ? (JSON.parse(entrypoint) as string[]) : [];
  return argv.slice(1).filter((arg) => arg.startsWith('--'));
}
/** Per app per rate: two rounds of this many seconds (A B B A). */
const ROUND_SECONDS = 5;
const CHANNEL = 'C0INCIDENT';
/** People clicking on the card; each click's idempotency key is card message × button × card version × user. */
const RESPONDERS = Array.from({ length: 200 }, (_, i) => `UR${String(i).padStart(4, '0')}`);
const SAMPLING_MS = 10;
/** Lifeboat counts as drained after a round when it has made no Slack call for this long. */
const QUIET_MS = 3000;

// ---------------------------------------------------------------------------------------------------
// The children: a tiny request/reply protocol over the IPC channel, and event-loop statistics.

type Rpc = { id: number; op: string; args?: unknown };
type RpcReply = { id: number; ok: boolean; result?: unknown; error?: string };
type Handlers = Record<string, (args: never) => unknown>;
type Stats = {
  elu: number;
  delayP99: number;
  delayMax: number;
  cpuMs: number;
  /** Of cpuMs, the time spent in the kernel (system calls: sockets, mostly). */
  sysMs: number;
  /** Garbage-collection pauses: how many, their sum and the longest, in ms. */
  gcCount: number;
  gcMs: number;
  gcMaxMs: number;
  /** Of gcCount, the full (mark-compact) collections and their incremental steps: the long pauses. */
  gcMajor: number;
};

function tell(message: unknown): void {
  if (!process.send) throw new Error('run by the benchmark, not directly');
  process.send(message);
}

/** Answers the parent's requests. */
function answer(handlers: Handlers): void {
  process.on('message', (message: Rpc) => {
    const handler = handlers[message.op];
    void (async () => {
      try {
        if (!handler) throw new Error(`no op ${message.op}`);
        tell({ id: message.id, ok: true, result: await handler(message.args as never) });
      } catch (error) {
        tell({ id: message.id, ok: false, error: (error as Error).stack ?? String(error) });
      }
    })();
  });
}

/** What each app process did during a round: event-loop utilisation and delay, CPU time. */
function processStats(): Handlers {
  const delay = monitorEventLoopDelay({ resolution: SAMPLING_MS });
  delay.enable();
  let elu = performance.eventLoopUtilization();
  let cpu = process.cpuUsage();
  const gc = { count: 0, ms: 0, max: 0, major: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count++;
      gc.ms += entry.duration;
      gc.max = Math.max(gc.max, entry.duration);
      const { kind } = (entry as unknown as { detail?: { kind?: number } }).detail ?? {};
      if (kind !== constants.NODE_PERFORMANCE_GC_MINOR) gc.major++;
    }
  }).observe({ entryTypes: ['gc'] });
  return {
    reset: () => {
      delay.reset();
      elu = performance.eventLoopUtilization();
      cpu = process.cpuUsage();
      Object.assign(gc, { count: 0, ms: 0, max: 0, major: 0 });
      return null;
    },
    stats: (): Stats => {
      const used = process.cpuUsage(cpu);
      return {
        elu: performance.eventLoopUtilization(elu).utilization,
        // The histogram holds whole sampling intervals; what is beyond the interval is the delay.
        delayP99: Math.max(0, delay.percentile(99) / 1e6 - SAMPLING_MS),
        delayMax: Math.max(0, delay.max / 1e6 - SAMPLING_MS),
        cpuMs: (used.user + used.system) / 1000,
        sysMs: used.system / 1000,
        gcCount: gc.count,
        gcMs: gc.ms,
        gcMaxMs: gc.max,
        gcMajor: gc.major,
      };
    },
  };
}

type Card = { ts: string; channel: string; blocks: unknown[]; wire: Record<string, unknown> };
type Issued = { trigger: string; responseUrl: string };

async function emulatorChild(): Promise<void> {
  const { startSlackEmulator } = await import('../src/sandbox/slack/emulator.js');
  const { slackDriver } = await import('../src/sandbox/slack/driver.js');
  const emulator = await startSlackEmulator({
    users: RESPONDERS.map((id, i) => ({ id, name: `responder-${i}` })),
  });
  let cardTs: string | undefined;
  const card = ({ channel }: { channel: string }): Card | null => {
    const message = cardTs
      ? emulator.message(channel, cardTs)
      : emulator.messages(channel).find((m) => m.thread_ts === undefined && /INCIDENT|DRILL/.test(m.text));
    if (!message) return null;
    cardTs = message.ts;
    return {
      ts: message.ts,
      channel: message.channel,
      blocks: message.blocks,
      wire: emulator.wireMessage(message),
    };
  };
  answer({
    ...processStats(),
    declare: async (args: { botUrl: string; signingSecret: string; text: string }) => {
      const driver = slackDriver({ botUrl: args.botUrl, signingSecret: args.signingSecret, emulator });
      const result = await driver.command('UALICE', args.text, { channel: CHANNEL });
      return result.status;
    },
    card,
    /** What Slack mints for each click: a trigger id and a response URL. */
    issue: (args: { users: string[]; channel: string; ts: string }): Issued[] =>
      args.users.map((user) => ({
        trigger: emulator.issueTrigger(user),
        responseUrl: emulator.issueResponseUrl(
          { channel: args.channel, user, message: { ts: args.ts, ephemeral: false } },
          'actions',
        ).url,
      })),
    calls: (): Record<string, number> => {
      const counts: Record<string, number> = { total: emulator.calls.length };
      for (const call of emulator.calls) counts[call.method] = (counts[call.method] ?? 0) + 1;
      return counts;
    },
    stop: () => emulator.stop().then(() => null),
  });
  tell({ ready: { url: emulator.url, identity: emulator.identity } });
}

async function lifeboatChild(): Promise<void> {
  const { serve } = await import('../src/main.js');
  const running = await serve(process.env);
  answer({ ...processStats(), stop: () => running.stop().then(() => null) });
  tell({ ready: { port: running.port } });
}

/** The baseline: the same Bolt, the same signing secret and Web API URL; the handler only acks. */
async function bareChild(): Promise<void> {
  const { App, LogLevel } = await import('@slack/bolt');
  const app = new App({
    token: 'xoxb-bench-bare',
    signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
    logLevel: LogLevel.WARN,
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? '' },
  });
  app.action(/^lb\./, async ({ ack }) => {
    await ack();
  });
  const port = Number(process.env.PORT);
  await app.start(port);
  answer({ ...processStats(), stop: () => app.stop().then(() => null) });
  tell({ ready: { port } });
}

/** 200 and an empty body as soon as the request is read: what the generator and loopback cost. */
async function nullChild(): Promise<void> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end());
  });
  const port = Number(process.env.PORT);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  answer({
    ...processStats(),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(null));
      }),
  });
  tell({ ready: { port } });
}

// ---------------------------------------------------------------------------------------------------
// The parent: starts the children, generates the load, measures, cleans up.

class Child {
  private readonly process: ChildProcess;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private serial = 0;
  private exited = false;
  readonly ready: Promise<unknown>;

  constructor(
    readonly role: string,
    env: Record<string, string>,
    private readonly logFile: string,
  ) {
    const log = openSync(logFile, 'a');
    this.process = fork(HERE, [role], {
      env: { ...process.env, ...env },
      ...(role === 'lifeboat' || role === 'bare'
        ? {
            execArgv: [
              ...process.execArgv,
              ...SHIPPED_FLAGS,
              ...(role === 'lifeboat' ? LIFEBOAT_FLAGS : []),
              ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}/${role}`] : []),
            ],
          }
        : {}),
      stdio: ['ignore', log, log, 'ipc'],
    });
    closeSync(log);
    this.ready = new Promise((resolve, reject) => {
      this.process.on('message', (message: RpcReply | { ready: unknown }) => {
        if ('ready' in message) return resolve(message.ready);
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.ok) waiting?.resolve(message.result);
        else waiting?.reject(new Error(`${role}: ${message.error ?? 'failed'}`));
      });
      this.process.on('error', (error) => reject(error));
      this.process.on('exit', (code, signal) => {
        this.exited = true;
        const error = new Error(`${role} exited (${signal ?? code}); its output: ${this.tail()}`);
        reject(error);
        for (const waiting of this.pending.values()) waiting.reject(error);
        this.pending.clear();
      });
    });
    this.ready.catch(() => undefined);
  }

  call<T>(op: string, args?: unknown): Promise<T> {
    if (this.exited || !this.process.connected)
      return Promise.reject(new Error(`${this.role} is not running`));
    const id = ++this.serial;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.process.send({ id, op, args } satisfies Rpc, (error) => {
        if (!error) return;
        this.pending.delete(id);
        reject(error);
      });
    });
  }

  output(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
  }

  tail(): string {
    return this.output().slice(-3000);
  }

  /** Asks the child to stop cleanly, then lets it go; kills it if it does not exit in time. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    await Promise.race([this.call('stop').catch(() => undefined), sleep(15_000)]);
    if (this.process.connected) this.process.disconnect();
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

type Target = { readonly name: string; readonly url: URL; readonly child: Child; readonly agent: Agent };
type Round = {
  latencies: number[];
  slips: number[];
  errors: Map<string, number>;
  stats: Stats;
  generatorCpuMs: number;
  generatorElu: number;
  emulatorCpuMs: number;
  calls: Record<string, number>;
  drainMs: number;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const ms = (n: number): string => n.toFixed(2);
function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
const count = (errors: Map<string, number>) => [...errors.values()].reduce((n, e) => n + e, 0);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function deletePrefix(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  let deleted = 0;
  try {
    for (let cursor = '0'; ;) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) deleted += await redis.del(...keys);
      if ((cursor = next) === '0') break;
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/**
 * One POST on a keep-alive connection; resolves with the status and the time to the response head
 * (the ack). node:http rather than fetch: on this machine fetch costs ~0.6 ms of CPU per request,
 * http.request ~0.2 ms, and the generator shares the cores with what it measures.
 */
function post(
  url: URL,
  agent: Agent,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const sent = performance.now();
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } },
      (res) => {
        const took = performance.now() - sent;
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: took }));
        res.resume();
      },
    );
    req.setTimeout(10_000, () =>
      req.destroy(Object.assign(new Error('no answer in 10 s'), { code: 'TIMEOUT' })),
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** application/x-www-form-urlencoded exactly as URLSearchParams writes it (per character, so pieces concatenate). */
const formEncode = (text: string): string => new URLSearchParams({ p: text }).toString().slice(2);

async function main(): Promise<void> {
  const secret = `bench-${randomBytes(12).toString('hex')}`;
  const prefix = `lifeboat-bench:${randomBytes(4).toString('hex')}:`;
  const workdir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-bench-ack-'));
  const children: Child[] = [];
  const agents: Agent[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      for (const agent of agents) agent.destroy();
      // Lifeboat before the emulator, so nothing writes to Redis while its keys are deleted.
      for (const child of [...children].reverse()) await child.stop().catch(() => undefined);
      const keys = await deletePrefix(prefix).catch(() => -1);
      await rm(workdir, { recursive: true, force: true });
      console.error(`cleaned up: ${children.length} child processes stopped, ${keys} Redis keys deleted`);
    })());
  const interrupted = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    const config = path.join(workdir, 'lifeboat.yaml');
    await writeFile(config, 'access:\n  approvers: [UALICE, UBOB]\n');
    const start = async (role: string, env: Record<string, string>) => {
      const child = new Child(role, env, path.join(workdir, `${role}.log`));
      children.push(child);
      return { child, ready: await child.ready };
    };
    const emulator = await start('emulator', {});
    const { url: slackApiUrl, identity } = emulator.ready as { url: string; identity: BotIdentity };
    const [lifeboatPort, barePort, nullPort] = [await freePort(), await freePort(), await freePort()];
    const lifeboat = await start('lifeboat', {
      PORT: String(lifeboatPort),
      SLACK_BOT_TOKEN: 'xoxb-bench-lifeboat',
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: slackApiUrl,
      REDIS_URL,
      LIFEBOAT_REDIS_PREFIX: prefix,
      LIFEBOAT_RUNBOOKS: path.join(ROOT, 'test/fixtures/e2e'),
      LIFEBOAT_CONFIG: config,
      LIFEBOAT_WORKDIR: path.join(workdir, 'work'),
    });
    const bare = await start('bare', {
      PORT: String(barePort),
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: slackApiUrl,
    });
    const nothing = await start('null', { PORT: String(nullPort) });
    const target = (name: string, port: number, child: Child): Target => {
      const agent = new Agent({ keepAlive: true });
      agents.push(agent);
      return { name, url: new URL(`http://127.0.0.1:${port}/slack/events`), child, agent };
    };
    const targets = {
      lifeboat: target('Lifeboat', lifeboatPort, lifeboat.child),
      bare: target('bare Bolt', barePort, bare.child),
      null: target('null HTTP server (generator floor)', nullPort, nothing.child),
    };

    // An open incident whose card has buttons, declared as a person would.
    const declared = await emulator.child.call<number>('declare', {
      botUrl: targets.lifeboat.url.href,
      signingSecret: secret,
      text: 'declare bench: ack latency under clicks',
    });
    if (declared !== 200) throw new Error(`/dr declare answered ${declared}`);
    let card: Card | null = null;
    for (const deadline = performance.now() + 60_000; !card?.blocks.length; await sleep(100)) {
      if (performance.now() > deadline)
        throw new Error(`the incident card never appeared; Lifeboat said: ${lifeboat.child.tail()}`);
      card = await emulator.child.call<Card | null>('card', { channel: CHANNEL });
    }

    /**
     * The button a responder clicks on the card as it is now: the answer that needs no modal while
     * the first question shows, "Back" once it is answered. Many people click the same card, so
     * most clicks reach the engine on a state that has moved on: a refusal and an ephemeral reply.
     */
    const buttonOf = (shown: Card): FoundButton => {
      const buttons = buttonsIn(shown.blocks);
      const found =
        buttons.find((b) => textOf(b.text) === 'Something else') ??
        buttons.find((b) => textOf(b.text) === 'Back');
      if (!found) throw new Error(`no clickable button on the card: ${JSON.stringify(shown.blocks)}`);
      return found;
    };
    const team = { id: identity.teamId, domain: identity.teamDomain };
    const person = (user: string) => {
      const name = `responder-${Number(user.slice(2))}`;
      return { id: user, username: name, name, team_id: identity.teamId };
    };
    /** The form body Slack posts for a click on `shown`, as src/sandbox/slack/driver.ts builds it. */
    const clickBody = (shown: Card, user: string, issued: Issued, actionTs: string): string =>
      new URLSearchParams({
        payload: JSON.stringify({
          type: 'block_actions',
          user: person(user),
          api_app_id: identity.appId,
          token: 'emulated-verification-token',
          container: {
            type: 'message',
            message_ts: shown.ts,
            channel_id: shown.channel,
            is_ephemeral: false,
          },
          trigger_id: issued.trigger,
          team,
          enterprise: null,
          is_enterprise_install: false,
          channel: { id: shown.channel, name: 'incident' },
          message: shown.wire,
          state: { values: {} },
          response_url: issued.responseUrl,
          actions: [{ ...buttonOf(shown), type: 'button', action_ts: actionTs }],
        }),
      }).toString();
    /**
     * The same bytes, with the card's part (most of the body) encoded once per card version: the
     * generator then costs the same for every app and stays cheap. Checked against clickBody.
     */
    const fastBody = (shown: Card) => {
      const json = JSON.stringify;
      const button = json(buttonOf(shown));
      const container = {
        type: 'message',
        message_ts: shown.ts,
        channel_id: shown.channel,
        is_ephemeral: false,
      };
      const parts = [
        formEncode('{"type":"block_actions","user":'),
        formEncode(
          `,"api_app_id":${json(identity.appId)},"token":"emulated-verification-token","container":${json(container)},"trigger_id":`,
        ),
        formEncode(
          `,"team":${json(team)},"enterprise":null,"is_enterprise_install":false,"channel":${json({ id: shown.channel, name: 'incident' })},"message":${json(shown.wire)},"state":{"values":{}},"response_url":`,
        ),
        formEncode(`,"actions":[${button.slice(0, -1)},"type":"button","action_ts":`),
        formEncode('}]}'),
      ] as const;
      const body = (user: string, issued: Issued, actionTs: string): string =>
        `payload=${parts[0]}${formEncode(json(person(user)))}${parts[1]}${formEncode(json(issued.trigger))}${parts[2]}` +
        `${formEncode(json(issued.responseUrl))}${parts[3]}${formEncode(json(actionTs))}${parts[4]}`;
      const sample: Issued = { trigger: '1.2.abc', responseUrl: 'https://x.test/a?b=c d' };
      if (body('UR0007', sample, '1.000001') !== clickBody(shown, 'UR0007', sample, '1.000001'))
        throw new Error('the fast click body differs from the driver-style one');
      return { card: shown, body };
    };
    let current = fastBody(card);

    let clicker = 0;
    /** Fires `rate × seconds` clicks on schedule at `target`, whatever the answers. */
    const round = async (target: Target, rate: number, seconds: number): Promise<Round> => {
      const total = Math.round(rate * seconds);
      const users = Array.from(
        { length: total },
        () => RESPONDERS[clicker++ % RESPONDERS.length] ?? 'UALICE',
      );
      const issued = await emulator.child.call<Issued[]>('issue', {
        users,
        channel: CHANNEL,
        ts: current.card.ts,
      });
      const callsBefore = await emulator.child.call<Record<string, number>>('calls');
      await Promise.all([target.child.call('reset'), emulator.child.call('reset')]);
      // The card as people see it, refreshed as Slack clients do when the bot updates it.
      let refreshing = false;
      const refresh = setInterval(() => {
        if (refreshing) return;
        refreshing = true;
        void emulator.child
          .call<Card | null>('card', { channel: CHANNEL })
          .then((c) => {
            if (c && JSON.stringify(c.wire) !== JSON.stringify(current.card.wire)) current = fastBody(c);
          })
          .finally(() => (refreshing = false));
      }, 250);
      const result: Round = {
        latencies: [],
        slips: [],
        errors: new Map(),
        stats: {
          elu: 0,
          delayP99: 0,
          delayMax: 0,
          cpuMs: 0,
          sysMs: 0,
          gcCount: 0,
          gcMs: 0,
          gcMaxMs: 0,
          gcMajor: 0,
        },
        generatorCpuMs: 0,
        generatorElu: 0,
        emulatorCpuMs: 0,
        calls: {},
        drainMs: 0,
      };
      const failed = (kind: string) => result.errors.set(kind, (result.errors.get(kind) ?? 0) + 1);
      const elu = performance.eventLoopUtilization();
      const cpu = process.cpuUsage();
      const startAt = performance.now() + 10;
      const due = (i: number) => startAt + (i * 1000) / rate;
      const fire = async (i: number): Promise<void> => {
        const now = Date.now();
        const body = current.body(users[i] ?? 'UALICE', issued[i] as Issued, (now / 1000).toFixed(6));
        const timestamp = String(Math.floor(now / 1000));
        const headers = {
          'content-type': FORM_CONTENT_TYPE,
          'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': slackSignature(secret, timestamp, body),
        };
        const sent = performance.now();
        result.slips.push(sent - due(i));
        try {
          const answer = await post(target.url, target.agent, headers, body);
          result.latencies.push(answer.ms);
          if (answer.status !== 200) failed(`HTTP ${answer.status}`);
        } catch (error) {
          result.latencies.push(performance.now() - sent);
          failed((error as NodeJS.ErrnoException).code ?? (error as Error).message);
        }
      };
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < total;) {
        const now = performance.now();
        while (i < total && due(i) <= now) inFlight.push(fire(i++));
        if (i < total) await sleep(Math.max(0, due(i) - performance.now()));
      }
      await Promise.all(inFlight);
      const used = process.cpuUsage(cpu);
      result.generatorCpuMs = (used.user + used.system) / 1000;
      result.generatorElu = performance.eventLoopUtilization(elu).utilization;
      result.stats = await target.child.call<Stats>('stats');
      result.emulatorCpuMs = (await emulator.child.call<Stats>('stats')).cpuMs;
      clearInterval(refresh);
      // Let what the clicks set off (engine, presenter, Slack calls) finish before the next round.
      const drainStarted = performance.now();
      let calls = await emulator.child.call<Record<string, number>>('calls');
      for (let stableSince = performance.now(); performance.now() - stableSince < QUIET_MS;) {
        if (performance.now() - drainStarted > 120_000) throw new Error('Lifeboat never went quiet');
        await sleep(250);
        const now = await emulator.child.call<Record<string, number>>('calls');
        if (now.total !== calls.total) stableSince = performance.now();
        calls = now;
      }
      result.drainMs = performance.now() - drainStarted - QUIET_MS;
      for (const [method, n] of Object.entries(calls))
        if (n !== callsBefore[method]) result.calls[method] = n - (callsBefore[method] ?? 0);
      return result;
    };

    const sum = (rounds: Round[], of: (r: Round) => number) => rounds.reduce((n, r) => n + of(r), 0);
    const pool = (rounds: Round[]): Round => {
      const errors = new Map<string, number>();
      for (const [kind, n] of rounds.flatMap((r) => [...r.errors]))
        errors.set(kind, (errors.get(kind) ?? 0) + n);
      const calls: Record<string, number> = {};
      for (const [method, n] of rounds.flatMap((r) => Object.entries(r.calls)))
        calls[method] = (calls[method] ?? 0) + n;
      return {
        latencies: rounds.flatMap((r) => r.latencies),
        slips: rounds.flatMap((r) => r.slips),
        errors,
        stats: {
          elu: sum(rounds, (r) => r.stats.elu) / rounds.length,
          delayP99: Math.max(...rounds.map((r) => r.stats.delayP99)),
          delayMax: Math.max(...rounds.map((r) => r.stats.delayMax)),
          cpuMs: sum(rounds, (r) => r.stats.cpuMs),
          sysMs: sum(rounds, (r) => r.stats.sysMs),
          gcCount: sum(rounds, (r) => r.stats.gcCount),
          gcMs: sum(rounds, (r) => r.stats.gcMs),
          gcMaxMs: Math.max(...rounds.map((r) => r.stats.gcMaxMs)),
          gcMajor: sum(rounds, (r) => r.stats.gcMajor),
        },
        generatorCpuMs: sum(rounds, (r) => r.generatorCpuMs),
        generatorElu: Math.max(...rounds.map((r) => r.generatorElu)),
        emulatorCpuMs: sum(rounds, (r) => r.emulatorCpuMs),
        calls,
        drainMs: Math.max(...rounds.map((r) => r.drainMs)),
      };
    };

    const cpus = os.cpus();
    console.log(
      `machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
        `${os.type()} ${os.release()}, node ${process.version}, load average before ${os
          .loadavg()
          .map((n) => n.toFixed(2))
          .join(' ')}, redis ${REDIS_URL}, both apps run with the image's node flags: ` +
        `${SHIPPED_FLAGS.join(' ') || 'none'}${LIFEBOAT_FLAGS.length ? `, Lifeboat also ${LIFEBOAT_FLAGS.join(' ')}` : ''}`,
    );
    // Warm-up, not recorded: JIT, connections, the engine's cache, auth.test, and each app's first
    // young collections, which promote what start-up left (Lifeboat's ~10 MB took one 15 ms pause).
    for (const t of [targets.null, targets.bare, targets.lifeboat]) await round(t, 200, 10);
    // What each app costs with no clicks at all (Lifeboat: reactors, sweeper, watchers).
    const idle: string[] = [];
    for (const t of [targets.lifeboat, targets.bare]) {
      await t.child.call('reset');
      await sleep(5000);
      const { cpuMs, elu } = await t.child.call<Stats>('stats');
      idle.push(`${t.name} ${(cpuMs / 5).toFixed(0)} ms CPU/s, event loop ${(elu * 100).toFixed(1)}% busy`);
    }
    console.log(`idle, no clicks: ${idle.join('; ')}`);

    const rows: string[] = [];
    const detail: string[] = [];
    const verdict: { rate: number; ratio: number; max: number; errors: number }[] = [];
    for (const rate of RATES) {
      const floor = await round(targets.null, rate, ROUND_SECONDS);
      const lifeboatRounds: Round[] = [];
      const bareRounds: Round[] = [];
      // A B B A: a drift over the rounds lands on both apps alike.
      for (const which of ['lifeboat', 'bare', 'bare', 'lifeboat'] as const) {
        await sleep(500);
        const r = await round(targets[which], rate, ROUND_SECONDS);
        (which === 'lifeboat' ? lifeboatRounds : bareRounds).push(r);
      }
      const results = [
        { name: targets.lifeboat.name, r: pool(lifeboatRounds) },
        { name: targets.bare.name, r: pool(bareRounds) },
        { name: targets.null.name, r: floor },
      ];
      const bareP99 = percentile(results[1]?.r.latencies ?? [], 99);
      for (const { name, r } of results) {
        const p99 = percentile(r.latencies, 99);
        const max = Math.max(...r.latencies);
        const errors = count(r.errors);
        const kinds = [...r.errors].map(([k, n]) => `${n} ${k}`).join(', ');
        rows.push(
          `| ${rate}/s | ${name} | ${r.latencies.length} | ${ms(percentile(r.latencies, 50))} | ${ms(p99)} | ` +
            `${ms(max)} | ${errors}${kinds ? ` (${kinds})` : ''} | ${(p99 / bareP99).toFixed(2)} |`,
        );
        const calls = Object.entries(r.calls)
          .filter(([m]) => m !== 'total')
          .map(([m, n]) => `${m} ${n}`)
          .join(', ');
        detail.push(
          `| ${rate}/s | ${name} | ${(r.stats.cpuMs / r.latencies.length).toFixed(2)} (${(r.stats.sysMs / r.latencies.length).toFixed(2)}) | ${(r.stats.elu * 100).toFixed(0)}% | ` +
            `${ms(r.stats.delayP99)} / ${ms(r.stats.delayMax)} | ` +
            `${r.stats.gcCount} (${r.stats.gcMajor}) / ${ms(r.stats.gcMs)} / ${ms(r.stats.gcMaxMs)} | ${(r.generatorCpuMs / r.latencies.length).toFixed(2)} | ` +
            `${(r.generatorElu * 100).toFixed(0)}% | ${ms(percentile(r.slips, 99))} / ${ms(Math.max(...r.slips))} | ` +
            `${(r.emulatorCpuMs / r.latencies.length).toFixed(2)} | ${calls || '—'} | ${(r.drainMs / 1000).toFixed(1)} |`,
        );
        if (name === targets.lifeboat.name) verdict.push({ rate, ratio: p99 / bareP99, max, errors });
      }
    }

    console.log(
      `load average after ${os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(
          ' ',
        )}\n\n| rate | app | requests | p50 ms | p99 ms | max ms | errors | p99 / bare Bolt p99 |\n` +
        '|---|---|---|---|---|---|---|---|',
    );
    console.log(rows.join('\n'));
    console.log(
      '\n| rate | app | app CPU ms / click (kernel) | app event loop busy | app loop delay p99 / max ms | ' +
        'app GC pauses: count (major) / total / longest ms | ' +
        'generator CPU ms / click | generator loop busy | send slip p99 / max ms | Slack emulator CPU ms / click | ' +
        'Slack calls the clicks caused | drain s |\n|---|---|---|---|---|---|---|---|---|---|---|---|',
    );
    console.log(detail.join('\n'));
    const at200 = verdict.find((v) => v.rate === 200);
    const worst = Math.max(...verdict.map((v) => v.max));
    const errors = verdict.reduce((n, v) => n + v.errors, 0);
    console.log(
      `\ntarget p99 ≤ 1.5 × bare Bolt at 200/s: ${at200 && at200.ratio <= 1.5 ? 'met' : 'MISSED'} ` +
        `(${at200?.ratio.toFixed(2) ?? '?'}×); no ack past 3 s: ${worst <= 3000 && errors === 0 ? 'met' : 'MISSED'} ` +
        `(slowest ${ms(worst)} ms, ${errors} errors)`,
    );
    const logged = lifeboat.child.output().split('\n').filter(Boolean);
    const warnings = new Map<string, number>();
    for (const line of logged.filter((l) => /^\{"level":[45]0,/.test(l))) {
      const { msg, error } = JSON.parse(line) as { msg?: string; error?: string };
      const key = `${msg ?? '?'}${error ? `: ${error}` : ''}`;
      warnings.set(key, (warnings.get(key) ?? 0) + 1);
    }
    console.log(`Lifeboat log: ${logged.length} lines, warnings/errors by message:`);
    for (const [key, n] of [...warnings].sort((a, b) => b[1] - a[1]).slice(0, 8))
      console.log(`  ${n} × ${key}`);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanup();
  }
}

const role = process.argv[2];
// A child whose parent is gone exits rather than linger.
// Ctrl-C reaches the whole process group: the parent stops the children in order.
if (role !== undefined) {
  process.on('disconnect', () => process.exit(0));
  process.on('SIGINT', () => undefined);
}
if (role === 'emulator') await emulatorChild();
else if (role === 'lifeboat') await lifeboatChild();
else if (role === 'bare') await bareChild();
else if (role === 'null') await nullChild();
else await main();
