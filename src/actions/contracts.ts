import type { ActionContract } from './contract.js';
import { versionContract } from './k8s/version.js';
import { endpointStatusContract } from './etcd/endpoint-status.js';
import { memberAddContract } from './etcd/member-add.js';
import { memberListContract } from './etcd/member-list.js';
import { memberRemoveContract } from './etcd/member-remove.js';

/** Every action written as a contract (contract.ts); the catalog derives its entries from these. */
export const CONTRACTS: readonly ActionContract[] = [
  versionContract,
  memberListContract,
  endpointStatusContract,
  memberRemoveContract,
  memberAddContract,
];
