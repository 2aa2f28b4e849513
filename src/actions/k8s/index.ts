import type { ActionDefinition } from '../registry.js';
import { bslAvailable } from '../velero/bsl-available.js';
import { latestBackup } from '../velero/latest-backup.js';
import { listBackups } from '../velero/list-backups.js';
import { restorePlan } from '../velero/restore-plan.js';
import { restore } from '../velero/restore.js';
import { scheduleStatus } from '../velero/schedule-status.js';
import { snapshotLocation } from '../velero/snapshot-location.js';
import { apiserverReady } from './apiserver-ready.js';
import type { KubeConfigSource } from './clients.js';
import { leasesRenewed } from './leases-renewed.js';
import { namespaceExists } from './namespace-exists.js';
import { nodeHeartbeats } from './node-heartbeats.js';
import { nodesReady } from './nodes-ready.js';
import { scale } from './scale.js';
import { version } from './version.js';
import { webhooksHealth } from './webhooks-health.js';
import { workloadsReady } from './workloads-ready.js';

/** Every k8s.* and velero.* action, reaching clusters through `source` (kubeConfigFromDefault in production). */
export function kubernetesActions(source: KubeConfigSource): Record<string, ActionDefinition> {
  return {
    'k8s.apiserver-ready': apiserverReady(source),
    'k8s.version': version(source),
    'k8s.nodes-ready': nodesReady(source),
    'k8s.namespace-exists': namespaceExists(source),
    'k8s.workloads-ready': workloadsReady(source),
    'k8s.scale': scale(source),
    'velero.latest-backup': latestBackup(source),
    'velero.list-backups': listBackups(source),
    'velero.restore': restore(source),
    'velero.bsl-available': bslAvailable(source),
    'velero.snapshot-location': snapshotLocation(source),
    'velero.schedule-status': scheduleStatus(source),
    'velero.restore-plan': restorePlan(source),
    'k8s.leases-renewed': leasesRenewed(source),
    'k8s.node-heartbeats': nodeHeartbeats(source),
    'k8s.webhooks-health': webhooksHealth(source),
  };
}
