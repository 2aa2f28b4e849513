import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { onPath } from '../../src/actions/on-path.js';
import { actionRegistry } from '../../src/actions/index.js';
import type { KubeConfigSource } from '../../src/actions/k8s/clients.js';
import type { S3Settings } from '../../src/domain/config.js';
import type { IncidentState } from '../../src/domain/incident.js';
import { Engine } from '../../src/engine/engine.js';
import { Executor } from '../../src/engine/executor.js';
import { Reactor } from '../../src/engine/reactor.js';
import type { ClusterConfig } from '../../src/engine/scope.js';
import { loadRunbooks } from '../../src/runbooks/load.js';
import type { RedisStore } from '../../src/store/redis.js';
import { deletePrefix, redisStore, testPrefix } from './redis.js';

export type LifeboatOptions = {
  /** The runbook folder, loaded and linted as `lifeboat serve` does. */
  readonly runbooks: string;
  readonly s3: S3Settings;
  readonly kube: KubeConfigSource;
  readonly clusters: ClusterConfig;
};

/** Short, so that stop() returns quickly; a new entry ends a blocking read at once whatever this is. */
const BLOCK_MS = 250;

/**
 * Lifeboat as one replica runs it, on the real Redis under a fresh key prefix: the Engine, the
 * executor behind its consumer-group reactor, and the real action registry. A second reactor
 * (its own group) tells waiters when the incident changed, as the presenter would learn it.
 */
export class Lifeboat {
  private wake: () => void = () => undefined;
  private changed = this.nextChange();

  private readonly watch: Reactor;

  private constructor(
    readonly engine: Engine,
    private readonly store: RedisStore,
    private readonly prefix: string,
    private readonly workdirRoot: string,
    private readonly replicaStore: RedisStore,
    private readonly executor: Executor,
    private readonly replica: Reactor,
    /** What the executor and its reactor could not do; a drill that passes leaves this empty. */
    readonly errors: unknown[],
  ) {
    this.watch = new Reactor({
      store,
      group: 'responder-watch',
      consumer: 'responder',
      handle: () => Promise.resolve(this.wake()),
      blockMs: BLOCK_MS,
    });
  }

  static async start(options: LifeboatOptions): Promise<Lifeboat> {
    const library = await loadRunbooks(options.runbooks);
    if (!library.ok) throw new Error(`runbooks in ${options.runbooks} do not lint clean`);
    const prefix = testPrefix();
    const workdirRoot = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-lab-work-'));
    // The replica reads the feed on a blocking connection of its own; the engine and the watch share one.
    const [store, replicaStore] = [redisStore(prefix), redisStore(prefix)];
    const errors: unknown[] = [];
    const executor = new Executor({
      store: replicaStore,
      registry: actionRegistry({ s3: options.s3, kube: options.kube, egressAllow: ['127.0.0.0/8'] }),
      owner: 'replica-1',
      leaseMs: 10_000,
      workdirRoot,
      clusters: options.clusters,
      // The lab's clusters are sandboxes the drill may break: each stands in for itself.
      drillClusters: Object.fromEntries(Object.keys(options.clusters).map((name) => [name, name])),
      findTool: (program) => onPath(program),
      onError: (error) => errors.push(error),
    });
    const replica = new Reactor({
      store: replicaStore,
      group: 'executor',
      consumer: 'replica-1',
      handle: (entry) => executor.onFeedEntry(entry),
      blockMs: BLOCK_MS,
      onError: (error) => errors.push(error),
    });
    const engine = new Engine({ store, library });
    const lab = new Lifeboat(engine, store, prefix, workdirRoot, replicaStore, executor, replica, errors);
    for (const reactor of [lab.replica, lab.watch]) reactor.start();
    return lab;
  }

  private nextChange(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.changed = this.nextChange();
        resolve();
      };
    });
  }

  /** Waits until `check` finds what it wants in the incident's state, looking again after every append. */
  async until<T>(
    incidentId: string,
    check: (state: IncidentState) => T | undefined,
    what: string,
    timeoutMs = 30_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Taken before reading, so an append between the read and the wait still wakes us.
      const changed = this.changed;
      const state = await this.engine.state(incidentId);
      const found = state ? check(state) : undefined;
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      const backstop = new AbortController();
      await Promise.race([
        changed,
        sleep(Math.min(left, 1000), undefined, { signal: backstop.signal }),
      ]).catch(() => undefined);
      backstop.abort();
    }
  }

  /** Stops reading the feed, waits for running work, and removes every key and file it wrote. */
  async stop(): Promise<void> {
    await Promise.all([this.replica.stop(), this.watch.stop()]);
    await this.executor.idle();
    await Promise.all([this.store.close(), this.replicaStore.close()]);
    await deletePrefix(this.prefix);
    await rm(this.workdirRoot, { recursive: true, force: true });
  }
}
