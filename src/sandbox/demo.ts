import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../main.js';
import { SANDBOX_CLUSTER, writeSandboxConfig } from './config-files.js';
import { etcdInstalled, startSandboxEtcd, type SandboxEtcd } from './etcd.js';
import { startSandboxCluster, type SandboxCluster } from './cluster.js';
import { freePort } from './ports.js';
import { overrideEnv } from './process-env.js';
import { deleteKeys } from './redis-keys.js';
import { S3RVER_CREDENTIALS, sandboxBackup, startSandboxS3 } from './s3.js';
import { startWorkspacePage } from './server.js';
import { slackDriver, type SlackDriver } from './slack/driver.js';
import { startSlackEmulator, type SlackEmulator } from './slack/emulator.js';
import { drillValues, summaryText, tips, type DrillValues } from './summary.js';
import { within } from '../within.js';
import { errorMessage } from '../errors.js';

export type DemoOptions = {
  /** The workspace page's port, or the next free one; 0 for any free port. Default 3000. */
  readonly port?: number;
  /** Where REDIS_URL and LIFEBOAT_RUNBOOKS come from; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Lines about the sandbox's own work (the periodic snapshot); default nowhere. */
  readonly say?: (line: string) => void;
};

export type Demo = {
  readonly url: string;
  /** The printed block: where to go, what runs, how to stop. */
  readonly summary: string;
  readonly values: DrillValues;
  readonly etcd: boolean;
  readonly dir: string;
  /** The workspace behind the page, for tests that act as Slack without a browser. */
  readonly workspace: { readonly emulator: SlackEmulator; readonly driver: SlackDriver };
  /** The sandbox's Kubernetes cluster with Velero, for tests that look at what a restore did. */
  readonly cluster: SandboxCluster;
  /** Stops everything the demo started, in reverse order, and removes its temporary folder. */
  stop(): Promise<void>;
};

const COMMAND = '/dr';
const PEOPLE = ['UALICE', 'UBOB', 'UCAROL'];
const BACKUP_EVERY_MS = 15 * 60_000;
/** The bot finishes running steps before it stops; a long verification must not hold Ctrl-C hostage. */
const BOT_STOP_MS = 5000;

const SHIPPED_RUNBOOKS = fileURLToPath(new URL('../../runbooks', import.meta.url));

/**
 * The whole sandbox on loopback: the Slack emulator with its page, the real bot (in this process,
 * through `serve`), embedded S3 and, where etcd is installed, a sandbox etcd whose snapshots are in S3.
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const env = options.env ?? process.env;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-demo-'));
  const undo: (() => Promise<void> | void)[] = [() => rm(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const step of undo.splice(0).reverse()) await Promise.resolve(step()).catch(() => undefined);
  };
  try {
    const emulator = await startSlackEmulator({ channels: [{ id: 'C0STATUS', name: 'status' }] });
    undo.push(() => emulator.stop());

    let etcd: SandboxEtcd | undefined;
    if (await etcdInstalled(env.PATH)) {
      etcd = await startSandboxEtcd(path.join(dir, 'etcd'));
      undo.push(() => etcd?.stop());
    }
    await mkdir(path.join(dir, 's3'));
    const s3 = await startSandboxS3(path.join(dir, 's3'));
    undo.push(() => s3.stop());
    let snapshot: string | undefined;
    if (etcd) {
      await mkdir(path.join(dir, 'backups'));
      const backup = sandboxBackup({
        s3: s3.settings,
        etcdEndpoint: etcd.endpoint,
        cluster: SANDBOX_CLUSTER,
        workdir: path.join(dir, 'backups'),
      });
      snapshot = await backup();
      // Like a backup CronJob: the newest snapshot stays younger than the runbook's one-hour RPO check.
      const timer = setInterval(() => {
        backup().then(
          (key) => options.say?.(`sandbox backup: uploaded ${key}`),
          (error: unknown) => options.say?.(`sandbox backup failed: ${errorMessage(error)}`),
        );
      }, BACKUP_EVERY_MS);
      timer.unref();
      undo.push(() => clearInterval(timer));
    }
    const cluster = await startSandboxCluster();
    undo.push(() => cluster.stop());
    const files = await writeSandboxConfig(dir, {
      ...(etcd ? { etcdEndpoint: etcd.endpoint } : {}),
      kubeconfig: cluster.api.kubeconfigFile([SANDBOX_CLUSTER]),
      s3: s3.settings,
    });
    // The AWS SDK and the Kubernetes client read only process.env; the sandbox must never reach real ones.
    undo.push(
      overrideEnv({
        KUBECONFIG: files.kubeconfig,
        AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: undefined,
        AWS_PROFILE: undefined,
      }),
    );

    const redisUrl = env.REDIS_URL || undefined;
    const prefix = `lifeboat-demo-${randomBytes(4).toString('hex')}:`;
    const signingSecret = randomBytes(24).toString('hex');
    const botPort = await freePort();
    const runbooks = env.LIFEBOAT_RUNBOOKS || SHIPPED_RUNBOOKS;
    const bot = await serve(
      {
        SLACK_BOT_TOKEN: `xoxb-sandbox-${randomBytes(8).toString('hex')}`,
        SLACK_SIGNING_SECRET: signingSecret,
        SLACK_API_URL: emulator.url,
        PORT: String(botPort),
        HOST: '127.0.0.1',
        LIFEBOAT_RUNBOOKS: runbooks,
        LIFEBOAT_CONFIG: files.config,
        LIFEBOAT_WORKDIR: path.join(dir, 'work'),
        LIFEBOAT_REPLICA: 'sandbox',
        LIFEBOAT_COMMAND: COMMAND,
        ...(redisUrl ? { REDIS_URL: redisUrl, LIFEBOAT_REDIS_PREFIX: prefix } : {}),
      },
      { dryRun: !etcd },
    );
    if (redisUrl) undo.push(() => deleteKeys(redisUrl, prefix));
    undo.push(() => within(bot.stop(), BOT_STOP_MS, undefined));

    const driver = slackDriver({
      botUrl: `http://127.0.0.1:${botPort}/slack/events`,
      signingSecret,
      emulator,
    });
    let values: DrillValues = drillValues(etcd, '');
    const page = await startWorkspacePage({
      emulator,
      driver,
      command: COMMAND,
      port: options.port ?? 3000,
      info: () => ({ people: PEOPLE, command: COMMAND, tips: tips(COMMAND, values, !!etcd) }),
    });
    undo.push(() => page.stop());
    values = drillValues(etcd, page.url);

    const state = redisUrl
      ? `in Redis at ${redisUrl.replace(/\/\/[^@]*@/, '//')} (keys under ${prefix}, removed on exit)`
      : 'in memory: REDIS_URL is not set, so stopping the demo forgets every incident';
    return {
      url: page.url,
      summary: summaryText({
        url: page.url,
        botPort,
        state,
        etcd,
        s3Endpoint: s3.settings.endpoint ?? '',
        cluster: { url: cluster.api.url, newestBackup: cluster.newestBackup, validates: cluster.validates },
        snapshot,
        runbooks,
        command: COMMAND,
        values,
        dir,
      }),
      values,
      etcd: !!etcd,
      dir,
      workspace: { emulator, driver },
      cluster,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
