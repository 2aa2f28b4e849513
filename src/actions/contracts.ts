import type { ActionContract } from './contract.js';
import { versionContract } from './k8s/version.js';
import { snapshotIdentityContract } from './etcd/snapshot-identity-contract.js';
import { bucketProtectionContract } from './s3/bucket-protection-contract.js';
import { backupHealthContract } from './backups/health-contract.js';

/** Every action written as a contract (contract.ts); the catalog derives its entries from these. */
export const CONTRACTS: readonly ActionContract[] = [
  versionContract,
  snapshotIdentityContract,
  bucketProtectionContract,
  backupHealthContract,
];
