import type { ActionContract } from './contract.js';
import { drillLastResultContract } from './drill-last-result-contract.js';
import { alarmsContract } from './etcd/alarms-contract.js';
import { endpointHealthContract } from './etcd/endpoint-health-contract.js';
import { keyCountContract } from './etcd/key-count-contract.js';
import { endpointStatusContract } from './etcd/endpoint-status-contract.js';
import { memberAddContract } from './etcd/member-add-contract.js';
import { memberListContract } from './etcd/member-list-contract.js';
import { memberRemoveContract } from './etcd/member-remove-contract.js';
import { snapshotRestoreContract } from './etcd/snapshot-restore-contract.js';
import { snapshotSaveContract } from './etcd/snapshot-save-contract.js';
import { snapshotStatusContract } from './etcd/snapshot-status-contract.js';
import { httpProbeContract } from './http-probe-contract.js';
import { apiserverReadyContract } from './k8s/apiserver-ready-contract.js';
import { apiserversStoppedContract } from './k8s/apiservers-stopped-contract.js';
import { leasesRenewedContract } from './k8s/leases-renewed-contract.js';
import { namespaceExistsContract } from './k8s/namespace-exists-contract.js';
import { nodeHeartbeatsContract } from './k8s/node-heartbeats-contract.js';
import { nodesReadyContract } from './k8s/nodes-ready-contract.js';
import { scaleContract } from './k8s/scale-contract.js';
import { versionContract } from './k8s/version-contract.js';
import { webhooksHealthContract } from './k8s/webhooks-health-contract.js';
import { requestContract } from './http-request-contract.js';
import { queryContract } from './prometheus/query-contract.js';
import { recordContract } from './route53/record-contract.js';
import { setWeightContract } from './route53/set-weight-contract.js';
import { workloadsReadyContract } from './k8s/workloads-ready-contract.js';
import { notifyContract } from './notify-contract.js';
import { downloadContract } from './s3/download-contract.js';
import { headContract } from './s3/head-contract.js';
import { latestObjectContract } from './s3/latest-object-contract.js';
import { uploadContract } from './s3/upload-contract.js';
import { shellContract } from './shell-contract.js';
import { bslAvailableContract } from './velero/bsl-available-contract.js';
import { latestBackupContract } from './velero/latest-backup-contract.js';
import { listBackupsContract } from './velero/list-backups-contract.js';
import { restorePlanContract } from './velero/restore-plan-contract.js';
import { restoreContract } from './velero/restore-contract.js';
import { scheduleStatusContract } from './velero/schedule-status-contract.js';
import { snapshotLocationContract } from './velero/snapshot-location-contract.js';
import { certificateExpiryContract } from './tls/certificate-expiry-contract.js';
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
