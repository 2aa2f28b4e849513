import { byName, type ImplementedAction } from '../registry.js';
import { bslAvailable } from '../velero/bsl-available.js';
import { latestBackup } from '../velero/latest-backup.js';
import { listBackups } from '../velero/list-backups.js';
import { restorePlan } from '../velero/restore-plan.js';
import { restore } from '../velero/restore.js';
import { scheduleStatus } from '../velero/schedule-status.js';
import { snapshotLocation } from '../velero/snapshot-location.js';
import { apiserverReady } from './apiserver-ready.js';
import type { KubeConfigSource } from './clients.js';
import { namespaceExists } from './namespace-exists.js';
import { nodesReady } from './nodes-ready.js';
import { scale } from './scale.js';
import { version } from './version.js';
import { workloadsReady } from './workloads-ready.js';

/** Every k8s.* and velero.* action, reaching clusters through `source` (kubeConfigFromDefault in production). */
export function kubernetesActions(source: KubeConfigSource): Record<string, ImplementedAction> {
  return byName([
    apiserverReady(source),
    version(source),
    nodesReady(source),
    namespaceExists(source),
    workloadsReady(source),
    scale(source),
    latestBackup(source),
    listBackups(source),
    restore(source),
    bslAvailable(source),
    snapshotLocation(source),
    scheduleStatus(source),
    restorePlan(source),
  ]);
}
