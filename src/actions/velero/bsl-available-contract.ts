import { z } from 'zod';
import { actionContract } from '../contract.js';
import { Cluster, K8sName } from '../inputs.js';
import { VeleroNamespace } from './inputs.js';

export const bslAvailableContract = actionContract({
  name: 'velero.bsl-available',
  summary: 'Whether a BackupStorageLocation is Available and recently validated',
  readOnly: true,
  timeout: '5m',
  input: z.strictObject({
    cluster: Cluster,
    name: K8sName.default('default').describe('location name (default: default)'),
    /** Every location the runbook uses; each must be Available (the result reports the stalest validation). */
    names: z.array(K8sName).optional().describe('several locations, each must be Available'),
    veleroNamespace: VeleroNamespace,
  }),
  result: {
    locations: 'each location and its phase',
    available: 'true when phase is Available',
    phase: 'Available or Unavailable',
    lastValidationAgeSeconds: 'seconds since the last validation',
    message: 'message from Velero',
  },
});
