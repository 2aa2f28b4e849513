import { KubeConfig } from '@kubernetes/client-node';
import { rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { ClusterTarget } from '../engine/action-port.js';
import { reconcileAutoscalers, settleWorkloads } from './k8s/controllers.js';
import type { BackedUp } from './k8s/restore-items.js';
import { DEFAULT_PLAN, advanceRestores, type RestorePlan, type RestoreProgress } from './k8s/restores.js';
import { route, type Fault, type Served } from './k8s/routes.js';
import {
  ClusterState,
  isPlural,
  RESOURCES,
  type KObject,
  type Plural,
  type ResourceKey,
} from './k8s/store.js';
import { admit, crdsFound, invalidStatus, type VeleroPlural } from './velero/crd.js';
import { answerDownloads } from './velero/download-controller.js';
import { ObjectStorage } from './velero/object-storage.js';
import { renewLeases, type Heartbeats } from './k8s/leases.js';
import { makeCertificates, type Certificates } from './k8s/tls.js';
import type { DropPlan } from './k8s/watch.js';

export type { Fault, KObject, Plural, RestorePlan };

/** A raw answer: status, headers and body text (a watch's body is its whole stream, once it ends). */
export type Answer = { status: number; headers: IncomingHttpHeaders; text: string };

/**
 * An HTTPS emulator of the Kubernetes API paths Lifeboat uses (core, apps, Velero), with Restores
 * that move through their phases on a ticker, watch streams, injected failures, and an API that
 * can be taken away (`stop`) and brought back (`start`) on the same address.
 */
export class K8sEmulator implements Served {
  readonly state = new ClusterState();
  readonly token = 'lifeboat-test-token';
  readonly faults: Fault[] = [];
  readonly drop: DropPlan = { afterEvents: 0, times: 0 };
  readonly requests: string[] = [];
  readonly accepts: string[] = [];
  readonly stats = { watches: 0 };
  /** API groups an aggregated API server older than 1.15 serves: it cannot list names only (routes.ts). */
  readonly legacyAggregatedGroups = new Set<string>();
  /** How often a watch asked for bookmarks gets one. */
  bookmarkEveryMs = 1000;
  /** Whether Deployments and StatefulSets catch up with their spec on each tick (controllers.ts). */
  controllers = true;
  /** Leases (`namespace/name`) whose holder is alive and renews them each tick (k8s/leases.ts). */
  readonly heartbeats: Heartbeats = new Set();
  /** How Restores created from now on unfold. */
  restorePlan: RestorePlan = { ...DEFAULT_PLAN };
  /** Velero's bucket: the files DownloadRequests hand out. */
  readonly storage = new ObjectStorage();
  /** What each backup's tarball holds: the objects a Restore of it brings back. */
  readonly backupContents = new Map<string, BackedUp[]>();
  private readonly plans = new Map<string, RestoreProgress>();
  private server: https.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private readonly ticker: NodeJS.Timeout;

  private constructor(
    private readonly tls: Certificates,
    tickMs: number,
    /** Whether Velero writes are checked against the real CRDs; false only where they cannot be read (the demo). */
    readonly validates: boolean,
  ) {
    this.ticker = setInterval(() => {
      advanceRestores(this.state, this.storage, this.plans, this.backupContents);
      answerDownloads(this.state, this.storage);
      if (this.controllers) {
        reconcileAutoscalers(this.state);
        settleWorkloads(this.state);
      }
      renewLeases(this.state, this.heartbeats);
    }, tickMs);
  }

  /** `crds: 'if-found'` admits Velero objects unchecked where the CRDs cannot be read; tests always check. */
  static async create(
    options: { tickMs?: number; crds?: 'required' | 'if-found' } = {},
  ): Promise<K8sEmulator> {
    const validates = options.crds !== 'if-found' || crdsFound();
    const emulator = new K8sEmulator(await makeCertificates(), options.tickMs ?? 50, validates);
    await emulator.storage.start();
    await emulator.start();
    return emulator;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Serves the API (again, on the same port after `stop`). */
  async start(): Promise<void> {
    if (this.server) return;
    const server = https.createServer({ key: this.tls.key, cert: this.tls.cert }, (req, res) => {
      route(this, req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
      });
    });
    // Every TCP socket, even one still in its TLS handshake, so `stop` can cut them all at once.
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Takes the API away: open connections (watches too) are cut and new ones refused. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise((resolve) => server.close(resolve));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    // Let clients notice their pooled connections are gone, so the next request is refused, not reset.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  async close(): Promise<void> {
    clearInterval(this.ticker);
    await this.stop();
    await this.storage.close();
    await rm(this.tls.dir, { recursive: true, force: true });
  }

  created(plural: ResourceKey, object: KObject): void {
    if (plural === 'restores')
      this.plans.set(`${object.metadata.namespace}/${object.metadata.name}`, {
        plan: structuredClone(this.restorePlan),
        step: 0,
        stage: 'new',
        waited: 0,
      });
  }

  /** Lets every running Restore finish within a few ticks, as if Velero caught up. */
  hurryRestores(): void {
    for (const progress of this.plans.values()) {
      progress.plan.ticks = Math.min(progress.plan.ticks, progress.step + 1);
      if (progress.plan.pluginOperations) progress.plan.pluginOperations.ticks = 1;
    }
  }

  /** Velero objects are checked against the real CRDs (422 Invalid) and pruned, as the API server does. */
  admit(
    plural: ResourceKey,
    object: KObject,
  ): { object: KObject } | { refused: ReturnType<typeof invalidStatus> } {
    if (!isPlural(plural) || RESOURCES[plural].group !== 'velero.io' || !this.validates) return { object };
    const admission = admit(plural as VeleroPlural, object);
    if (admission.errors.length > 0)
      return {
        refused: invalidStatus(plural as VeleroPlural, String(object.metadata?.name ?? ''), admission.errors),
      };
    return { object: admission.object as unknown as KObject };
  }

  /** Files in Velero's bucket for a backup: its resource list and volume infos, as the backup controller uploads them. */
  backupFiles(
    name: string,
    files: { resources?: Record<string, string[]>; volumes?: unknown[]; objects?: BackedUp[] },
  ): void {
    if (files.resources) this.storage.put('BackupResourceList', name, files.resources);
    if (files.volumes) this.storage.put('BackupVolumeInfos', name, files.volumes);
    if (files.objects) this.backupContents.set(name, files.objects);
  }

  /** Objects of a built-in plural, or of a custom resource by its CRD's name (`servicemonitors.monitoring.coreos.com`). */
  seed(plural: ResourceKey, ...objects: KObject[]): void {
    for (const object of objects) this.state.add(plural, object);
  }

  fail(fault: Fault): void {
    this.faults.push(fault);
  }

  /** Back to a healthy API: no injected failures, no watch drops. */
  heal(): void {
    this.faults.length = 0;
    this.legacyAggregatedGroups.clear();
    this.drop.times = 0;
    this.controllers = true;
  }

  /** Cut each of the next `times` watch streams after it has sent `afterEvents` events. */
  dropWatches(afterEvents: number, times = 1): void {
    Object.assign(this.drop, { afterEvents, times });
  }

  /** One raw request over verified TLS with the token, to see exactly what the emulator answers. */
  ask(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const headers = { authorization: `Bearer ${this.token}`, 'content-type': contentType };
      const req = https.request(`${this.url}${path}`, { method, ca: this.tls.ca, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  /** A kubeconfig for `target` that reaches this emulator over verified TLS with a bearer token. */
  kubeConfig(target: Pick<ClusterTarget, 'name' | 'context'>, token = this.token): KubeConfig {
    const config = new KubeConfig();
    config.loadFromOptions(this.kubeconfigObject([target.context], target.name, token));
    return config;
  }

  /** The same as a kubeconfig file's content (JSON is YAML), for tests of the production loader. */
  kubeconfigFile(contexts: string[]): string {
    const options = this.kubeconfigObject(contexts, 'emulator', this.token);
    return JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': contexts[0],
      clusters: options.clusters.map(({ name, server, caData }) => ({
        name,
        cluster: { server, 'certificate-authority-data': caData },
      })),
      users: options.users.map(({ name, token }) => ({ name, user: { token } })),
      contexts: options.contexts.map(({ name, cluster, user }) => ({ name, context: { cluster, user } })),
    });
  }

  private kubeconfigObject(contexts: string[], cluster: string, token: string) {
    const caData = Buffer.from(this.tls.ca).toString('base64');
    return {
      clusters: [{ name: cluster, server: this.url, caData, skipTLSVerify: false }],
      users: [{ name: 'lifeboat', token }],
      contexts: contexts.map((name) => ({ name, cluster, user: 'lifeboat' })),
      currentContext: contexts[0] ?? '',
    };
  }
}
