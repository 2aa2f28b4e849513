import { z } from 'zod';
import { actionContract } from '../contract.js';
import { Cluster, K8sName } from '../inputs.js';
import { VeleroNamespace } from './inputs.js';

export const snapshotLocationContract = actionContract({
  name: 'velero.snapshot-location',
  summary: 'Where a VolumeSnapshotLocation keeps volume snapshots',
  readOnly: true,
  timeout: '5m',
  input: z.strictObject({
    cluster: Cluster,
    name: K8sName.optional().describe('location name (default: those the backup used, else all)'),
    backup: z
      .union([K8sName, z.literal('')])
      .optional()
      .describe('the backup whose volumeSnapshotLocations to check'),
    veleroNamespace: VeleroNamespace,
  }),
  result: {
    provider: 'snapshot provider',
    region: 'configured region (of the first location)',
    locations: 'how many locations were checked (0: CSI or file-system backup only)',
    inRegion: "true when every location is in the cluster's region",
  },
});
