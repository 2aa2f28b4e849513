import type { ActionContract } from './contract.js';
import { alarmsContract } from './etcd/alarms.js';
import { leasesRenewedContract } from './k8s/leases-renewed.js';
import { nodeHeartbeatsContract } from './k8s/node-heartbeats.js';
import { versionContract } from './k8s/version.js';
import { webhooksHealthContract } from './k8s/webhooks-health.js';
import { certificateExpiryContract } from './tls/certificate-expiry.js';

/** Every action written as a contract (contract.ts); the catalog derives its entries from these. */
export const CONTRACTS: readonly ActionContract[] = [
  versionContract,
  leasesRenewedContract,
  nodeHeartbeatsContract,
  webhooksHealthContract,
  alarmsContract,
  certificateExpiryContract,
];
