import { Redis } from 'ioredis';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IncidentState } from '../../src/domain/incident.js';
import { Engine } from '../../src/engine/engine.js';
import { loadRunbooks } from '../../src/runbooks/load.js';
import { sandboxBackup } from '../../src/sandbox/s3.js';
import { PRESENTER_GROUP } from '../../src/slack/presenter.js';
import { startAppService, type AppService } from './app-service.js';
import { ROOT } from './cli.js';
import { etcd35Bin, putKeys } from './etcd.js';
import { contentOf, EtcdMember, type EtcdContent } from './etcd-member.js';
import { startFleet, type Fleet, type Replica } from './fleet.js';
import { K8sEmulator } from '../../src/sandbox/k8s-emulator.js';
import { leaderLease, nodeLease } from '../../src/sandbox/k8s/control-plane-objects.js';
import { daemonSet, deployment, node } from '../../src/sandbox/k8s/objects.js';
import { REDIS_URL } from './redis.js';
import { S3RVER_CREDENTIALS, startS3, type LocalS3 } from './s3.js';

/** The bot's reactors: a paused replica must hold no blocking read in any of them, or it would take the next entry. */
const GROUPS = ['executor', 'autopilot', 'recorder', PRESENTER_GROUP];
/** The bot's reactors block this long per read (src/engine/reactor.ts's default), plus a margin. */
const READ_ENDED_MS = 1500;
export const STEP_FILES_PREFIX = 'lifeboat-step-files/';

/**
 * The etcd drill lab with Lifeboat as several `lifeboat serve` processes: a real etcd 3.5 member,
 * s3rver holding its snapshot and the step files, the Kubernetes API emulator, the application's
 * health URL, and replicas that each have their own workdir and share Redis and stepFiles.
 */
export type EtcdReplicaLab = {
  readonly fleet: Fleet;
  readonly s3: LocalS3;
  readonly api: K8sEmulator;
  readonly app: AppService;
  readonly member: EtcdMember;
  /** The member's content when the snapshot (under sandbox/) was taken. */
  readonly before: EtcdContent;
  /** The runbook's parameters for this lab, as a responder types them. */
  readonly params: Readonly<Record<string, string>>;
  /** Reads the incident as Lifeboat stores it, for waiting; what is asserted is what Slack and the lab show. */
  readonly state: (incidentId: string) => Promise<IncidentState | undefined>;
  /** The replica whose claim ran this step's attempt (the owner Lifeboat writes on the claim in Redis). */
  readonly runnerOf: (incidentId: string, step: string, attempt?: number) => Promise<string | undefined>;
  /** Only `name` runs (SIGCONT); every other replica is frozen (SIGSTOP) with no read of the feed left open. */
  readonly only: (name: string) => Promise<Replica>;
  readonly stop: () => Promise<void>;
};

export async function startEtcdReplicaLab(options: {
  replicas: readonly string[];
  channels: readonly string[];
  keys: number;
  leaseSeconds: number;
}): Promise<EtcdReplicaLab> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-etcd-replicas-'));
  // Undone in reverse on stop, or at once when the setup fails half-way.
  const undo: (() => Promise<unknown> | void)[] = [() => rm(dir, { recursive: true, force: true })];
  const undoAll = async () => {
    for (const step of undo.reverse()) await Promise.resolve(step()).catch(() => undefined);
  };
  try {
    return await setUp(dir, options, undo, undoAll);
  } catch (error) {
    await undoAll();
    throw error;
  }
}

async function setUp(
  dir: string,
  options: Parameters<typeof startEtcdReplicaLab>[0],
  undo: (() => Promise<unknown> | void)[],
  undoAll: () => Promise<void>,
): Promise<EtcdReplicaLab> {
  // etcd 3.5 with etcdutl, for the member here and for the bots (the runbook restores with the revision bump).
  const pathWithEtcd35 = `${etcd35Bin()}${path.delimiter}${process.env.PATH ?? ''}`;
  const savedPath = process.env.PATH;
  process.env.PATH = pathWithEtcd35;
  undo.push(() => {
    process.env.PATH = savedPath;
  });
  const s3 = await startS3();
  undo.push(() => s3.stop());
  const api = await K8sEmulator.create();
  undo.push(() => api.close());
  const app = await startAppService();
  undo.push(() => app.close());
  api.seed('nodes', node('cp-1'), node('worker-1'));
  api.seed('deployments', deployment('kube-system', 'coredns', { replicas: 2 }));
  api.seed('daemonsets', daemonSet('kube-system', 'kube-proxy', 2));
  // The Leases as the snapshot holds them: last renewed before the loss, by holders that are gone.
  const lost = new Date(Date.now() - 600_000);
  api.seed(
    'leases',
    leaderLease('kube-controller-manager', 'cp-1_old', lost),
    leaderLease('kube-scheduler', 'cp-1_old', lost),
    nodeLease('cp-1', lost),
    nodeLease('worker-1', lost),
  );
  const member = await EtcdMember.create({ name: 'm1', dataDir: path.join(dir, 'node', 'var-lib-etcd') });
  await member.start();
  undo.push(() => member.stop());
  await putKeys(member.clientUrl, '/registry/drill/key-', options.keys);
  const before = await contentOf(member.clientUrl);
  // The backup job, as the sandbox runs it: Lifeboat's own snapshot-save and upload, with the cluster's name.
  const backupDir = path.join(dir, 'backup');
  await mkdir(backupDir);
  await sandboxBackup({
    s3: s3.settings,
    etcdEndpoint: member.clientUrl,
    cluster: 'lab',
    workdir: backupDir,
  })();

  const kubeconfig = path.join(dir, 'kubeconfig.json');
  await writeFile(kubeconfig, api.kubeconfigFile(['drill-lab']));
  // JSON is YAML. The drill's stand-in for "primary" is the lab; primary itself is never reached.
  const config = JSON.stringify({
    access: { approvers: ['UALICE', 'UBOB'] },
    clusters: {
      primary: { context: 'production' },
      lab: {
        context: 'drill-lab',
        etcd: { endpoints: [member.clientUrl] },
        apiServers: [api.url],
        isolated: true,
      },
    },
    drills: { cluster: 'lab' },
    s3: s3.settings,
    stepFiles: { bucket: s3.bucket, prefix: STEP_FILES_PREFIX },
    egress: { allow: ['127.0.0.0/8'] },
  });
  const [first, ...others] = options.replicas;
  const fleet = await startFleet({
    names: first ? [first] : [],
    channels: options.channels,
    config,
    runbooks: path.join(ROOT, 'runbooks'),
    env: {
      PATH: pathWithEtcd35,
      KUBECONFIG: kubeconfig,
      HOME: dir,
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      LIFEBOAT_LEASE: `${options.leaseSeconds}s`,
    },
  });
  const signal = (replica: Replica, name: NodeJS.Signals) => process.kill(replica.bot.pid, name);
  undo.push(async () => {
    for (const replica of fleet.replicas()) signal(replica, 'SIGCONT');
    await fleet.stop();
  });
  // One at a time: on a busy machine three starting together miss the bot's readiness deadline.
  for (const name of others) await fleet.add(name);
  const library = await loadRunbooks(path.join(ROOT, 'runbooks'));
  const engine = new Engine({ store: fleet.store, library });
  const redis = new Redis(REDIS_URL);
  undo.push(() => redis.disconnect());

  const idleMs = async (consumer: string): Promise<number> => {
    let least = Infinity;
    for (const group of GROUPS) {
      const rows = (await redis.xinfo('CONSUMERS', `${fleet.prefix}feed`, group)) as unknown[][];
      for (const row of rows) {
        const fields = new Map<unknown, unknown>();
        for (let i = 0; i + 1 < row.length; i += 2) fields.set(row[i], row[i + 1]);
        if (fields.get('name') === consumer) least = Math.min(least, Number(fields.get('idle')));
      }
    }
    return least;
  };

  return {
    fleet,
    s3,
    api,
    app,
    member,
    before,
    params: {
      bucket: s3.bucket,
      prefix: 'sandbox/',
      sourceCluster: 'lab',
      initialCluster: `${member.name}=${member.peerUrl}`,
      checkNamespace: 'kube-system',
      healthUrl: app.healthUrl,
    },
    state: (incidentId) => engine.state(incidentId),
    runnerOf: async (incidentId, step, attempt = 1) =>
      (await redis.get(`${fleet.prefix}{${incidentId}}:claim:${step}:${attempt}`)) ?? undefined,
    only: async (name) => {
      const replicas = fleet.replicas();
      const chosen = replicas.find((r) => r.name === name);
      if (!chosen) throw new Error(`no replica ${name}`);
      signal(chosen, 'SIGCONT');
      const frozen = replicas.filter((r) => r !== chosen);
      for (const replica of frozen) signal(replica, 'SIGSTOP');
      // Redis still serves a read a frozen replica sent before it stopped: wait until each has ended.
      for (const replica of frozen) while ((await idleMs(replica.name)) < READ_ENDED_MS) await sleep(100);
      return chosen;
    },
    stop: undoAll,
  };
}
