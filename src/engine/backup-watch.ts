import os from 'node:os';
import { alertFor, assess, sourcesOf, type BackupSource, type BackupState } from '../domain/backups.js';
import type { BackupWatch } from '../domain/config.js';
import { durationSeconds } from '../domain/duration.js';
import type { BackupStates, Locks } from './ports/index.js';
import type { ActionRegistry } from './action-port.js';
import { runCall, type CallSpec } from './run-call.js';
import { clusterLookup, type ClusterConfig } from './scope.js';

export const BACKUP_STATE_KEY = 'backup-watch';

export type BackupWatcherOptions = {
  readonly store: BackupStates & Locks;
  readonly registry: ActionRegistry;
  readonly watch: BackupWatch;
  readonly clusters: ClusterConfig;
  readonly owner: string;
  readonly alert: (text: string) => Promise<void>;
  readonly clock?: () => number;
};

function callFor(watch: BackupWatch, source: BackupSource, index: number): CallSpec {
  if (source.kind === 'etcd') {
    const etcd = watch.etcd[index];
    return {
      action: 's3.latest-object',
      with: { bucket: etcd?.bucket ?? '', prefix: etcd?.prefix ?? '' },
      timeout: '2m',
    };
  }
  if (source.kind === 'velero') {
    const velero = watch.velero[index - watch.etcd.length];
    return {
      action: 'velero.schedule-status',
      with: { cluster: velero?.cluster ?? '', schedule: velero?.schedule ?? '' },
      timeout: '2m',
    };
  }
  const location = watch.storageLocations[index - watch.etcd.length - watch.velero.length];
  return {
    action: 'velero.bsl-available',
    with: { cluster: location?.cluster ?? '', name: location?.name ?? 'default' },
    timeout: '2m',
  };
}

/** The states the watch last recorded, by source; what `/dr backups` shows. */
export function lastBackupStates(store: BackupStates): Promise<BackupState[]> {
  return store.backupStates();
}

/**
 * Checks every backup source on an interval, on one replica at a time (a lease in the store), and
 * alerts when a source changes state (fresh → stale, Available → Unavailable, a failed backup) and when it recovers.
 */
export class BackupWatcher {
  private readonly clock: () => number;

  constructor(private readonly options: BackupWatcherOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** One round; undefined when another replica holds the watch. */
  async tick(): Promise<BackupState[] | undefined> {
    const { store, watch, owner } = this.options;
    const sources = sourcesOf(watch);
    if (sources.length === 0) return [];
    if (!(await store.lock(BACKUP_STATE_KEY, owner, durationSeconds(watch.interval) * 3000)))
      return undefined;
    const previous = new Map((await lastBackupStates(store)).map((s) => [s.source, s]));
    const states: BackupState[] = [];
    for (const [index, source] of sources.entries()) {
      const outcome = await this.check(callFor(watch, source, index));
      const state = assess(source, outcome, this.clock());
      states.push(state);
      const alert = alertFor(previous.get(source.name), state);
      if (alert) await this.options.alert(alert);
    }
    await store.saveBackupStates(states);
    return states;
  }

  private check(call: CallSpec) {
    const cluster = clusterLookup(this.options.clusters);
    const workdir = os.tmpdir();
    return runCall(this.options.registry, call, () => undefined, {
      incidentId: BACKUP_STATE_KEY,
      workdir,
      signal: AbortSignal.timeout(150_000),
      progress: () => undefined,
      cluster,
    });
  }
}
