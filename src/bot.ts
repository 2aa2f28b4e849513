import { drillClustersOf } from './domain/drill.js';
import { sealer } from './engine/seal.js';
import type { Receiver } from '@slack/bolt';
import os from 'node:os';
import path from 'node:path';
import { actionRegistry } from './actions/index.js';
import { drillActions } from './actions/drill-last-result.js';
import { kubeConfigFromDefault } from './actions/k8s/clients.js';
import { dryRun } from './actions/dry-run.js';
import { notifyAction } from './actions/notify.js';
import { onPath } from './actions/on-path.js';
import { readConfigFile, type Env } from './config.js';
import { Engine } from './engine/engine.js';
import { Executor } from './engine/executor.js';
import { Reactor } from './engine/reactor.js';
import { BackupWatcher } from './engine/backup-watch.js';
import { durationSeconds } from './domain/duration.js';
import { steerScheduledDrill } from './engine/autopilot.js';
import { startDueDrills } from './engine/scheduler.js';
import { recordFinishedDrill } from './engine/drill-recorder.js';
import { meterApprovals } from './engine/approval-meter.js';
import { listChoices } from './engine/list-choices.js';
import { StateCache } from './engine/state-cache.js';
import { sweep } from './engine/sweeper.js';
import { createLog, type Log } from './log.js';
import { createMetrics } from './metrics.js';
import { refreshGauges } from './metrics-scrape.js';
import { loadRunbooks } from './runbooks/load.js';
import { Access } from './slack/access.js';
import { createSlackApp } from './slack/app.js';
import type { Health } from './slack/front-server.js';
import { FollowUps } from './slack/follow-ups.js';
import { botSlackClient } from './slack/bot-client.js';
import { Presenter, PRESENTER_GROUP } from './slack/presenter.js';
import type { FeedEntry } from './engine/ports/index.js';
import { openBotStore, openStepFiles } from './store/open.js';
import { botIdentity } from './slack/identity.js';
import { logStartupFindings, readiness } from './startup-checks.js';
import { slackText } from './slack/blocks/limits.js';
import { errorMessage } from './errors.js';

export type BotOptions = {
  /** The demo on a machine without etcd: nothing runs, every step says what it would run. */
  readonly dryRun?: boolean;
  /** Where Slack's requests come in, in HTTP mode (from the front server); without it, Socket Mode. */
  readonly receiver?: Receiver;
};

export type Bot = {
  readonly log: Log;
  readonly readiness: () => Promise<Health>;
  readonly metrics: () => Promise<{ readonly contentType: string; readonly body: string }>;
  readonly stop: () => Promise<void>;
};

/**
 * The composition root of the bot: from the checked environment, wires the parts and starts them. Slack
 * requests come through `receiver` (from the front server, in HTTP mode) or over Socket Mode.
 */
export async function startBot(env: Env, options: BotOptions = {}): Promise<Bot> {
  const { receiver } = options;
  const config = await readConfigFile(env.LIFEBOAT_CONFIG);
  const { log } = createLog();
  const metrics = createMetrics();
  const replica = env.LIFEBOAT_REPLICA ?? `${os.hostname()}-${process.pid}`;
  const leaseMs = durationSeconds(env.LIFEBOAT_LEASE) * 1000;

  const library = await loadRunbooks(env.LIFEBOAT_RUNBOOKS);
  logStartupFindings(library, config, log);
  const client = botSlackClient(env.SLACK_BOT_TOKEN, { apiUrl: env.SLACK_API_URL, metrics });
  const identity = await botIdentity(client);
  const { store, where, ping } = openBotStore(env.REDIS_URL, env.LIFEBOAT_REDIS_PREFIX);
  log('info', where, { replica });

  const notify = notifyAction(
    async (channel, text) => (await client.chat.postMessage({ channel, text: slackText(text) })).ts ?? '',
  );
  const registry = options.dryRun
    ? dryRun
    : actionRegistry({
        s3: config.s3,
        kube: kubeConfigFromDefault,
        egressAllow: config.egress.allow,
        extra: { notify, ...drillActions(() => store.drillRecords()) },
      });

  const sealing = env.LIFEBOAT_SECRET_KEY ? sealer(env.LIFEBOAT_SECRET_KEY) : undefined;
  const engine = new Engine({ store, library, ...(sealing ? { sealer: sealing } : {}) });
  const drillClusters = drillClustersOf(config.drills);
  const stepFiles = openStepFiles(config, log);
  const executor = new Executor({
    store,
    registry,
    owner: replica,
    leaseMs,
    ...(options.dryRun ? {} : { findTool: (program: string) => onPath(program) }),
    workdirRoot: env.LIFEBOAT_WORKDIR ?? path.join(os.tmpdir(), 'lifeboat'),
    clusters: config.clusters,
    drillClusters,
    ...(stepFiles ? { stepFiles } : {}),
    ...(sealing ? { sealer: sealing } : {}),
    log,
    onProgress: (incidentId, step, line) => presenter.showProgress(incidentId, step, line),
    onStepFinished: (action, passed) => metrics.steps.inc({ action, outcome: passed ? 'passed' : 'failed' }),
  });
  const presenter = new Presenter({
    store,
    client,
    owner: replica,
    drillClusters,
    lockMs: Math.min(10_000, leaseMs),
    log,
  });
  const onError = (group: string) => (error: unknown, entry?: FeedEntry) =>
    log('warn', `${group} will retry`, {
      ...(entry ? { incident: entry.incidentId } : {}),
      error: errorMessage(error),
    });
  const recorderCache = new StateCache();
  const recordDrillsAndApprovals = (e: FeedEntry) =>
    recordFinishedDrill(store, recorderCache, e).then(() =>
      meterApprovals(store, e, (wait) =>
        metrics.approvalWait.observe({ runbook: wait.runbook ?? 'none' }, wait.seconds),
      ),
    );
  // One consumer group per kind of work that follows the feed; an entry unacked for staleMs is taken over.
  const feedWork: [group: string, handle: (e: FeedEntry) => Promise<void>, staleMs: number][] = [
    ['executor', (e) => executor.onFeedEntry(e), leaseMs],
    ['autopilot', (e) => steerScheduledDrill(engine, e), leaseMs],
    ['recorder', recordDrillsAndApprovals, leaseMs],
    [PRESENTER_GROUP, (e) => presenter.onFeedEntry(e), Math.min(10_000, leaseMs)],
  ];
  const reactors = feedWork.map(
    ([group, handle, staleMs]) =>
      new Reactor({ store, group, consumer: replica, handle, staleMs, onError: onError(group) }),
  );
  const alertsChannel = config.channels.alerts;
  const watcher = new BackupWatcher({
    store,
    registry,
    watch: config.backups,
    clusters: config.clusters,
    owner: replica,
    alert: async (text) => {
      if (alertsChannel) await client.chat.postMessage({ channel: alertsChannel, text: slackText(text) });
      else log('warn', `backup alert (set channels.alerts to post it): ${text}`);
    },
  });
  const every = (ms: number, what: string, job: () => Promise<unknown>) =>
    setInterval(() => void job().catch(onError(what)), ms);
  const timers = [
    every(durationSeconds(config.backups.interval) * 1000, 'backup watch', () => watcher.tick()),
    every(30_000, 'scheduler', () => startDueDrills(engine, store, config, Date.now())),
    every(Math.min(10_000, leaseMs / 3), 'sweeper', () =>
      sweep(store, { resume: (incidentId) => executor.resume(incidentId) }),
    ),
  ];

  const scrape = async () => {
    await refreshGauges(metrics, store).catch((error: unknown) =>
      log('warn', 'metrics could not read the store', { error: errorMessage(error) }),
    );
    return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
  };
  const access = new Access(config.access, client);
  const followUps = new FollowUps({ capacity: 1000, concurrency: 16, onError: onError('follow-up') });
  const app = createSlackApp({
    token: env.SLACK_BOT_TOKEN,
    ...(receiver ? { receiver } : { appToken: env.SLACK_APP_TOKEN }),
    identity,
    context: {
      engine,
      access,
      client,
      followUps,
      listChoices: (state, name, spec) =>
        listChoices({ registry, clusters: config.clusters, drillClusters }, state, name, spec),
      command: env.LIFEBOAT_COMMAND,
      drillClusters,
      log,
    },
  });
  await app.start();
  for (const reactor of reactors) reactor.start();

  return {
    log,
    readiness: () => readiness(ping, library),
    metrics: scrape,
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(reactors.map((r) => r.stop()));
      presenter.stop();
      await executor.idle();
      await app.stop();
      await followUps.idle();
      await store.close();
    },
  };
}
