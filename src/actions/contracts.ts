import type { ActionContract } from './contract.js';
import { drillLastResultContract } from './drill-last-result.js';
import { alarmsContract } from './etcd/alarms.js';
import { endpointHealthContract } from './etcd/endpoint-health.js';
import { keyCountContract } from './etcd/key-count.js';
import { endpointStatusContract } from './etcd/endpoint-status.js';
import { memberAddContract } from './etcd/member-add.js';
import { memberListContract } from './etcd/member-list.js';
import { memberRemoveContract } from './etcd/member-remove.js';
import { snapshotRestoreContract } from './etcd/snapshot-restore.js';
import { snapshotSaveContract } from './etcd/snapshot-save.js';
import { snapshotStatusContract } from './etcd/snapshot-status.js';
import { httpProbeContract } from './http-probe.js';
import { apiserverReadyContract } from './k8s/apiserver-ready.js';
import { apiserversStoppedContract } from './k8s/apiservers-stopped.js';
import { leasesRenewedContract } from './k8s/leases-renewed-contract.js';
import { namespaceExistsContract } from './k8s/namespace-exists.js';
import { nodeHeartbeatsContract } from './k8s/node-heartbeats-contract.js';
import { nodesReadyContract } from './k8s/nodes-ready.js';
import { scaleContract } from './k8s/scale.js';
import { versionContract } from './k8s/version.js';
import { webhooksHealthContract } from './k8s/webhooks-health.js';
import { requestContract } from './http-request.js';
import { queryContract } from './prometheus/query.js';
import { recordContract } from './route53/record.js';
import { setWeightContract } from './route53/set-weight.js';
import { workloadsReadyContract } from './k8s/workloads-ready.js';
import { notifyContract } from './notify.js';
import { downloadContract } from './s3/download.js';
import { headContract } from './s3/head.js';
import { latestObjectContract } from './s3/latest-object.js';
import { uploadContract } from './s3/upload.js';
import { shellContract } from './shell.js';
import { bslAvailableContract } from './velero/bsl-available.js';
import { latestBackupContract } from './velero/latest-backup.js';
import { listBackupsContract } from './velero/list-backups.js';
import { restorePlanContract } from './velero/restore-plan.js';
import { restoreContract } from './velero/restore.js';
import { scheduleStatusContract } from './velero/schedule-status.js';
import { snapshotLocationContract } from './velero/snapshot-location.js';
import { certificateExpiryContract } from './tls/certificate-expiry.js';
import { snapshotIdentityContract } from './etcd/snapshot-identity-contract.js';
import { bucketProtectionContract } from './s3/bucket-protection-contract.js';
import { backupHealthContract } from './backups/health-contract.js';

/**
 * Every action a runbook may name, as its contract (contract.ts), in the order the binder and lint
 * list them; the catalog derives its entries from these.
 */
export const CONTRACTS: readonly ActionContract[] = [
  shellContract,
  apiserverReadyContract,
  apiserversStoppedContract,
  nodesReadyContract,
  namespaceExistsContract,
  workloadsReadyContract,
  scaleContract,
  latestBackupContract,
  listBackupsContract,
  restoreContract,
  restorePlanContract,
  bslAvailableContract,
  snapshotLocationContract,
  scheduleStatusContract,
  drillLastResultContract,
  snapshotSaveContract,
  snapshotStatusContract,
  snapshotRestoreContract,
  endpointHealthContract,
  keyCountContract,
  memberListContract,
  endpointStatusContract,
  memberRemoveContract,
  memberAddContract,
  latestObjectContract,
  headContract,
  downloadContract,
  uploadContract,
  httpProbeContract,
  notifyContract,
  versionContract,
  leasesRenewedContract,
  nodeHeartbeatsContract,
  webhooksHealthContract,
  alarmsContract,
  certificateExpiryContract,
  requestContract,
  queryContract,
  recordContract,
  setWeightContract,
  snapshotIdentityContract,
  bucketProtectionContract,
  backupHealthContract,
];
