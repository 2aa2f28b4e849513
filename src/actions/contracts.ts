import type { ActionContract } from './contract.js';
import { scaleContract } from './k8s/scale.js';
import { versionContract } from './k8s/version.js';
import { requestContract } from './http-request.js';
import { queryContract } from './prometheus/query.js';
import { recordContract } from './route53/record.js';
import { setWeightContract } from './route53/set-weight.js';

/** Every action written as a contract (contract.ts); the catalog derives its entries from these. */
export const CONTRACTS: readonly ActionContract[] = [
  versionContract,
  requestContract,
  queryContract,
  recordContract,
  setWeightContract,
  scaleContract,
];
