import { z } from 'zod';
import { actionContract } from '../contract.js';
import { Cluster, K8sName } from '../inputs.js';
import type { KubeConfigSource } from '../k8s/clients.js';
import { kubeAction } from '../k8s/kube-action.js';
import { Backup, BACKUPS, getVelero, listVelero, SNAPSHOT_LOCATIONS, SnapshotLocation } from './objects.js';
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

/**
 * Where volume snapshots live: a snapshot in another region cannot become a volume here. CSI and
 * file-system-backup setups often have no VolumeSnapshotLocation at all; then nothing is out of region.
 */
export const snapshotLocation = (source: KubeConfigSource) =>
  kubeAction(source, snapshotLocationContract, async ({ name, backup, veleroNamespace }, kube) => {
    let names = name ? [name] : [];
    if (!name && backup) {
      const used = await getVelero(kube, BACKUPS, veleroNamespace, backup, Backup);
      names = z
        .array(z.string())
        .catch([])
        .parse((used.spec as { volumeSnapshotLocations?: unknown })?.volumeSnapshotLocations);
    }
    const locations =
      names.length > 0
        ? await Promise.all(
            names.map((n) => getVelero(kube, SNAPSHOT_LOCATIONS, veleroNamespace, n, SnapshotLocation)),
          )
        : await listVelero(kube, SNAPSHOT_LOCATIONS, veleroNamespace, SnapshotLocation);
    const here = kube.target.region;
    const elsewhere = locations.filter((l) => here !== undefined && (l.spec?.config?.region ?? '') !== here);
    const [first] = locations;
    const result = {
      provider: first?.spec?.provider ?? '',
      region: first?.spec?.config?.region ?? '',
      locations: locations.length,
      inRegion: elsewhere.length === 0,
    };
    const error =
      elsewhere.length > 0
        ? `volume snapshots of ${elsewhere.map((l) => `${l.metadata.name} are in ${l.spec?.config?.region ?? 'no region'}`).join(', ')}, not ${here}`
        : undefined;
    return { completed: true, result, ...(error ? { error } : {}) };
  });
